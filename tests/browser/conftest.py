"""A real browser (Debian's chromium, driven by Playwright) against `promiseplan serve` as a
user starts it, on the bundled flower-shop example."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from promiseplan.dataset.load import load_dataset
from promiseplan.examples import example_dataset
from promiseplan.store import import_dataset, list_runs, open_database, upgrade
from promiseplan.store.keys import create_key
from tests.helpers import serving

# a page of the cockpit may take seconds to render on a busy two-core machine running both
# test workers: assertions wait as long as the page's own actions do
expect.set_options(timeout=20_000)

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class Shop:
    base: str
    planner_key: str
    url: str


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    folder = tmp_path_factory.mktemp("shop")
    url = f"sqlite:///{folder / 'promiseplan.db'}"
    engine = open_database(url)
    upgrade(engine)
    import_dataset(engine, load_dataset(example_dataset()))
    key = create_key(engine, "planner")
    with serving(url, "--every", "24h", "--now", "2026-03-03T10:00") as base:
        for _ in range(300):  # the cadence's run at start-up
            runs = list_runs(engine)
            if runs and runs[-1]["status"] != "running":
                break
            time.sleep(0.2)
        yield Shop(base, key, url)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


__all__ = ["Shop", "no_sideways_scroll", "screenshot"]

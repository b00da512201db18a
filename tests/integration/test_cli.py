"""The README's main command and the CLI's own help."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.dataset.load import load_dataset
from promiseplan.examples import example_dataset
from promiseplan.generate import generate

runner = CliRunner()


def test_demo_plans_the_bundled_example_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Outputs written to" in result.output
    for phase in ("read", "validate", "build problem", "plan", "write"):
        assert f"time: {phase} " in result.output
    kpis = json.loads((out / "kpis.json").read_text())
    assert kpis["orders"] == 200
    assert sum(kpis["orders_by_status"].values()) == 200
    check = runner.invoke(app, ["check", str(example_dataset()), str(out)])
    assert check.exit_code == 0, check.output


def test_bundled_example_is_the_flowers_generator_output(tmp_path: Path) -> None:
    generate("flowers", tmp_path, None, 1)
    for file in sorted(example_dataset().iterdir()):
        assert file.read_bytes() == (tmp_path / file.name).read_bytes(), file.name
    assert load_dataset(example_dataset())["orders"].height == 200


def test_help_explains_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "validate", "generate", "check", "demo"):
        assert command in result.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, command


def test_bad_now_option_is_refused(tmp_path: Path) -> None:
    from tests.conftest import WORKED_EXAMPLE

    result = runner.invoke(
        app, ["run", str(WORKED_EXAMPLE), "--out", str(tmp_path / "o"), "--now", "tomorrow"]
    )
    assert result.exit_code == 2
    assert "'tomorrow' is not a date-time" in result.output
    assert not (tmp_path / "o").exists()


def test_promise_answers_for_one_more_order_without_writing() -> None:
    from tests.conftest import WORKED_EXAMPLE

    before = sorted(p.name for p in WORKED_EXAMPLE.iterdir())
    # after X, Y and Z, the 20 MUG at A are gone: 5 more come from CUPCO (lead time 3 days)
    result = runner.invoke(
        app, ["promise", str(WORKED_EXAMPLE), "--customer", "C1", "--line", "MUG:5"]
    )
    assert result.exit_code == 0, result.output
    assert "purchase from CUPCO" in result.output and "on_time" in result.output
    assert sorted(p.name for p in WORKED_EXAMPLE.iterdir()) == before
    wrong = runner.invoke(
        app, ["promise", str(WORKED_EXAMPLE), "--customer", "C1", "--line", "MUG"]
    )
    assert wrong.exit_code == 2 and "ITEM:QUANTITY" in wrong.output
    unknown = runner.invoke(
        app, ["promise", str(WORKED_EXAMPLE), "--customer", "C1", "--line", "NOPE:1"]
    )
    assert unknown.exit_code == 2 and "unknown item 'NOPE'" in unknown.output

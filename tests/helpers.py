"""Small inline datasets for scenario tests, running them through the CLI contract, and
serving a database as a user would."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import polars as pl
from typer.testing import CliRunner

from promiseplan.check import check_outputs
from promiseplan.cli import app
from promiseplan.dataset.load import load_dataset
from promiseplan.engine.fast.arrays import Indexed, index_problem
from promiseplan.engine.fast.book import OrderBook, book_of
from promiseplan.model.build import build_problem
from promiseplan.pipeline import resolve_settings

runner = CliRunner()


def indexed_problem(files: dict[str, str]) -> tuple[Indexed, OrderBook]:
    """The fast engine's indexed problem of a generated dataset (``files``: name -> text, as
    written), with its order book."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf8")
        dataset = load_dataset(folder)
    problem = build_problem(dataset, resolve_settings(dataset))
    book = book_of(problem)
    return index_problem(problem, book), book


def write_dataset(folder: Path, files: dict[str, str]) -> Path:
    """``files`` maps a file name to its CSV text (leading spaces on each line are stripped)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        lines = [line.strip() for line in text.strip().splitlines()]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf8")
    return folder


def plan_folder(dataset: Path, out: Path, *options: str) -> dict[str, list[dict[str, Any]]]:
    """Run ``promiseplan run`` as other programs do, with the reference and with the fast engine
    (their output files must be identical), check the plan, return the output rows."""
    result = runner.invoke(
        app, ["run", str(dataset), "--out", str(out), "--quiet", "--engine", "reference", *options]
    )
    assert result.exit_code == 0, result.output
    fast = out.with_name(out.name + "-fast")
    result = runner.invoke(
        app, ["run", str(dataset), "--out", str(fast), "--quiet", "--engine", "fast", *options]
    )
    assert result.exit_code == 0, result.output
    assert same_outputs(out, fast) == []
    loaded = load_dataset(dataset)
    now = options[options.index("--now") + 1] if "--now" in options else None
    horizon = (
        int(options[options.index("--horizon-days") + 1]) if "--horizon-days" in options else None
    )
    violations = check_outputs(loaded, resolve_settings(loaded, now, horizon), out)
    assert violations == [], violations
    return {
        p.stem: pl.read_csv(p, infer_schema=False).to_dicts() for p in sorted(out.glob("*.csv"))
    }


def same_outputs(first: Path, second: Path) -> list[str]:
    """The output files that differ between two runs (kpis.json without its run time)."""
    differ = []
    names = sorted({p.name for p in first.iterdir()} | {p.name for p in second.iterdir()})
    for name in names:
        a, b = first / name, second / name
        if not (a.exists() and b.exists()):
            differ.append(name)
        elif name == "kpis.json":
            left, right = json.loads(a.read_text()), json.loads(b.read_text())
            left.pop("run_seconds", None)
            right.pop("run_seconds", None)
            if left != right:
                differ.append(name)
        elif a.read_bytes() != b.read_bytes():
            differ.append(name)
    return differ


def pick(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(r[c] for c in columns) for r in rows]


@contextmanager
def serving(url: str, *options: str) -> Iterator[str]:
    """``promiseplan serve`` as a user starts it, on a free loopback port, until it answers
    /health; yields its base URL and stops it afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [sys.executable, "-m", "promiseplan.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--database", url, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)

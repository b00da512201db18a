"""The fast engine's machine code is made ready before a run plans: loaded from numba's cache,
or compiled into it when the cache lacks it, and a run after that neither loads nor compiles
anything more (so that its phases are timed without it and a person waiting is told)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pytest import MonkeyPatch
from typer.testing import CliRunner

from promiseplan.cli import app, not_compiled_note
from promiseplan.generate import generate
from promiseplan.machine_code import LOADING, cache_folder, entry_points, is_cached, prepare
from tests.conftest import WORKED_EXAMPLE

runner = CliRunner()

RUNS_AFTER_PREPARE = """
import importlib
import json
import pkgutil
import sys
from pathlib import Path

import numba

import promiseplan.engine.fast as fast
from promiseplan.dataset.load import load_dataset
from promiseplan.machine_code import entry_points, prepare
from promiseplan.online import Promiser, Request
from promiseplan.pipeline import resolve_settings, run

compiled = [
    value
    for module in pkgutil.iter_modules(fast.__path__)
    for value in vars(importlib.import_module(f"promiseplan.engine.fast.{module.name}")).values()
    if isinstance(value, numba.core.registry.CPUDispatcher)
]

def loads():
    return {
        f"{d.__module__}.{d.__name__}": len(d.stats.cache_hits) + len(d.stats.cache_misses)
        for d in set(compiled)
    }

ready = prepare()
prepared = loads()
*sources, promised = sys.argv[1:]
for source in sources:
    run(Path(source), None, engine="fast")
data = load_dataset(Path(promised))
Promiser(data, resolve_settings(data), engine="fast").promise(Request("C1", (("MUG", 5),)))
print(json.dumps({
    "compiled": ready.compiled,
    "prepared": sorted(name for name, n in prepared.items() if n),
    "entry_points": sorted(f"{d.__module__}.{d.__name__}" for d in entry_points()),
    "loaded_later": sorted(name for name, n in loads().items() if n != prepared[name]),
}))
"""


def test_a_run_after_prepare_loads_and_compiles_nothing_more(tmp_path: Path) -> None:
    """Every compiled function that Python calls is an entry point, and planning the bundled
    example gives them the argument types of any run: a large generated run, one whose stock
    needs 64-bit rows, and an online promise."""
    prepare()  # the cache holds the engine from here on (compiled now if it did not)
    scale, electronics, huge = tmp_path / "scale", tmp_path / "electronics", tmp_path / "huge"
    generate("scale", scale, 4000, 3)
    generate("electronics", electronics, None, 2)
    shutil.copytree(WORKED_EXAMPLE, huge)
    inventory = huge / "inventory.csv"
    inventory.write_text(inventory.read_text().replace("MUG,A,20", "MUG,A,3000000000"))
    sources = [scale, electronics, huge]
    finished = subprocess.run(
        [sys.executable, "-c", RUNS_AFTER_PREPARE, *map(str, sources), str(WORKED_EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    seen = json.loads(finished.stdout.strip().splitlines()[-1])
    assert seen["compiled"] is False  # loaded from the cache filled above
    assert seen["prepared"] == seen["entry_points"]
    assert seen["loaded_later"] == []


def test_an_empty_cache_is_told_apart_from_a_full_one(tmp_path: Path) -> None:
    prepare()
    assert is_cached()
    here = runner.invoke(app, ["compile", "--check"])
    assert here.exit_code == 0, here.output
    assert "fast engine compiled for this processor" in here.output
    assert str(cache_folder()) in here.output
    # a new machine (or a new version of the engine's source): nothing in its cache yet
    empty = subprocess.run(
        [sys.executable, "-m", "promiseplan.cli", "compile", "--check"],
        env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert empty.returncode == 1, empty.stderr
    assert "fast engine not compiled for this processor" in empty.stdout
    assert str(tmp_path) in empty.stdout


def test_compile_command_loads_what_the_cache_holds() -> None:
    prepare()
    result = runner.invoke(app, ["compile"])
    assert result.exit_code == 0, result.output
    assert "fast engine already compiled, loaded in" in result.output
    told: list[str] = []
    ready = prepare(told.append)
    assert (ready.compiled, ready.phase, told) == (False, "load fast engine", [LOADING])
    assert all(function.signatures for function in entry_points())


def test_a_fast_run_times_the_engine_apart_and_says_what_it_does(tmp_path: Path) -> None:
    from promiseplan.pipeline import run

    told: list[str] = []
    result = run(WORKED_EXAMPLE, None, engine="fast", stage=told.append)
    assert told == [LOADING, "planning orders"]
    assert list(result.seconds) == [
        "read",
        "validate",
        "load fast engine",
        "build problem",
        "plan",
    ]
    cli = runner.invoke(
        app, ["run", str(WORKED_EXAMPLE), "--out", str(tmp_path / "o"), "--engine", "fast"]
    )
    assert cli.exit_code == 0, cli.output
    assert "time: load fast engine " in cli.output
    reference = run(WORKED_EXAMPLE, None, engine="reference", stage=told.append)
    assert "load fast engine" not in reference.seconds
    assert told[-1] == "planning orders"


def test_a_service_is_told_when_its_first_run_will_compile(monkeypatch: MonkeyPatch) -> None:
    import promiseplan.machine_code

    prepare()
    assert not_compiled_note() is None
    monkeypatch.setattr(promiseplan.machine_code, "is_cached", lambda: False)
    note = not_compiled_note()
    assert note is not None and "`promiseplan compile` does it ahead" in note

"""The generators write valid datasets, the same for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.dataset.load import load_dataset
from promiseplan.generate import generate

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "size"), [("flowers", 150), ("electronics", 300), ("scale", 20_000)]
)
def test_generated_datasets_are_valid(tmp_path: Path, name: str, size: int) -> None:
    generate(name, tmp_path / name, size, seed=7)
    dataset = load_dataset(tmp_path / name)
    assert dataset["orders"].height > 0
    assert dataset["order_lines"].height > 0
    if name == "scale":
        assert dataset["order_lines"].height == size
    if name == "flowers":
        assert dataset["orders"].height == size


@pytest.mark.parametrize("name", ["flowers", "electronics", "scale"])
def test_same_seed_same_files_other_seed_other_files(tmp_path: Path, name: str) -> None:
    for folder, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(name, tmp_path / folder, 200, seed=seed)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    same = [(tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files]
    assert all(same)
    assert (tmp_path / "a" / "order_lines.csv").read_bytes() != (
        tmp_path / "c" / "order_lines.csv"
    ).read_bytes()


def test_electronics_has_the_maker_shape(tmp_path: Path) -> None:
    generate("electronics", tmp_path, 400, seed=1)
    d = load_dataset(tmp_path)
    assert set(d["locations"]["kind"]) == {"factory", "warehouse"}
    assert set(d["transfer_lanes"]["mode"]) >= {"sea", "air", "truck"}
    assert set(d["receipts"]["kind"]) == {"purchase", "transfer", "production"}
    assert set(d["customers"]["channel"]) == {"b2b", "web"}
    # three levels: product <- subassembly <- part
    subs = set(d["bom"].filter(d["bom"]["item"].str.starts_with("SUB"))["item"])
    assert subs and subs <= set(d["bom"]["component"])


def test_generate_command(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["generate", "flowers", str(tmp_path / "f"), "--orders", "30", "--seed", "2"]
    )
    assert result.exit_code == 0, result.output
    assert load_dataset(tmp_path / "f")["orders"].height == 30
    bad = runner.invoke(app, ["generate", "tulips", str(tmp_path / "t")])
    assert bad.exit_code == 2
    assert "unknown generator" in bad.output

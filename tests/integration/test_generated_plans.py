"""Plans of generated datasets (every generator, several seeds) keep every guarantee and are
byte-identical when run twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from promiseplan.generate import generate
from tests.helpers import plan_folder

CASES = (
    [("flowers", 120, seed) for seed in (1, 2, 3)]
    + [("electronics", 80, seed) for seed in (1, 2)]
    + [("scale", 600, seed) for seed in (1, 2)]
)


@pytest.mark.parametrize(("name", "size", "seed"), CASES, ids=[f"{n}-{s}" for n, _, s in CASES])
def test_generated_dataset_plans_keep_every_guarantee(
    tmp_path: Path, name: str, size: int, seed: int
) -> None:
    generate(name, tmp_path / "data", size, seed)
    first = plan_folder(tmp_path / "data", tmp_path / "a")
    assert first["confirmations"]
    plan_folder(tmp_path / "data", tmp_path / "b")
    for file in sorted((tmp_path / "a").glob("*.csv")):
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes(), file.name

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
WORKED_EXAMPLE = DATA / "worked_example"


@pytest.fixture
def worked_example(tmp_path: Path) -> Path:
    """A writable copy of the worked example of planning.md."""
    target = tmp_path / "worked_example"
    shutil.copytree(WORKED_EXAMPLE, target)
    return target

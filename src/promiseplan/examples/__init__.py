"""Datasets bundled with promiseplan."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def example_dataset() -> Path:
    """The bundled flower-shop example."""
    return Path(str(resources.files("promiseplan") / "examples" / "flowers"))

"""Databases for the storage tests: a SQLite file, and a fresh schema in the real PostgreSQL
(in CI it must be there: the tests fail rather than skip)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from promiseplan.store import open_database

POSTGRES = os.environ.get(
    "PROMISEPLAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_engine() -> Iterator[tuple[sa.Engine, str]]:
    try:
        admin = sa.create_engine(POSTGRES)
        with admin.begin() as connection:
            schema = f"t_{uuid.uuid4().hex[:12]}"
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        if os.environ.get("CI"):
            raise AssertionError(
                f"PostgreSQL must be reachable in CI at {POSTGRES}: {error}"
            ) from error
        pytest.skip(f"no PostgreSQL at {POSTGRES}")
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        yield open_database(url), url
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[sa.Engine, str]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'promiseplan.db'}"
        yield open_database(url), url
        return
    yield from _postgres_engine()

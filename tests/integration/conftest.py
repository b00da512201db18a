"""Databases for the storage tests: a SQLite file, and a fresh schema in the real PostgreSQL
(in CI it must be there: the tests fail rather than skip)."""

from __future__ import annotations

import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from promiseplan.store import open_database
from tests.conftest import WORKED_EXAMPLE

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


class Hooks(ThreadingHTTPServer):
    received: list[dict[str, Any]]
    fail: int


class _Handler(BaseHTTPRequestHandler):
    server: Hooks

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.server.fail > 0:
            self.server.fail -= 1
            self.send_response(503)
        else:
            self.server.received.append(json.loads(body))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    server = Hooks(("127.0.0.1", 0), _Handler)
    server.received, server.fail = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def with_contacts(tmp_path: Path, hook_url: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(WORKED_EXAMPLE, data)
    (data / "customers.csv").write_text(
        "customer,region,priority,webhook_url,email\n"
        f"C1,EAST,1,{hook_url},\nC2,EAST,2,,c2@example.test\nC3,EAST,3,,\n"
    )
    return data

"""Exactly one planning run at a time across processes: a PostgreSQL advisory lock, or a lock
file beside a SQLite database."""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


class RunInProgress(RuntimeError):
    """Another process holds the planning lock."""


@contextmanager
def planning_lock(engine: sa.Engine) -> Iterator[None]:
    """Hold the planning lock for the block; raise RunInProgress at once when it is taken."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            # one lock per database and schema: separate installations do not block each other
            where = connection.execute(sa.text("SELECT current_database(), current_schema()")).one()
            key = zlib.crc32(f"promiseplan:{where[0]}:{where[1]}".encode())
            got = connection.execute(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}
            ).scalar()
            connection.commit()
            if not got:
                raise RunInProgress("another planning run is in progress")
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    path = _lock_file(engine)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise RunInProgress("another planning run is in progress") from error
        yield
    finally:
        os.close(handle)  # closing releases the lock, also when the process is killed


def _lock_file(engine: sa.Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        return Path(f"/tmp/promiseplan-{os.getpid()}.lock")
    return Path(database).with_suffix(Path(database).suffix + ".lock")


def lock_master_data(connection: sa.Connection, exclusive: bool) -> None:
    """Within the transaction of ``connection``: edits of master data (exclusive) wait for
    order intake (shared) and the other way round, so that a check of references made in the
    transaction stays true until it commits. SQLite's one write lock already does this."""
    if connection.dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    where = connection.execute(sa.text("SELECT current_database(), current_schema()")).one()
    key = zlib.crc32(f"promiseplan-data:{where[0]}:{where[1]}".encode())
    connection.execute(sa.text(f"SELECT {function}(:key)"), {"key": key})

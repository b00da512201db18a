"""Opening the database and bringing its schema up to date with Alembic."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

DEFAULT_URL = "sqlite:///promiseplan.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(url: str | None = None) -> str:
    """The given URL, else ``PROMISEPLAN_DATABASE_URL``, else a SQLite file in this folder."""
    chosen = url or os.environ.get("PROMISEPLAN_DATABASE_URL") or DEFAULT_URL
    if chosen.startswith("postgresql://"):
        chosen = "postgresql+psycopg://" + chosen.removeprefix("postgresql://")
    return chosen


def open_database(url: str | None = None) -> sa.Engine:
    chosen = database_url(url)
    if not chosen.startswith("sqlite"):
        return sa.create_engine(chosen)
    engine = sa.create_engine(chosen, connect_args={"timeout": 30})
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    # pysqlite opens transactions late; begin them explicitly (SQLAlchemy's documented recipe),
    # IMMEDIATE so that concurrent writers queue for SQLite's one write lock instead of failing
    sa.event.listen(
        engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE")
    )
    return engine


def _sqlite_pragmas(connection: object, _record: object) -> None:
    connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` on ``engine``'s database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

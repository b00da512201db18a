"""Planning settings kept in the database (an admin edits them over the API): the stored
counterpart of a dataset's ``settings.toml``, read with every snapshot."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from promiseplan.model.settings import PRIORITY_KEYS, Settings
from promiseplan.store.tables import SETTINGS

DEFAULTS: dict[str, Any] = {"horizon_days": 120, "priority_keys": list(PRIORITY_KEYS)}


def read_settings(connection: sa.Connection) -> dict[str, Any]:
    """The stored settings over the defaults."""
    stored = {
        name: json.loads(value)
        for name, value in connection.execute(sa.select(SETTINGS.c.name, SETTINGS.c.value))
    }
    return {**DEFAULTS, **stored}


def write_settings(
    connection: sa.Connection, changes: dict[str, Any], at: datetime
) -> dict[str, Any]:
    """Store ``changes`` (only known names, checked as a run would check them) in the
    transaction of ``connection``; all settings. Raises ValueError naming what is wrong."""
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    merged = {**read_settings(connection), **changes}
    Settings(at, int(merged["horizon_days"]), tuple(merged["priority_keys"]))
    for name, value in changes.items():
        connection.execute(SETTINGS.delete().where(SETTINGS.c.name == name))
        connection.execute(
            SETTINGS.insert(), {"name": name, "value": json.dumps(value), "updated_at": at}
        )
    return merged

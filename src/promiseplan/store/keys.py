"""API keys with roles: customer (its own orders), planner (everything, runs, data), admin."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from promiseplan.store.tables import API_KEYS

ROLES = ("customer", "planner", "admin")


@dataclass(frozen=True)
class Principal:
    role: str
    customer: str | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(engine: sa.Engine, role: str, customer: str | None = None) -> str:
    """A new key (shown once; only its hash is stored)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if (role == "customer") != (customer is not None):
        raise ValueError("a customer key names its customer; other keys do not")
    key = "pp_" + secrets.token_urlsafe(24)
    with engine.begin() as connection:
        connection.execute(
            API_KEYS.insert(),
            {
                "key_hash": _hash(key),
                "role": role,
                "customer": customer,
                "created_at": datetime.now(),
            },
        )
    return key


def principal_for(engine: sa.Engine, key: str) -> Principal | None:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(API_KEYS.c.role, API_KEYS.c.customer).where(API_KEYS.c.key_hash == _hash(key))
        ).first()
    return None if row is None else Principal(row.role, row.customer)

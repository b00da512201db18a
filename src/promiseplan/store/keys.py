"""API keys with roles: customer (its own orders), planner (everything, runs, data), admin."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from promiseplan.store.tables import API_KEYS, INPUT

ROLES = ("customer", "planner", "admin")


@dataclass(frozen=True)
class Principal:
    role: str
    customer: str | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(engine: sa.Engine, role: str, customer: str | None = None) -> str:
    """A new key (shown once; only its hash is stored)."""
    return create_key_with_id(engine, role, customer)[1]


def create_key_with_id(engine: sa.Engine, role: str, customer: str | None) -> tuple[int, str]:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if (role == "customer") != (customer is not None):
        raise ValueError("a customer key names its customer; other keys do not")
    key = "pp_" + secrets.token_urlsafe(24)
    with engine.begin() as connection:
        if customer is not None and not _is_customer(connection, customer):
            raise ValueError(f"unknown customer '{customer}'")
        key_id = connection.execute(
            API_KEYS.insert().returning(API_KEYS.c.id),
            {
                "key_hash": _hash(key),
                "role": role,
                "customer": customer,
                "created_at": datetime.now(),
            },
        ).scalar_one()
    return int(key_id), key


def _is_customer(connection: sa.Connection, customer: str) -> bool:
    customers = INPUT["customers"]
    found = connection.execute(
        sa.select(customers.c.id).where(customers.c.customer == customer)
    ).first()
    return found is not None


def list_keys(engine: sa.Engine) -> list[dict[str, object]]:
    """Every key without its secret: id, role, customer, created_at."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                API_KEYS.c.id, API_KEYS.c.role, API_KEYS.c.customer, API_KEYS.c.created_at
            ).order_by(API_KEYS.c.id)
        ).mappings()
        return [dict(r) for r in rows]


def revoke_key(engine: sa.Engine, key_id: int) -> bool:
    with engine.begin() as connection:
        return connection.execute(API_KEYS.delete().where(API_KEYS.c.id == key_id)).rowcount > 0


def principal_for(engine: sa.Engine, key: str) -> Principal | None:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(API_KEYS.c.role, API_KEYS.c.customer).where(API_KEYS.c.key_hash == _hash(key))
        ).first()
    return None if row is None else Principal(row.role, row.customer)

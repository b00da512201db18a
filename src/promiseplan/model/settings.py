"""Settings of one run. ``now`` always comes from outside: the engine never reads the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PRIORITY_KEYS = ("priority", "promised_first", "need_date", "created_at", "order")
"""The default priority model (planning.md, "The order of decisions"), ascending."""


@dataclass(frozen=True)
class Settings:
    now: datetime
    horizon_days: int = 120
    priority_keys: tuple[str, ...] = PRIORITY_KEYS

    def __post_init__(self) -> None:
        if self.horizon_days < 0:
            raise ValueError("horizon_days must not be negative")
        unknown = [k for k in self.priority_keys if k.lstrip("-") not in _KNOWN_KEYS]
        if unknown:
            raise ValueError(
                f"unknown priority key(s) {', '.join(unknown)}; known: {', '.join(_KNOWN_KEYS)}"
            )


_KNOWN_KEYS = (*PRIORITY_KEYS, "customer", "channel", "value")


def parse_now(text: str) -> datetime:
    """``YYYY-MM-DDTHH:MM`` (or with seconds, or a date alone) -> datetime."""
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date-time (YYYY-MM-DDTHH:MM)")

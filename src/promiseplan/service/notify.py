"""Delivering the outbox: each notification to the customer's webhook (HTTP POST of JSON)
and/or e-mail (SMTP), retried with exponential backoff until it is delivered or given up."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

import httpx
import sqlalchemy as sa

from promiseplan.store.tables import OUTBOX


class Notifier(Protocol):
    def webhook(self, url: str, payload: dict[str, Any]) -> None: ...
    def email(self, to: str, subject: str, body: str) -> None: ...


@dataclass
class NetworkNotifier:
    """The real adapter: httpx for webhooks, smtplib for mail."""

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    sender: str = "promises@promiseplan.local"
    timeout: float = 10.0

    def webhook(self, url: str, payload: dict[str, Any]) -> None:
        response = httpx.post(url, json=payload, timeout=self.timeout)
        response.raise_for_status()

    def email(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=self.timeout) as smtp:
            smtp.send_message(message)


@dataclass(frozen=True)
class Delivery:
    sent: int
    retried: int
    given_up: int


def deliver(
    engine: sa.Engine,
    notifier: Notifier,
    clock: Callable[[], datetime] = datetime.now,
    max_attempts: int = 6,
    backoff: timedelta = timedelta(seconds=30),
) -> Delivery:
    """Send every pending notification that is due; a failure waits backoff * 2**attempts."""
    now = clock()
    with engine.connect() as connection:
        due = (
            connection.execute(
                sa.select(OUTBOX)
                .where(OUTBOX.c.status == "pending", OUTBOX.c.next_attempt_at <= now)
                .order_by(OUTBOX.c.id)
            )
            .mappings()
            .all()
        )
    sent = retried = given_up = 0
    for note in due:
        payload = json.loads(note["payload"])
        try:
            if note["webhook_url"]:
                notifier.webhook(note["webhook_url"], payload)
            if note["email"]:
                notifier.email(note["email"], _subject(payload), _body(payload))
        except Exception as error:  # any failure of the far side: try again later
            attempts = note["attempts"] + 1
            done = attempts >= max_attempts
            values = {
                "attempts": attempts,
                "last_error": f"{type(error).__name__}: {error}",
                "status": "failed" if done else "pending",
                "next_attempt_at": None if done else now + backoff * 2 ** (attempts - 1),
            }
            given_up += done
            retried += not done
        else:
            values = {
                "attempts": note["attempts"] + 1,
                "status": "sent",
                "sent_at": now,
                "last_error": None,
            }
            sent += 1
        with engine.begin() as connection:
            connection.execute(OUTBOX.update().where(OUTBOX.c.id == note["id"]).values(**values))
    return Delivery(sent, retried, given_up)


def _subject(payload: dict[str, Any]) -> str:
    if payload["status"] == "unconfirmed":
        return f"Your order {payload['order']} cannot be confirmed yet"
    what = "confirmed" if payload["event"] == "new" else "updated"
    return f"Your order {payload['order']} is {what}: delivery {payload['promised_date']}"


def _body(payload: dict[str, Any]) -> str:
    lines = [f"Order {payload['order']}: {payload['status'].replace('_', ' ')}."]
    if payload.get("promised_date"):
        lines.append(f"Promised delivery: {payload['promised_date']}.")
    previous = payload.get("previous")
    if previous and previous.get("promised_date") != payload.get("promised_date"):
        lines.append(f"Previously promised: {previous.get('promised_date') or 'not confirmed'}.")
    for line in payload["schedule"]:
        when = line["promised_date"] or "not confirmed"
        lines.append(
            f"- line {line['line']}: {line['quantity']} {line['item']}, {when} ({line['reason']})"
        )
    return "\n".join(lines) + "\n"


def outbox(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [
            dict(r) for r in connection.execute(sa.select(OUTBOX).order_by(OUTBOX.c.id)).mappings()
        ]

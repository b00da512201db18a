"""Customers hear back: a run writes a notification for every new or changed promise to the
outbox, and the sender delivers it to a real local webhook receiver and SMTP server."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.dataset.load import load_dataset
from promiseplan.pipeline import run_stored
from promiseplan.service.notify import NetworkNotifier, deliver, outbox
from promiseplan.store import import_dataset, open_database, upgrade
from tests.integration.conftest import Hooks, with_contacts

runner = CliRunner()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def mail() -> Iterator[tuple[_Mailbox, int]]:
    box = _Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def engine(tmp_path: Path) -> sa.Engine:
    engine = open_database(f"sqlite:///{tmp_path / 'promiseplan.db'}")
    upgrade(engine)
    return engine


def test_every_new_promise_reaches_its_customer(
    engine: sa.Engine, tmp_path: Path, hooks: Hooks, mail: tuple[_Mailbox, int]
) -> None:
    box, port = mail
    import_dataset(
        engine,
        load_dataset(with_contacts(tmp_path, f"http://127.0.0.1:{hooks.server_port}/promises")),
    )
    run_stored(engine, "2026-06-02T10:00", 120)
    notes = outbox(engine)
    assert [(n["order"], n["event"], n["status"]) for n in notes] == [
        ("X", "new", "pending"),
        ("Y", "new", "pending"),
        ("Z", "new", "no_contact"),
    ]
    done = deliver(engine, NetworkNotifier("127.0.0.1", port))
    assert done.sent == 2
    assert [(h["order"], h["promised_date"], h["status"]) for h in hooks.received] == [
        ("X", "2026-06-09", "on_time")
    ]
    assert hooks.received[0]["schedule"][1]["reason"].startswith("lead_time: no TEA at A")
    assert [m.rcpt_tos for m in box.messages] == [["c2@example.test"]]
    text = box.messages[0].content.decode()
    assert "Order Y: late." in text and "Promised delivery: 2026-06-07." in text
    assert [n["status"] for n in outbox(engine)] == ["sent", "sent", "no_contact"]


def test_an_unchanged_promise_is_not_sent_again_a_changed_one_is(
    engine: sa.Engine, tmp_path: Path, hooks: Hooks
) -> None:
    data = with_contacts(tmp_path, f"http://127.0.0.1:{hooks.server_port}/promises")
    import_dataset(engine, load_dataset(data))
    run_stored(engine, "2026-06-02T10:00", 120)
    run_stored(engine, "2026-06-02T10:00", 120)
    assert len(outbox(engine)) == 3  # the second run changed nothing
    (data / "suppliers.csv").write_text(
        "supplier,item,location,lead_time_days,min_quantity,lot_multiple\nLEAF,TEA,A,8,50,25\nCUPCO,MUG,A,3,1,1\n"
    )
    import_dataset(engine, load_dataset(data))
    run_stored(engine, "2026-06-02T10:00", 120)
    changed = [n for n in outbox(engine) if n["event"] == "changed"]
    assert [n["order"] for n in changed] == ["X"]
    payload = json.loads(changed[0]["payload"])
    assert payload["previous"] == {"status": "on_time", "promised_date": "2026-06-09"}
    assert payload["promised_date"] == "2026-06-12"


def test_a_failing_webhook_is_retried_with_backoff_then_given_up(
    engine: sa.Engine, tmp_path: Path, hooks: Hooks
) -> None:
    import_dataset(
        engine,
        load_dataset(with_contacts(tmp_path, f"http://127.0.0.1:{hooks.server_port}/promises")),
    )
    run_stored(engine, "2026-06-02T10:00", 120)
    hooks.fail = 1
    start = datetime(2030, 1, 1, 12, 0)
    first = deliver(
        engine, NetworkNotifier("127.0.0.1", 1), clock=lambda: start
    )  # no SMTP: Y fails too
    assert (first.sent, first.retried) == (0, 2)
    x = next(n for n in outbox(engine) if n["order"] == "X")
    assert x["attempts"] == 1 and x["next_attempt_at"] == start + timedelta(seconds=30)
    assert (
        deliver(
            engine, NetworkNotifier("127.0.0.1", 1), clock=lambda: start + timedelta(seconds=10)
        ).sent
        == 0
    )  # not due
    later = deliver(
        engine, NetworkNotifier("127.0.0.1", 1), clock=lambda: start + timedelta(seconds=31)
    )
    assert later.sent == 1 and [h["order"] for h in hooks.received] == ["X"]
    for step in range(2, 7):
        deliver(engine, NetworkNotifier("127.0.0.1", 1), clock=_at(start + timedelta(hours=step)))
    y = next(n for n in outbox(engine) if n["order"] == "Y")
    assert y["status"] == "failed" and y["attempts"] == 6 and "Error" in y["last_error"]


def _at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def test_notify_command(
    engine: sa.Engine, tmp_path: Path, hooks: Hooks, mail: tuple[_Mailbox, int]
) -> None:
    _, port = mail
    url = str(engine.url)
    import_dataset(
        engine, load_dataset(with_contacts(tmp_path, f"http://127.0.0.1:{hooks.server_port}/p"))
    )
    run_stored(engine, "2026-06-02T10:00", 120)
    result = runner.invoke(app, ["db", "notify", "--smtp-port", str(port), "--database", url])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output

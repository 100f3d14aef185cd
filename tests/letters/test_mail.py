"""E-mail against a real SMTP server (aiosmtpd) on loopback."""

import socket
from dataclasses import replace
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, col, select

from recotui.letters.run import run_ladder
from recotui.letters.settings import SmtpSettings
from recotui.store.tables import Activity
from tests.letters.conftest import AS_OF, NOW


class Inbox:
    def __init__(self, refuse: list[str] | None = None) -> None:
        self.messages: list[bytes] = []
        self.refuse = refuse or []  # replies to give, one per attempt, before accepting

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refuse:
            return self.refuse.pop(0)
        self.messages.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    servers = []

    def start(inbox: Inbox) -> int:
        port = _free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return port

    yield start
    for c in servers:
        c.stop()


def _smtp(port: int, **kw) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, sender="relances@martin.example",
                        timeout_s=5, retry_wait_s=0.01, **kw)


def _letters(store):
    with Session(store.engine) as s:
        return list(s.exec(select(Activity).where(col(Activity.kind) == "letter")))


def test_the_e_mail_arrives_with_the_pdf(ladder_store, settings, smtp_server):
    inbox = Inbox()
    settings = replace(settings, smtp=_smtp(smtp_server(inbox)))
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    assert report.failures == []
    assert len(inbox.messages) == 1  # only Dupont has an address
    msg = message_from_bytes(inbox.messages[0], policy=policy.default)
    assert msg["To"] == "compta@dupont.example"
    assert msg["From"] == "relances@martin.example"
    assert "C001" in msg["Subject"] and "relance" in msg["Subject"]
    parts = list(msg.iter_attachments())
    assert [p.get_filename() for p in parts] == ["relance_1-C001-EUR-20260302.pdf"]
    assert parts[0].get_payload(decode=True).startswith(b"%PDF")
    body = msg.get_body(("plain",)).get_content()
    assert "Dupont SARL" in body and "F-1" in body
    channels = {a.payload["letter_no"].split("-")[1]: a.payload["channel"]
                for a in _letters(ladder_store)}
    assert channels["C001"] == "email" and channels["C002"] == "letter"


def test_a_transient_failure_is_retried(ladder_store, settings, smtp_server):
    inbox = Inbox(refuse=["451 4.3.0 try again later"])
    settings = replace(settings, smtp=_smtp(smtp_server(inbox)))
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    assert report.failures == [] and len(inbox.messages) == 1


def test_a_failure_is_reported_not_recorded_and_the_next_run_sends_it(
        ladder_store, settings, smtp_server):
    inbox = Inbox(refuse=["451 busy"] * 3)
    port = smtp_server(inbox)
    settings = replace(settings, smtp=_smtp(port))
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    assert len(report.failures) == 1
    failure = report.failures[0]
    assert failure.debtor_number == "C001"
    assert "compta@dupont.example" in failure.error and "3 attempt" in failure.error
    assert "451 busy" in failure.error
    assert "C001" not in {d.debtor_number for d in report.done}
    assert len(_letters(ladder_store)) == 3  # the others went by post
    again = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    assert again.failures == [] and [d.debtor_number for d in again.done] == ["C001"]
    assert len(inbox.messages) == 1


def test_a_permanent_refusal_is_not_retried(ladder_store, settings, smtp_server):
    inbox = Inbox(refuse=["550 5.1.1 no such user", "250 would accept"])
    settings = replace(settings, smtp=_smtp(smtp_server(inbox)))
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    assert len(report.failures) == 1 and "1 attempt" in report.failures[0].error
    assert inbox.messages == []


def test_no_server_listening_is_a_reported_failure(ladder_store, settings):
    settings = replace(settings, smtp=_smtp(_free_port(), attempts=2))
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    assert len(report.failures) == 1
    assert "ConnectionRefusedError" in report.failures[0].error

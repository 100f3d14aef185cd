"""Letters by e-mail over SMTP, the PDF attached. Transient failures are retried; every
failure comes back to the caller, which reports it and records nothing for that case."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from recotui.letters.settings import SmtpSettings


@dataclass(frozen=True, slots=True)
class Outgoing:
    to: str
    subject: str
    body: str
    pdf: bytes
    filename: str


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    attempts: int
    error: str = ""


def message(sender: str, mail: Outgoing) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, mail.to, mail.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(mail.body)
    msg.add_attachment(mail.pdf, maintype="application", subtype="pdf",
                       filename=mail.filename)
    return msg


def _transient(exc: Exception) -> bool:
    """Worth another try: the server was busy or away. A 5xx refusal will not change."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, OSError | smtplib.SMTPServerDisconnected)


class Mailer:
    """One SMTP connection, kept open across messages and reopened after a failure."""

    def __init__(self, settings: SmtpSettings, sender: str,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings, self.sender, self._sleep = settings, sender, sleep
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_s,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password)
        return smtp

    def send(self, mail: Outgoing) -> SendResult:
        msg = message(self.sender, mail)
        wait, error = self.settings.retry_wait_s, ""
        for attempt in range(1, max(self.settings.attempts, 1) + 1):
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                self._smtp.send_message(msg)
                return SendResult(True, attempt)
            except (smtplib.SMTPException, OSError) as exc:
                error = _describe(exc)
                self.close()
                if not _transient(exc) or attempt == self.settings.attempts:
                    return SendResult(False, attempt, error)
                self._sleep(wait)
                wait *= 2
        return SendResult(False, self.settings.attempts, error)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{to}: {code} {msg.decode('utf-8', 'replace')}"
                         for to, (code, msg) in exc.recipients.items())
    return f"{type(exc).__name__}: {exc}"

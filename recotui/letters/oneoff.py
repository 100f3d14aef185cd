"""A one-off letter for a case: preview it, then write, send and record it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from recotui.domain.ladder import Channel, LadderError, LadderStep
from recotui.domain.vocab import LADDER, Stage
from recotui.letters.compose import Letter, compose, env_for
from recotui.letters.mail import Mailer, Outgoing
from recotui.letters.pdf import write_pdf
from recotui.letters.run import _channel, _subject
from recotui.letters.settings import LetterSettings
from recotui.store.ladder_store import LetterCase, StepRecord, letter_cases, record_steps
from recotui.store.store import Store


class LetterRefused(ValueError):
    """No letter can be written for this case and step; the message says why."""


@dataclass(frozen=True, slots=True)
class Sent:
    letter: Letter
    pdf: Path
    channel: str
    recorded: bool  # False: the same letter was already recorded today
    note: str = ""


def step_for(settings: LetterSettings, stage: str) -> LadderStep:
    """The letter step of a stage: the step of that name, else the last letter of the stage."""
    ladder = settings.ladder
    try:
        step = ladder.step(stage)
    except LadderError:
        steps = [s for s in ladder.steps if s.stage == stage and s.channel != Channel.PHONE]
        if not steps:
            raise LetterRefused(f"No letter for {stage}: the ladder has none.") from None
        step = steps[-1]
    if step.channel == Channel.PHONE:
        raise LetterRefused(f"{step.name} is a phone task, not a letter.")
    return step


def load(store: Store, case_id: uuid.UUID) -> LetterCase:
    case = letter_cases(store, [case_id]).get(case_id)
    if case is None:
        raise LetterRefused("This case does not exist.")
    if not case.invoices:
        raise LetterRefused("This case has nothing open: no letter to write.")
    return case


def preview(store: Store, settings: LetterSettings, case_id: uuid.UUID, stage: str | None,
            as_of: date, tracking_number: str = "") -> Letter:
    case = load(store, case_id)
    step = step_for(settings, stage or case.stage)
    return compose(env_for(settings), case, step, as_of, settings.creditor, settings.ecb_rates,
                   tracking_number=tracking_number)


def send(store: Store, settings: LetterSettings, case_id: uuid.UUID, stage: str | None,
         as_of: date, *, out_dir: Path | None = None, tracking_number: str = "",
         now: datetime | None = None, actor_id: uuid.UUID | None = None,
         mailer: Mailer | None = None) -> Sent:
    case = load(store, case_id)
    step = step_for(settings, stage or case.stage)
    letter = compose(env_for(settings), case, step, as_of, settings.creditor,
                     settings.ecb_rates, tracking_number=tracking_number)
    folder = (out_dir or settings.out_dir) / as_of.isoformat()
    pdf = write_pdf(folder / f"{letter.letter_no}.pdf", letter.marked, title=letter.letter_no,
                    author=settings.creditor.name,
                    created=datetime.combine(as_of, datetime.min.time(), tzinfo=UTC))
    (folder / f"{letter.letter_no}.txt").write_text(letter.text, encoding="utf-8")
    own = mailer is None and settings.smtp.enabled
    if own:
        mailer = Mailer(settings.smtp, settings.smtp.sender or settings.creditor.email)
    try:
        channel, note = _channel(step, case, mailer)
        if channel == Channel.EMAIL:
            assert mailer is not None
            result = mailer.send(Outgoing(case.debtor.emails[0], _subject(case, step),
                                          letter.text, pdf.read_bytes(), pdf.name))
            if not result.ok:
                raise LetterRefused(f"The e-mail to {case.debtor.emails[0]} failed after "
                                    f"{result.attempts} attempt(s): {result.error}. "
                                    f"Nothing was recorded; the PDF is {pdf}.")
            note = f"to {case.debtor.emails[0]}"
    finally:
        if own and mailer is not None:
            mailer.close()
    ahead = LADDER.index(step.stage) > LADDER.index(Stage(case.stage))
    written = record_steps(store, [StepRecord(
        case.case_id, step.name, str(channel), letter.letter_no, as_of, file=str(pdf),
        tracking_number=tracking_number, from_stage=case.stage,
        to_stage=str(step.stage) if ahead else "")], now=now or datetime.now(UTC),
        actor_id=actor_id)
    return Sent(letter, pdf, str(channel), bool(written), note)

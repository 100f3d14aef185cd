"""The ladder run: decide the due steps, write the letters, send the e-mails, record it all.

Letters are rendered in batches; on big books, by worker processes while this one reads the
next batch and records the last. A case is recorded only once its letter is written and, for
an e-mail, sent: a failed e-mail is reported and left for the next run.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from recotui.domain.ladder import Channel, Decision, LadderStep, decide_all
from recotui.letters.compose import compose, env_for
from recotui.letters.mail import Mailer, Outgoing
from recotui.letters.model import letter_no
from recotui.letters.pdf import write_pdf
from recotui.letters.settings import LetterSettings
from recotui.store.ladder_store import (
    LetterCase,
    StepRecord,
    ladder_facts,
    letter_cases,
    record_steps,
)
from recotui.store.store import Store

BATCH = 1000
POOL_FROM = 2000  # letters; fewer are quicker in this process than starting workers
SUBJECTS = {"fr": "Votre compte client {number} : {title}",
            "en": "Your customer account {number}: {title}"}
TITLES = {
    "fr": {"preventive": "rappel d'échéance", "relance_1": "relance",
           "relance_2": "deuxième relance", "mise_en_demeure": "mise en demeure"},
    "en": {"preventive": "payment reminder", "relance_1": "reminder",
           "relance_2": "second reminder", "mise_en_demeure": "formal notice"},
}


@dataclass(frozen=True, slots=True)
class Done:
    case_id: uuid.UUID
    debtor_number: str
    debtor_name: str
    step: str
    channel: str  # as sent: phone, letter or email
    letter_no: str
    file: str
    claim_minor: int
    currency: str
    stage_change: tuple[str, str] | None
    note: str = ""  # e.g. why an e-mail step went by post


@dataclass(frozen=True, slots=True)
class Failure:
    case_id: uuid.UUID
    debtor_number: str
    step: str
    error: str


@dataclass
class RunReport:
    as_of: date
    dry_run: bool
    open_cases: int = 0
    due: list[Decision] = field(default_factory=list)
    held: Counter = field(default_factory=Counter)
    done: list[Done] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: int = 0  # recorded meanwhile by another run
    seconds: float = 0.0
    log: Path | None = None


Progress = Callable[[int, int], None]


def run_ladder(store: Store, settings: LetterSettings, as_of: date, *, dry_run: bool = False,
               out_dir: Path | None = None, progress: Progress | None = None,
               now: datetime | None = None, actor_id: uuid.UUID | None = None,
               workers: int | None = None, mailer: Mailer | None = None) -> RunReport:
    started = time.perf_counter()
    report = RunReport(as_of, dry_run)
    facts = ladder_facts(store, as_of)
    report.open_cases = len(facts)
    decisions = decide_all(settings.ladder, facts, as_of)
    report.held.update(str(d.hold) for d in decisions if d.hold)
    report.due = [d for d in decisions if d.step]
    if dry_run or not report.due:
        report.seconds = time.perf_counter() - started
        return report
    out = (out_dir or settings.out_dir) / as_of.isoformat()
    now = now or datetime.now(UTC)
    own_mailer = mailer is None and settings.smtp.enabled
    if own_mailer:
        mailer = Mailer(settings.smtp, settings.smtp.sender or settings.creditor.email)
    pool = _pool(settings, workers, len(report.due))
    try:
        pending: deque[tuple[list[Decision], dict[uuid.UUID, LetterCase], Future]] = deque()
        # In the order of the cases' rows (their ids rise with them), not the queue's: each
        # batch then reads and writes neighbouring pages of the store, not pages all over a
        # big book. What the run reports stays in the order of report.due.
        work = sorted(report.due, key=lambda d: d.case_id)
        total, finished = len(work), 0
        for start in range(0, total, BATCH):
            batch = work[start:start + BATCH]
            cases = letter_cases(store, [d.case_id for d in batch])
            jobs = [(cases[d.case_id], d.step, as_of, str(out)) for d in batch
                    if d.step.channel != Channel.PHONE and d.case_id in cases]
            pending.append((batch, cases, _submit(pool, settings, jobs)))
            while len(pending) > (2 if pool else 0):
                finished += _finish(store, report, *pending.popleft(), mailer=mailer,
                                    settings=settings, now=now, actor_id=actor_id)
                if progress:
                    progress(finished, total)
        while pending:
            finished += _finish(store, report, *pending.popleft(), mailer=mailer,
                                settings=settings, now=now, actor_id=actor_id)
            if progress:
                progress(finished, total)
    finally:
        if pool is not None:
            pool.shutdown()
        if own_mailer and mailer is not None:
            mailer.close()
    rank = {d.case_id: i for i, d in enumerate(report.due)}
    report.done.sort(key=lambda item: rank[item.case_id])
    report.failures.sort(key=lambda failure: rank[failure.case_id])
    if report.done or report.failures:
        report.log = _write_log(out, report)
    report.seconds = time.perf_counter() - started
    return report


# -- rendering, here or in workers -----------------------------------------------------------

_worker_settings: LetterSettings | None = None

Job = tuple[LetterCase, LadderStep, date, str]
Rendered = tuple[str, str, str, int]  # letter no, text (e-mail steps), file, claim (minor)


def _init_worker(settings: LetterSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def render_jobs(jobs: Sequence[Job], settings: LetterSettings | None = None) -> list[Rendered]:
    """Compose each letter and write its PDF; returns what the e-mail and the record need."""
    settings = settings or _worker_settings
    assert settings is not None
    env = env_for(settings)
    out = []
    for case, step, as_of, folder in jobs:
        letter = compose(env, case, step, as_of, settings.creditor, settings.ecb_rates)
        path = Path(folder) / f"{letter.letter_no}.pdf"
        write_pdf(path, letter.marked, title=letter.letter_no, author=settings.creditor.name,
                  created=datetime.combine(as_of, datetime.min.time(), tzinfo=UTC))
        text = letter.text if step.channel == Channel.EMAIL else ""  # for the e-mail only
        out.append((letter.letter_no, text, str(path), letter.figures.claim_minor))
    return out


def _pool(settings: LetterSettings, workers: int | None, letters: int
          ) -> ProcessPoolExecutor | None:
    count = workers if workers is not None else (_cpus() if letters >= POOL_FROM else 1)
    if count <= 1:
        return None
    methods = multiprocessing.get_all_start_methods()
    # fork is cheapest, but not with other threads about (the TUI): a lock could be held.
    method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(settings,))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _submit(pool: ProcessPoolExecutor | None, settings: LetterSettings,
            jobs: list[Job]) -> Future:
    if pool is not None:
        return pool.submit(render_jobs, jobs)
    future: Future = Future()
    try:
        future.set_result(render_jobs(jobs, settings))
    except Exception as exc:  # noqa: BLE001 - handed on to result(), as a pool would
        future.set_exception(exc)
    return future


# -- sending and recording -------------------------------------------------------------------

def _finish(store: Store, report: RunReport, batch: list[Decision],
            cases: dict[uuid.UUID, LetterCase], future: Future, *, mailer: Mailer | None,
            settings: LetterSettings, now: datetime, actor_id: uuid.UUID | None) -> int:
    rendered = iter(future.result())
    records, done = [], []
    for d in batch:
        case, step = cases.get(d.case_id), d.step
        if case is None or step is None:
            continue
        debtor = case.debtor
        change = d.stage_change
        if step.channel == Channel.PHONE:
            no = letter_no(step.name, debtor.number, case.currency, report.as_of)
            item = Done(case.case_id, debtor.number, debtor.name, step.name, "phone", no, "",
                        0, case.currency, change, "call the debtor")
        else:
            no, text, path, claim = next(rendered)
            channel, note = _channel(step, case, mailer)
            if channel == Channel.EMAIL:
                assert mailer is not None
                result = mailer.send(Outgoing(
                    debtor.emails[0], _subject(case, step), text, Path(path).read_bytes(),
                    Path(path).name))
                if not result.ok:
                    report.failures.append(Failure(
                        case.case_id, debtor.number, step.name,
                        f"e-mail to {debtor.emails[0]} failed after {result.attempts} "
                        f"attempt(s): {result.error}"))
                    continue
                note = f"to {debtor.emails[0]}"
            item = Done(case.case_id, debtor.number, debtor.name, step.name, str(channel), no,
                        path, claim, case.currency, change, note)
        records.append(StepRecord(
            case.case_id, step.name, item.channel, no, report.as_of, file=item.file,
            from_stage=case.stage, to_stage=change[1] if change else "",
            phone_task=step.channel == Channel.PHONE))
        done.append(item)
    written = {r.letter_no for r in record_steps(store, records, now=now, actor_id=actor_id)}
    report.skipped += len(records) - len(written)
    report.done.extend(item for item in done if item.letter_no in written)
    return len(batch)


def _channel(step: LadderStep, case: LetterCase, mailer: Mailer | None) -> tuple[Channel, str]:
    if step.channel != Channel.EMAIL:
        return Channel(step.channel), ""
    if mailer is None:
        return Channel.LETTER, "by post: no SMTP server configured"
    if not case.debtor.emails:
        return Channel.LETTER, "by post: no e-mail address"
    if not case.debtor.contact_consent:
        return Channel.LETTER, "by post: no consent to e-mail"
    return Channel.EMAIL, ""


def _subject(case: LetterCase, step: LadderStep) -> str:
    lang = case.debtor.language if case.debtor.language in SUBJECTS else "fr"
    title = TITLES[lang].get(step.name) or TITLES[lang].get(str(step.stage), step.name)
    return SUBJECTS[lang].format(number=case.debtor.number, title=title)


def _write_log(out: Path, report: RunReport) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"ladder-run-{datetime.now():%Y%m%d-%H%M%S}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["case_id", "debtor", "step", "channel", "letter_no", "file", "claim",
                    "currency", "stage_from", "stage_to", "note", "error"])
        for item in report.done:
            frm, to = item.stage_change or ("", "")
            w.writerow([item.case_id.hex, item.debtor_number, item.step, item.channel,
                        item.letter_no, item.file, item.claim_minor, item.currency, frm, to,
                        item.note, ""])
        for f in report.failures:
            w.writerow([f.case_id.hex, f.debtor_number, f.step, "email", "", "", "", "", "",
                        "", "", f.error])
    return path

from datetime import timedelta

from sqlmodel import Session, col, select

from recotui.letters.run import run_ladder
from recotui.store.tables import Activity, CollectionCase, Outbox
from tests.letters.conftest import AS_OF, NOW, case_of


def _facts(store, kind):
    with Session(store.engine) as s:
        return list(s.exec(select(Activity).where(col(Activity.kind) == kind)
                           .order_by(col(Activity.client_time))))


def _outbox(store, name):
    with Session(store.engine) as s:
        return list(s.exec(select(Outbox).where(col(Outbox.name) == name)))


def test_run_writes_one_letter_per_overdue_case_and_none_for_paid_or_held(ladder_store, settings):
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    by_debtor = {d.debtor_number: d for d in report.done}
    assert set(by_debtor) == {"C001", "C002", "C007", "C008"}  # C003 paid, C004-6 held
    assert by_debtor["C001"].step == "relance_1"
    assert by_debtor["C007"].step == "preventive"
    assert dict(report.held) == {"dispute": 1, "promise": 1, "plan": 1}
    assert all(p.endswith(".pdf") for p in (d.file for d in report.done))
    # one letter for C001's two invoices
    letters = _facts(ladder_store, "letter")
    assert len(letters) == 4
    c1 = [a for a in letters if a.case_id == case_of(ladder_store, "C001")]
    assert len(c1) == 1
    assert set(c1[0].payload) == {"stage", "channel", "letter_no", "tracking_number", "file",
                                  "date"}
    # stage changes for the three overdue ones, not for the preventive reminder
    stages = _facts(ladder_store, "stage")
    assert {(a.payload["from"], a.payload["to"]) for a in stages} == {
        ("preventive", "relance_1")}
    assert len(stages) == 3
    out = _outbox(ladder_store, "case.letter")
    assert len(out) == 4
    assert set(out[0].args) == {"activity_id", "case_id", "author_id", "client_time",
                                "claim_epoch", "payload"}
    assert {o.args["activity_id"] for o in out} == {a.id.hex for a in letters}
    assert len(_outbox(ladder_store, "case.stage")) == 3
    with Session(ladder_store.engine) as s:
        assert s.get(CollectionCase, case_of(ladder_store, "C001")).stage == "relance_1"
    assert report.log is not None and report.log.exists()


def test_a_second_run_on_the_same_day_writes_nothing(ladder_store, settings):
    first = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    files = sorted(settings.out_dir.rglob("*.pdf"))
    again = run_ladder(ladder_store, settings, AS_OF, now=NOW + timedelta(hours=1))
    assert len(first.done) == 4 and again.done == [] and again.due == []
    assert len(_facts(ladder_store, "letter")) == 4
    assert len(_facts(ladder_store, "stage")) == 3
    assert len(_outbox(ladder_store, "case.letter")) == 4
    assert sorted(settings.out_dir.rglob("*.pdf")) == files


def test_the_record_is_idempotent_even_when_two_runs_decided_at_once(ladder_store, settings):
    """Both runs read before either wrote: the store refuses the second letter."""
    from recotui.store.ladder_store import record_steps

    report = run_ladder(ladder_store, settings, AS_OF, now=NOW)
    from recotui.store.ladder_store import StepRecord

    item = report.done[0]
    again = record_steps(ladder_store, [StepRecord(
        item.case_id, item.step, item.channel, item.letter_no, AS_OF)], now=NOW)
    assert again == []
    assert len(_facts(ladder_store, "letter")) == 4


def test_the_ladder_climbs_over_later_runs(ladder_store, settings):
    run_ladder(ladder_store, settings, AS_OF, now=NOW)
    steps = []
    for days in (5, 15, 30, 45, 60):
        report = run_ladder(ladder_store, settings, AS_OF + timedelta(days=days), now=NOW)
        steps += [(days, d.step) for d in report.done if d.debtor_number == "C001"]
    assert steps == [(15, "relance_2"), (30, "mise_en_demeure"), (45, "contentieux_proposal")]
    with Session(ladder_store.engine) as s:
        case = s.get(CollectionCase, case_of(ladder_store, "C001"))
        assert case.stage == "mise_en_demeure"
        assert case.callback_at is not None  # the phone task is in the callback queue


def test_dry_run_writes_nothing(ladder_store, settings):
    report = run_ladder(ladder_store, settings, AS_OF, dry_run=True, now=NOW)
    assert len(report.due) == 4 and report.done == []
    assert _facts(ladder_store, "letter") == []
    assert not settings.out_dir.exists()


def test_workers_give_the_same_letters(ladder_store, settings, tmp_path):
    report = run_ladder(ladder_store, settings, AS_OF, now=NOW, workers=2,
                        out_dir=tmp_path / "pooled")
    assert len(report.done) == 4
    assert len(list((tmp_path / "pooled").rglob("*.pdf"))) == 4

"""Pilot tests of the forms that record contact: call outcome, note, dial, callback,
escalate, close. Each checks the store afterwards: the fact and its outbox row."""

import sys
import time as clock
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session
from textual.widgets import Input

from recotui.store import actions
from recotui.store.tables import CollectionCase
from tests.tui.forms.host import NOW, FormHost, case_id, facts, fill, outbox, save, settle

# -- call outcome ---------------------------------------------------------------------------


async def test_call_outcome_in_two_keys(db, store):
    app = FormHost(db, "call")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("5")  # right-party contact
        await save(pilot)
        assert app.result is True
    [call] = facts(store, "call")
    assert call.payload["disposition"] == "right_party"
    assert call.payload["phone"] == "+33 6 12 34 56 78"  # the first number that may be called
    assert [o.name for o in outbox(store)] == ["case.call"]
    assert outbox(store)[0].args["client_time"] == NOW.isoformat()
    with Session(store.engine) as session:
        assert session.get(CollectionCase, case_id(store)).last_contact_at is not None


async def test_call_outcome_with_a_note_defaults_to_the_dialled_number(db, store):
    actions.log_dial(store, case_id(store), None, phone="+33 1 23 45 67 89",
                     now=NOW - timedelta(minutes=3))
    app = FormHost(db, "call")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "call in progress on +33 1 23 45 67 89" in app.form.heading()
        await pilot.press("down", "down")  # voicemail
        await fill(pilot, "#note", "Message laissé")
        await save(pilot)
        assert app.result is True
    [call] = facts(store, "call")
    assert call.payload == {"disposition": "voicemail", "phone": "+33 1 23 45 67 89",
                            "duration_s": 0, "note": "Message laissé"}


async def test_call_outcomes_come_from_the_settings(db, store):
    app = FormHost(db, "call", call_outcomes={"pa": "Left word with the PA",
                                              "gone": "Company closed"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await save(pilot, "ctrl+s")
        assert app.result is True
    assert facts(store, "call")[0].payload["disposition"] == "gone"


async def test_escape_cancels_and_writes_nothing(db, store):
    app = FormHost(db, "call")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#note", "pas la peine")
        await pilot.press("escape")
        await settle(pilot)
        assert app.result is False
    assert facts(store) == [] and outbox(store) == []


async def test_a_refusal_from_the_store_shows_inline_and_keeps_the_form(db, store):
    app = FormHost(db, "call")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, "#note", "rappel demain")
        # Someone closes the case while the form is open.
        actions.close_case(store, case_id(store), None, reason="written_off", now=NOW)
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text == "This case is closed."
        assert app.screen.query_one("#note", Input).value == "rappel demain"
    assert facts(store, "call") == []


# -- note -----------------------------------------------------------------------------------


async def test_note_other_needs_text_and_keeps_what_was_typed(db, store):
    app = FormHost(db, "note")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("7")  # Other
        await save(pilot)
        assert app.result == "pending"
        assert "write what was said" in app.form.error_text
        assert app.focused.id == "text"  # the error takes the agent to the field
        await pilot.press(*"Grève chez le client")
        await save(pilot)
        assert app.result is True
    [note] = facts(store, "note")
    assert note.payload == {"reason": "other", "text": "Grève chez le client"}
    assert [o.name for o in outbox(store)] == ["case.note"]


async def test_note_with_a_configured_reason(db, store):
    app = FormHost(db, "note", non_payment_reasons={"strike": "Strike", "holiday": "Holiday"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2", "tab", *"fermé jusqu'au 20")
        await save(pilot)
        assert app.result is True
    assert facts(store, "note")[0].payload == {"reason": "holiday", "text": "fermé jusqu'au 20"}


# -- dial -----------------------------------------------------------------------------------


async def test_dial_without_a_command_logs_the_attempt(db, store):
    app = FormHost(db, "dial")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No dial command is set" in str(app.screen.query_one("#dialler").render())
        await pilot.press("1")  # the do-not-call number: cannot be chosen
        await save(pilot)
        assert app.result is True
        assert any("by hand" in n.message for n in app._notifications)
    [dial] = facts(store, "dial")
    assert dial.payload == {"phone": "+33 6 12 34 56 78", "dialler": ""}
    assert [o.name for o in outbox(store)] == ["case.dial"]


async def test_dial_runs_the_command_with_the_number(db, store, tmp_path):
    out = tmp_path / "dialled.txt"
    command = (f"{sys.executable} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\""
               f" {out} {{number}}")
    app = FormHost(db, "dial", dial_command=command)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")  # office
        await save(pilot)
        assert app.result is True
    for _ in range(100):
        if out.exists() and out.read_text():
            break
        clock.sleep(0.05)
    assert out.read_text() == "+33 1 23 45 67 89"  # one argument, spaces and all
    [dial] = facts(store, "dial")
    assert dial.payload["phone"] == "+33 1 23 45 67 89"
    assert "+33 1 23 45 67 89" in dial.payload["dialler"]


async def test_dial_command_that_cannot_start_is_shown_and_not_logged(db, store):
    app = FormHost(db, "dial", dial_command="/nonexistent/softphone --call {number}")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text.startswith("The dial command could not start")
    assert facts(store) == []


async def test_dial_is_refused_with_the_reason_when_the_policy_blocks(db, store):
    cid = case_id(store)
    actions.log_call(store, cid, None, disposition="no_answer", now=NOW - timedelta(hours=1))
    policy = {"hours": {"tue": "08:00-20:00"}, "max_attempts": 1}
    app = FormHost(db, "dial", contact_policy=policy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.form.error_text == "Calling is not allowed now."
        assert "Attempt cap" in str(app.screen.query_one("#policy").render())
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text.startswith("Calling is not allowed now: Attempt cap")
    assert facts(store, "dial") == []


async def test_dial_gives_the_policy_verdict_in_french(db, store):
    cid = case_id(store)
    actions.log_call(store, cid, None, disposition="no_answer", now=NOW - timedelta(hours=1))
    policy = {"hours": {"tue": "08:00-20:00"}, "max_attempts": 1}
    app = FormHost(db, "dial", language="fr", contact_policy=policy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Plafond de tentatives atteint" in str(app.screen.query_one("#policy").render())
        await save(pilot)
        assert "Plafond de tentatives atteint" in app.form.error_text
    assert facts(store, "dial") == []


async def test_dial_outside_calling_hours_in_the_debtors_zone(db, store):
    # 09:00 UTC is 05:00 in Martinique: before the default 08:00 opening.
    app = FormHost(db, "dial", debtor="C002", contact_policy={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await save(pilot)
        assert app.result == "pending"
        assert "Outside calling hours: 05:00 in America/Martinique" in app.form.error_text
    assert facts(store) == []


# -- callback -------------------------------------------------------------------------------


async def test_callback_in_the_debtors_time_zone(db, store):
    app = FormHost(db, "callback")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "their time 10:00" in app.form.heading()  # Paris, UTC+1 in March
        await pilot.press(*"15:30")
        assert "= " in str(app.screen.query_one("#when").render())
        await save(pilot)
        assert app.result is True
    [callback] = facts(store, "callback")
    assert callback.payload == {"at": "2026-03-10T14:30:00+00:00"}
    with Session(store.engine) as session:
        at = session.get(CollectionCase, case_id(store)).callback_at
    assert at.replace(tzinfo=UTC) == datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
    assert [o.name for o in outbox(store)] == ["case.callback"]


async def test_callback_far_from_paris(db, store):
    app = FormHost(db, "callback", debtor="C002")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "America/Martinique" in app.form.heading()
        await pilot.press(*"10h")
        await fill(pilot, "#date", "+1")
        await save(pilot)
        assert app.result is True
    assert facts(store, "callback")[0].payload == {"at": "2026-03-11T14:00:00+00:00"}


@pytest.mark.parametrize("time_text, date_text, error", [
    ("25:00", "", "Time: 25:00 is not a time"),
    ("9h", "", "Time: 2026-03-10 09:00 in Europe/Paris is in the past"),
    ("10:00", "31/02/2026", "Date: 31/02/2026 is not a date"),
    ("02:30", "29/03/2026", "Time: 02:30 does not exist on 2026-03-29 in Europe/Paris"),
    ("", "", "Time: required"),
])
async def test_callback_bad_input_is_explained_and_kept(db, store, time_text, date_text, error):
    app = FormHost(db, "callback")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*time_text)
        if date_text:
            await fill(pilot, "#date", date_text)
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text.startswith(error)
        assert app.screen.query_one("#time", Input).value == time_text
        if date_text:
            assert app.screen.query_one("#date", Input).value == date_text
    assert facts(store) == []


# -- escalate and close ---------------------------------------------------------------------


async def test_escalate_after_confirmation(db, store):
    app = FormHost(db, "escalate")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "from Preventive to Reminder 1" in str(app.screen.query_one("#question").render())
        await save(pilot, "y")
        assert app.result is True
    [stage] = facts(store, "stage")
    assert stage.payload == {"from": "preventive", "to": "relance_1"}
    assert [o.name for o in outbox(store)] == ["case.stage"]


async def test_escalate_is_refused_at_the_last_stage(db, store):
    cid = case_id(store)
    for _ in range(4):
        actions.escalate(store, cid, None, now=NOW)
    app = FormHost(db, "escalate")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "already at Litigation, the last stage" in str(
            app.screen.query_one("#question").render())
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text == "Refused: Litigation is the last stage."
        await pilot.press("n")
        await settle(pilot)
        assert app.result is False
    assert len(facts(store, "stage")) == 4


async def test_close_refuses_paid_with_a_balance_then_closes_settled(db, store):
    app = FormHost(db, "close")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1")  # paid
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text == "Paid: €1,400.00 is still open; choose another reason."
        await pilot.press("2")  # settled
        await save(pilot)
        assert app.result is True
    assert facts(store, "close")[0].payload == {"reason": "settled"}
    with Session(store.engine) as session:
        case = session.get(CollectionCase, case_id(store))
    assert (case.status, case.closed_reason) == ("closed", "settled")
    assert [o.name for o in outbox(store)] == ["case.close"]


async def test_call_outcome_without_a_phone_on_file(db, store):
    app = FormHost(db, "call", debtor="C002")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4")  # wrong number
        await save(pilot)
        assert app.result is True
    [call] = facts(store, "call")
    assert (call.payload["disposition"], call.payload["phone"]) == ("wrong_number", "")


async def test_form_keys_have_ids_for_the_user_keymap(db, store):
    app = FormHost(db, "note")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.set_keymap({"form.submit": "f12", "form.cancel": "ctrl+g"})
        await pilot.press("f12")
        await settle(pilot)
        assert app.result is True
    assert [o.name for o in outbox(store)] == ["case.note"]


async def test_a_store_failure_is_shown_and_nothing_typed_is_lost(db, store, monkeypatch):
    import sqlite3

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(actions, "add_note", locked)
    app = FormHost(db, "note")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"Rappeler lundi")
        await save(pilot)
        assert app.result == "pending"
        assert app.form.error_text == "Not saved: OperationalError: database is locked"
        assert app.screen.query_one("#text", Input).value == "Rappeler lundi"
        assert not app.form.busy  # the agent can try again
    assert facts(store) == []

"""The case screen's letter keys: `l` previews the letter of the current stage and sends it,
`L` writes the litigation file. The book and the clock are those of test_case_screen."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select
from textual.widgets import Input, Static

from recotui.screens.case import CaseScreen
from recotui.screens.letter import DossierForm, LetterForm
from recotui.store.store import Store
from recotui.store.tables import Activity, CollectionCase
from tests.tui import test_case_screen as case_tests
from tests.tui.test_case_screen import make_case_app, open_case, settle, until

# The case screen tests' fixtures: the book (copied per test) and local time in UTC.
case_template = case_tests.case_template
case_db = case_tests.case_db
utc_local_time = case_tests.utc_local_time

LETTER_NO = "relance_2-C0042-EUR-20261124"


def letters_of(db: Path, case_id) -> list[dict]:  # noqa: ANN001
    store = Store.open(db)
    try:
        with Session(store.engine) as session:
            return [a.payload for a in session.exec(
                select(Activity).where(col(Activity.case_id) == case_id,
                                       col(Activity.kind) == "letter"))]
    finally:
        store.close()


def stage_of(db: Path, case_id) -> str:  # noqa: ANN001
    store = Store.open(db)
    try:
        with Session(store.engine) as session:
            return session.get(CollectionCase, case_id).stage
    finally:
        store.close()


async def open_letter(pilot, case_id) -> LetterForm:  # noqa: ANN001
    await open_case(pilot, case_id)
    await pilot.press("l")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, LetterForm)
    await until(pilot, lambda: form.letter is not None or form.preview_error)
    await settle(pilot)
    return form


async def test_l_previews_the_letter_of_the_current_stage(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_letter(pilot, case_id)
        assert form.preview_error == ""
        assert form.letter.letter_no == LETTER_NO and form.letter.step.name == "relance_2"
        text = str(form.query_one("#letter-text", Static).render())
        assert "Boulangerie Dupont SARL" in text and "F-2026-101" in text
        assert "**" not in text  # plain text: the heading marks are the PDF's
        assert text.strip() == form.letter.text.strip()
        heading = str(form.query_one("#form-heading", Static).render())
        assert "Relance 2" in heading and "par courrier" in heading and LETTER_NO in heading
        assert not form.query_one("#letter-tracking-row").display  # not a registered letter
        # Nothing is written by a preview.
        assert not (db.parent / "letters").exists()
        assert letters_of(db, case_id) == []


async def test_enter_writes_records_and_closes_after_the_commit(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_letter(pilot, case_id)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        assert form.sent is not None and form.sent.recorded
        pdf = db.parent / "letters" / "2026-11-24" / f"{LETTER_NO}.pdf"
        assert form.sent.pdf == pdf and pdf.read_bytes().startswith(b"%PDF")
        assert pdf.with_suffix(".txt").read_text(encoding="utf-8") == form.letter.text
        [payload] = letters_of(db, case_id)
        assert payload["letter_no"] == LETTER_NO and payload["channel"] == "letter"
        assert payload["file"] == str(pdf) and payload["date"] == "2026-11-24"
        assert any(LETTER_NO in n.message for n in app._notifications)
        # The case is read again: its history shows the letter first.
        await until(pilot, lambda: screen.view is not None and any(
            e.kind == "letter" for e in screen.view.history))


async def test_a_second_letter_the_same_day_is_not_recorded_twice(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_letter(pilot, case_id)
        await pilot.press("enter")
        await settle(pilot)
        form = await open_letter(pilot, case_id)
        await pilot.press("enter")
        await settle(pilot)
        assert form.sent is not None and not form.sent.recorded
        assert any("already recorded today" in n.message for n in app._notifications)
    assert len(letters_of(db, case_id)) == 1


async def test_escape_cancels_and_writes_nothing(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_letter(pilot, case_id)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert letters_of(db, case_id) == []
    assert not (db.parent / "letters").exists()


async def test_a_failed_record_is_shown_on_the_form_which_stays(case_db, monkeypatch):
    db, case_id = case_db

    def locked(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError("database is locked")

    monkeypatch.setattr("recotui.letters.oneoff.record_steps", locked)
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_letter(pilot, case_id)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form and not form.busy and form.sent is None
        assert form.error_text == "Not done: OSError: database is locked"
        assert form.query_one("#form-error").has_class("-shown")
    assert letters_of(db, case_id) == []


async def test_a_bad_template_is_shown_inline_and_enter_does_nothing(case_db, tmp_path):
    db, case_id = case_db
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "relance_2.fr.txt").write_text("Bonjour\n{{ debtor.name \n", encoding="utf-8")
    app = make_case_app(db, letters={"templates_dir": str(templates)})
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_letter(pilot, case_id)
        assert form.letter is None
        assert "relance_2.fr.txt:2" in form.error_text
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form and "relance_2.fr.txt:2" in form.error_text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert letters_of(db, case_id) == []


async def test_a_registered_letter_takes_its_tracking_number(case_db):
    db, case_id = case_db
    store = Store.open(db)
    with store.transaction() as session:
        session.get(CollectionCase, case_id).stage = "mise_en_demeure"
    store.close()
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_letter(pilot, case_id)
        assert form.letter.step.registered
        assert form.query_one("#letter-tracking-row").display
        assert "by registered post" in str(form.query_one("#form-heading", Static).render())
        form.query_one("#letter-tracking", Input).focus()
        await pilot.press(*"1A23456789012", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    [payload] = letters_of(db, case_id)
    assert payload["tracking_number"] == "1A23456789012"


async def test_shift_l_writes_the_litigation_file_and_shows_where(case_db):
    db, case_id = case_db
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        await pilot.press("L")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DossierForm)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form and form.dossier is not None
        folder = db.parent / "letters" / "dossiers" / "dossier-C0042-EUR-20261124"
        assert form.dossier.folder == folder and form.dossier.moved
        for name in ("summary.pdf", "statement.csv", "letters.csv", "timeline.csv",
                     "promises.csv"):
            assert (folder / name).is_file()
        where = str(form.query_one("#dossier-where", Static).render())
        assert f"Written to {folder}" in where and "summary.pdf" in where
        assert "The case moved to contentieux." in where
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await until(pilot, lambda: screen.view is not None
                    and screen.view.stage == "contentieux")
    assert stage_of(db, case_id) == "contentieux"


async def test_escape_on_the_litigation_file_writes_nothing(case_db):
    db, case_id = case_db
    app = make_case_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot, case_id)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, DossierForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert stage_of(db, case_id) == "relance_2"
    assert not (db.parent / "letters").exists()


async def test_a_closed_case_refuses_both_keys(case_db):
    db, case_id = case_db
    store = Store.open(db)
    with store.transaction() as session:
        session.get(CollectionCase, case_id).status = "closed"
    store.close()
    app = make_case_app(db, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        for key in ("l", "L"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
        assert sum("This case is closed" in n.message for n in app._notifications) == 2


async def test_the_keys_are_in_the_help_and_can_be_remapped(case_db):
    db, case_id = case_db
    app = make_case_app(db, keys={"case.letter": "f11"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_case(pilot, case_id)
        from recotui.screens.help import key_lines

        lines = key_lines(screen)
        assert any(line.startswith("f11") and line.endswith("Courrier") for line in lines)
        assert any(line.startswith("L") and line.endswith("Dossier contentieux")
                   for line in lines)
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, LetterForm)


def test_every_letter_key_text_has_its_french():
    import ast

    from recotui import i18n

    root = Path(__file__).resolve().parents[2]
    texts: set[str] = set()
    for node in ast.walk(ast.parse((root / "recotui/screens/letter.py").read_text("utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_" and node.args and isinstance(node.args[0], ast.Constant)):
            texts.add(node.args[0].value)
    texts.update({"Letter", "Litigation file", "Send", "This case does not exist."})
    assert len(texts) > 15
    try:
        i18n.set_language("fr")
        missing = sorted(t for t in texts if i18n._(t) == t)
    finally:
        i18n.set_language("en")
    assert missing == []


# -- what the preview looks like ----------------------------------------------------------------

def test_letter_preview_at_80x24(snap_compare, tmp_path):
    from tests.tui.test_case_screen import build_case_store

    db = tmp_path / "case.sqlite3"
    case_id = build_case_store(db)

    async def run_before(pilot) -> None:  # noqa: ANN001
        await open_letter(pilot, case_id)

    assert snap_compare(make_case_app(db), terminal_size=(80, 24), run_before=run_before)

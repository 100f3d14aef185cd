"""What the case screen looks like: 80x24 in French and English, and wider."""

from __future__ import annotations

from tests.tui.test_case_screen import (  # noqa: F401 - utc_local_time is an autouse fixture
    build_case_store,
    make_case_app,
    open_case,
    settle,
    utc_local_time,
)


def opened(case_id, *keys: str):  # noqa: ANN001, ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await open_case(pilot, case_id)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_case_at_80x24(snap_compare, tmp_path):
    db = tmp_path / "case.sqlite3"
    case_id = build_case_store(db)
    assert snap_compare(make_case_app(db), terminal_size=(80, 24), run_before=opened(case_id))


def test_case_notes_in_english_at_80x24(snap_compare, tmp_path):
    db = tmp_path / "case.sqlite3"
    case_id = build_case_store(db)
    assert snap_compare(make_case_app(db, language="en"), terminal_size=(80, 24),
                        run_before=opened(case_id, "slash", "tab"))


def test_case_at_120x36(snap_compare, tmp_path):
    db = tmp_path / "case.sqlite3"
    case_id = build_case_store(db)
    assert snap_compare(make_case_app(db, language="en"), terminal_size=(120, 36),
                        run_before=opened(case_id))

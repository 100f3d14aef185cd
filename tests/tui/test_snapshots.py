from tests.tui.conftest import settle


def test_queue_at_80x24(snap_compare, make_app):
    assert snap_compare(make_app(30), terminal_size=(80, 24), run_before=settle)


def test_explain_at_80x24(snap_compare, make_app):
    async def explain(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(30), terminal_size=(80, 24), run_before=explain)

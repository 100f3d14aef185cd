from recotui.screens.help import HelpScreen
from recotui.widgets.queue_table import QueueTable
from tests.tui.conftest import settle


def ranks(table: QueueTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_opens_on_the_queue_highest_priority_first(make_app):
    app = make_app(45)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        header = str(app.screen.query_one("#queue-header").render())
        assert "45 dossiers" in header
        priorities = [row.priority for row in table.rows_shown]
        assert priorities == sorted(priorities, reverse=True)
        assert table.rows_shown[0].debtor_name.endswith("44 SARL")  # oldest and largest


async def test_moving_past_the_page_loads_the_next_one(make_app):
    app = make_app(45)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        page = table.row_count
        assert page < 45 and ranks(table)[0] == "1"
        await pilot.press(*["j"] * page)
        await settle(pilot)
        assert ranks(table)[0] == str(page + 1) and table.cursor_row == 0
        await pilot.press("k")
        await settle(pilot)
        assert ranks(table)[-1] == str(page) and table.cursor_row == page - 1
        await pilot.press("G")
        await settle(pilot)
        assert ranks(table)[-1] == "45"
        assert table.rows_shown[-1].debtor_name.endswith("00 SARL")
        await pilot.press("g")
        await settle(pilot)
        assert ranks(table)[0] == "1"


async def test_question_mark_explains_the_rank(make_app):
    app = make_app(5)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = str(app.screen.query_one("#explain-body").render())
        assert "Montant échu" in body and "Retard le plus ancien" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_empty_store_says_how_to_fill_it(make_app):
    app = make_app(0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = app.screen.query_one("#queue-empty")
        assert hint.display and "recotui demo" in str(hint.render())


async def test_ctrl_q_quits(make_app):
    app = make_app(3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0

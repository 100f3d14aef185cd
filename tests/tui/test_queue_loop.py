"""The queue's filter, blocked cases, scope switch, keymap, help and the `n` loop."""

from dataclasses import replace

from recotui.app import RecoApp
from recotui.config import Settings
from recotui.screens.help import HelpScreen
from recotui.screens.pick import PickScreen
from recotui.store.importing import apply_book
from recotui.store.store import Store
from recotui.widgets.queue_table import QueueTable
from tests.tui.conftest import ALWAYS_OPEN, book, clock, settle


def app_with(tmp_path, n: int = 12, do_not_call: tuple[int, ...] = (), **settings) -> RecoApp:
    parsed = book(n)
    parsed.debtors[:] = [replace(d, do_not_call=i in do_not_call)
                         for i, d in enumerate(parsed.debtors)]
    db = tmp_path / "book.sqlite3"
    store = Store.open(db)
    apply_book(store, parsed)
    store.close()
    settings.setdefault("contact_policy", ALWAYS_OPEN)
    settings.setdefault("language", "en")
    return RecoApp(Settings(db=db, **settings), clock=clock)


def names(app: RecoApp) -> list[str]:
    return [row.debtor_name for row in app.screen.query_one(QueueTable).rows_shown]


async def test_filter_by_name_then_escape_clears_it(tmp_path):
    app = app_with(tmp_path, 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"garage", "enter")
        await settle(pilot)
        assert names(app) == ["Garage 11 SARL", "Garage 02 SARL"]  # highest priority first
        assert "/garage" in str(app.screen.query_one("#queue-header").render())
        await pilot.press("escape")
        await settle(pilot)
        assert len(names(app)) > 2


async def test_filter_by_invoice_number_and_no_match(tmp_path):
    app = app_with(tmp_path, 20)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"F0007", "enter")
        await settle(pilot)
        assert names(app) == ["Imprimerie 07 SARL"]
        await pilot.press("slash", "ctrl+u", *"zzz", "enter")
        await settle(pilot)
        assert names(app) == []
        assert "zzz" in str(app.screen.query_one("#queue-empty").render())


async def test_do_not_call_is_flagged_and_can_be_hidden(tmp_path):
    app = app_with(tmp_path, 6, do_not_call=(5,))  # debtor 5 is the top of the queue
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        top = table.lines[0]
        assert top.row.debtor_name == "Librairie 05 SARL" and "do-not-call" in top.blocked
        assert "X" in str(table.get_row_at(0)[-1])
        await pilot.press("h")
        await settle(pilot)
        assert "Librairie 05 SARL" not in names(app)
        assert table.lines[0].rank == 2  # ranks stay positions in the whole queue


async def test_n_skips_blocked_cases_and_opens_the_next_callable_one(tmp_path):
    from recotui.screens.case import CaseScreen

    app = app_with(tmp_path, 6, do_not_call=(5,))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        second = app.screen.query_one(QueueTable).lines[1].row
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == second.case_id


async def test_outside_calling_hours_n_says_so(tmp_path):
    closed = {"hours": {"mon": "closed"}}  # no calling hours at all
    app = app_with(tmp_path, 3, contact_policy=closed)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "QueueScreen"
        assert any("No case can be called now" in str(n.message) for n in app._notifications)


async def test_switch_to_a_campaign_scope(tmp_path):
    app = app_with(tmp_path, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")  # the whole book
        await settle(pilot)
        assert len(names(app)) == 4


async def test_help_lists_every_key_of_the_screen(tmp_path):
    app = app_with(tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        for label in ("Next", "Filter", "Campaign", "Blocked", "Refresh", "Quit", "Move"):
            assert label in keys


async def test_keys_can_be_remapped_in_the_config(tmp_path):
    app = app_with(tmp_path, 3, keys={"queue.filter": "f"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.query_one("#queue-filter").has_focus


async def test_command_palette_offers_the_screen_actions(tmp_path):
    app = app_with(tmp_path, 3, language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Suivant", "Filtrer", "Campagne", "Bloqués"} <= set(titles)


async def test_n_shows_the_case_read_ahead_unless_it_changed_since(tmp_path):
    from recotui.screens.case import CaseScreen
    from recotui.store.actions import add_note

    app = app_with(tmp_path, 6)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        for _ in range(100):  # the read-ahead starts once the case is painted
            if screen.prefetched is not None:
                break
            await pilot.pause(0.02)
        ahead = screen.prefetched[0]
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and screen.view.id == ahead  # the same screen, reused
        for _ in range(100):
            if screen.prefetched is not None:
                break
            await pilot.pause(0.02)
        ahead = screen.prefetched[0]
        # The case read ahead changes (a note from elsewhere): `n` reads it again.
        add_note(app.store, ahead, None, reason="other", text="vu par un collègue",
                 now=clock())
        await pilot.press("n")
        await settle(pilot)
        assert screen.view.id == ahead
        assert any(entry.kind == "note" for entry in screen.view.history)

"""The case history, newest first, one line per activity: when, what, who, and what it said.

Drawn with the Line API (see LineList): a case with thousands of activities costs the same to
open as one with ten, since only the visible lines are ever formatted. `/` on the screen
switches between all activities and the negotiation notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text

from recotui.i18n import _
from recotui.store.case_view import HistoryEntry
from recotui.widgets.case_format import KIND_LABELS, fmt_datetime, label, summarize
from recotui.widgets.line_list import LineList

KIND_STYLES = {
    "call": "cyan", "note": "yellow", "promise": "green", "plan": "green", "payment": "bold green",
    "dispute": "magenta", "letter": "blue", "callback": "cyan", "stage": "bold red",
    "assignment": "dim", "close": "bold",
}
FILTERS = ("all", "notes")


class Timeline(LineList):
    DEFAULT_CSS = """
    Timeline { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.entries: tuple[HistoryEntry, ...] = ()
        self.shown: Sequence[HistoryEntry] = ()
        self.filter = "all"
        self.language = "en"
        self.currency = "EUR"
        self.names: Mapping[str, str] = {}
        self.dispositions: Mapping[str, str] = {}
        self.reasons: Mapping[str, str] = {}
        self.border_title = _("History")

    def show(self, entries: tuple[HistoryEntry, ...], *, language: str, currency: str,
             names: Mapping[str, str], dispositions: Mapping[str, str],
             reasons: Mapping[str, str]) -> None:
        """New history. The cursor stays on the entry it was on, unless it was on the newest
        (then it stays at the top, where new entries appear)."""
        keep = self.current if self.cursor > 0 else None
        offset = self.cursor - int(self.scroll_offset.y)
        self.entries = entries
        self.language, self.currency, self.names = language, currency, names
        self.dispositions, self.reasons = dispositions, reasons
        self._apply_filter(keep, offset)

    def set_filter(self, name: str) -> None:
        if name not in FILTERS or name == self.filter:
            return
        self.filter = name
        self._apply_filter(self.current, self.cursor - int(self.scroll_offset.y))

    def cycle_filter(self) -> str:
        self.set_filter(FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)])
        return self.filter

    def _apply_filter(self, keep: HistoryEntry | None, offset: int) -> None:
        if self.filter == "notes":
            self.shown = tuple(e for e in self.entries if e.kind == "note")
        else:
            self.shown = self.entries
        cursor = 0
        if keep is not None:
            cursor = next((i for i, e in enumerate(self.shown) if e.id == keep.id), 0)
        title = _("Notes") if self.filter == "notes" else _("History")
        self.border_title = f"{title} · {len(self.shown):,}".replace(",", "\u202f")
        self.border_subtitle = _("/ all") if self.filter == "notes" else _("/ notes")
        self.set_rows(len(self.shown), cursor=cursor,
                      scroll_y=max(cursor - max(offset, 0), 0) if keep else 0)

    @property
    def current(self) -> HistoryEntry | None:
        return self.shown[self.cursor] if self.shown and self.cursor < len(self.shown) else None

    def summary(self, entry: HistoryEntry) -> str:
        return summarize(entry.kind, entry.payload, language=self.language,
                         currency=self.currency, names=self.names,
                         dispositions=self.dispositions, reasons=self.reasons)

    def row_text(self, index: int, width: int) -> Text:
        entry = self.shown[index]
        author_width = 12 if width < 100 else 18
        kind = label(KIND_LABELS, entry.kind)
        author = entry.author or _("system")
        if len(author) > author_width:
            author = author[: author_width - 1] + "…"
        text = Text.assemble((fmt_datetime(entry.client_time, self.language), "dim"), " ")
        if self.filter != "notes":  # notes only: the kind goes without saying
            text.append(f"{kind[:11]:<11}", KIND_STYLES.get(entry.kind, ""))
            text.append(" ")
        text.append(f"{author:<{author_width}}", "dim" if not entry.author else "")
        text.append(" ")
        if entry.needs_review:
            text.append("⚑ ", "bold red")
        text.append(self.summary(entry))
        return text

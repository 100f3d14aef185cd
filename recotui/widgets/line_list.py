"""A focusable list drawn with Textual's Line API: only the visible lines are ever rendered.

Subclasses say how many rows they have and how to draw row i at a width; optional header
lines stay at the top and footer lines at the bottom while the rows scroll between them.
A cursor row moves with j/k, arrows, g/G, Home/End and PgUp/PgDn, and is highlighted while the
list has focus. The widget holds plain values handed in by its screen; it never queries.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LineList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LineList {
        height: auto;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        padding: 0;
        & > .line-list--cursor { background: $block-cursor-background;
                                 color: $block-cursor-foreground; text-style: bold; }
        & > .line-list--header { color: $text-muted; text-style: bold; }
        & > .line-list--footer { text-style: bold; }
        & > .line-list--dim { color: $text-muted; }
        & > .line-list--alert { color: $text-error; }
        & > .line-list--good { color: $text-success; }
        &:focus { border: round $accent; border-title-color: $text; }
    }
    """
    COMPONENT_CLASSES = {
        "line-list--cursor", "line-list--header", "line-list--footer", "line-list--dim",
        "line-list--alert", "line-list--good",
    }
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select_row", "Details", show=False),
    ]

    class RowSelected(Message):
        """Enter on a row."""

        def __init__(self, widget: LineList, index: int) -> None:
            super().__init__()
            self.widget, self.index = widget, index

        @property
        def control(self) -> LineList:
            return self.widget

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.cursor = 0
        self.row_count = 0
        self.header_count = 0
        self.footer_count = 0
        self._strips: dict[tuple[int, int, bool], Strip] = {}

    # -- for subclasses ------------------------------------------------------------------------

    def row_text(self, index: int, width: int) -> Text:  # pragma: no cover - abstract
        raise NotImplementedError

    def header_text(self, line: int, width: int) -> Text:
        return Text()

    def footer_text(self, line: int, width: int) -> Text:
        return Text()

    def set_rows(self, count: int, *, header: int = 0, footer: int = 0,
                 cursor: int | None = None, scroll_y: int | None = None) -> None:
        """New content: `count` rows. Keeps the cursor (clamped) unless one is given."""
        self.row_count, self.header_count, self.footer_count = count, header, footer
        self._strips.clear()
        self.cursor = max(0, min(self.cursor if cursor is None else cursor, count - 1))
        self.virtual_size = Size(0, header + count + footer)
        if scroll_y is not None:
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self._keep_cursor_visible()
        self.refresh()

    def style_of(self, name: str) -> Style:
        return self.get_component_rich_style(f"line-list--{name}")

    # -- Line API ------------------------------------------------------------------------------

    @property
    def body_height(self) -> int:
        """Rows visible between the header and the footer."""
        return max(self.scrollable_content_region.height - self.header_count - self.footer_count,
                   1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        height = self.scrollable_content_region.height
        base = self.rich_style
        footer_start = min(height - self.footer_count, self.header_count + self.row_count)
        if y < self.header_count:
            return self._strip(self.header_text(y, width), width, base, self.style_of("header"))
        if footer_start <= y < footer_start + self.footer_count:
            return self._strip(self.footer_text(y - footer_start, width), width, base,
                               self.style_of("footer"))
        index = int(self.scroll_offset.y) + y - self.header_count
        if y >= footer_start or not 0 <= index < self.row_count:
            return Strip.blank(width, base)
        cursor = self.has_focus and index == self.cursor
        key = (index, width, cursor)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strip(self.row_text(index, width), width, base,
                                self.style_of("cursor") if cursor else None)
            if len(self._strips) > 512:
                self._strips.clear()
            self._strips[key] = strip
        return strip

    def _strip(self, text: Text, width: int, base: Style, over: Style | None) -> Strip:
        text.no_wrap, text.end = True, ""
        text.truncate(width, overflow="ellipsis", pad=True)
        if over is not None:
            text.stylize(over)
        console = self.app.console
        segments = list(Segment.apply_style(text.render(console), base))
        return Strip(segments, width)

    def on_resize(self) -> None:
        self._strips.clear()
        self._keep_cursor_visible()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- cursor --------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        if not self.row_count:
            return
        self.cursor = max(0, min(index, self.row_count - 1))
        self._keep_cursor_visible()
        self.refresh()

    def _keep_cursor_visible(self) -> None:
        top, rows = int(self.scroll_offset.y), self.body_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.body_height)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.body_height)

    def action_select_row(self) -> None:
        if self.row_count:
            self.post_message(self.RowSelected(self, self.cursor))

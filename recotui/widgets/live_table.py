"""A table updated in place: only the cells that changed are written, the cursor stays on its
row (by key), and nothing is cleared, so a refresh every few seconds does not flicker.

The screen hands rows in as (key, cells); the widget never queries. It keeps the plain text of
what it shows, for the CSV export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowKey

Cell = str | Text


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    width: int | None = None
    right: bool = False


def plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


class LiveTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "Top", show=False),
        Binding("G", "scroll_bottom", "Bottom", show=False),
    ]

    def __init__(self, columns: Sequence[Column], **kwargs) -> None:  # noqa: ANN003
        super().__init__(cursor_type="row", zebra_stripes=True, cell_padding=1, **kwargs)
        self.columns_spec = list(columns)
        self.keys: list[str] = []
        self.cells: dict[str, tuple[Cell, ...]] = {}
        self.cells_written = 0  # cells written by the last show_rows, for tests and benches

    def on_mount(self) -> None:
        for index, column in enumerate(self.columns_spec):
            self.add_column(Text(column.label, justify="right" if column.right else "left"),
                            width=column.width, key=str(index))

    def _cell(self, index: int, value: Cell) -> Cell:
        if self.columns_spec[index].right and not isinstance(value, Text):
            return Text(str(value), justify="right")
        return value

    @property
    def current_key(self) -> str | None:
        if not self.keys or self.cursor_row < 0:
            return None
        return self.keys[min(self.cursor_row, len(self.keys) - 1)]

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Cell]]]) -> int:
        """Show these rows in this order; returns the number of cells written."""
        new_keys = [key for key, _cells in rows]
        written = 0
        if new_keys != self.keys:  # rows came, went or moved: rebuild, the cursor by key
            keep = self.current_key
            self.clear()
            for key, cells in rows:
                self.add_row(*(self._cell(i, c) for i, c in enumerate(cells)), key=key)
                written += len(cells)
            self.keys = new_keys
            self.cells = {key: tuple(cells) for key, cells in rows}
            if keep in self.cells:
                self.move_cursor(row=new_keys.index(keep), animate=False)
            self.cells_written = written
            return written
        for key, cells in rows:
            old = self.cells.get(key, ())
            for index, value in enumerate(cells):
                if index < len(old) and old[index] == value:
                    continue
                try:
                    self.update_cell(RowKey(key), str(index), self._cell(index, value))
                except CellDoesNotExist:
                    continue
                written += 1
            self.cells[key] = tuple(cells)
        self.cells_written = written
        return written

    def export(self) -> tuple[list[str], list[list[str]]]:
        """(header, rows) as plain text, in the order shown."""
        return ([c.label for c in self.columns_spec],
                [[plain(c) for c in self.cells[key]] for key in self.keys])

"""Tables whose columns size to the terminal: whole values when wide, the least important columns dropped when narrow.

Each column says how narrow it may get and how much it matters (``rank`` 1
is kept longest). When the table is laid out, resized, or its rows change,
the columns that fit are chosen by rank and the room left is shared out so
values show whole, up to ``most`` cells. The table keeps every cell, so a
column dropped at 80 columns comes back when the terminal widens. No column
cuts a value while a column of rank 2 or more could make room: those go
first, least important first, and what is left grows to show its values
whole. What a narrow table leaves out or cuts of the highlighted row, a
:class:`LeftOut` line under it shows in full, so nothing is only reachable
by widening the window.

Text cells are shown as written: a name with brackets in it is not markup.
Cells meant as markup are passed as ``rich.text.Text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.markup import escape
from textual.widgets import DataTable, Static

from gbetix_tui.guard import reported

PAD = 2
SCROLLBAR = 2


@dataclass(frozen=True)
class Column:
    label: str
    least: int
    rank: int = 1
    key: str | None = None
    most: int = 48


def plain(cell: Any) -> Any:
    """A text cell as literal text (DataTable reads strings as markup)."""
    return escape(cell) if isinstance(cell, str) else cell


def width_of(cell: Any) -> int:
    if isinstance(cell, Text):
        return cell.cell_len
    if isinstance(cell, str):
        return Text.from_markup(cell).cell_len
    return cell_len(str(cell))


def fit(columns: Sequence[Column], natural: Sequence[tuple[int, int]], room: int) -> dict[int, int]:
    """Which columns show (by index) and how wide: by rank while they fit, then grown (see ``grown``); while a
    column would still cut a value, the least important is dropped (never one of rank 1: those are the table's
    point, and share the room) and the rest grown again; then a dropped
    column that fits whole in the room left comes back (a value longer than its column's ``most`` counts as
    whole at that width: the line under the table gives it in full)."""
    ranked = sorted(range(len(columns)), key=lambda i: columns[i].rank)
    shown = list(ranked)
    while len(shown) > 1 and (sum(columns[i].least + PAD for i in shown) > room
                              or columns[shown[-1]].rank > 1 and not whole(grown(columns, natural, shown, room), natural)):
        shown.pop()
    for i in ranked:
        if i not in shown and whole(widths := grown(columns, natural, [*shown, i], room), natural) \
                and sum(w + PAD for w in widths.values()) <= room:
            shown.append(i)
    return dict(sorted(grown(columns, natural, shown, room).items()))


def whole(widths: dict[int, int], natural: Sequence[tuple[int, int]]) -> bool:
    """Whether columns of these widths show every value whole."""
    return all(width >= natural[i][1] for i, width in widths.items())


def grown(columns: Sequence[Column], natural: Sequence[tuple[int, int]], shown: list[int], room: int) -> dict[int, int]:
    """The widths of the ``shown`` columns, grown in rank order, first until most values show whole
    (``natural[i][0]``; every value for the columns of rank 1), then until every one does (``natural[i][1]``)."""
    widths = {i: columns[i].least for i in shown}
    spare = room - sum(w + PAD for w in widths.values())
    for every_value in (False, True):
        for i in shown:
            goal = natural[i][1] if every_value or columns[i].rank == 1 else natural[i][0]
            grow = max(0, min(spare, goal - widths[i]))
            widths[i] += grow
            spare -= grow
    return widths


class LeftOut(Static):
    """Under a :class:`FitTable` (``of`` its id): the highlighted row's values that the table leaves out or cuts
    at this width, in full; hidden while the table shows the whole row."""

    DEFAULT_CSS = """
    LeftOut { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    LeftOut.-empty { display: none; }
    """

    def __init__(self, of: str, **kwargs: Any) -> None:
        super().__init__("", classes="-empty", **kwargs)
        self.of = of

    def show(self, parts: list[tuple[str, Any]]) -> None:
        self.set_class(not parts, "-empty")
        line = Text()
        for label, cell in parts:
            value = Text.from_markup(cell) if isinstance(cell, str) else cell if isinstance(cell, Text) else Text(str(cell))
            line.append_text(Text.assemble("  " if line else "", (f"{label}: ", "bold"), value))
        self.update(line)


class FitTable(DataTable):
    """A table whose columns fit the terminal (see the module); enter on it never goes unanswered.

    ``empty`` is what enter says while nothing is listed; ``enter`` what it says on a line when the screen
    opens nothing from one (without it, enter selects the line for the screen to act on).
    """

    def __init__(self, *, empty: str = "Nothing is listed here.", enter: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self.empty, self.enter = empty, enter
        self.specs: list[Column] = []
        self.stored: dict[str, list[Any]] = {}
        self.widths: dict[int, int] = {}
        self._refit_asked = False

    def set_columns(self, columns: Iterable[Column | tuple]) -> None:
        """Declare the columns (``Column`` or its fields as a tuple), most important with the lowest rank."""
        self.specs = [c if isinstance(c, Column) else Column(*c) for c in columns]
        self.widths = self._fitted()
        self._rebuild()

    def action_select_cursor(self) -> None:
        if not self.row_count or self.enter:
            self.app.notify(self.enter if self.row_count else self.empty, severity="warning", timeout=3)
            return
        super().action_select_cursor()

    def column_key(self, index: int) -> str:
        return self.specs[index].key or f"c{index}"

    def add_row(self, *cells: Any, key: str | None = None, **kwargs: Any):
        key = key if key is not None else str(len(self.stored))
        self.stored[key] = [plain(c) for c in cells]
        row_key = super().add_row(*self._visible(self.stored[key]), key=key, **kwargs)
        self._refit_soon()
        return row_key

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        keys = [self.column_key(i) for i in range(len(self.specs))]
        index = keys.index(getattr(column_key, "value", column_key))
        row = getattr(row_key, "value", row_key)
        self.stored[row][index] = plain(value)
        if index in self.widths:
            super().update_cell(row_key, column_key, plain(value), update_width=update_width)

    def clear(self, columns: bool = False):
        self.stored = {}
        if columns:
            self.specs, self.widths = [], {}
        self._refit_soon()
        return super().clear(columns=columns)

    @reported
    def on_resize(self) -> None:
        self._refit()

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_left_out()

    def left_out(self) -> list[tuple[str, Any]]:
        """The highlighted row's cells that are not shown whole: (column label, cell).

        A table without a cursor (a comparison read as a whole) has no
        highlighted row: every row's cut cells are given, each labelled by its
        row's first cell and its column.
        """
        if self.cursor_type == "none":
            return [(" · ".join(str(part) for part in (cells[0], label) if part), cell)
                    for cells in self.stored.values() for label, cell in self._cut(cells)]
        keys = list(self.stored)
        if not 0 <= self.cursor_row < len(keys):
            return []
        return self._cut(self.stored[keys[self.cursor_row]])

    def _cut(self, cells: list[Any]) -> list[tuple[str, Any]]:
        return [(spec.label, cells[i]) for i, spec in enumerate(self.specs)
                if width_of(cells[i]) and (i not in self.widths or width_of(cells[i]) > self.widths[i])]

    def _show_left_out(self) -> None:
        for view in self.screen.query(LeftOut):
            if view.of == self.id:
                view.show(self.left_out())

    def _visible(self, cells: list[Any]) -> list[Any]:
        return [cells[i] for i in self.widths]

    def _natural(self) -> list[tuple[int, int]]:
        """Per column: the width that shows nine values in ten whole, and the width that shows them all."""
        natural = []
        for i, spec in enumerate(self.specs):
            floor = max(cell_len(spec.label), spec.least)
            widths = sorted(width_of(cells[i]) for cells in self.stored.values()) or [0]
            typical = widths[(len(widths) - 1) * 9 // 10]
            natural.append((min(spec.most, max(floor, typical)), min(spec.most, max(floor, widths[-1]))))
        return natural

    def _fitted(self) -> dict[int, int]:
        if not self.size.width:
            return {i: spec.least for i, spec in enumerate(self.specs)}
        return fit(self.specs, self._natural(), self.size.width - SCROLLBAR)

    def _refit_soon(self) -> None:
        if not self._refit_asked:
            self._refit_asked = True
            self.call_after_refresh(self._refit)

    @reported
    def _refit(self) -> None:
        """Asked for after the next refresh: by then the table's screen may be closed, and nothing is left to fit."""
        self._refit_asked = False
        if not self.is_attached:
            return
        widths = self._fitted()
        if widths != self.widths:
            self.widths = widths
            self._rebuild()
        self._show_left_out()

    def _rebuild(self) -> None:
        """Lay the columns out again and put every row back, the cursor where it was."""
        row = self.cursor_row
        super().clear(columns=True)
        for index, width in self.widths.items():
            super().add_column(self.specs[index].label, width=width, key=self.column_key(index))
        for key, cells in self.stored.items():
            super().add_row(*self._visible(cells), key=key)
        if self.row_count:
            self.move_cursor(row=min(max(row, 0), self.row_count - 1))

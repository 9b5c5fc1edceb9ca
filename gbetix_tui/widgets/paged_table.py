"""A DataTable fed one page at a time from the database, so 100,000 rows cost what 50 do.

The owner gives ``fetch(cursor, limit) -> Page``, a core query paged by a
cursor (keyset paging: the cursor of the next page comes with each page);
the table runs it in a thread worker, remembers the cursors of the pages
seen so it can go back, and says where it is. Moving past the last row loads
the next page, before the first row the previous one; pageup/pagedown at the
edges and ``[``/``]`` do too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from textual.binding import Binding
from textual.message import Message

from gbetix_tui.answers import TakesAnswers
from gbetix_tui.widgets.columns import FitTable

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """Rows of one page (each a key and its cells) and the next page's cursor (None: the last page)."""

    rows: Sequence[tuple[str, Sequence[Any]]]
    next_cursor: Any = None


class PagedTable(TakesAnswers, FitTable):
    BINDINGS = [
        Binding("right_square_bracket", "next_page", "Next page", show=False),
        Binding("left_square_bracket", "previous_page", "Previous page", show=False),
    ]

    class Loaded(Message):
        """A page arrived: the owner updates counts and details."""

        def __init__(self, table: "PagedTable", page: Page) -> None:
            super().__init__()
            self.table = table
            self.page = page

    def __init__(self, fetch: Callable[[Any, int], Page], page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fetch = fetch
        self.page_size = page_size
        self.cursors: list[Any] = [None]
        self.page_index = 0
        self._pending_row = 0
        self._loading = False

    @property
    def position(self) -> str:
        """Which rows of the whole list the page shows ("51-100"), for a status line."""
        if not self.row_count:
            return "nothing to show"
        first = self.page_index * self.page_size + 1
        return f"{first:,}-{first + self.row_count - 1:,}"

    def restart(self) -> None:
        """Back to the first page (filters changed)."""
        self.cursors, self.page_index = [None], 0
        self._load(0, row=0)

    def reload(self) -> None:
        """Fetch the current page again (something changed in the database)."""
        self._load(self.page_index, row=self.cursor_row)

    def _load(self, index: int, row: int) -> None:
        self._pending_row = row
        self._loading = True
        self.app.run_core(self._fetch_page, index, done=self._show, group=f"page-{id(self)}", exclusive=True,
                          owner=self)

    def _fetch_page(self, index: int) -> tuple[int, Page]:
        return index, self.fetch(self.cursors[index], self.page_size)

    def _show(self, loaded: tuple[int, Page]) -> None:
        index, page = loaded
        self._loading = False
        self.page_index = index
        del self.cursors[index + 1:]
        if page.next_cursor is not None:
            self.cursors.append(page.next_cursor)
        self.clear()
        for key, cells in page.rows:
            self.add_row(*cells, key=key)
        if self.row_count:
            row = self.row_count - 1 if self._pending_row < 0 else min(self._pending_row, self.row_count - 1)
            self.move_cursor(row=row)
        self.post_message(self.Loaded(self, page))

    def action_next_page(self) -> None:
        if not self._loading and self.page_index + 1 < len(self.cursors):
            self._load(self.page_index + 1, row=0)

    def action_previous_page(self) -> None:
        if not self._loading and self.page_index > 0:
            self._load(self.page_index - 1, row=-1)

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.action_next_page()
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.action_previous_page()
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.action_next_page()
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row <= 0:
            self.action_previous_page()
        else:
            super().action_page_up()

    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

"""Tables with columns of fixed widths."""

from __future__ import annotations

from typing import Sequence

from textual.widgets import DataTable


def add_columns(table: DataTable, columns: Sequence[tuple[str, int]]) -> None:
    """Add ``(label, width)`` columns.

    A DataTable sizes auto-width columns to their cells only when it next
    goes idle; a table filled from a worker's answer was seen drawn with its
    columns still as narrow as their headings. Fixed widths draw the same
    every time, and the columns stay put as rows come and go.
    """
    for label, width in columns:
        table.add_column(label, width=width)

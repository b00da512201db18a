"""Problems found in a dataset, each naming file, row, column and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a dataset.

    ``row`` counts the header as row 1, as a spreadsheet shows it; 0 means the whole file.
    """

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DatasetError(Exception):
    """A dataset was refused; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues)
        count = len(self.issues)
        head = "\n".join(str(i) for i in self.issues[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"the dataset has {count} error(s):\n{head}{more}")

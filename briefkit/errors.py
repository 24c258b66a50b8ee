"""One exception family whose messages name the file, line and field, so no user sees a traceback."""

from __future__ import annotations

import re
from pathlib import Path


class BriefkitError(Exception):
    """Bad input: the CLI prints it as one line and exits with status 2."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return one_line(f"{where}{field}{self.message}")


_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters shown as escapes (`\\n`, `\\x0c`):
    a message quoting bad input stays one line on the terminal."""
    return _BREAKS.sub(lambda m: repr(m.group())[1:-1], text)


class SourceError(BriefkitError):
    """A source file cannot be read or decoded."""


class BriefFileError(BriefkitError):
    """A brief file is not valid."""


class QueryError(BriefkitError):
    """A search query the index cannot run."""


class TemplateError(BriefkitError):
    """A template cannot be found, parsed or rendered."""


class ExportError(BriefkitError):
    """An export cannot be completed (unverified quotes, bad reference document, output path)."""


class ReviewError(BriefkitError):
    """A reviewed Word file cannot be read, or is not one briefkit exported (`briefkit.review`)."""

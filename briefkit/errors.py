"""One exception family whose messages name the file, line and field, so no user sees a traceback."""

from __future__ import annotations

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
        return f"{where}{field}{self.message}"


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

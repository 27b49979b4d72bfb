"""User-facing errors.

Every error a user can cause (a missing file, invalid YAML, an unresolvable ``$ref``, a bad option) is a
``CdcompatError`` that names the file, the place in it (a JSON pointer, or a line and column) and what is wrong.
Front ends print ``str(error)`` as one line and exit with status 2; anything else escaping is an internal bug.
"""

from __future__ import annotations


class CdcompatError(Exception):
    """Base class: one clear message about the user's input."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.pointer = pointer
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        if self.pointer is not None:
            where = f"{where} at {self.pointer or '/'}" if where else f"at {self.pointer or '/'}"
        return f"{where}: {self.message}" if where else self.message


class ContractLoadError(CdcompatError):
    """A contract file cannot be read, parsed, resolved or validated."""


class RefError(ContractLoadError):
    """A ``$ref`` cannot be resolved, or is refused (remote, or outside the repository)."""


class UnsupportedKind(CdcompatError):
    """The file is not a contract of any kind we know, or the kind was named wrongly."""


class UsageError(CdcompatError):
    """Bad command-line or configuration usage (an unknown option value, a bad git ref, ...)."""


class DatabaseError(CdcompatError):
    """A database URL is unreachable, refused, or a migration fails to apply."""

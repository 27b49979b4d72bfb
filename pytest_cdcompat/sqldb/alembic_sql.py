"""Alembic script folders -> migrations, through Alembic's own offline ("--sql") mode; placeholder until wired."""

from __future__ import annotations

from typing import Any


def alembic_migrations(source: Any) -> list[Any] | None:
    return None

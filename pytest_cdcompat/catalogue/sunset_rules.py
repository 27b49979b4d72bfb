"""Deprecation with a sunset date: removing a deprecated element before its ``x-sunset`` date, or after it.

Who breaks: the consumers still using the element (for an operation, old clients: ``old_consumer_new_producer``).
An element marked ``deprecated: true`` with ``x-sunset: 2026-06-30`` (the extension oasdiff reads) promises
consumers it stays until that date. Removing it earlier breaks the promise: an error, ``removed-before-sunset``,
whatever the removal's own rule said. Removing it on or after the date is what the notice was for: the removal's
error becomes the warning ``removed-after-sunset``, which says consumers were given notice. An element removed
without ever being deprecated keeps its own rule (``operation-removed``...). The check runs on the removals other
rules found, so it never reports a removal no deploy direction can observe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import ALL_KINDS, Hit, rule
from pytest_cdcompat.core.findings import Severity

BEFORE = "removed-before-sunset"
AFTER = "removed-after-sunset"


@rule(
    scope="sunset",
    category="existence",
    ids=[
        (
            BEFORE,
            Severity.ERROR,
            "A deprecated element was removed before its sunset date, which promised consumers it would stay.",
            "Keep the element until its x-sunset date has passed, then remove it.",
        ),
        (
            AFTER,
            Severity.WARNING,
            "A deprecated element was removed after its sunset date: consumers were given notice.",
            "Check that no consumer still uses it (access logs), then accept the warning.",
        ),
    ],
    kinds=ALL_KINDS,
)
def removed_deprecated(element: Any, sunset: dt.date, today: dt.date, removal: str) -> Iterator[Hit]:
    """``element`` (deprecated in the old version, gone in the new) was removed, as ``removal`` (the finding's
    message) reports; ``sunset`` is its announced date."""
    if today < sunset:
        yield Hit(
            "",
            f"{element.what} {element.name!r} was deprecated with sunset {sunset.isoformat()} and removed before "
            f"that date: {removal}",
            rule_id=BEFORE,
        )
    else:
        yield Hit(
            "",
            f"{element.what} {element.name!r} was deprecated with sunset {sunset.isoformat()}, which has passed: "
            f"consumers were given notice ({removal})",
            rule_id=AFTER,
        )

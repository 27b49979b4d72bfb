"""Info rules of the changelog: the changes no deploy direction can observe as a break, and deprecations.

``cdcompat changelog`` lists every change of a contract, breaking or not. A breaking change carries the id of the rule
that proved it (``enum-value-added``, ``operation-removed``...); every other change needs an id too, so release notes
and dashboards can count and filter them: these rules supply them. Their check compares the element maps the
changelog builds from both versions (``{location: Element}``) and yields one hit per element added, removed,
deprecated or un-deprecated; the changelog keeps the hits no breaking finding already explains.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pytest_cdcompat.catalogue import ALL_KINDS, Hit, rule
from pytest_cdcompat.core.findings import Severity

ADDED = "compatible-element-added"
REMOVED = "compatible-element-removed"
DEPRECATED = "element-deprecated"
UNDEPRECATED = "element-undeprecated"


@rule(
    scope="changelog",
    category="existence",
    ids=[
        (
            ADDED,
            Severity.INFO,
            "An element was added that neither deploy direction can observe as a break.",
            "Nothing to do for compatibility; mention it in the release notes.",
        ),
        (
            REMOVED,
            Severity.INFO,
            "An element was removed that neither deploy direction can observe as a break.",
            "Nothing to do for compatibility; mention it in the release notes.",
        ),
    ],
    kinds=ALL_KINDS,
)
def element_added_or_removed(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Hit]:
    """Elements (operations, parameters, properties, enum values, status codes, messages, columns, fields) present
    in one version only; which of them break is the other rules' business."""
    old_ids, new_ids = _identities(old), _identities(new)
    for loc, el in new.items():
        if loc not in old and _identity(loc, el) not in old_ids:
            yield Hit(loc, f"{el.what} {el.name!r} was added", rule_id=ADDED)
    for loc, el in old.items():
        if loc not in new and _identity(loc, el) not in new_ids:
            yield Hit(loc, f"{el.what} {el.name!r} was removed", rule_id=REMOVED)


def _identity(loc: str, el: Any) -> str:
    """What an element is, whatever its document spells (``Element.ident``), else where it is."""
    return str(getattr(el, "ident", "") or loc)


def _identities(elements: Mapping[str, Any]) -> dict[str, Any]:
    return {_identity(loc, el): el for loc, el in elements.items()}


@rule(
    scope="changelog",
    category="existence",
    ids=[
        (
            DEPRECATED,
            Severity.INFO,
            "An element was marked deprecated: consumers are given notice that it will be removed.",
            "Announce the sunset date (x-sunset) and move consumers off the element before removing it.",
        ),
        (
            UNDEPRECATED,
            Severity.INFO,
            "An element is no longer marked deprecated.",
            "Tell the consumers that were moving off it that it stays.",
        ),
    ],
    kinds=ALL_KINDS,
)
def element_deprecated(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Hit]:
    """An element present in both versions whose ``deprecated`` mark changed."""
    old_ids = _identities(old)
    for loc, el in new.items():
        before = old.get(loc) or old_ids.get(_identity(loc, el))
        if before is None or before.deprecated == el.deprecated:
            continue
        if el.deprecated:
            sunset = f" (sunset {el.sunset})" if el.sunset else ""
            yield Hit(loc, f"{el.what} {el.name!r} was deprecated{sunset}", rule_id=DEPRECATED)
        else:
            yield Hit(loc, f"{el.what} {el.name!r} is no longer deprecated", rule_id=UNDEPRECATED)

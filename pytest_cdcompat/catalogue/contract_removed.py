"""contract-removed: a whole contract file present at the git base is gone on this branch.

Who breaks: old consumers (``old_consumer_new_producer``): they still call the operations or read the messages the
contract described, and the new producer no longer promises any of them. New consumers were written without it, so
the other direction is unaffected. Example: ``contracts/orders.yaml`` deleted in a pull request.

The check runs on whole contracts (scope ``contract``): ``old`` is the base version, ``new`` is ``None`` when the file
was removed. Discovery (``discovery.py``) is what notices a removed file; it asks this rule for the finding so the
id, severity and advice live in the catalogue like every other rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import ALL_KINDS, Hit, rule
from pytest_cdcompat.core.findings import Direction, Severity

ADVICE = (
    "Keep the contract (mark its operations or messages deprecated) until every consumer has stopped using it, then "
    "delete it; if it was renamed or moved, keep the old path until consumers have switched."
)


@rule(
    scope="contract",
    category="existence",
    ids=[("contract-removed", Severity.ERROR, "A contract file was deleted.", ADVICE)],
    kinds=ALL_KINDS,
)
def contract_removed(old: Any, new: Any) -> Iterator[Hit]:
    """Old consumers lose every operation or message of a deleted contract."""
    if old is not None and new is None:
        yield Hit(
            "",
            "the contract was removed: old consumers still depend on it",
            rule_id="contract-removed",
            direction=Direction.OLD_CONSUMER_NEW_PRODUCER,
        )

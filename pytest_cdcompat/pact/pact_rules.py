"""The ids of Pact findings: a consumer's recorded interaction that one version of the provider's spec breaks.

Not checks on a spec pair: ``pact/pact_check.py`` raises them for each interaction of each Pact file, against each
version of the provider's OpenAPI document. A Pact file records what a consumer relies on today, so an interaction
the NEW spec breaks is ``old_consumer_new_producer`` (the producer is deployed before that consumer moves) and one
the OLD spec breaks is ``new_consumer_old_producer`` (the consumer already relies on something only the new
producer offers, or the producer is rolled back).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pytest_cdcompat.catalogue import Hit, rule
from pytest_cdcompat.core.findings import Severity

PACT_IDS = ("pact-operation-missing", "pact-request-rejected", "pact-response-mismatch")


@rule(
    scope="pact",
    category="consumers",
    kinds=frozenset({"openapi"}),
    ids=[
        (
            "pact-operation-missing",
            Severity.ERROR,
            "A consumer's interaction calls an operation this version of the provider's spec does not have.",
            "Keep the operation until the consumer named in the finding has stopped calling it (ask its team "
            "to move first), then remove it.",
        ),
        (
            "pact-request-rejected",
            Severity.ERROR,
            "A request a consumer sends (recorded in its Pact file) is rejected by this version of the spec.",
            "Accept the request the consumer sends (make the new parameter optional, keep the old field) until "
            "the consumer has moved; the finding names the consumer and the interaction.",
        ),
        (
            "pact-response-mismatch",
            Severity.ERROR,
            "A response this version of the spec allows does not satisfy what a consumer's Pact interaction expects.",
            "Keep sending what the consumer matches on (the field, its type, the status) until the consumer named "
            "in the finding no longer reads it; the counterexample is a response the spec allows that the "
            "consumer rejects.",
        ),
    ],
)
def pact_interactions(*_: Any) -> Iterator[Hit]:
    return iter(())

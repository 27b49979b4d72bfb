"""Consumer-driven contracts: Pact files checked offline against both versions of their provider's OpenAPI document.

Modules, each importing only those before it: ``pact_model`` (reading Pact specification v1.1-v4 JSON into one
model, with matching rules) -> ``pact_schema`` (an interaction's response expectations as a JSON Schema: what the
consumer accepts) -> ``pact_rules`` (the catalogue ids) -> ``pact_check`` (each interaction against one spec
version: the request must be accepted, every response the spec allows must satisfy the consumer) -> ``consumers``
(which known consumers each static finding affects, and the deploy plan's "who must move first"). See docs/pact.md.

Why our own parser: pact-python (2.x/3.x) wraps the Rust core through its FFI for mock servers and provider
verification against a running provider; it offers no Python model of a Pact file that can be read offline, and
the Rust ``pact_models`` crate is not reachable from Python without that binary core. The file format is small
and published (pact-specification v1.1-v4), so it is parsed here with the specification's rules.
"""

from __future__ import annotations

from pytest_cdcompat.core.errors import CdcompatError


class PactError(CdcompatError):
    """A Pact file that cannot be used: not JSON, an unknown specification version, a matching rule we do not
    support, an interaction that matches no operation of its provider."""


__all__ = ["PactError"]

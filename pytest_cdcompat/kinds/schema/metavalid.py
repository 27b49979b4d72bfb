"""The fast yes/no answer to "is this document valid against its meta-schema", from jsonschema-rs when installed.

Loaders check every document against a meta-schema (OpenAPI's, a JSON Schema dialect's). ``jsonschema`` takes
0.8 s on a 4 MB OpenAPI document and seconds on a schema of 20,000 properties; jsonschema-rs (the ``fast`` extra)
answers in a few hundredths. Only its "valid" is trusted: on "invalid" (or when it is missing, or cannot take a
value that is not JSON, such as a YAML date) the loader asks ``jsonschema``, whose errors word the message, so the
message is the same with and without the extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_validators: dict[str, Any] = {}

__all__ = ["fast_is_valid", "fast_validator"]


def fast_validator(key: str, meta: Callable[[], Any]) -> Any:
    """A jsonschema-rs validator for the meta-schema ``meta()`` (built once per ``key``), or None."""
    if key in _validators:
        return _validators[key]
    try:
        import jsonschema_rs
    except ImportError:
        validator = None
    else:
        try:
            validator = jsonschema_rs.validator_for(meta())
        except Exception:  # a meta-schema this jsonschema-rs cannot build: let jsonschema judge
            validator = None
    _validators[key] = validator
    return validator


def fast_is_valid(validator: Any, doc: Any) -> bool:
    """``True`` only when jsonschema-rs says ``doc`` is valid."""
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(doc))
    except Exception:  # a value jsonschema-rs cannot convert: let jsonschema judge
        return False

"""AsyncAPI-specific rules (payload and header schemas are judged by the common schema rules and the Avro rules)."""

from __future__ import annotations

from pytest_cdcompat.kinds.asyncapi.rules import asyncapi_message_missing, asyncapi_payload_format_changed

__all__ = ["asyncapi_message_missing", "asyncapi_payload_format_changed"]

"""Protobuf rules: buf's WIRE and WIRE_JSON checks, one per module, each seeing one pair from ``kinds/protobuf/proto_pairing.py``.

Scopes: ``proto-message`` (a ``MessagePair``), ``proto-field`` (a ``FieldPair``, matched by field number) and
``proto-method`` (a ``MethodPair``). A hit's ``witness`` is a dict steering the message generator: ``value`` (an enum
number to write), ``also`` (other field numbers to set), ``repeat`` (elements to write), or ``construct`` (a break
shown by construction, such as calling a method the server no longer has).
"""

from __future__ import annotations

from pytest_cdcompat.kinds.protobuf.rules import (
    proto_enum_value_changed,
    proto_enum_value_unknown,
    proto_field_cardinality_changed,
    proto_field_default_changed,
    proto_field_enum_integer_changed,
    proto_field_integer_type_changed,
    proto_field_json_name_changed,
    proto_field_message_type_changed,
    proto_field_oneof_changed,
    proto_field_removed_without_reservation,
    proto_field_renumbered,
    proto_field_string_bytes_changed,
    proto_field_type_changed,
    proto_message_removed,
    proto_required_field_changed,
    proto_rpc_missing,
    proto_rpc_streaming_changed,
    proto_rpc_type_changed,
)

__all__ = [
    "proto_enum_value_changed",
    "proto_enum_value_unknown",
    "proto_field_cardinality_changed",
    "proto_field_default_changed",
    "proto_field_enum_integer_changed",
    "proto_field_integer_type_changed",
    "proto_field_json_name_changed",
    "proto_field_message_type_changed",
    "proto_field_oneof_changed",
    "proto_field_removed_without_reservation",
    "proto_field_renumbered",
    "proto_field_string_bytes_changed",
    "proto_field_type_changed",
    "proto_message_removed",
    "proto_required_field_changed",
    "proto_rpc_missing",
    "proto_rpc_streaming_changed",
    "proto_rpc_type_changed",
]

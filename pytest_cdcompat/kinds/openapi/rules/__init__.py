"""Rules about the HTTP envelope: operations, response statuses, media types, parameters, bodies."""

from __future__ import annotations

from pytest_cdcompat.kinds.openapi.rules import (
    body_became_required,
    form_field_style_changed,
    media_type_not_accepted,
    operation_removed,
    parameter_became_required,
    parameter_default_changed,
    parameter_not_declared,
    parameter_style_changed,
    response_status_not_accepted,
)

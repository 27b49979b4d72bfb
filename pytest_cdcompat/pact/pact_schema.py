"""An interaction's response expectations as a JSON Schema 2020-12: the responses the consumer accepts.

Pact compares an actual response with the expected one, honouring matching rules; a specification has no single
response, so the check asks the converse question with the schema machinery: does every response the spec allows
satisfy this schema? How expectations translate:

| expectation | schema |
|---|---|
| an object | ``type: object``, every expected key ``required``, unknown keys allowed (Pact ignores them) |
| a value without a matching rule | its JSON type (``"o-1"`` -> string, ``2`` -> number) |
| ``type`` / ``min`` / ``max`` (``like``, ``eachLike``) | the example's type; arrays: every item like the first, ``minItems``/``maxItems`` |
| ``regex`` | ``type: string`` and the anchored ``pattern`` |
| ``include`` | ``type: string`` and a pattern containing the escaped value |
| ``equality`` | ``const``: the value itself (inherited by everything below it) |
| ``integer``, ``decimal``, ``number``, ``boolean``, ``null`` | that type |
| ``date``, ``time``, ``timestamp``, ``datetime`` | ``type: string`` (the Java date pattern is not checked) |
| ``notEmpty`` | the type, and ``minLength``/``minItems`` 1 |
| ``values`` | an object whose every value is like the first |

Why values without rules mean "the same type" rather than Pact's default equality: a provider test replays the
provider state that produces exactly the expected values, a specification cannot; an unmatched value therefore
means "present, of this type". Any other matcher (``contentType``, ``arrayContains``, ``eachKey``, ``eachValue``,
``semver``, ``statusCode``...) is refused with its name: it is never silently ignored.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_cdcompat.pact import PactError
from pytest_cdcompat.pact.pact_model import Interaction, Matcher, RuleSet, Step

SUPPORTED = frozenset(
    {"type", "min", "max", "regex", "include", "equality", "integer", "decimal", "number", "boolean", "null",
     "date", "time", "timestamp", "datetime", "notEmpty", "values"}
)  # fmt: skip


def check_supported(interaction: Interaction, label: str) -> None:
    """Refuse, by name, a matcher this check does not implement (anywhere in the interaction)."""
    for part, name in ((interaction.request, "request"), (interaction.response, "response")):
        for category, rules in part.rules.items():
            for rs in rules:
                for m in rs.matchers:
                    if m.match not in SUPPORTED:
                        where = _show(rs.path)
                        raise PactError(
                            f"interaction {interaction.label}: the {name} {category} matching rule {m.match!r} at "
                            f"{where} is not supported (supported: {', '.join(sorted(SUPPORTED))})",
                            path=label,
                            pointer=f"/interactions/{interaction.index}/{name}/matchingRules",
                        )


def _show(path: tuple[Step, ...]) -> str:
    out = "$"
    for step in path:
        out += f"[{step}]" if isinstance(step, int) or step == "*" else f".{step}"
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _matches(rule_path: tuple[Step, ...], path: tuple[Step, ...]) -> bool:
    if len(rule_path) != len(path):
        return False
    return all(r == "*" or r == p or (isinstance(r, int) and isinstance(p, int) and r == p) for r, p in
               zip(rule_path, path, strict=True))  # fmt: skip


class SchemaBuilder:
    def __init__(self, rules: tuple[RuleSet, ...]) -> None:
        self.rules = rules

    def lookup(self, path: tuple[Step, ...]) -> RuleSet | None:
        found = [r for r in self.rules if _matches(r.path, path)]
        if not found:
            return None
        return min(found, key=lambda r: sum(1 for s in r.path if s == "*"))  # the most specific path wins

    def build(self, value: Any, path: tuple[Step, ...] = (), inherited: str | None = None) -> Any:
        rs = self.lookup(path)
        if rs is None:
            return self.default(value, path, inherited)
        parts = [self.matcher(m, value, path) for m in rs.matchers] or [self.default(value, path, inherited)]
        if len(parts) == 1:
            return parts[0]
        return {"anyOf": parts} if rs.combine == "OR" else {"allOf": parts}

    def default(self, value: Any, path: tuple[Step, ...], inherited: str | None) -> Any:
        if inherited == "equality":
            return {"const": value}
        if isinstance(value, dict):
            return {
                "type": "object",
                "required": sorted(value),
                "properties": {k: self.build(v, (*path, k), inherited) for k, v in value.items()},
            }
        if isinstance(value, list):
            out: dict[str, Any] = {"type": "array"}
            if value:
                out["items"] = self.build(value[0], (*path, 0), inherited)
            return out
        return {"type": _json_type(value)}

    def matcher(self, m: Matcher, value: Any, path: tuple[Step, ...]) -> Any:
        p = m.params
        if m.match in ("type", "min", "max"):
            out = self.default(value, path, "type")
            if isinstance(value, list):
                if isinstance(p.get("min"), int):
                    out["minItems"] = p["min"]
                if isinstance(p.get("max"), int):
                    out["maxItems"] = p["max"]
            return out
        if m.match == "equality":
            return {"const": value}
        if m.match == "regex":
            regex = p.get("regex")
            if not isinstance(regex, str):
                raise PactError(f"the regex matcher at {_show(path)} has no 'regex'")
            return {"type": "string", "pattern": f"^(?:{regex})$"} if isinstance(value, str) else self.default(
                value, path, "type")  # fmt: skip
        if m.match == "include":
            return {"type": "string", "pattern": re.escape(str(p.get("value", "")))}
        if m.match == "integer":
            return {"type": "integer"}
        if m.match in ("decimal", "number"):
            return {"type": "number"}
        if m.match == "boolean":
            return {"type": "boolean"}
        if m.match == "null":
            return {"type": "null"}
        if m.match in ("date", "time", "timestamp", "datetime"):
            return {"type": "string"}
        if m.match == "notEmpty":
            out = self.default(value, path, "type")
            if isinstance(value, str):
                out["minLength"] = 1
            elif isinstance(value, list):
                out["minItems"] = 1
            return out
        if m.match == "values" and isinstance(value, dict):
            first = next(iter(value.values()), None)
            return {"type": "object", "additionalProperties": self.build(first, (*path, "*"), "type")}
        return self.default(value, path, "type")


def expectation_schema(interaction: Interaction) -> Any:
    """The consumer's acceptance of the response body, as a JSON Schema."""
    return SchemaBuilder(interaction.response.rules.get("body", ())).build(interaction.response.body)


def header_schema(interaction: Interaction, name: str, value: str) -> Any:
    rules = interaction.response.rules.get("header", ())
    rs = next((r for r in rules if r.path and str(r.path[0]).lower() == name.lower()), None)
    if rs is None:
        return {"type": "string"}
    return SchemaBuilder((RuleSet((), rs.matchers, rs.combine),)).build(value)

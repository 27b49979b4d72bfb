"""Shared fixtures for the front-end tests: tiny contracts, hand-built reports and a throwaway git repository."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pytest_cdcompat.core.findings import Direction, DirectionResult, Finding, Report, Severity

SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def order_schema(*statuses: str, title: str | None = None) -> str:
    """A one-property JSON Schema message: removing a status breaks new readers of old messages."""
    doc: dict[str, object] = {
        "$schema": SCHEMA,
        "type": "object",
        "properties": {"status": {"enum": list(statuses)}},
        "required": ["status"],
    }
    if title:
        doc["title"] = title
    return json.dumps(doc, indent=2) + "\n"


OLD = order_schema("new", "paid")
BREAKING = order_schema("new")  # "paid" removed: new consumers reject what the old producer sends
SAFE = order_schema("new", "paid", title="Order")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    out = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def init_repo(root: Path, files: dict[str, str]) -> None:
    """A repository on ``main`` with ``files`` committed."""
    git(root, "init", "-q", "-b", "main")
    write(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def commit_all(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


CI_VARS = (
    "CI",
    "GITHUB_BASE_REF",
    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
    "GITHUB_EVENT_NAME",
    "CI_MERGE_REQUEST_DIFF_BASE_SHA",
)


def sample_report(**overrides: object) -> Report:
    """A report with two operations, a message-level finding, a counterexample, a waiver and a note."""
    onp = Direction.OLD_CONSUMER_NEW_PRODUCER
    nop = Direction.NEW_CONSUMER_OLD_PRODUCER
    findings_old = (
        Finding(
            rule="response-enum-value-added",
            severity=Severity.ERROR,
            location="/paths/~1orders~1{id}/get/responses/200/content/application~1json/schema/properties/status",
            message="'refunded' may be sent and old clients reject it",
            counterexample={"status": "refunded", "id": 7},
            advice="Add the value to the clients first, then to the server.",
            file="contracts/orders.yaml",
            line=41,
            column=15,
        ),
        Finding(
            rule="request-property-became-required",
            severity=Severity.WARNING,
            location="/paths/~1orders/post/requestBody/content/application~1json/schema/required",
            message="'note' is now required | pipes are escaped",
            counterexample=None,
            advice="Give it a default.",
            waived="accepted until the mobile app 5.2 ships",
        ),
    )
    findings_new = (
        Finding(
            rule="operation-removed",
            severity=Severity.ERROR,
            location="/paths/~1orders/post",
            message="POST /orders no longer exists",
            advice="Deprecate it first.",
            waived="the endpoint was never public",
            file="main:contracts/orders.yaml",
            line=12,
            column=5,
            in_old=True,
        ),
    )
    values: dict[str, object] = {
        "kind": "openapi",
        "old": "main:contracts/orders.yaml",
        "new": "contracts/orders.yaml",
        "directions": {onp: DirectionResult(onp, findings_old), nop: DirectionResult(nop, findings_new)},
        "semantics": "tolerant",
        "seed": 12345,
        "examples": 100,
        "notes": ("OpenAPI 3.0 nullable was read as a type union",),
    }
    values.update(overrides)
    return Report(**values)  # type: ignore[arg-type]


def warm_imports(folder: Path) -> None:
    """Import the whole pipeline once, in this process, before pytester snapshots ``sys.modules``.

    Each in-process run restores ``sys.modules`` afterwards, so a module first imported inside it is imported again
    (its rules registered twice, its asserts rewritten again) by the next run. Call it from a module-scoped fixture.
    """
    from pytest_cdcompat import compare, items  # noqa: F401
    from pytest_cdcompat.catalogue import load_all
    from pytest_cdcompat.run import runner  # noqa: F401

    load_all()
    write(folder, {"old.json": OLD, "new.json": BREAKING})
    compare(folder / "old.json", folder / "new.json", seed=1, examples=5)

"""Real git repositories for the release tests: a main branch, a feature branch, one commit per step."""

from __future__ import annotations

import json
from pathlib import Path

from frontends.helpers import commit_all, git, init_repo, write

SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def event(*, required: tuple[str, ...] = ("id", "status"), extra: dict[str, object] | None = None) -> str:
    """An order event (JSON Schema) whose producer this repository ships."""
    props: dict[str, object] = {"id": {"type": "string"}, "status": {"enum": ["new", "paid"]}}
    props = {k: v for k, v in props.items() if k in required or k == "id"}
    props.update(extra or {})
    doc = {"$schema": SCHEMA, "type": "object", "properties": props, "required": list(required)}
    return json.dumps(doc, indent=2) + "\n"


V1 = event()
NO_STATUS = event(required=("id",))  # old consumers require 'status': old_consumer_new_producer breaks
WITH_NOTE = event(extra={"note": {"type": "string"}})  # an optional field added: an expand step


def feature_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    """``main`` with ``files`` (default: contracts/order.json = V1); HEAD on a new branch ``feature``."""
    root.mkdir(parents=True, exist_ok=True)
    init_repo(root, files or {"contracts/order.json": V1})
    git(root, "checkout", "-q", "-b", "feature")
    return root


def step(root: Path, message: str, files: dict[str, str], *, remove: tuple[str, ...] = ()) -> str:
    """Commit ``files`` (and deletions) as one step; returns the commit's sha."""
    write(root, files)
    for rel in remove:
        (root / rel).unlink()
    commit_all(root, message)
    return git(root, "rev-parse", "HEAD")

"""Fixtures for the security tests: a fake git repository, a secret planted outside it, and the CLI run in every
report format with the tool's temporary folder redirected, so that a test can show the secret never appears in any
output and no file appears anywhere but in that temporary folder (which is empty again afterwards)."""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pytest_cdcompat import cli
from pytest_cdcompat.report import FORMATS

SCHEMA = "https://json-schema.org/draft/2020-12/schema"


@dataclass
class Run:
    fmt: str
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class World:
    base: Path  # tmp_path: holds the repository, the outside folder and the tool's temporary folder
    repo: Path
    outside: Path
    tool_tmp: Path
    token: str
    capsys: pytest.CaptureFixture[str]
    before: set[Path] = field(default_factory=set)

    def write(self, rel: str, text: str) -> Path:
        path = self.repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def commit(self) -> None:
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "-m", "state")

    def snapshot(self) -> None:
        self.before = files(self.base, skip=self.tool_tmp)

    def cli(self, *args: str, formats: tuple[str, ...] = FORMATS) -> list[Run]:
        """Run ``cdcompat ARGS --format F`` for every format, in-process, from the repository's root."""
        if not self.before:
            self.snapshot()
        runs = []
        for fmt in formats:
            self.capsys.readouterr()
            code = cli.main([*args, "--format", fmt])
            captured = self.capsys.readouterr()
            runs.append(Run(fmt, code, captured.out, captured.err))
        return runs

    def assert_clean(self, runs: list[Run]) -> None:
        """The secret is in no output, no traceback is, no file appeared outside the tool's temporary folder, and
        that folder is empty again."""
        for run in runs:
            assert self.token not in run.text, f"the secret leaked in the {run.fmt} output"
            assert "Traceback" not in run.text
        assert files(self.base, skip=self.tool_tmp) == self.before, "a file was created outside the temporary folder"
        assert not list(self.tool_tmp.iterdir()), "the temporary folder was not cleaned up"

    def assert_refused(self, runs: list[Run], *fragments: str) -> None:
        for run in runs:
            assert run.code == 2, (run.fmt, run.out, run.err)
            lines = run.err.strip().splitlines()
            assert lines and lines[0].startswith("cdcompat: error: "), run.err
            for fragment in fragments:
                assert fragment in run.err, (fragment, run.err)
        self.assert_clean(runs)


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def files(base: Path, skip: Path) -> set[Path]:
    return {p for p in base.rglob("*") if skip not in p.parents and p != skip and ".git" not in p.parts}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[World]:
    repo = tmp_path / "repo"
    outside = tmp_path / "outside"
    tool_tmp = tmp_path / "tool-tmp"
    for folder in (repo, outside, tool_tmp):
        folder.mkdir()
    git(repo, "init", "-q", "-b", "main")
    token = f"TOPSECRET-{uuid.uuid4().hex}"
    secret = f'{{"type": "string", "enum": ["{token}"], "description": "{token}"}}\n'
    (outside / "secret.json").write_text(secret)
    (outside / "secret.yaml").write_text(secret)
    (outside / "secret.proto").write_text(f'syntax = "proto3";\nmessage {token.replace("-", "_")} {{ int32 a = 1; }}\n')
    (outside / "secret.sql").write_text(f"CREATE TABLE {token.replace('-', '_')} (id INTEGER PRIMARY KEY);\n")
    monkeypatch.setattr(tempfile, "tempdir", str(tool_tmp))
    monkeypatch.chdir(repo)
    monkeypatch.setenv("CI", "true")
    yield World(tmp_path, repo, outside, tool_tmp, token, capsys)

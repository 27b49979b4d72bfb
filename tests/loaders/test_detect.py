from __future__ import annotations

import pytest

from pytest_cdcompat.core.errors import ContractLoadError, UnsupportedKind
from pytest_cdcompat.core.settings import Settings
from pytest_cdcompat.kinds import detect_kind, open_source


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("a.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "openapi"),
        ("a.yaml", "swagger: '2.0'\n", "openapi"),
        ("a.json", '{"asyncapi": "3.0.0"}', "asyncapi"),
        ("a.json", '{"$schema": "http://json-schema.org/draft-07/schema#"}', "jsonschema"),
        ("a.yaml", "type: object\nproperties: {a: {type: string}}\n", "jsonschema"),
        ("a.json", '{"type": "record", "name": "R", "fields": []}', "avro"),
        ("a.json", '{"type": ["object", "null"], "properties": {"a": {}}}', "jsonschema"),
        ("a.json", '{"type": {"type": "string"}, "name": "x"}', "jsonschema"),
        ("a.avsc", "not even json", "avro"),
        ("a.proto", 'syntax = "proto3";', "protobuf"),
        ("a.sql", "CREATE TABLE t (id int);", "sql"),
    ],
)
def test_detect(write, name, text, kind):
    path = write({name: text})
    assert detect_kind(open_source(path, Settings())) == kind


def test_folder_of_migrations_is_sql(write, tmp_path):
    write({"migrations/001_init.sql": "CREATE TABLE t (id int);"})
    assert detect_kind(open_source(tmp_path / "migrations", Settings())) == "sql"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: just some config\nreplicas: 3\n", "not a contract"),
        ("- a\n- b\n", "not a contract"),
        ("hello\n", "not a contract"),
    ],
)
def test_valid_yaml_that_is_no_contract(write, text, message):
    path = write({"config.yaml": text})
    with pytest.raises(UnsupportedKind, match=message) as info:
        detect_kind(open_source(path, Settings()))
    assert "config.yaml" in str(info.value)


def test_missing_file():
    with pytest.raises(ContractLoadError, match="file not found") as info:
        open_source("no/such/contract.yaml", Settings())
    assert "no/such/contract.yaml" in str(info.value)


def test_binary_file_is_reported_by_detection(write):
    path = write({"image.yaml": b"\x89PNG\r\n\x1a\n\x00\x00"})
    with pytest.raises(ContractLoadError, match="binary file"):
        detect_kind(open_source(path, Settings()))


def test_folder_of_migrations_in_a_git_revision(tmp_path):
    import subprocess

    from pytest_cdcompat.sources.source import git_source

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001_init.sql").write_text("CREATE TABLE t (id int);")
    (tmp_path / "api.yaml").write_text("openapi: 3.1.0\n")
    git("add", ".")
    git("commit", "-q", "-m", "v1")
    assert detect_kind(git_source("HEAD", "migrations", cwd=tmp_path)) == "sql"
    assert detect_kind(git_source("HEAD", "api.yaml", cwd=tmp_path)) == "openapi"

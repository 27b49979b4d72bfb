"""Every way out of the repository the issue names: each plants a secret outside the repository and shows that its
content never appears in any output (every report format), that the refusal is one clear line naming the file, the
place and the path, and that no file is created outside the tool's temporary folder."""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.security.conftest import SCHEMA, World

OLD = json.dumps({"$schema": SCHEMA, "type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]})


def schema_with(x: object) -> str:
    return json.dumps({"$schema": SCHEMA, "type": "object", "properties": {"x": x}, "required": ["x"]})


OPENAPI_31 = """openapi: 3.1.0
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {schema}
"""


def test_percent_encoded_absolute_id_does_not_read_the_file(world: World) -> None:
    encoded = str(world.outside / "secret.json").replace("/", "%2F")
    old_y = "{type: object, required: [x], properties: {x: {type: integer}}}"
    world.write("old.yaml", OPENAPI_31.format(schema=f"{{type: object, required: [y], properties: {{y: {old_y}}}}}"))
    inner = f'{{$id: "{encoded}", type: object, required: [x], properties: {{x: {{$ref: "#"}}}}}}'
    world.write("new.yaml", OPENAPI_31.format(schema=f"{{type: object, required: [y], properties: {{y: {inner}}}}}"))
    runs = world.cli("compare", "old.yaml", "new.yaml")
    # '#' under that $id is the subschema carrying it: resolved in the document, the file is never opened
    assert all(r.code in (0, 1) for r in runs), runs
    world.assert_clean(runs)


def test_percent_encoded_ref_to_an_absolute_path_is_refused(world: World) -> None:
    encoded = str(world.outside / "secret.json").replace("/", "%2F")
    world.write("old.json", OLD)
    world.write("new.json", schema_with({"$ref": encoded}))
    runs = world.cli("compare", "old.json", "new.json")
    world.assert_refused(runs, "new.json at /properties/x/$ref", "outside the repository", "--cd-compat-allow-outside")


def test_ref_through_a_committed_symlink_is_refused(world: World) -> None:
    world.write("old.json", OLD)
    world.write("new.json", schema_with({"$ref": "link/secret.yaml"}))
    os.symlink(world.outside, world.repo / "link")
    runs = world.cli("compare", "old.json", "new.json")
    world.assert_refused(runs, "new.json at /properties/x/$ref", "link/secret.yaml", "outside the repository")


def test_ref_climbing_out_is_refused(world: World) -> None:
    world.write("old.json", OLD)
    world.write("new.json", schema_with({"$ref": "../outside/secret.json"}))
    runs = world.cli("compare", "old.json", "new.json")
    world.assert_refused(runs, "/properties/x/$ref", "leaves the repository")


def test_contract_file_that_is_a_symlink_out_is_refused(world: World) -> None:
    world.write("old.json", OLD)
    os.symlink(world.outside / "secret.json", world.repo / "new.json")
    runs = world.cli("compare", "old.json", "new.json")
    world.assert_refused(runs, "new.json", "outside the repository", str(world.outside / "secret.json"))


def test_contract_folder_that_is_a_symlink_out_is_refused(world: World) -> None:
    world.write("old.json", OLD)
    os.symlink(world.outside, world.repo / "contracts")
    runs = world.cli("compare", "old.json", "contracts/secret.json")
    world.assert_refused(runs, "contracts/secret.json", "outside the repository")


def test_check_refuses_a_symlinked_contract_and_goes_on(world: World) -> None:
    world.write("contracts/ok.json", OLD)
    os.symlink(world.outside / "secret.json", world.repo / "contracts" / "leak.json")
    world.commit()
    runs = world.cli("check", "contracts")
    for run in runs:
        assert run.code == 2
        assert "contracts/leak.json" in run.err and "outside the repository" in run.err
    world.assert_clean(runs)


def test_symlinked_contracts_folder_in_check_is_refused(world: World) -> None:
    os.symlink(world.outside, world.repo / "contracts")
    world.write("keep.txt", "x")
    world.commit()
    runs = world.cli("check", "contracts")
    for run in runs:
        assert run.code == 2, (run.out, run.err)
        assert "outside the repository" in run.err
    world.assert_clean(runs)


def test_symlink_inside_the_repository_is_followed(world: World) -> None:
    world.write("old.json", OLD)
    world.write("real/new.json", schema_with({"type": "string"}))
    os.symlink(world.repo / "real" / "new.json", world.repo / "new.json")
    runs = world.cli("compare", "old.json", "new.json", formats=("text",))
    assert runs[0].code == 1 and "type-changed" in runs[0].out


def test_allow_outside_opens_it(world: World) -> None:
    world.write("old.json", OLD)
    world.write("new.json", schema_with({"$ref": "link/secret.json"}))
    os.symlink(world.outside, world.repo / "link")
    runs = world.cli("compare", "old.json", "new.json", "--allow-outside", formats=("text",))
    assert runs[0].code == 1 and world.token in runs[0].out


def test_protobuf_import_climbing_out_writes_nothing_outside(world: World) -> None:
    # laid out by its import path under the tool's folder, this import would land in tmp_path itself
    # the import stays inside the repository (a/b/c/../../../escaped.proto is escaped.proto), but laid out by its
    # import path under the tool's folder it would climb three levels, into tmp_path itself
    world.write("a/b/c/old.proto", 'syntax = "proto3";\nmessage A { int32 a = 1; }\n')
    world.write("a/b/c/new.proto", 'syntax = "proto3";\nimport "../../../escaped.proto";\nmessage A { int32 a = 1; }\n')
    world.write("escaped.proto", 'syntax = "proto3";\nmessage E { int32 e = 1; }\n')
    world.snapshot()
    runs = world.cli("compare", "a/b/c/old.proto", "a/b/c/new.proto")
    world.assert_refused(runs, "a/b/c/new.proto:2", "leaves the repository")
    assert not (world.base / "escaped.proto").exists()


def test_protobuf_import_through_a_symlink_is_refused(world: World) -> None:
    world.write("p/old.proto", 'syntax = "proto3";\nmessage A { int32 a = 1; }\n')
    world.write("p/new.proto", 'syntax = "proto3";\nimport "link/secret.proto";\nmessage A { int32 a = 1; }\n')
    os.symlink(world.outside, world.repo / "p" / "link")
    runs = world.cli("compare", "p/old.proto", "p/new.proto")
    world.assert_refused(runs, "outside the repository")


def test_migration_symlinked_out_is_refused(world: World) -> None:
    world.write("old/0001_init.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    world.write("new/0001_init.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    os.symlink(world.outside / "secret.sql", world.repo / "new" / "0002_more.sql")
    runs = world.cli("compare", "old", "new", "--kind", "sql")
    world.assert_refused(runs, "0002_more.sql", "outside the repository")


def test_migration_folder_symlinked_out_is_refused(world: World) -> None:
    world.write("old/0001_init.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    (world.outside / "migrations").mkdir()
    (world.outside / "migrations" / "0001_init.sql").write_text((world.outside / "secret.sql").read_text())
    os.symlink(world.outside / "migrations", world.repo / "new")
    runs = world.cli("compare", "old", "new", "--kind", "sql")
    world.assert_refused(runs, "new", "outside the repository")


def test_waiver_file_symlinked_out_is_refused(world: World) -> None:
    world.write("old.json", OLD)
    world.write("new.json", OLD)
    (world.outside / "waivers.yaml").write_text(f"- rule: {world.token}\n")
    os.symlink(world.outside / "waivers.yaml", world.repo / "waivers.yaml")
    runs = world.cli("compare", "old.json", "new.json", "--waivers", "waivers.yaml")
    world.assert_refused(runs, "waivers.yaml", "outside the repository")


def test_git_path_climbing_out_is_refused(world: World) -> None:
    world.write("new.json", OLD)
    world.commit()
    runs = world.cli("compare", "HEAD:../outside/secret.json", "new.json")
    world.assert_refused(runs, "HEAD:../outside/secret.json", "outside the repository")


def test_git_path_is_normalised(world: World) -> None:
    world.write("specs/api.json", OLD)
    world.commit()
    runs = world.cli("compare", "HEAD:./specs/../specs/./api.json", "specs/api.json", formats=("text",))
    assert runs[0].code == 0, runs[0].err


@pytest.mark.parametrize("where", ["contract", "ref"])
def test_fifo_is_refused_without_blocking(world: World, where: str) -> None:
    os.mkfifo(world.repo / "pipe.json")
    world.write("old.json", OLD)
    new = "pipe.json"
    if where == "ref":
        world.write("new.json", schema_with({"$ref": "pipe.json"}))
        new = "new.json"
    start = time.monotonic()
    runs = world.cli("compare", "old.json", new)
    assert time.monotonic() - start < 60  # a blocking open would never return; this only bounds a hang
    world.assert_refused(runs, "pipe.json", "FIFO", "only regular files are read")


def test_device_is_refused_even_when_outside_is_allowed(world: World) -> None:
    world.write("old.json", OLD)
    world.write("new.json", schema_with({"$ref": "zero"}))
    os.symlink("/dev/zero", world.repo / "zero")
    runs = world.cli("compare", "old.json", "new.json", "--allow-outside")
    world.assert_refused(runs, "zero", "a device, not a regular file")


def test_unix_socket_in_a_migrations_folder_is_refused(world: World) -> None:
    import socket

    world.write("old/0001_init.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    world.write("new/0001_init.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(world.repo / "new" / "0002_x.sql"))
        runs = world.cli("compare", "old", "new", "--kind", "sql")
    finally:
        sock.close()
    world.assert_refused(runs, "0002_x.sql", "a socket")


def test_pact_file_symlinked_out_is_refused(world: World) -> None:
    from pytest_cdcompat.pact.pact_model import PactError, load_pact
    from pytest_cdcompat.pact.pact_run import looks_like_pact

    pact = {"consumer": {"name": world.token}, "provider": {"name": "p"}, "interactions": []}
    (world.outside / "pact.json").write_text(json.dumps(pact))
    os.symlink(world.outside / "pact.json", world.repo / "pact.json")
    with pytest.raises(PactError) as error:
        load_pact("pact.json")
    assert "outside the repository" in str(error.value) and world.token not in str(error.value)
    assert not looks_like_pact(world.repo / "pact.json")

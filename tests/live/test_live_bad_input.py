"""Every way a live run cannot proceed gets one clear message (exit 2, no traceback), and leaves nothing running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_cdcompat.live.servers import free_port
from pytest_cdcompat.live.targets import parse_headers, redact
from tests.live.conftest import REPO, SPECS, alive, as_json, fake_cmd

V1, V2 = str(SPECS / "v1.yaml"), str(SPECS / "v2.yaml")


def _error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cdcompat: error: "), err
    return lines[0]


def test_unreachable_url(run_live):
    port = free_port()
    code, _, err = run_live(V1, V2, "--old-url", f"http://127.0.0.1:{port}", "--new-url", f"http://127.0.0.1:{port}")
    assert code == 2
    assert f"cannot connect to the new server at http://127.0.0.1:{port}: connection refused" in _error(err)


def test_a_url_off_loopback_is_refused_before_any_request(run_live):
    code, _, err = run_live(V1, V2, "--old-url", "http://127.0.0.1:9", "--new-url", "http://example.com:8080")
    assert code == 2
    assert "--new-url: host 'example.com' is neither loopback nor named with --live-host" in _error(err)


def test_server_that_never_becomes_ready_is_stopped(run_live, tmp_path):
    marker = str(tmp_path / "never-ready")
    cmd = f"{sys.executable} -c 'import time; time.sleep(60)' {marker} {{port}}"
    code, _, err = run_live(V1, V2, "--old-cmd", cmd, "--new-url", "http://127.0.0.1:9", "--ready-timeout", "0.5")
    assert code == 2
    assert "--old-cmd: the old server did not answer on 127.0.0.1:" in _error(err) and "within 0.5 s" in err
    assert not alive(marker)


def test_start_command_that_exits(run_live):
    cmd = f"{sys.executable} -c 'import sys; print(\"address in use\"); sys.exit(3)' {{port}}"
    code, _, err = run_live(V1, V2, "--old-url", "http://127.0.0.1:9", "--new-cmd", cmd)
    assert code == 2
    line = _error(err)
    assert "--new-cmd: the new server's command exited with status 3 before it was ready" in line
    assert "address in use" in line


def test_start_command_without_port_placeholder(run_live):
    code, _, err = run_live(V1, V2, "--old-cmd", "python3 server.py", "--new-url", "http://127.0.0.1:9")
    assert code == 2
    assert "--old-cmd: the command 'python3 server.py' has no {port} placeholder" in _error(err)


def test_a_command_that_cannot_start(run_live):
    code, _, err = run_live(V1, V2, "--old-cmd", "/nonexistent/server {port}", "--new-url", "http://127.0.0.1:9")
    assert code == 2
    assert "--old-cmd: cannot start '/nonexistent/server'" in _error(err)


def test_non_json_response_body_is_a_finding(run_live, spec):
    code, out, err = run_live(str(spec), str(spec), "--old-cmd", fake_cmd("ok"), "--new-cmd", fake_cmd("text"),
                              "--format", "json")  # fmt: skip
    assert code == 1, err
    doc = as_json(out)
    [finding] = doc["directions"]["old_consumer_new_producer"]["findings"]
    assert finding["rule"] == "live-response-rejected"
    assert "the response body is not JSON although its media type is application/json" in finding["message"]
    assert finding["counterexample"]["response"]["body"] == "<html>oops</html>"
    assert doc["directions"]["new_consumer_old_producer"]["findings"] == []


def test_response_larger_than_the_limit(run_live, spec):
    code, _, err = run_live(str(spec), str(spec), "--old-cmd", fake_cmd("ok"), "--new-cmd", fake_cmd("big"),
                            "--live-max-bytes", "10000")  # fmt: skip
    assert code == 2
    assert "bytes is larger than the limit of 10000 bytes (--live-max-bytes)" in _error(err)


def test_redirect_to_another_host_is_not_followed(run_live, spec):
    code, _, err = run_live(str(spec), str(spec), "--old-cmd", fake_cmd("ok"), "--new-cmd", fake_cmd("redirect"))
    assert code == 2
    line = _error(err)
    assert "the new server redirected http://127.0.0.1:" in line
    assert "to http://example.com/things/1 (another host): redirects to another origin are not followed" in line


def test_auth_header_from_the_environment_is_sent_and_never_printed(run_live, spec, monkeypatch):
    monkeypatch.setenv("CDC_TEST_TOKEN", "s3cret")
    args = (str(spec), str(spec), "--old-cmd", fake_cmd("auth"), "--new-cmd", fake_cmd("text"), "--format", "json")
    code, out, err = run_live(*args, "--header", "Authorization: Bearer $CDC_TEST_TOKEN")
    assert code == 1, err
    assert "s3cret" not in out and "s3cret" not in err
    doc = as_json(out)
    # the old server accepted the token: no 401 in the mirror direction
    assert doc["directions"]["new_consumer_old_producer"]["findings"] == []
    [finding] = doc["directions"]["old_consumer_new_producer"]["findings"]
    assert finding["counterexample"]["request"]["headers"]["Authorization"] == "<redacted>"
    assert "'Authorization: <redacted>'" in finding["counterexample"]["replay"]


def test_without_the_token_the_401_is_reported_as_an_undeclared_status(run_live, spec):
    code, out, _ = run_live(str(spec), str(spec), "--old-cmd", fake_cmd("ok"), "--new-cmd", fake_cmd("auth"),
                            "--format", "json")  # fmt: skip
    assert code == 0  # an undeclared 4xx is a warning
    [finding] = as_json(out)["directions"]["old_consumer_new_producer"]["findings"]
    assert (finding["rule"], finding["severity"]) == ("live-status-undeclared", "warning")
    assert "the server answered 401, which the specification does not declare (declared: 200)" in finding["message"]


def test_header_parsing_errors_are_clear():
    with pytest.raises(Exception, match=r"--header: expected 'Name: value'"):
        parse_headers(["no colon here"], {})
    with pytest.raises(Exception, match=r"environment variable \$MISSING is not set"):
        parse_headers(["Authorization: Bearer $MISSING"], {})
    assert parse_headers(["X-Key: ${K}-1"], {"K": "v"}) == {"X-Key": "v-1"}
    assert redact({"Cookie": "a", "X-Trace": "t"}, {"x-trace"}) == {"Cookie": "<redacted>", "X-Trace": "<redacted>"}


def test_ctrl_c_stops_the_started_servers(servers, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "true"}
    code = "import sys; from pytest_cdcompat.cli import main; raise SystemExit(main())"
    args = ["live", V1, V2, "--old-cmd", servers["v1"], "--new-cmd", servers["v2"], "--examples", "0",
            "--live-examples", "100000", "--live-rate", "5", "--seed", "1"]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while len(alive(servers["marker"])) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the servers did not start"
            time.sleep(0.1)
        time.sleep(1.0)  # requests are being sent
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2
    assert b"cdcompat: interrupted" in err
    assert not alive(servers["marker"])
    assert Path(tmp_path).is_dir()

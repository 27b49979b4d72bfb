"""Start each version of the service from a command (``--old-cmd 'python app.py --port {port}'``), wait until it
answers, and always stop it.

Each command gets a free loopback port for its ``{port}`` placeholder and runs in a process group of its own, so
stopping it (SIGTERM, then SIGKILL after a grace period) also stops whatever it started. ``started()`` is a context
manager: servers are stopped when the block ends, whether it returns, raises or is interrupted with Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from pytest_cdcompat.live import LiveError

DEFAULT_READY_TIMEOUT = 15.0
GRACE = 3.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A started version: its process, its port and its URL."""

    name: str
    command: str
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}"

    def output_tail(self, lines: int = 3) -> str:
        self.log.flush()
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace").strip().splitlines()
        return " | ".join(text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(GRACE)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(GRACE)
        else:  # the command exited: stop anything it left running in its group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def _argv(command: str, port: int, option: str) -> list[str]:
    if "{port}" not in command:
        raise LiveError(f"{option}: the command {command!r} has no {{port}} placeholder for the port to listen on")
    try:
        argv = shlex.split(command.replace("{port}", str(port)))
    except ValueError as e:
        raise LiveError(f"{option}: cannot split the command {command!r}: {e}") from None
    if not argv:
        raise LiveError(f"{option}: the command is empty")
    return argv


def start(name: str, command: str, option: str) -> Server:
    port = free_port()
    argv = _argv(command, port, option)
    log = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)  # fmt: skip
    except OSError as e:
        log.close()
        raise LiveError(f"{option}: cannot start {argv[0]!r}: {e.strerror or e}") from None
    return Server(name, command, port, process, log)


def _answers(port: int) -> bool:
    """Whether something accepts connections on the port and answers an HTTP request (any status)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            s.settimeout(1.0)
            return s.recv(5).startswith(b"HTTP/")
    except OSError:
        return False


def wait_ready(server: Server, timeout: float, option: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        code = server.process.poll()
        if code is not None:
            tail = server.output_tail()
            raise LiveError(
                f"{option}: the {server.name} server's command exited with status {code} before it was ready"
                + (f" (its output: {tail})" if tail else "")
            )
        if _answers(server.port):
            return
        if time.monotonic() > deadline:
            raise LiveError(
                f"{option}: the {server.name} server did not answer on 127.0.0.1:{server.port} within {timeout:g} s"
            )
        time.sleep(0.05)


@contextlib.contextmanager
def started(
    commands: dict[str, tuple[str, str]], timeout: float = DEFAULT_READY_TIMEOUT
) -> Iterator[dict[str, Server]]:
    """Start ``{name: (command, option)}`` and yield ``{name: Server}``; every server is stopped on exit."""
    servers: dict[str, Server] = {}
    try:
        for name, (command, option) in commands.items():
            servers[name] = start(name, command, option)
        for name, server in servers.items():
            wait_ready(server, timeout, commands[name][1])
        yield servers
    finally:
        for server in servers.values():
            server.stop()

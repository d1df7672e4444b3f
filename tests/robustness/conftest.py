"""Fixtures of the robustness suite: a secret file, a named pipe and a local socket that must stay untouched.

Why a FIFO: opening a named pipe for reading blocks until a writer appears, so a parser that tried to
read an external entity would hang, and the test can *see* a reader waiting on the pipe instead of
only checking that a value did not show up. Why a socket: a parser that fetched a DTD or an entity
over HTTP would connect to it, and a completed TCP handshake waits in the listen backlog even when
nobody accepts it, so "no connection" is checked exactly, without timing.
"""

from __future__ import annotations

import errno
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SECRET_MARK = "NOFAKTURA-SECRET"


@dataclass
class Secret:
    path: Path
    text: str

    @property
    def uri(self) -> str:
        return self.path.as_uri()


@pytest.fixture
def secret(tmp_path: Path) -> Secret:
    """A file whose content must never appear in a result or a message."""
    text = f"{SECRET_MARK}-{uuid.uuid4().hex}"
    path = tmp_path / "secret.txt"
    path.write_text(text, encoding="ascii")
    return Secret(path, text)


@dataclass
class Fifo:
    path: Path

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    def someone_is_reading(self) -> bool:
        """Opening a FIFO for writing without blocking fails with ENXIO when nobody has it open to read."""
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.ENXIO:
                return False
            raise
        os.write(fd, f"{SECRET_MARK}-fifo".encode())  # unblock the reader so its thread can finish
        os.close(fd)
        return True


@pytest.fixture
def fifo(tmp_path: Path) -> Fifo:
    path = tmp_path / "secret.fifo"
    os.mkfifo(path)
    return Fifo(path)


@dataclass
class Listener:
    port: int
    _server: socket.socket

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connections(self) -> int:
        """How many connections were made (accepted now, from the backlog, without waiting)."""
        count = 0
        while True:
            try:
                conn, _ = self._server.accept()
            except (BlockingIOError, InterruptedError):
                return count
            conn.close()
            count += 1


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    try:
        yield Listener(server.getsockname()[1], server)
    finally:
        server.close()


@dataclass
class Outcome:
    finished: bool
    result: Any = None
    error: BaseException | None = None


def run_guarded(func: Callable[[], Any], timeout: float = 10.0) -> Outcome:
    """Run ``func`` in a daemon thread, so a parser stuck on a pipe or a socket fails the test, not the run."""
    outcome = Outcome(finished=False)

    def target() -> None:
        try:
            outcome.result = func()
        except BaseException as exc:
            outcome.error = exc
        outcome.finished = True

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return outcome

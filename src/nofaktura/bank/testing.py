"""A real SFTP server on 127.0.0.1 for tests of the SFTP channel (library and Odoo addon).

Why not a mock: the channel's job is talking SSH/SFTP correctly (host-key check, authentication,
listing, reading, moving files); only a server exercises that. This one serves a local directory
with paramiko's server classes, on an ephemeral port, in a background thread.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SftpServerInfo", "local_sftp_server"]


@dataclass(frozen=True)
class SftpServerInfo:
    host: str
    port: int
    username: str
    password: str
    #: The server's public host key as an OpenSSH line, what a channel must be configured with.
    host_key: str


def _classes(root: Path, username: str, password: str):
    import paramiko  # noqa: PLC0415

    class Server(paramiko.ServerInterface):
        def check_auth_password(self, user: str, pwd: str) -> int:
            ok = user == username and pwd == password
            return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

        def get_allowed_auths(self, user: str) -> str:
            return "password"

        def check_channel_request(self, kind: str, chanid: int) -> int:
            return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    class Handle(paramiko.SFTPHandle):
        def stat(self):
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))

    class Sftp(paramiko.SFTPServerInterface):
        def _real(self, path: str) -> Path:
            target = (root / path.lstrip("/")).resolve()
            if target != root and root not in target.parents:
                raise PermissionError(path)
            return target

        def list_folder(self, path: str):
            try:
                folder = self._real(path)
                out = []
                for name in sorted(os.listdir(folder)):
                    attr = paramiko.SFTPAttributes.from_stat(os.stat(folder / name))
                    attr.filename = name
                    out.append(attr)
                return out
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno or 2)

        def stat(self, path: str):
            try:
                return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno or 2)

        lstat = stat

        def open(self, path: str, flags: int, attr):
            try:
                handle = Handle(flags)
                if flags & (os.O_WRONLY | os.O_RDWR):  # uploads (deliver a payment file)
                    handle.writefile = open(self._real(path), "wb")  # noqa: SIM115 - paramiko closes the handle
                    handle.readfile = handle.writefile
                else:
                    handle.readfile = open(self._real(path), "rb")  # noqa: SIM115 - paramiko closes the handle
                return handle
            except OSError as exc:
                return paramiko.SFTPServer.convert_errno(exc.errno or 2)

        def remove(self, path: str) -> int:
            os.remove(self._real(path))
            return paramiko.SFTP_OK

        def rename(self, oldpath: str, newpath: str) -> int:
            os.rename(self._real(oldpath), self._real(newpath))
            return paramiko.SFTP_OK

        posix_rename = rename

        def mkdir(self, path: str, attr) -> int:
            os.mkdir(self._real(path))
            return paramiko.SFTP_OK

        def canonicalize(self, path: str) -> str:
            return "/" + str(self._real(path).relative_to(root)).lstrip(".")

    return Server, Sftp


@contextlib.contextmanager
def local_sftp_server(
    root: str | Path, username: str = "bank", password: str = "secret"  # noqa: S107 - a throwaway test server
) -> Iterator[SftpServerInfo]:
    """Serve ``root`` over SFTP on 127.0.0.1 (ephemeral port) until the ``with`` block ends."""
    import paramiko  # noqa: PLC0415

    root = Path(root).resolve()
    host_key = paramiko.ECDSAKey.generate()
    server_cls, sftp_cls = _classes(root, username, password)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    stop = threading.Event()
    transports: list[paramiko.Transport] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            transport = paramiko.Transport(conn)
            transport.add_server_key(host_key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, sftp_cls)
            transports.append(transport)
            try:
                transport.start_server(server=server_cls())
            except (paramiko.SSHException, EOFError, OSError):
                continue

    thread = threading.Thread(target=serve, name="nofaktura-test-sftp", daemon=True)
    thread.start()
    try:
        yield SftpServerInfo(
            host="127.0.0.1", port=listener.getsockname()[1], username=username, password=password,
            host_key=f"{host_key.get_name()} {host_key.get_base64()}",
        )  # fmt: skip
    finally:
        stop.set()
        thread.join(timeout=5)
        for transport in transports:
            transport.close()
        listener.close()

"""Where bank files come from when nobody uploads them: a local folder or an SFTP server.

Why a small interface: the Odoo cron only needs "which files are waiting", "give me its bytes" and
"this one is done". A folder (mounted share, a bank client that drops files) and an SFTP server
(the bank's or a file-transfer service's) both fit, and tests use a real local SFTP server
(:mod:`nofaktura.bank.testing`), not mocks.

SFTP always checks the server's host key against the one configured: a file channel that would
accept any server could be fed forged payment files.
"""

from __future__ import annotations

import base64
import io
import posixpath
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from nofaktura.exceptions import AuthenticationFailed, ServiceUnavailable, TransportError

__all__ = ["FileSource", "FolderSource", "SftpSource", "parse_host_key"]

#: Largest file a channel hands over (a 100,000-transaction camt.054 is about 60 MB).
MAX_FILE_BYTES = 200 * 1024 * 1024


class FileSource(Protocol):
    def names(self) -> list[str]:
        """Names of the files waiting, oldest first where the source knows it."""

    def read(self, name: str) -> bytes: ...

    def done(self, name: str) -> None:
        """The file has been stored: move it out of the way so it is not fetched again."""

    def close(self) -> None: ...

    def deliver(self, name: str, data: bytes, directory: str = "outbox") -> str:
        """Put an outgoing file (a pain.001) in ``directory``; return its path. Never overwrites."""


class FolderSource:
    """Files in a local folder; done files move to ``<folder>/<done_dir>``."""

    def __init__(self, folder: str | Path, done_dir: str = "processed") -> None:
        self.folder = Path(folder)
        self.done_dir = self.folder / done_dir
        if not self.folder.is_dir():
            raise TransportError(f"the folder {self.folder} does not exist")

    def names(self) -> list[str]:
        files = [p for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")]
        files.sort(key=lambda p: (p.stat().st_mtime, p.name))
        return [p.name for p in files]

    def read(self, name: str) -> bytes:
        path = self._path(name)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TransportError(f"{path} is larger than {MAX_FILE_BYTES} bytes")
        return path.read_bytes()

    def done(self, name: str) -> None:
        self.done_dir.mkdir(exist_ok=True)
        target = self.done_dir / name
        counter = 1
        while target.exists():
            target = self.done_dir / f"{name}.{counter}"
            counter += 1
        shutil.move(str(self._path(name)), str(target))

    def close(self) -> None:
        return None

    def deliver(self, name: str, data: bytes, directory: str = "outbox") -> str:
        """Write ``data`` as ``<folder>/<directory>/<name>``: first as a hidden part file, then renamed, so a
        bank client watching the folder never picks up half a file. A file of that name already there is
        an error (a payment file is never replaced: the bank may have taken it)."""
        target_dir = self.folder / _plain(directory)
        target_dir.mkdir(exist_ok=True)
        target = target_dir / _plain(name)
        if target.exists():
            raise TransportError(f"{target} already exists: a payment file is never overwritten")
        part = target_dir / f".{target.name}.part"
        part.write_bytes(data)
        part.rename(target)
        return str(target)

    def _path(self, name: str) -> Path:
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise TransportError(f"not a plain file name: {name!r}")
        return self.folder / name


def parse_host_key(text: str):  # -> paramiko.PKey
    """An OpenSSH public key line (``ssh-ed25519 AAAA… [comment]``) as a paramiko key."""
    import paramiko  # noqa: PLC0415 - only SFTP channels need paramiko

    parts = text.strip().split()
    if len(parts) < 2:
        raise TransportError("the SFTP host key must be an OpenSSH public key line: '<type> <base64>'")
    try:
        data = base64.b64decode(parts[1])
    except ValueError as exc:
        raise TransportError("the SFTP host key is not valid base64") from exc
    try:
        return paramiko.PKey.from_type_string(parts[0], data)
    except (paramiko.SSHException, ValueError) as exc:
        raise TransportError(f"the SFTP host key cannot be read: {exc}") from exc


class SftpSource:
    """Files in a directory on an SFTP server; done files are moved to ``done_dir`` there (or removed)."""

    def __init__(
        self,
        host: str,
        *,
        username: str,
        host_key: str,
        port: int = 22,
        password: str | None = None,
        private_key: str | None = None,
        directory: str = ".",
        done_dir: str | None = "processed",
        timeout: float = 30.0,
    ) -> None:
        import paramiko  # noqa: PLC0415

        expected = parse_host_key(host_key)
        self.directory = directory
        self.done_dir = done_dir
        try:
            self._transport = paramiko.Transport((host, port))
            self._transport.banner_timeout = timeout
            self._transport.start_client(timeout=timeout)
            server_key = self._transport.get_remote_server_key()
            if server_key.get_name() != expected.get_name() or server_key.asbytes() != expected.asbytes():
                self._transport.close()
                raise AuthenticationFailed(
                    f"the SFTP server {host}:{port} presented a different host key ({server_key.get_name()}) "
                    "than the one configured: refusing to fetch files from it"
                )
            if private_key:
                key = _load_private_key(private_key)
                self._transport.auth_publickey(username, key)
            elif password is not None:
                self._transport.auth_password(username, password)
            else:
                raise AuthenticationFailed("no SFTP password or private key configured")
            self._sftp = paramiko.SFTPClient.from_transport(self._transport)
            self._sftp.get_channel().settimeout(timeout)
        except paramiko.AuthenticationException as exc:
            self._transport.close()
            raise AuthenticationFailed(f"the SFTP server {host}:{port} refused the credentials") from exc
        except (OSError, paramiko.SSHException) as exc:
            raise ServiceUnavailable(f"cannot reach the SFTP server {host}:{port}: {exc}") from exc

    def names(self) -> list[str]:
        entries = [e for e in self._sftp.listdir_attr(self.directory)
                   if stat.S_ISREG(e.st_mode or 0) and not e.filename.startswith(".")]  # fmt: skip
        entries.sort(key=lambda e: (e.st_mtime or 0, e.filename))
        return [e.filename for e in entries]

    def read(self, name: str) -> bytes:
        path = self._path(name)
        size = self._sftp.stat(path).st_size or 0
        if size > MAX_FILE_BYTES:
            raise TransportError(f"{path} is larger than {MAX_FILE_BYTES} bytes")
        buffer = io.BytesIO()
        self._sftp.getfo(path, buffer)
        return buffer.getvalue()

    def done(self, name: str) -> None:
        path = self._path(name)
        if not self.done_dir:
            self._sftp.remove(path)
            return
        target_dir = posixpath.join(self.directory, self.done_dir)
        try:
            self._sftp.stat(target_dir)
        except FileNotFoundError:
            self._sftp.mkdir(target_dir)
        self._sftp.posix_rename(path, posixpath.join(target_dir, name))

    def close(self) -> None:
        self._sftp.close()
        self._transport.close()

    def deliver(self, name: str, data: bytes, directory: str = "outbox") -> str:
        """Upload ``data`` as ``<directory>/<name>`` (relative to the channel's directory unless absolute):
        uploaded under a hidden part name and renamed when complete; refuses to overwrite a file."""
        target_dir = directory if directory.startswith("/") else posixpath.join(self.directory, directory)
        target = posixpath.join(target_dir, _plain(name))
        try:
            self._sftp.stat(target_dir)
        except FileNotFoundError:
            self._sftp.mkdir(target_dir)
        try:
            self._sftp.stat(target)
        except FileNotFoundError:
            pass
        else:
            raise TransportError(f"{target} already exists on the server: a payment file is never overwritten")
        part = posixpath.join(target_dir, f".{_plain(name)}.part")
        try:
            self._sftp.putfo(io.BytesIO(data), part)
            self._sftp.posix_rename(part, target)
        except OSError as exc:
            raise TransportError(f"uploading {target} failed: {exc}") from exc
        return target

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def _path(self, name: str) -> str:
        if "/" in name or name in ("", ".", ".."):
            raise TransportError(f"not a plain file name: {name!r}")
        return posixpath.join(self.directory, name)


def _plain(name: str) -> str:
    if not isinstance(name, str) or "/" in name or "\\" in name or name in ("", ".", "..") or name.startswith("."):
        raise TransportError(f"not a plain file or folder name: {name!r}")
    return name


def _load_private_key(text: str):
    import paramiko  # noqa: PLC0415

    for cls in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return cls.from_private_key(io.StringIO(text))
        except (paramiko.SSHException, ValueError):
            continue
    raise AuthenticationFailed("the SFTP private key cannot be read (OpenSSH/PEM RSA, ECDSA or Ed25519 expected)")

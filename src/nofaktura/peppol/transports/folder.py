"""Folder exchange with an access point: outbox, inbox and receipts directories, local or over SFTP.

Many Norwegian access points offer this besides (or instead of) an API: we drop the EHF XML into an
``outbox`` directory, they drop received documents into an ``inbox`` and delivery feedback into a
``receipts`` directory. The same class works on a local (or mounted) path and over SFTP (paramiko);
only the small :class:`Filesystem` below differs.

Conventions (configurable, as access points differ):

- **Sending**: the file name is the idempotency key made file-safe, plus ``.xml``. It is written as a
  hidden temporary file (``.<name>.tmp``) and renamed, so the access point never picks up half a file
  (rename is atomic on POSIX and with SFTP's ``posix-rename``). If a file of that name is already in the
  outbox or has a receipt, nothing is written and the first receipt is returned (``duplicate=True``):
  idempotency by file name. The message id is the file name.
- **Status**: a receipt file ``<message_id>.<ok_suffix>`` means delivered, ``<message_id>.<error_suffix>``
  failed (its text is the reason); a file still in the outbox is pending; gone without a receipt is sent.
- **Receiving**: every ``*.xml`` file in the inbox (hidden and temporary names skipped) is offered;
  :meth:`acknowledge` moves it to ``inbox/<archive>`` (or deletes it when ``archive`` is None).

Credentials (SFTP password or key) are held by :class:`SftpFilesystem` and never shown by ``repr``.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import stat
from abc import ABC, abstractmethod
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import paramiko

from nofaktura.exceptions import TransportError
from nofaktura.messages import msg
from nofaktura.peppol.transports.base import (
    AccessPointTransport,
    DeliveryState,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    Receipt,
    translate_errors,
)

__all__ = ["Filesystem", "FolderExchange", "LocalFilesystem", "SftpFilesystem", "safe_filename"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_filename(key: str) -> str:
    """A file name from an idempotency key: only ``[A-Za-z0-9._-]``, no leading dot.

    Characters outside that set become ``_`` plus their code point, so two keys never share a name.
    """
    name = _UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", key)
    return "_" + name if name.startswith(".") else name


class Filesystem(ABC):
    """The few file operations the exchange needs; paths are POSIX, relative to the exchange root."""

    @abstractmethod
    def listdir(self, path: str) -> list[str]: ...

    @abstractmethod
    def exists(self, path: str) -> bool: ...

    @abstractmethod
    def read(self, path: str) -> bytes: ...

    @abstractmethod
    def write(self, path: str, data: bytes) -> None: ...

    @abstractmethod
    def rename(self, src: str, dst: str) -> None:
        """Atomic rename that replaces ``dst``."""

    @abstractmethod
    def remove(self, path: str) -> None: ...

    @abstractmethod
    def makedirs(self, path: str) -> None: ...

    def mtime(self, path: str) -> datetime | None:
        return None

    def close(self) -> None:  # noqa: B027 - optional: only remote filesystems hold a connection
        """Release the connection, if any."""


class LocalFilesystem(Filesystem):
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _p(self, path: str) -> Path:
        full = (self.root / path).resolve()
        if self.root.resolve() not in (full, *full.parents):
            raise TransportError(msg("ap.path_escapes", path=path))
        return full

    def listdir(self, path: str) -> list[str]:
        p = self._p(path)
        return sorted(x.name for x in p.iterdir() if x.is_file()) if p.is_dir() else []

    def exists(self, path: str) -> bool:
        return self._p(path).exists()

    def read(self, path: str) -> bytes:
        return self._p(path).read_bytes()

    def write(self, path: str, data: bytes) -> None:
        self._p(path).write_bytes(data)

    def rename(self, src: str, dst: str) -> None:
        self._p(src).replace(self._p(dst))

    def remove(self, path: str) -> None:
        self._p(path).unlink(missing_ok=True)

    def makedirs(self, path: str) -> None:
        self._p(path).mkdir(parents=True, exist_ok=True)

    def mtime(self, path: str) -> datetime | None:
        return datetime.fromtimestamp(self._p(path).stat().st_mtime, tz=timezone.utc)

    def __repr__(self) -> str:
        return f"LocalFilesystem({str(self.root)!r})"


class SftpFilesystem(Filesystem):
    """The exchange over SFTP. Give ``sftp`` (a ``paramiko.SFTPClient``, e.g. from a test server) or
    ``host``/``username`` and a ``password`` or ``pkey``; the connection opens on first use.

    ``host_key`` (``paramiko.PKey``) pins the server key; without it, unknown host keys are refused
    (paramiko's RejectPolicy) unless they are in the system's known_hosts.
    """

    def __init__(
        self,
        *,
        root: str = ".",
        sftp: Any = None,
        host: str | None = None,
        port: int = 22,
        username: str | None = None,
        password: str | None = None,
        pkey: Any = None,
        host_key: Any = None,
        timeout: float = 30.0,
    ) -> None:
        if sftp is None and not (host and username):
            raise ValueError("SftpFilesystem needs an sftp client or host and username")
        self.root = root
        self._sftp = sftp
        self._ssh: Any = None
        self.host, self.port, self.username = host, port, username
        self.__password = password
        self.__pkey = pkey
        self._host_key = host_key
        self._timeout = timeout

    def __repr__(self) -> str:  # credentials stay out of logs and tracebacks
        return f"SftpFilesystem(host={self.host!r}, port={self.port}, username={self.username!r}, root={self.root!r})"

    @property
    def sftp(self) -> Any:
        if self._sftp is None:
            with translate_errors(f"connecting to SFTP {self.host}"):
                ssh = paramiko.SSHClient()
                ssh.load_system_host_keys()
                if self._host_key is not None:
                    ssh.get_host_keys().add(
                        f"[{self.host}]:{self.port}" if self.port != 22 else self.host,
                        self._host_key.get_name(),
                        self._host_key,
                    )
                ssh.set_missing_host_key_policy(paramiko.RejectPolicy())
                ssh.connect(
                    self.host,
                    port=self.port,
                    username=self.username,
                    password=self.__password,
                    pkey=self.__pkey,
                    timeout=self._timeout,
                    allow_agent=False,
                    look_for_keys=False,
                )
                self._ssh = ssh
                self._sftp = ssh.open_sftp()
        return self._sftp

    def _p(self, path: str) -> str:
        norm = posixpath.normpath(posixpath.join("/", path)).lstrip("/")
        return posixpath.join(self.root, norm) if norm else self.root

    def listdir(self, path: str) -> list[str]:
        try:
            entries = self.sftp.listdir_attr(self._p(path))
        except FileNotFoundError:
            return []
        return sorted(e.filename for e in entries if not stat.S_ISDIR(e.st_mode or 0))

    def exists(self, path: str) -> bool:
        try:
            self.sftp.stat(self._p(path))
        except FileNotFoundError:
            return False
        return True

    def read(self, path: str) -> bytes:
        with self.sftp.open(self._p(path), "rb") as handle:
            return handle.read()

    def write(self, path: str, data: bytes) -> None:
        with self.sftp.open(self._p(path), "wb") as handle:
            handle.write(data)

    def rename(self, src: str, dst: str) -> None:
        self.sftp.posix_rename(self._p(src), self._p(dst))

    def remove(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.sftp.remove(self._p(path))

    def makedirs(self, path: str) -> None:
        current = ""
        for part in [p for p in path.split("/") if p]:
            current = posixpath.join(current, part)
            if not self.exists(current):
                try:
                    self.sftp.mkdir(self._p(current))
                except OSError:
                    if not self.exists(current):
                        raise

    def mtime(self, path: str) -> datetime | None:
        attrs = self.sftp.stat(self._p(path))
        return datetime.fromtimestamp(attrs.st_mtime, tz=timezone.utc) if attrs.st_mtime else None

    def close(self) -> None:
        if self._ssh is not None:
            self._ssh.close()
            self._ssh = self._sftp = None


class FolderExchange(AccessPointTransport):
    name = "folder"

    def __init__(
        self,
        fs: Filesystem,
        *,
        outbox: str = "outbox",
        inbox: str = "inbox",
        receipts: str = "receipts",
        archive: str | None = "processed",
        ok_suffix: str = "ok",
        error_suffix: str = "error",
        create_dirs: bool = True,
    ) -> None:
        self.fs = fs
        self.outbox, self.inbox, self.receipts, self.archive = outbox, inbox, receipts, archive
        self.ok_suffix, self.error_suffix = ok_suffix, error_suffix
        self._dirs_ready = not create_dirs

    def __repr__(self) -> str:
        return f"FolderExchange({self.fs!r})"

    def _ensure_dirs(self) -> None:
        if not self._dirs_ready:
            for d in (self.outbox, self.inbox, self.receipts):
                self.fs.makedirs(d)
            if self.archive:
                self.fs.makedirs(posixpath.join(self.inbox, self.archive))
            self._dirs_ready = True

    def _receipt(self, message_id: str) -> tuple[DeliveryState, str] | None:
        for suffix, state in ((self.error_suffix, DeliveryState.FAILED), (self.ok_suffix, DeliveryState.DELIVERED)):
            path = posixpath.join(self.receipts, f"{message_id}.{suffix}")
            if self.fs.exists(path):
                detail = self.fs.read(path).decode("utf-8", "replace").strip()[:2000]
                return state, detail
        return None

    def send(self, document: OutgoingDocument) -> Receipt:
        with translate_errors("writing to the outbox"):
            self._ensure_dirs()
            name = safe_filename(document.idempotency_key) + ".xml"
            final = posixpath.join(self.outbox, name)
            if self.fs.exists(final) or self._receipt(name) is not None:
                return Receipt(name, document.idempotency_key, None, duplicate=True)
            temp = posixpath.join(self.outbox, f".{name}.tmp")
            self.fs.write(temp, document.content)
            self.fs.rename(temp, final)
            return Receipt(name, document.idempotency_key, datetime.now(timezone.utc))

    def status(self, message_id: str) -> DeliveryStatus:
        with translate_errors("reading receipts"):
            found = self._receipt(message_id)
            if found is not None:
                return DeliveryStatus(message_id, found[0], found[1])
            if self.fs.exists(posixpath.join(self.outbox, message_id)):
                return DeliveryStatus(message_id, DeliveryState.PENDING, "waiting in the outbox")
            return DeliveryStatus(message_id, DeliveryState.SENT, "picked up by the access point")

    def fetch_incoming(self) -> list[IncomingDocument]:
        with translate_errors("reading the inbox"):
            self._ensure_dirs()
            documents = []
            for name in self.fs.listdir(self.inbox):
                if name.startswith(".") or name.endswith(".tmp") or not name.lower().endswith(".xml"):
                    continue
                path = posixpath.join(self.inbox, name)
                documents.append(
                    IncomingDocument(name, self.fs.read(path), received_at=self.fs.mtime(path), filename=name)
                )
            return documents

    def acknowledge(self, incoming_id: str) -> None:
        if "/" in incoming_id or incoming_id.startswith("."):
            raise TransportError(msg("ap.not_inbox_name", id=incoming_id))
        with translate_errors("acknowledging an inbox file"):
            path = posixpath.join(self.inbox, incoming_id)
            if self.archive:
                self.fs.rename(path, posixpath.join(self.inbox, self.archive, incoming_id))
            else:
                self.fs.remove(path)

    def close(self) -> None:
        self.fs.close()

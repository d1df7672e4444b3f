"""A fake Enhetsregisteret for tests: an ``httpx.MockTransport`` that answers like the register.

Why in the library (like :mod:`nofaktura.digipost.testing`): the library tests and the Odoo addon tests need
the same fake. No socket is opened, so nothing can reach the real service.

It serves ``GET /enheter/{orgnr}``, ``GET /underenheter/{orgnr}`` (200 with the unit, 404 unknown, 410 for
numbers marked gone) and ``GET /enheter?navn=…&page=&size=`` / ``GET /underenheter?navn=|overordnetEnhet=``
(case-insensitive substring match on the name, paged with the register's ``page`` block, ``_embedded``
left out when nothing matched, as the register does). :meth:`FakeRegistry.fail_next` queues failures
(``timeout``, ``connect``, ``500``, ``503``, ``429``, ``malformed``, ``huge``, ``redirect``).

:meth:`FakeRegistry.from_corpus` loads the shared corpus fixtures (``../shared/corpora/brreg/fixtures``) by
path. Their numbers (python-brreg test data such as ``112233445``) fail the MOD11 check that the client runs
before any request, so the fake can serve a fixture under another, valid number (``renumber``): the body is
the corpus's, only ``organisasjonsnummer`` is replaced.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

__all__ = ["FakeRegistry"]

FAILURES = ("timeout", "connect", "500", "503", "429", "malformed", "huge", "redirect")


class FakeRegistry:
    """Units by number, gone numbers, queued failures; ``transport`` is the ``httpx.MockTransport``."""

    def __init__(self) -> None:
        self.units: dict[str, dict[str, Any]] = {}
        self.subunits: dict[str, dict[str, Any]] = {}
        self.gone: set[str] = set()
        self.requests: list[httpx.Request] = []
        self._failures: list[str] = []
        self.transport = httpx.MockTransport(self._handle)

    # -- set-up -----------------------------------------------------------------------------------------

    def add(self, body: Mapping[str, Any], *, orgnr: str | None = None, subunit: bool = False) -> dict[str, Any]:
        """Serve ``body`` (a deep copy), under ``orgnr`` when given (its ``organisasjonsnummer`` replaced)."""
        data = copy.deepcopy(dict(body))
        if orgnr is not None:
            data["organisasjonsnummer"] = orgnr
        (self.subunits if subunit else self.units)[data["organisasjonsnummer"]] = data
        return data

    def mark_gone(self, orgnr: str) -> None:
        self.gone.add(orgnr)
        self.units.pop(orgnr, None)
        self.subunits.pop(orgnr, None)

    def fail_next(self, kind: str, times: int = 1) -> None:
        if kind not in FAILURES:
            raise ValueError(f"unknown failure {kind!r}; one of {FAILURES}")
        self._failures.extend([kind] * times)

    @classmethod
    def from_corpus(cls, fixtures: str | Path, renumber: Mapping[str, str] | None = None) -> FakeRegistry:
        """Every unit of the corpus fixtures (details and search answers), ``renumber`` mapping a fixture's
        number to the number to serve it under."""
        folder = Path(fixtures)
        renumber = dict(renumber or {})
        fake = cls()

        def load(name: str) -> Any:
            return json.loads((folder / name).read_text(encoding="utf-8"))

        for name, subunit in (
            ("enheter-details-response.json", False),
            ("enheter-details-deleted-response.json", False),
            ("underenheter-details-response.json", True),
            ("underenheter-details-deleted-response.json", True),
        ):
            body = load(name)
            fake.add(body, orgnr=renumber.get(body["organisasjonsnummer"]), subunit=subunit)
        for name, key, subunit in (
            ("enheter-search-response.json", "enheter", False),
            ("enheter-search-page1-response.json", "enheter", False),
            ("enheter-search-page2-response.json", "enheter", False),
            ("underenheter-search-response.json", "underenheter", True),
        ):
            for body in load(name).get("_embedded", {}).get(key, []):
                number = renumber.get(body["organisasjonsnummer"], body["organisasjonsnummer"])
                if number not in (fake.subunits if subunit else fake.units):
                    fake.add(body, orgnr=number, subunit=subunit)
        return fake

    # -- the HTTP side ----------------------------------------------------------------------------------

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self._failures:
            failure = self._failures.pop(0)
            if failure == "timeout":
                raise httpx.ReadTimeout("timed out", request=request)
            if failure == "connect":
                raise httpx.ConnectError("connection refused", request=request)
            if failure == "malformed":
                return httpx.Response(200, content=b'{"organisasjonsnummer": "97603', request=request)
            if failure == "huge":
                return httpx.Response(200, content=b" " * (8 * 1024 * 1024) + b"{}", request=request)
            if failure == "redirect":
                return httpx.Response(302, headers={"Location": "https://elsewhere.example/"}, request=request)
            return httpx.Response(int(failure), json={"status": int(failure)}, request=request)
        parts = [p for p in request.url.path.split("/") if p]
        tail = parts[parts.index("api") + 1 :] if "api" in parts else parts
        if len(tail) == 2 and tail[0] in ("enheter", "underenheter"):
            return self._detail(tail[0], tail[1], request)
        if len(tail) == 1 and tail[0] in ("enheter", "underenheter"):
            return self._search(tail[0], request)
        return httpx.Response(404, json={"status": 404}, request=request)

    def _detail(self, kind: str, orgnr: str, request: httpx.Request) -> httpx.Response:
        if not (orgnr.isdigit() and len(orgnr) == 9):
            return httpx.Response(400, json={"status": 400, "error": "Bad Request"}, request=request)
        if orgnr in self.gone:
            return httpx.Response(410, json={"status": 410, "error": "Gone"}, request=request)
        store = self.subunits if kind == "underenheter" else self.units
        if orgnr not in store:
            return httpx.Response(404, json={"status": 404, "error": "Not Found"}, request=request)
        return httpx.Response(200, json=store[orgnr], request=request)

    def _search(self, kind: str, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        try:
            page, size = int(params.get("page", "0")), int(params.get("size", "20"))
        except ValueError:
            return httpx.Response(400, json={"status": 400}, request=request)
        if page < 0 or size < 1 or (page + 1) * size > 10_000:
            return httpx.Response(400, json={"status": 400}, request=request)
        name = params.get("navn", "").casefold()
        parent = params.get("overordnetEnhet")
        store = self.subunits if kind == "underenheter" else self.units
        hits = [
            unit
            for number, unit in sorted(store.items())
            if name in unit.get("navn", "").casefold()
            and (parent is None or unit.get("overordnetEnhet") == parent)
            and "slettedato" not in unit
        ]
        total_pages = (len(hits) + size - 1) // size
        body: dict[str, Any] = {
            "_links": {"self": {"href": str(request.url)}},
            "page": {"size": size, "totalElements": len(hits), "totalPages": total_pages, "number": page},
        }
        chunk = hits[page * size : (page + 1) * size]
        if chunk:
            body["_embedded"] = {kind: chunk}
        return httpx.Response(200, json=body, request=request)

"""An Enhetsregisteret client: lookup by organisation number, search by name, main units and sub-units.

The open API of Brønnøysundregistrene (``https://data.brreg.no/enhetsregisteret/api``) needs no account.
What this client adds around httpx, and why:

- **The number is checked before any request** (:func:`nofaktura.identifiers.validate_orgnr`, MOD11): a typo
  is the user's to fix now, not a 400 from the register later.
- **Every failure of the service is one typed error**, :class:`~nofaktura.exceptions.RegistryUnavailable`
  (a :class:`~nofaktura.exceptions.ServiceUnavailable`): down, 5xx, timeout, a redirect, malformed JSON, an
  answer over ``max_bytes``. A form that looks a number up catches that one class, shows its message and
  saves anyway. 429 and our own limiter raise :class:`~nofaktura.exceptions.RateLimited` (also a
  ServiceUnavailable).
- **404 → UnitNotFound, 410 Gone → UnitDeleted**; a unit answered with ``slettedato`` is returned with
  ``deleted`` set (the register does both, NOTES.md).
- **A TTL cache** (injectable clock) for found units, "not found" answers and search pages: a partner list
  checked every night, or a user tabbing in and out of a field, does not ask the register again. Failures
  are never cached.
- **A token-bucket rate limiter** (injectable clock): a batch check cannot hammer a public service.

The HTTP transport is injected (``httpx.MockTransport`` in tests), so nothing here needs the network.

>>> from nofaktura.exceptions import InvalidChecksum
>>> try:
...     BrregClient(transport=httpx.MockTransport(lambda r: httpx.Response(500))).lookup("123456789")
... except InvalidChecksum as exc:
...     print(exc)
Organisation number '123456789': The number's check digit is not correct.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import httpx

from nofaktura.brreg.model import SearchPage, Unit, parse_search, parse_unit
from nofaktura.exceptions import BadQuery, RateLimited, RegistryUnavailable, UnitDeleted, UnitNotFound
from nofaktura.identifiers import validate_orgnr
from nofaktura.messages import msg

__all__ = ["DEFAULT_BASE_URL", "BrregClient", "RateLimiter", "TTLCache"]

DEFAULT_BASE_URL = "https://data.brreg.no/enhetsregisteret/api"
DEFAULT_TIMEOUT = 8.0
#: A unit is a few kB, a search page of 100 units some 300 kB; anything far beyond is not an answer.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
#: The register's own limits on paging: ``page * size`` may not pass 10 000.
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000
#: How long answers are kept. A unit changes rarely; "not found" is kept shorter (a new company appears).
DEFAULT_TTL = 24 * 3600.0
NOT_FOUND_TTL = 3600.0
_MISS = object()


class TTLCache:
    """A small least-recently-used cache whose entries expire ``ttl`` seconds after they were stored.

    ``clock`` returns seconds (``time.monotonic`` by default; tests pass their own)."""

    def __init__(
        self, ttl: float = DEFAULT_TTL, *, max_entries: int = 2048, clock: Callable[[], float] = time.monotonic
    ):
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._data: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return default
            expires, value = entry
            if self._clock() >= expires:
                del self._data[key]
                return default
            self._data.move_to_end(key)
            return value

    def set(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        with self._lock:
            self._data[key] = (self._clock() + (self.ttl if ttl is None else ttl), value)
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class RateLimiter:
    """A token bucket: ``rate`` requests per ``per`` seconds on average, bursts up to ``burst``.

    :meth:`acquire` never sleeps: it answers whether a request may go now, so a web request is refused at
    once rather than held (``wait_time`` says how long until the next token)."""

    def __init__(
        self,
        rate: float = 5.0,
        per: float = 1.0,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or per <= 0:
            raise ValueError("rate and per must be positive")
        self._fill = rate / per
        self.burst = float(burst if burst is not None else max(1, int(rate)))
        self._clock = clock
        self._tokens = self.burst
        self._stamp = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self._fill)
        self._stamp = now

    def acquire(self) -> bool:
        with self._lock:
            self._refill()
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False

    def wait_time(self) -> float:
        with self._lock:
            self._refill()
            return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self._fill


class BrregClient:
    """Asks the Enhetsregisteret. All arguments are keywords; the defaults talk to the public API.

    ``transport``: an httpx transport (tests: ``httpx.MockTransport``); ``cache``/``limiter``: pass your
    own to share them between clients or to set clocks, ``None`` for the defaults, ``False`` to switch
    them off."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        cache: TTLCache | bool | None = None,
        limiter: RateLimiter | bool | None = None,
        user_agent: str = "nofaktura (+https://data.brreg.no/enhetsregisteret/api)",
    ) -> None:
        if not base_url.lower().startswith(("https://", "http://")):
            raise ValueError(f"the Enhetsregisteret base URL must be http(s): {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.max_bytes = max_bytes
        # isinstance, not truthiness: an empty TTLCache has len() 0.
        self.cache: TTLCache | None = (
            cache if isinstance(cache, TTLCache) else (TTLCache() if cache in (None, True) else None)
        )
        self.limiter: RateLimiter | None = (
            limiter if isinstance(limiter, RateLimiter) else (RateLimiter() if limiter in (None, True) else None)
        )
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> BrregClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public API ------------------------------------------------------------------------------------

    def lookup(self, orgnr: str) -> Unit:
        """The main unit with this organisation number (spaces allowed). Raises InvalidChecksum/
        InvalidFormat before any request, UnitNotFound (404), UnitDeleted (410), RegistryUnavailable."""
        return self._lookup("enheter", validate_orgnr(orgnr))

    def lookup_subunit(self, orgnr: str) -> Unit:
        """The sub-unit (*underenhet*, an establishment) with this number; same errors as :meth:`lookup`."""
        return self._lookup("underenheter", validate_orgnr(orgnr))

    def lookup_any(self, orgnr: str) -> Unit:
        """A main unit, or the sub-unit with this number when no main unit has it: what a user typing a
        number from a letterhead means."""
        number = validate_orgnr(orgnr)
        try:
            return self._lookup("enheter", number)
        except UnitDeleted:
            raise
        except UnitNotFound:
            return self._lookup("underenheter", number)

    def search(self, name: str, *, page: int = 0, size: int = 20, **filters: str | bool | int) -> SearchPage:
        """Main units whose name matches ``name`` (the register's own matching), one page. ``filters``
        are further query parameters of ``/enheter`` (``organisasjonsform="AS"``, ``konkurs=False`` …)."""
        return self._search("enheter", name, page, size, filters)

    def search_subunits(
        self, name: str | None = None, *, parent: str | None = None, page: int = 0, size: int = 20
    ) -> SearchPage:
        """Sub-units by name and/or by parent organisation number (``overordnetEnhet``)."""
        filters: dict[str, str | bool | int] = {}
        if parent is not None:
            filters["overordnetEnhet"] = validate_orgnr(parent)
        return self._search("underenheter", name, page, size, filters)

    # -- internals -------------------------------------------------------------------------------------

    def _lookup(self, kind: str, orgnr: str) -> Unit:
        key = (kind, orgnr)
        cached = self.cache.get(key, _MISS) if self.cache is not None else _MISS
        if cached is not _MISS:
            if isinstance(cached, UnitNotFound):
                raise type(cached)(cached.message, orgnr=orgnr)
            return cached
        status, data = self._get(f"/{kind}/{orgnr}", None)
        if status in (404, 410):
            error_type = UnitDeleted if status == 410 else UnitNotFound
            if status == 410:
                text = msg("brreg.deleted", orgnr=orgnr)
            else:
                text = msg("brreg.no_main_unit" if kind == "enheter" else "brreg.no_sub_unit", orgnr=orgnr)
            error = error_type(text, orgnr=orgnr)
            if self.cache is not None:
                self.cache.set(key, error, NOT_FOUND_TTL)
            raise error
        unit = parse_unit(data, subunit=kind == "underenheter")
        if unit.orgnr != orgnr:
            raise RegistryUnavailable(msg("brreg.wrong_unit", got=unit.orgnr, orgnr=orgnr))
        if self.cache is not None:
            self.cache.set(key, unit)
        return unit

    def _search(
        self, kind: str, name: str | None, page: int, size: int, filters: dict[str, str | bool | int]
    ) -> SearchPage:
        name = (name or "").strip()
        if not name and not filters:
            raise BadQuery(msg("brreg.no_name"))
        if len(name) > 180:
            raise BadQuery(msg("brreg.name_too_long"))
        if not (1 <= size <= MAX_PAGE_SIZE) or page < 0 or (page + 1) * size > MAX_RESULT_WINDOW:
            raise BadQuery(
                msg("brreg.page_outside", page=page, size=size, max_size=MAX_PAGE_SIZE, max_results=MAX_RESULT_WINDOW)
            )
        params: dict[str, str] = {}
        if name:
            params["navn"] = name
        for key, value in sorted(filters.items()):
            params[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        params["page"] = str(page)
        params["size"] = str(size)
        key = (kind, "search", tuple(sorted(params.items())))
        cached = self.cache.get(key, _MISS) if self.cache is not None else _MISS
        if cached is not _MISS:
            return cached
        status, data = self._get(f"/{kind}", params)
        if status != 200:
            raise RegistryUnavailable(msg("brreg.search_http", status=status))
        result = parse_search(data, subunits=kind == "underenheter")
        if self.cache is not None:
            self.cache.set(key, result)
        return result

    def _get(self, path: str, params: dict[str, str] | None) -> tuple[int, Any]:
        """GET and decode; 404/410 are returned to the caller, every other failure raised typed."""
        if self.limiter is not None and not self.limiter.acquire():
            # whole seconds, rounded up: "try again in 0 s" for a wait of 0.3 s would be refused again
            raise RateLimited(msg("brreg.too_many_lookups", seconds=max(1, math.ceil(self.limiter.wait_time()))))
        url = self.base_url + path
        try:
            with self._client.stream("GET", url, params=params) as response:
                status = response.status_code
                if status in (404, 410):
                    return status, None
                if status == 429:
                    limited = RateLimited(msg("brreg.slow_down"))
                    limited.http_status = status
                    raise limited
                if status == 400:
                    raise BadQuery(msg("brreg.malformed_request", url=url))
                if status != 200:
                    error = RegistryUnavailable(msg("brreg.http", status=status))
                    error.http_status = status
                    raise error
                body = self._read_limited(response)
        except httpx.TimeoutException as exc:
            raise RegistryUnavailable(msg("brreg.timeout")) from exc
        except httpx.HTTPError as exc:
            raise RegistryUnavailable(msg("brreg.unreachable", error=type(exc).__name__)) from exc
        try:
            return status, json.loads(body)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
            raise RegistryUnavailable(msg("brreg.not_json")) from exc

    def _read_limited(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise RegistryUnavailable(msg("brreg.too_large", limit=self.max_bytes))
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise RegistryUnavailable(msg("brreg.too_large", limit=self.max_bytes))
            chunks.append(chunk)
        return b"".join(chunks)

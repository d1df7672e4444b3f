"""Enhetsregisteret (the Central Coordinating Register for Legal Entities, Brønnøysundregistrene).

Who is this organisation number? Is it in the VAT register, in the Foretaksregisteret, bankrupt, being
dissolved, deleted? An invoicing system asks when a company is set up and when a customer or vendor is
created, and again now and then for the partners it already has.

- :mod:`nofaktura.brreg.model` — :class:`Unit` (one main unit or sub-unit) and :class:`SearchPage`.
- :mod:`nofaktura.brreg.client` — :class:`BrregClient` (httpx, injected transport, cache, rate limiter).
- :mod:`nofaktura.brreg.testing` — :class:`FakeRegistry`, an ``httpx.MockTransport`` answering like the
  register, for tests of this library and of the Odoo addons.

Data from the register is licensed NLOD 2.0: attribute it to Brønnøysundregistrene where it is shown.
"""

from nofaktura.brreg.client import DEFAULT_BASE_URL, BrregClient, RateLimiter, TTLCache
from nofaktura.brreg.model import Address, Code, SearchPage, Unit, parse_search, parse_unit

__all__ = [
    "DEFAULT_BASE_URL",
    "Address",
    "BrregClient",
    "Code",
    "RateLimiter",
    "SearchPage",
    "TTLCache",
    "Unit",
    "parse_search",
    "parse_unit",
]

"""The Enhetsregisteret client against a fake built from ../shared/corpora/brreg/fixtures (read by path).

The corpus numbers (python-brreg test data) fail MOD11, so the fake serves them under valid numbers;
everything else in the bodies is the corpus's.
"""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from nofaktura.brreg import BrregClient, RateLimiter, TTLCache, parse_search, parse_unit
from nofaktura.brreg.testing import FakeRegistry
from nofaktura.exceptions import (
    BadQuery,
    InvalidChecksum,
    InvalidLength,
    RateLimited,
    RegistryUnavailable,
    ServiceUnavailable,
    UnitDeleted,
    UnitNotFound,
)

SESAM_STASJON = "988077917"  # fixture 112233445
DELETED_UNIT = "974760673"  # fixture 123456789 (answers 200 with slettedato)
SUBUNIT = "973861883"  # fixture 776655441
DELETED_SUBUNIT = "810004282"  # fixture 987123456
SESAM_AS = "976030788"  # valid in the corpus already
UNKNOWN = "810006242"
RENUMBER = {
    "112233445": SESAM_STASJON,
    "123456789": DELETED_UNIT,
    "776655441": SUBUNIT,
    "987123456": DELETED_SUBUNIT,
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fixtures(corpora):
    return corpora / "brreg" / "fixtures"


@pytest.fixture
def fake(fixtures):
    return FakeRegistry.from_corpus(fixtures, RENUMBER)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(fake, clock):
    with BrregClient(
        transport=fake.transport, cache=TTLCache(60, clock=clock), limiter=RateLimiter(100, clock=clock)
    ) as c:
        yield c


def test_found_main_unit_reads_every_field(client, fake):
    unit = client.lookup("988 077 917")
    assert unit.orgnr == SESAM_STASJON and unit.name == "SESAM STASJON"
    assert (unit.form.code, unit.form.description) == ("AS", "Aksjeselskap")
    assert unit.business_address.lines == ("Tyvholmen 1",)
    assert (unit.business_address.postcode, unit.business_address.city) == ("0101", "OSLO")
    assert unit.postal_address.lines == ("c/o reder K. Rusing", "Postboks 1752 Vika")
    assert unit.business_address.country_code == "NO"
    assert unit.vat_registered and unit.vat_number == f"NO{SESAM_STASJON}MVA"
    assert unit.enterprise_registered
    assert unit.business_code.code == "52.292" and unit.business_code.description == "Skipsmegling"
    assert not unit.bankrupt and unit.bankrupt_date is None  # "konkursdato": "" in the corpus
    assert unit.problems() == ()
    assert unit.registered_date == date(2017, 10, 20) and unit.founded_date == date(2017, 10, 20)
    assert unit.employees == 50 and not unit.is_subunit
    assert fake.requests[-1].url.path == f"/enhetsregisteret/api/enheter/{SESAM_STASJON}"
    assert fake.requests[-1].headers["Accept"] == "application/json"


def test_bad_number_is_refused_before_any_request(client, fake):
    with pytest.raises(InvalidChecksum):
        client.lookup("112233445")  # the corpus's own number: MOD11 fails
    with pytest.raises(InvalidLength):
        client.lookup("12345")
    assert fake.requests == []


def test_not_found_and_gone(client, fake):
    with pytest.raises(UnitNotFound) as info:
        client.lookup(UNKNOWN)
    assert info.value.orgnr == UNKNOWN and not isinstance(info.value, UnitDeleted)
    fake.mark_gone(SESAM_AS)
    with pytest.raises(UnitDeleted) as gone:
        client.lookup(SESAM_AS)
    assert "deleted" in str(gone.value)


def test_deleted_unit_answered_with_slettedato(client):
    unit = client.lookup(DELETED_UNIT)
    assert unit.deleted and unit.deleted_date == date(2017, 10, 20)
    assert unit.form.code == "UTBG" and unit.problems() == ("deleted",)
    assert unit.business_address is None and not unit.vat_registered


def test_bankrupt_and_dissolving_units_are_flagged(fake, client, fixtures):
    body = json.loads((fixtures / "enheter-details-response.json").read_text())
    body.update(konkurs=True, konkursdato="2024-03-01", underAvvikling=True, underAvviklingDato="2024-02-01")
    body.update(underTvangsavviklingEllerTvangsopplosning=True, tvangsopplostPgaManglendeRevisorDato="2024-01-15")
    fake.add(body, orgnr=UNKNOWN)
    unit = client.lookup(UNKNOWN)
    assert unit.bankrupt and unit.bankrupt_date == date(2024, 3, 1)
    assert unit.under_liquidation and unit.liquidation_date == date(2024, 2, 1)
    assert unit.forced_dissolution and unit.forced_dissolution_dates == (date(2024, 1, 15),)
    assert unit.problems() == ("bankrupt", "liquidation", "forced_dissolution")


def test_subunits(client):
    unit = client.lookup_subunit(SUBUNIT)
    assert unit.is_subunit and unit.parent_orgnr == "112233445" and unit.form.code == "BEDR"
    assert unit.business_address.lines == ("Tyvholmen 1",)  # beliggenhetsadresse
    assert unit.closed_date == date(2018, 10, 20)
    assert unit.problems(today=date(2018, 1, 1)) == ()
    assert unit.problems(today=date(2019, 1, 1)) == ("closed",)
    deleted = client.lookup_subunit(DELETED_SUBUNIT)
    assert deleted.deleted and deleted.form.code == "AAFY"
    # lookup_any falls back to the sub-units when no main unit has the number
    assert client.lookup_any(SUBUNIT).is_subunit
    assert not client.lookup_any(SESAM_STASJON).is_subunit
    page = client.search_subunits("tryllebutikken")
    assert [u.name for u in page.units] == ["TRYLLEBUTIKKEN SESAM"] and page.units[0].is_subunit


def test_search_by_name_paged(client, fake):
    first = client.search("sesam", size=2)
    assert first.total == 4 and first.total_pages == 2 and first.number == 0 and first.has_next
    assert len(first.units) == 2
    names = [u.name for p in range(2) for u in client.search("sesam", page=p, size=2).units]
    assert sorted(names) == ["SESAM AS", "SESAM FAMILIEBARNEHAGE", "SESAM FILMKLUBB", "SESAM STASJON"]
    last = client.search("sesam", page=1, size=2)
    assert not last.has_next
    request = fake.requests[-1]
    assert request.url.params["navn"] == "sesam" and request.url.params["size"] == "2"
    filtered = client.search("sesam", size=20, konkurs=False, organisasjonsform="AS")
    assert fake.requests[-1].url.params["konkurs"] == "false"
    assert fake.requests[-1].url.params["organisasjonsform"] == "AS"
    assert filtered.total == 4  # the fake ignores filters it does not know; the parameters were sent


def test_search_empty_answer_has_no_embedded(client, fixtures):
    assert client.search("jibberish").units == ()
    page = parse_search(json.loads((fixtures / "enheter-search-empty-response.json").read_text()))
    assert page.units == () and page.total == 0 and not page.has_next
    sub = parse_search(json.loads((fixtures / "underenheter-search-empty-response.json").read_text()), subunits=True)
    assert sub.units == ()


def test_corpus_search_pages_parse(fixtures):
    page = parse_search(json.loads((fixtures / "enheter-search-page1-response.json").read_text()))
    assert page.units[0].orgnr == "976030788" and page.units[0].sector.code == "2100"
    page2 = parse_search(json.loads((fixtures / "enheter-search-page2-response.json").read_text()))
    assert page2.units[0].website == "www.sesam.filmklubb.blogspot.com"
    assert page2.units[0].postal_address.lines == ("FVS", "Boks 40")


def test_bad_searches_are_refused_locally(client, fake):
    for call in (
        lambda: client.search("  "),
        lambda: client.search("x", size=0),
        lambda: client.search("x", size=101),
        lambda: client.search("x", page=-1),
        lambda: client.search("x", page=100, size=100),
        lambda: client.search("x" * 181),
    ):
        with pytest.raises(BadQuery):
            call()
    assert fake.requests == []


@pytest.mark.parametrize("failure", ["timeout", "connect", "500", "503", "malformed", "huge", "redirect"])
def test_service_failures_are_one_typed_error(client, fake, failure):
    fake.fail_next(failure)
    with pytest.raises(RegistryUnavailable) as info:
        client.lookup(SESAM_STASJON)
    assert isinstance(info.value, ServiceUnavailable) and info.value.retryable
    assert "Enhetsregisteret" in str(info.value)
    # a failure is never cached: the next try asks again and succeeds
    assert client.lookup(SESAM_STASJON).name == "SESAM STASJON"


def test_search_failures_are_typed_too(client, fake):
    fake.fail_next("timeout")
    with pytest.raises(RegistryUnavailable):
        client.search("sesam")
    fake.fail_next("malformed")
    with pytest.raises(RegistryUnavailable):
        client.search("sesam")


def test_server_429_is_rate_limited(client, fake):
    fake.fail_next("429")
    with pytest.raises(RateLimited) as info:
        client.lookup(SESAM_STASJON)
    assert isinstance(info.value, ServiceUnavailable) and info.value.http_status == 429


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"navn": "X", "organisasjonsform": {"kode": "AS"}},  # no number
        {"organisasjonsnummer": SESAM_STASJON, "organisasjonsform": {"kode": "AS"}},  # no name
        {"organisasjonsnummer": SESAM_STASJON, "navn": "X"},  # no form
        {"organisasjonsnummer": SESAM_STASJON, "navn": "X", "organisasjonsform": {"kode": "AS"}, "konkurs": "ja"},
        {
            "organisasjonsnummer": SESAM_STASJON,
            "navn": "X",
            "organisasjonsform": {"kode": "AS"},
            "konkursdato": "1.1.24",
        },
        {
            "organisasjonsnummer": SESAM_STASJON,
            "navn": "X",
            "organisasjonsform": {"kode": "AS"},
            "forretningsadresse": {"adresse": "one string"},
        },
    ],
)
def test_wrong_shapes_are_refused_not_half_read(body):
    fake = FakeRegistry()
    fake.units[SESAM_STASJON] = body  # served as is
    with (
        BrregClient(transport=fake.transport, cache=False, limiter=False) as client,
        pytest.raises(RegistryUnavailable),
    ):
        client.lookup(SESAM_STASJON)


def test_answer_for_another_number_is_not_used(fixtures):
    fake = FakeRegistry()
    body = json.loads((fixtures / "enheter-details-response.json").read_text())
    fake.units[SESAM_STASJON] = body  # still says 112233445
    with (
        BrregClient(transport=fake.transport, cache=False, limiter=False) as client,
        pytest.raises(RegistryUnavailable, match="112233445"),
    ):
        client.lookup(SESAM_STASJON)


def test_cache_keeps_answers_for_their_ttl(client, fake, clock):
    client.lookup(SESAM_STASJON)
    client.lookup(SESAM_STASJON)
    with pytest.raises(UnitNotFound):
        client.lookup(UNKNOWN)
    with pytest.raises(UnitNotFound):
        client.lookup(UNKNOWN)
    client.search("sesam")
    client.search("sesam")
    assert len(fake.requests) == 3
    clock.now += 61
    client.lookup(SESAM_STASJON)
    assert len(fake.requests) == 4


def test_ttl_cache_expiry_and_bound():
    clock = Clock()
    cache = TTLCache(10, max_entries=2, clock=clock)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1
    cache.set("c", 3)  # evicts the least recently used: b
    assert cache.get("b") is None and cache.get("a") == 1 and len(cache) == 2
    clock.now += 10
    assert cache.get("a", "gone") == "gone"


def test_rate_limiter_refuses_then_refills(fake):
    clock = Clock()
    limiter = RateLimiter(2, per=1.0, clock=clock)
    with BrregClient(transport=fake.transport, cache=False, limiter=limiter) as client:
        client.lookup(SESAM_STASJON)
        client.lookup(SESAM_AS)
        with pytest.raises(RateLimited) as info:
            client.lookup(SESAM_STASJON)
        assert isinstance(info.value, ServiceUnavailable)
        assert len(fake.requests) == 2  # refused without asking
        assert limiter.wait_time() == pytest.approx(0.5)
        assert "try again in 1 s" in str(info.value), "a wait under a second is said as 1 s, never 0 s"
        clock.now += 0.5
        client.lookup(SESAM_STASJON)
    assert len(fake.requests) == 3


def test_parse_unit_keeps_raw_for_caching(fixtures):
    body = json.loads((fixtures / "enheter-details-response.json").read_text())
    unit = parse_unit(body)
    assert parse_unit(dict(unit.raw)) == unit


def test_base_url_must_be_http():
    with pytest.raises(ValueError):
        BrregClient(base_url="file:///etc/passwd")


def test_real_transport_default_is_never_used_in_tests(fake):
    """Sanity: the fake answers for a custom base URL too (as the Odoo setting allows)."""
    with BrregClient(base_url="https://data.ppe.brreg.no/enhetsregisteret/api/", transport=fake.transport) as c:
        assert c.lookup(SESAM_AS).name == "SESAM AS"
    assert fake.requests[-1].url.host == "data.ppe.brreg.no"
    assert isinstance(fake.transport, httpx.MockTransport)

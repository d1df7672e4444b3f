"""The message catalogue: every key in both languages, and the modules whose errors reach people raise
catalogue messages, not bare English strings."""

from __future__ import annotations

import ast
import pickle
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from nofaktura import exceptions, kid
from nofaktura.bank import open_reader
from nofaktura.dunning.interest import CustomerKind
from nofaktura.dunning.planner import Claim, DunningPolicy, PolicyStep, plan_claim
from nofaktura.dunning.rules import StepKind
from nofaktura.exceptions import DocumentError, InvalidChecksum, NofakturaError
from nofaktura.kid.layout import KidLayout
from nofaktura.messages import CATALOGUE, Message, lang_of, msg, placeholders, text
from nofaktura.xml import parse_untrusted

SRC = Path(__file__).resolve().parents[1] / "src" / "nofaktura"

#: Modules whose errors and texts are shown to people in Odoo (KID agreements, bank imports, dunning,
#: received XML, account numbers). A ``raise`` of one of our errors there must carry a catalogue message.
PEOPLE_FACING = [
    "kid/algorithm.py",
    "kid/layout.py",
    "kid/mod10.py",
    "kid/mod11.py",
    "identifiers.py",
    "xml.py",
    "bank/__init__.py",
    "bank/camt/reader.py",
    "bank/ocr/reader.py",
    "dunning/planner.py",
    "dunning/tables.py",
    "coding.py",
    "printcheck.py",
    "brreg/client.py",
    "brreg/model.py",
    "peppol/ids.py",
    "peppol/lookup.py",
    "peppol/invoice_response.py",
    "peppol/transports/base.py",
    "peppol/transports/folder.py",
    "peppol/transports/storecove.py",
    "digipost/client.py",
    "digipost/message.py",
    "digipost/signing.py",
    "peppol/transports/memory.py",
    "kpi/client.py",
    "kpi/index.py",
    "kpi/jsonstat.py",
    "kpi/regulation.py",
    "cli/kpi.py",
]

#: Distinctive English words: a Bokmål text containing one was left half-translated.
ENGLISH_WORDS = {"the", "is", "not", "has", "must", "and", "of", "was", "with", "but", "cannot", "file", "number"}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_texts_with_the_same_parameters(key):
    english, bokmal = CATALOGUE[key]
    assert english.strip() and bokmal.strip()
    assert placeholders(english) == placeholders(bokmal), key


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_bokmal_texts_are_not_english(key):
    words = {w.strip(".,:;()'\"«»").lower() for w in CATALOGUE[key][1].split() if "{" not in w}
    assert not words & ENGLISH_WORDS, f"{key}: {CATALOGUE[key][1]!r}"


def test_every_message_key_used_in_the_library_exists():
    missing = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value not in CATALOGUE
            ):
                missing.append(f"{path.relative_to(SRC)}:{node.lineno} {node.args[0].value}")
    assert not missing


def _our_error_classes() -> set[str]:
    names = {name for name, value in vars(exceptions).items() if isinstance(value, type)}
    return names | {"DunningPolicyError", "ImplausibleLawValue", "CodingError"}


@pytest.mark.parametrize("module", PEOPLE_FACING)
def test_people_facing_modules_raise_catalogue_messages(module):
    """A literal or f-string handed to one of our errors would reach a Norwegian reader in English."""
    ours = _our_error_classes()
    bare = []
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ours and node.args:
            first = node.args[0]
            if isinstance(first, ast.JoinedStr) or (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                bare.append(f"{module}:{node.lineno}")
    assert not bare, f"raise with an English string instead of msg(): {bare}"


def test_a_message_is_its_english_text_and_renders_in_bokmal():
    message = msg("kid.wrong_prefix", kid="9912", prefix="12")
    assert message == "The KID '9912' does not start with the agreed prefix '12'."
    assert message.text("nb_NO") == "KID '9912' begynner ikke med det avtalte prefikset '12'."
    assert text(message, "en_US") == str(message)
    assert pickle.loads(pickle.dumps(message)).text("nb") == message.text("nb")


def test_nested_messages_render_in_the_same_language():
    layout = KidLayout(length=7, customer_digits=3, invoice_digits=3, algorithm="mod10")
    with pytest.raises(NofakturaError) as caught:
        layout.build(12345, 1)
    assert "customer number 12345" in str(caught.value)
    assert "kundenummer" in caught.value.text("nb_NO")
    assert "customer" not in caught.value.text("nb_NO")


def test_errors_keep_english_str_and_have_bokmal_text():
    with pytest.raises(InvalidChecksum) as caught:
        kid.validate("12345")
    error = caught.value
    assert str(error) == "The KID '12345' has neither a valid MOD10 nor a valid MOD11 check digit."
    assert error.key == "kid.no_valid_check_digit" and error.params == {"kid": "12345"}
    assert error.text("nb_NO") == "KID '12345' har verken gyldig MOD10- eller MOD11-kontrollsiffer."


def test_document_errors_name_the_line_in_the_readers_language():
    with pytest.raises(DocumentError) as caught:
        parse_untrusted(b"<a><b></a>", source="bank.xml")
    assert str(caught.value).startswith("bank.xml, line 1: not well-formed XML")
    assert caught.value.text("nb").startswith("bank.xml, linje 1: ikke gyldig XML")


def test_bank_file_errors_in_bokmal():
    import io

    with pytest.raises(DocumentError) as caught:
        open_reader(io.BytesIO(b"hello"), source="x.txt")
    assert "verken en Nets OCR giro-fil" in caught.value.text("nb")


def test_free_text_errors_still_say_something_in_bokmal():
    error = exceptions.TransportError("HTTP 502 from the access point")
    assert error.text("nb") == "Overføringen mislyktes. (HTTP 502 from the access point)"
    assert exceptions.TransportError().text("nb") == "Overføringen mislyktes."


def test_dunning_decisions_carry_catalogue_texts():
    policy = DunningPolicy(steps=(PolicyStep(StepKind.REMINDER, days=14, name="purring 1"),))
    claim = Claim(1, 1, date(2026, 1, 10), Decimal("0"), CustomerKind.CONSUMER)
    decision = plan_claim(claim, policy, date(2026, 2, 1))
    assert isinstance(decision.text, Message)
    assert decision.text.text("nb") == "Kravet er betalt."


@pytest.mark.parametrize(("code", "lang"), [("nb_NO", "nb"), ("nn_NO", "nb"), ("no", "nb"), ("en_US", "en"),
                                            (None, "en"), ("de_DE", "en")])  # fmt: skip
def test_lang_of(code, lang):
    assert lang_of(code) == lang


def test_every_bank_status_reason_has_a_bokmal_text():
    from nofaktura.bank.pain002 import REASON_CODES

    for code, english in REASON_CODES.items():
        assert CATALOGUE[f"pain002.{code}"][0] == english


def test_coding_problems_in_bokmal():
    from nofaktura.coding import BillLine, CodingError, CodingRule, code_line

    with pytest.raises(CodingError) as caught:
        CodingRule("Papir", distribution={"7": Decimal("60")})
    assert str(caught.value) == "Papir: the analytic distribution adds up to 60.00 %, not 100 %"
    assert caught.value.text("nb") == "Papir: analysefordelingen summerer seg til 60.00 %, ikke 100 %"
    coding = code_line(BillLine("Toner", Decimal("100"), product="toner", vendor=None), {}, {})
    assert coding.problem.startswith("line 'Toner' (100): no expense account")
    assert coding.problem.text("nb") == (
        "linje 'Toner' (100): ingen kostnadskonto — ingen produktregel for 'toner', "
        "fakturaen har ingen leverandør, og linjen har ingen standardkonto"
    )


def test_print_findings_and_errors_in_bokmal():
    from nofaktura.printcheck import Finding, Window, check_print_ready

    with pytest.raises(DocumentError) as caught:
        check_print_ready(b"hello")
    assert str(caught.value) == "This is not a PDF (it does not start with %PDF-)."
    assert caught.value.text("nb") == "Dette er ikke en PDF (den begynner ikke med %PDF-)."
    window = Window(left=20, top=40, width=85, height=40)
    finding = Finding("address.window", msg("print.window_empty", window=window.describe()), 1)
    assert str(finding) == (
        "page 1: No text in the envelope window (x 20–105 mm, y 40–80 mm from the top): the address would not show."
        " [address.window]"
    )
    assert finding.text("nb_NO") == (
        "side 1: Ingen tekst i konvoluttvinduet (x 20–105 mm, y 40–80 mm fra toppen): adressen ville ikke synes."
        " [address.window]"
    )


def test_enhetsregisteret_errors_in_bokmal():
    import httpx

    from nofaktura.brreg.client import BrregClient
    from nofaktura.exceptions import BadQuery

    transport = httpx.MockTransport(lambda request: httpx.Response(404))
    with BrregClient(transport=transport, cache=False, limiter=False) as client:
        with pytest.raises(BadQuery) as caught:
            client.search("  ")
        assert caught.value.text("nb") == "Skriv inn et navn (eller angi et filter) for å søke i Enhetsregisteret."
        with pytest.raises(exceptions.UnitNotFound) as caught:
            client.lookup("974760673")
    assert str(caught.value) == "The Enhetsregisteret has no main unit with organisation number 974760673."
    assert caught.value.text("nb") == "Enhetsregisteret har ingen hovedenhet med organisasjonsnummer 974760673."


def test_peppol_errors_in_bokmal():
    from nofaktura.peppol.ids import ParticipantId

    with pytest.raises(exceptions.InvalidFormat) as caught:
        ParticipantId.parse("974760673")
    assert str(caught.value) == "'974760673' is not a participant id of the form <ICD>:<identifier>"
    assert caught.value.text("nb") == "'974760673' er ikke en deltaker-ID på formen <ICD>:<identifikator>"


def test_access_point_errors_in_bokmal():
    from nofaktura.peppol.transports.base import error_for_http_status

    error = error_for_http_status(503, "maintenance")
    assert str(error) == "the access point is unavailable (HTTP 503: maintenance)"
    assert error.text("nb") == "tilgangspunktet er ikke tilgjengelig (HTTP 503: maintenance)"


def test_digipost_errors_in_bokmal():
    from nofaktura.digipost.client import error_from_response

    error = error_from_response(503, b"")
    assert isinstance(error, exceptions.ServiceUnavailable)
    assert str(error) == "Digipost is unavailable (HTTP 503)"
    assert error.text("nb") == "Digipost er ikke tilgjengelig (HTTP 503)"


def test_kpi_errors_are_catalogue_messages_in_bokmal():
    """KPI errors once carried their own Bokmål text only where a raiser remembered to write one; the others
    reached a Norwegian reader in English. Now every one is a catalogue message."""
    from nofaktura.kpi import IndexSeries, IndexValue, Period
    from nofaktura.kpi.client import error_from_response

    value = IndexValue(Period(2024, 1), Decimal("130.1"), 2015, "03013")
    with pytest.raises(exceptions.RegulationError) as caught:
        IndexSeries("03013", 2015, [value, IndexValue(Period(2024, 1), Decimal("130.2"), 2015, "03013")])
    assert str(caught.value) == "two different values for 2024M01 in one series"
    assert caught.value.text("nb_NO") == "to ulike verdier for 2024M01 i én serie"
    rejected = error_from_response(403, b"", msg("kpi.what_table", table="03013"))
    assert isinstance(rejected, exceptions.IndexQueryRejected) and rejected.http_status == 403
    assert str(rejected) == "Statistics Norway refused table 03013: more cells than one answer may hold (HTTP 403)"
    assert rejected.text("nb") == "SSB avviste tabell 03013: flere celler enn ett svar kan inneholde (HTTP 403)"
    assert exceptions.IndexNotPublished().text("nb").startswith("Indeksen for den måneden er ikke publisert")
    assert not hasattr(exceptions, "_Bilingual")


def test_digipost_message_and_signing_errors_in_bokmal():
    from nofaktura.digipost.message import NorwegianAddress, validate_national_id
    from nofaktura.digipost.signing import SenderKey, check_date_window

    with pytest.raises(exceptions.InvalidFormat) as caught:
        NorwegianAddress(("Storgata 1",), "12", "Oslo")
    assert str(caught.value) == "A Norwegian postcode has four digits."
    assert caught.value.text("nb") == "Et norsk postnummer har fire sifre."
    with pytest.raises(exceptions.ValidationError) as caught:
        NorwegianAddress(("Storgata 1",), "0150", " ")
    assert str(caught.value) == "The post town is required."
    assert caught.value.text("nb_NO") == "Poststedet må fylles ut."
    with pytest.raises(exceptions.InvalidChecksum) as caught:
        validate_national_id("01010112345")
    assert caught.value.text("nb") == "Kontrollsifrene i fødselsnummeret er feil."
    with pytest.raises(exceptions.AuthenticationFailed) as caught:
        SenderKey.from_pkcs12(b"not a p12", "secret")
    assert caught.value.text("nb") == "sertifikatfilen for Digipost kan ikke åpnes (feil passord?)"
    with pytest.raises(ValueError, match="not an HTTP date") as bad_date:
        check_date_window("yesterday", datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert text(bad_date.value.args[0], "nb") == "ikke en HTTP-dato: 'yesterday'"


def test_in_memory_access_point_errors_in_bokmal():
    from nofaktura.peppol.transports.memory import InMemoryAccessPoint

    ap = InMemoryAccessPoint()
    ap.close()
    with pytest.raises(exceptions.TransportError) as caught:
        ap.fetch_incoming()
    assert str(caught.value) == "the in-memory access point is closed"
    assert caught.value.text("nb") == "tilgangspunktet i minnet er lukket"

"""The library's user messages in English and Norwegian Bokmål, one catalogue entry per message key.

Why: errors and explanations raised here end up in front of people — an accountant importing a bank
file in Odoo, a customer reading a dunning letter — and those people read Bokmål. The library has no
gettext and no Odoo, so it carries both texts itself: :func:`msg` builds a :class:`Message`, a ``str``
holding the English text (so logs, tests and ``str(exc)`` stay as before) that also remembers its key
and named parameters, and :func:`text` renders it again in the language the *reader* wants::

    raise InvalidFormat(msg("kid.digits_only", kid=kid))
    ...
    except NofakturaError as exc:
        shown = exc.text("nb")            # "En KID har bare sifre (det siste kan være «-»), ikke '12a'."

Parameters are named and use :meth:`str.format` syntax (``{kid!r}``, ``{count}``); both texts of a key
use the same names (a test checks that). Parameter values are not translated: pass numbers, dates and
identifiers, or another :class:`Message` (rendered in the same language).

:func:`lang_of` maps an Odoo or POSIX language code (``nb_NO``, ``nn_NO``, ``en_US``, ``None``) to the two
languages this library writes.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

__all__ = ["CATALOGUE", "LANGS", "Message", "lang_of", "msg", "placeholders", "text"]

#: The languages every catalogue entry has.
LANGS = ("en", "nb")

#: key -> (English, Bokmål). Grouped by the module that raises or returns the message.
CATALOGUE: dict[str, tuple[str, str]] = {
    # --- exceptions: the default text of each class (nofaktura.exceptions) ---------------------------
    "error.generic": ("An error occurred.", "Det oppstod en feil."),
    "error.validation": ("The number is not valid.", "Nummeret er ikke gyldig."),
    "error.invalid_format": ("The number has an invalid format.", "Nummeret har ugyldig format."),
    "error.invalid_length": ("The number has an invalid length.", "Nummeret har feil lengde."),
    "error.invalid_checksum": ("The number's check digit is not correct.", "Kontrollsifferet i nummeret er feil."),
    "error.invalid_component": (
        "One of the parts of the number is not valid.",
        "En av delene av nummeret er ikke gyldig.",
    ),
    "error.layout": ("The value does not fit the layout.", "Verdien passer ikke i oppsettet."),
    "error.layout_overflow": (
        "The number is too long for its field in the layout.",
        "Nummeret er for langt for feltet sitt i oppsettet.",
    ),
    "error.document": ("The document cannot be read.", "Dokumentet kan ikke leses."),
    "error.unsafe_document": (
        "The document uses XML features that are refused for safety (DTD, entities) or is too large.",
        "Dokumentet bruker XML-funksjoner som avvises av sikkerhetshensyn (DTD, entiteter), eller er for stort.",
    ),
    "error.file_totals": (
        "The control totals in the file do not match its transactions.",
        "Kontrollsummene i filen stemmer ikke med transaksjonene.",
    ),
    "error.transport": ("The transport failed.", "Overføringen mislyktes."),
    "error.transport_timeout": ("The service did not answer in time.", "Tjenesten svarte ikke i tide."),
    "error.service_unavailable": ("The service is unavailable.", "Tjenesten er ikke tilgjengelig."),
    "error.authentication_failed": (
        "The service refused our credentials.",
        "Tjenesten avviste påloggingsopplysningene våre.",
    ),
    "error.recipient_rejected": (
        "The recipient or the service rejected the document.",
        "Mottakeren eller tjenesten avviste dokumentet.",
    ),
    "error.law_table": (
        "No legal value is known for that date; supply it explicitly.",
        "Ingen lovfastsatt verdi er kjent for den datoen; oppgi den selv.",
    ),
    "error.participant_not_found": (
        "The participant is not registered in the Peppol network.",
        "Mottakeren er ikke registrert i Peppol-nettverket.",
    ),
    "error.lookup_failed": (
        "The Peppol lookup could not be completed.",
        "Oppslaget i Peppol-nettverket kunne ikke fullføres.",
    ),
    "error.rate_limited": (
        "The service asks to slow down; try again later.",
        "Tjenesten ber oss vente; prøv igjen senere.",
    ),
    "error.duplicate_submission": (
        "The access point already accepted a document with this idempotency key.",
        "Aksesspunktet har allerede tatt imot et dokument med denne nøkkelen.",
    ),
    "error.payment_order": ("The payment order cannot be written.", "Betalingsoppdraget kan ikke skrives."),
    "error.unknown_recipient": (
        "The recipient has no Digipost mailbox and the message had no print fallback.",
        "Mottakeren har ingen Digipost-postkasse, og sendingen hadde ikke utskrift som reserve.",
    ),
    "error.coding": ("The coding rule is not valid.", "Konteringsregelen er ikke gyldig."),
    "error.dunning_policy": ("The dunning policy is not lawful.", "Purreplanen er ikke lovlig."),
    "error.implausible_law_value": ("The law value is not plausible.", "Lovverdien er ikke troverdig."),
    "error.index_not_published": (
        "The index for that month is not published (or was not fetched).",
        "Indeksen for den måneden er ikke publisert (eller ikke hentet).",
    ),
    "error.regulation": (
        "The regulation cannot be computed from these inputs.",
        "Reguleringen kan ikke beregnes med disse opplysningene.",
    ),
    "error.index_data": (
        "The answer is not the index table asked for.",
        "Svaret er ikke indekstabellen det ble spurt om.",
    ),
    "error.index_query_rejected": (
        "Statistics Norway refused the query.",
        "Statistisk sentralbyrå avviste spørringen.",
    ),
    # where an error is (DocumentError, PaymentOrderError)
    "where.line": ("line {line}", "linje {line}"),
    "where.transfer": ("transfer", "overføring"),
    "where.end_to_end": ("(end-to-end id {id!r})", "(ende-til-ende-id {id!r})"),
    # --- KID (nofaktura.kid) ----------------------------------------------------------------------------
    "kid.unknown_algorithm": (
        "Unknown KID algorithm {algorithm!r}; use one of {choices}.",
        "Ukjent KID-algoritme {algorithm!r}; bruk en av {choices}.",
    ),
    "kid.digits_only": (
        "A KID has digits only (the last may be '-'), got {kid!r}.",
        "En KID har bare sifre (det siste kan være «-»), ikke {kid!r}.",
    ),
    "kid.length_range": (
        "A KID has {low} to {high} characters, {kid!r} has {length}.",
        "En KID har {low} til {high} tegn; {kid!r} har {length}.",
    ),
    "kid.no_valid_check_digit": (
        "The KID {kid!r} has neither a valid MOD10 nor a valid MOD11 check digit.",
        "KID {kid!r} har verken gyldig MOD10- eller MOD11-kontrollsiffer.",
    ),
    "kid.base_digits_only": (
        "A KID base must be digits only, got {number!r}.",
        "Grunnlaget for en KID kan bare ha sifre, ikke {number!r}.",
    ),
    "kid.mod10_digits_only": (
        "A MOD10 KID has digits only, got {number!r}.",
        "En MOD10-KID har bare sifre, ikke {number!r}.",
    ),
    "kid.mod11_digits_only": (
        "A MOD11 KID has digits only, the last may be '-', got {number!r}.",
        "En MOD11-KID har bare sifre (det siste kan være «-»), ikke {number!r}.",
    ),
    "kid.mod10_check_digit": (
        "The KID's MOD10 check digit is not correct.",
        "MOD10-kontrollsifferet i KID-en er feil.",
    ),
    "kid.mod11_check_digit": (
        "The KID's MOD11 check digit is not correct.",
        "MOD11-kontrollsifferet i KID-en er feil.",
    ),
    "kid.layout_no_algorithm": (
        "KID layout: choose the check-digit algorithm (mod10 or mod11).",
        "KID-oppsett: velg algoritme for kontrollsifferet (mod10 eller mod11).",
    ),
    "kid.layout_not_whole": (
        "KID layout: {name} must be a whole number ≥ 0, got {value!r}.",
        "KID-oppsett: {name} må være et heltall ≥ 0, ikke {value!r}.",
    ),
    "kid.layout_total_length": (
        "KID layout: the total length must be {low} to {high} digits (check digit included), got {length}.",
        "KID-oppsett: total lengde må være {low} til {high} sifre (med kontrollsiffer), ikke {length}.",
    ),
    "kid.layout_prefix_digits": (
        "KID layout: the fixed prefix must be digits only, got {prefix!r}.",
        "KID-oppsett: det faste prefikset kan bare ha sifre, ikke {prefix!r}.",
    ),
    "kid.layout_empty_parts": (
        "KID layout: the customer-number and invoice-number parts are both empty.",
        "KID-oppsett: både kundenummer- og fakturanummerdelen er tomme.",
    ),
    "kid.layout_sum": (
        "KID layout: prefix ({prefix}) + customer number ({customer}) + invoice number ({invoice}) + "
        "check digit (1) = {parts} digits, but the total length is {length}.",
        "KID-oppsett: prefiks ({prefix}) + kundenummer ({customer}) + fakturanummer ({invoice}) + "
        "kontrollsiffer (1) = {parts} sifre, men total lengde er {length}.",
    ),
    "kid.part_customer": ("customer number", "kundenummer"),
    "kid.part_invoice": ("invoice number", "fakturanummer"),
    "kid.layout_no_part": (
        "KID layout has no {name} part, but {name} {value!r} was given.",
        "KID-oppsettet har ingen del for {name}, men {name} {value!r} ble oppgitt.",
    ),
    "kid.layout_needs": ("KID layout needs a {name}.", "KID-oppsettet trenger et {name}."),
    "kid.part_not_whole": (
        "The {name} must be a whole number, got {value!r}.",
        "Et {name} må være et heltall, ikke {value!r}.",
    ),
    "kid.part_not_whole_positive": (
        "The {name} must be a whole number ≥ 0, got {value!r}.",
        "Et {name} må være et heltall ≥ 0, ikke {value!r}.",
    ),
    "kid.part_overflow": (
        "The {name} {value} has {digits} digits; the KID layout has room for {width}.",
        "Verdien {value} for {name} har {digits} sifre; KID-oppsettet har plass til {width}.",
    ),
    "kid.part_no_padding": (
        "The {name} {value} must fill its {width} digits: the KID layout has no zero padding.",
        "Verdien {value} for {name} må fylle alle {width} sifrene: KID-oppsettet fyller ikke ut med nuller.",
    ),
    "kid.wrong_length": (
        "The KID {kid!r} has {length} characters; the layout has {expected}.",
        "KID {kid!r} har {length} tegn; oppsettet har {expected}.",
    ),
    "kid.wrong_prefix": (
        "The KID {kid!r} does not start with the agreed prefix {prefix!r}.",
        "KID {kid!r} begynner ikke med det avtalte prefikset {prefix!r}.",
    ),
    # --- numbers (nofaktura.identifiers) ------------------------------------------------------------
    "id.mva_prefix": (
        "MVA number {number!r}: it must start with 'NO' (NO-R-001).",
        "MVA-nummer {number!r}: det må begynne med «NO» (NO-R-001).",
    ),
    "id.account_length": (
        "Account number {number!r}: a Norwegian account number has 11 digits.",
        "Kontonummer {number!r}: et norsk kontonummer har 11 sifre.",
    ),
    "id.invalid_number": ("{what} {number!r}: {problem}", "{what} {number!r}: {problem}"),
    "id.what_org": ("Organisation number", "Organisasjonsnummer"),
    "id.what_mva": ("MVA number", "MVA-nummer"),
    "id.what_account": ("Account number", "Kontonummer"),
    "id.iban_unknown_country": ("IBAN {number!r}: unknown country code.", "IBAN {number!r}: ukjent landkode."),
    "id.iban_not_norwegian": ("IBAN {number!r}: not a Norwegian IBAN.", "IBAN {number!r}: ikke et norsk IBAN."),
    "id.peppol_scheme": (
        "Peppol id {value!r}: unknown identifier scheme {scheme!r}.",
        "Peppol-ID {value!r}: ukjent identifikatorskjema {scheme!r}.",
    ),
    "id.peppol_format": (
        "Peppol id {value!r}: expected '<4-digit ICD>:<identifier>'.",
        "Peppol-ID {value!r}: ventet «<4-sifret ICD>:<identifikator>».",
    ),
    "id.peppol_empty": (
        "Peppol id {value!r}: the identifier after the ICD is empty.",
        "Peppol-ID {value!r}: identifikatoren etter ICD er tom.",
    ),
    # --- safe XML (nofaktura.xml) ---------------------------------------------------------------------
    "xml.too_large": (
        "the document is {size} bytes, more than the limit of {limit} bytes",
        "dokumentet er {size} byte, mer enn grensen på {limit} byte",
    ),
    "xml.file_too_large": (
        "the file is {size} bytes, more than the limit of {limit} bytes",
        "filen er {size} byte, mer enn grensen på {limit} byte",
    ),
    "xml.stream_too_large": (
        "the file is more than the limit of {limit} bytes",
        "filen er større enn grensen på {limit} byte",
    ),
    "xml.empty": ("the file is empty", "filen er tom"),
    "xml.doctype": (
        "a DOCTYPE/DTD is not allowed in received documents",
        "DOCTYPE/DTD er ikke tillatt i mottatte dokumenter",
    ),
    "xml.parser_limits": (
        "the document exceeds the parser's safety limits ({detail})",
        "dokumentet går over sikkerhetsgrensene for XML-lesing ({detail})",
    ),
    "xml.not_well_formed": ("not well-formed XML: {detail}", "ikke gyldig XML: {detail}"),
    "xml.entity": (
        "entity reference &{name}; is not allowed",
        "entitetsreferansen &{name}; er ikke tillatt",
    ),
    "xml.too_deep": (
        "the document is nested deeper than {depth} levels",
        "dokumentet er nestet dypere enn {depth} nivåer",
    ),
    "xml.wrong_root": (
        "expected the root element {wanted}, found {found}",
        "ventet rotelementet {wanted}, men fant {found}",
    ),
    "xml.sbd_count": (
        "the StandardBusinessDocument envelope holds {count} documents, expected exactly one",
        "StandardBusinessDocument-konvolutten har {count} dokumenter; den skal ha nøyaktig ett",
    ),
    # --- bank files (nofaktura.bank) ------------------------------------------------------------------
    "bank.unsupported": (
        "{message} is not supported (we read camt.052/053/054 and Nets OCR giro)",
        "{message} støttes ikke (vi leser camt.052/053/054 og Nets OCR giro)",
    ),
    "bank.damaged_iso": (
        "names {message} but does not start as an ISO 20022 document we can read (damaged or truncated)",
        "oppgir {message}, men begynner ikke som et ISO 20022-dokument vi kan lese (skadet eller avkortet)",
    ),
    "bank.unknown_format": (
        "neither a Nets OCR giro file (starting NY000010) nor an ISO 20022 camt.052/053/054 message",
        "verken en Nets OCR giro-fil (som begynner med NY000010) eller en ISO 20022 camt.052/053/054-melding",
    ),
    "camt.not_well_formed": (
        "not well-formed XML (truncated or broken file?): {detail}",
        "ikke gyldig XML (avkortet eller skadet fil?): {detail}",
    ),
    "camt.not_camt": (
        "not a camt.052/053/054 bank-to-customer message (no BkToCstmrStmt/BkToCstmrDbtCdtNtfctn)",
        "ikke en camt.052/053/054-melding fra bank til kunde (mangler BkToCstmrStmt/BkToCstmrDbtCdtNtfctn)",
    ),
    "camt.no_container": (
        "the {format} message holds no {container} (statement/notification/report): "
        "a bank-to-customer message has at least one",
        "{format}-meldingen har ingen {container} (kontoutskrift/avisering/rapport): "
        "en melding fra bank til kunde har minst én",
    ),
    "camt.unsupported_message": (
        "{message} is not supported (we read camt.052/053/054)",
        "{message} støttes ikke (vi leser camt.052/053/054)",
    ),
    "camt.unexpected_namespace": (
        "unexpected XML namespace {ns!r}: not a camt.052/053/054 message",
        "uventet XML-navnerom {ns!r}: ikke en camt.052/053/054-melding",
    ),
    "camt.wrong_root": (
        "the root element is {root!r}, not 'Document'",
        "rotelementet er {root!r}, ikke «Document»",
    ),
    "camt.no_account": (
        "the statement/notification names no account (Acct/Id/IBAN or Acct/Id/Othr/Id)",
        "kontoutskriften/avisering oppgir ingen konto (Acct/Id/IBAN eller Acct/Id/Othr/Id)",
    ),
    "camt.not_amount": ("not an amount: {value!r}", "ikke et beløp: {value!r}"),
    "camt.entry_no_amount": ("the entry has no amount", "posteringen har ikke noe beløp"),
    "camt.bad_indicator": (
        "CdtDbtInd must be CRDT or DBIT, not {value!r}",
        "CdtDbtInd må være CRDT eller DBIT, ikke {value!r}",
    ),
    "camt.batch_detail_no_amount": (
        "a batch entry in {currency} has transaction details without an amount in {currency} "
        "(TxDtls/Amt or AmtDtls/TxAmt/Amt): the entry cannot be split into payments",
        "en samlepostering i {currency} har transaksjonsdetaljer uten beløp i {currency} "
        "(TxDtls/Amt eller AmtDtls/TxAmt/Amt): posteringen kan ikke deles opp i innbetalinger",
    ),
    "camt.charges_mismatch": (
        "the entry reports charges of {entry} but its transaction details report charges of {details} in all: "
        "the charges cannot be assigned",
        "posteringen oppgir gebyrer på {entry}, men transaksjonsdetaljene oppgir gebyrer på {details} i alt: "
        "gebyrene kan ikke fordeles",
    ),
    "camt.entry_sum_mismatch": (
        "the entry amount is {entry} but its transaction details add up to {details}",
        "posteringsbeløpet er {entry}, men transaksjonsdetaljene summerer seg til {details}",
    ),
    "camt.entry_sum_mismatch_charges": (
        "the entry amount is {entry} but its transaction details add up to {details} and its charges "
        "{other}to {charges}: neither the details alone nor details plus charges give the entry amount",
        "posteringsbeløpet er {entry}, men transaksjonsdetaljene summerer seg til {details} og gebyrene "
        "{other}til {charges}: verken detaljene alene eller detaljene pluss gebyrene gir posteringsbeløpet",
    ),
    "camt.other_currency": ("(in another currency) ", "(i annen valuta) "),
    "camt.batch_count_mismatch": (
        "the batch declares {declared} transactions (Btch/NbOfTxs) but has {counted} TxDtls",
        "samleposteringen oppgir {declared} transaksjoner (Btch/NbOfTxs), men har {counted} TxDtls",
    ),
    "camt.totals_not_number": (
        "TxsSummry/TtlNtries holds a value that is not a number",
        "TxsSummry/TtlNtries har en verdi som ikke er et tall",
    ),
    "camt.count_mismatch": (
        "TxsSummry declares {declared} entries but there are {counted}",
        "TxsSummry oppgir {declared} posteringer, men det er {counted}",
    ),
    "camt.sum_mismatch": (
        "TxsSummry declares a sum of {declared} but the entries add up to {counted}",
        "TxsSummry oppgir en sum på {declared}, men posteringene summerer seg til {counted}",
    ),
    "ocr.truncated": (
        "the file ends before its end-of-transmission record (89): it is truncated",
        "filen slutter før sluttposten for forsendelsen (89): den er avkortet",
    ),
    "ocr.totals_mismatch": (
        "the {record} declares {label} {declared}, but the file has {counted}: {line!r}",
        "{record} oppgir {label} {declared}, men filen har {counted}: {line!r}",
    ),
    "ocr.record": ("{problem}: {line!r}", "{problem}: {line!r}"),
    "ocr.after_end": (
        "there is data after the end-of-transmission record",
        "det er data etter sluttposten for forsendelsen",
    ),
    "ocr.line_length": ("the record is {length} characters long, not 80", "posten er {length} tegn lang, ikke 80"),
    "ocr.no_ny": (
        "the record does not start with the format code 'NY'",
        "posten begynner ikke med formatkoden «NY»",
    ),
    "ocr.no_item2": (
        "transaction {number} has no amount item 2 (31)",
        "transaksjon {number} mangler beløpspost 2 (31)",
    ),
    "ocr.no_start": (
        "the file does not start with a start-of-transmission record",
        "filen begynner ikke med en startpost for forsendelsen",
    ),
    "ocr.item_outside": (
        "an amount item outside an OCR giro assignment",
        "en beløpspost utenfor et OCR giro-oppdrag",
    ),
    "ocr.item2_order": (
        "amount item 2 (31) does not follow an amount item 1 (30)",
        "beløpspost 2 (31) kommer ikke etter en beløpspost 1 (30)",
    ),
    "ocr.item3_order": (
        "amount item 3 (32) does not follow amount item 2 (31)",
        "beløpspost 3 (32) kommer ikke etter beløpspost 2 (31)",
    ),
    "ocr.agreement_outside": (
        "an agreement record outside an AvtaleGiro agreement assignment",
        "en avtalepost utenfor et AvtaleGiro-avtaleoppdrag",
    ),
    "ocr.start_misplaced": (
        "a start-of-assignment record where none may be",
        "en startpost for oppdrag der ingen kan stå",
    ),
    "ocr.avtalegiro_claims": (
        "this is an AvtaleGiro payment-claim or cancellation file (sent to Nets), not a file of incoming payments",
        "dette er en AvtaleGiro-fil med betalingskrav eller slettinger (sendt til Nets), ikke en fil med "
        "innbetalinger",
    ),
    "ocr.end_without_start": (
        "an end-of-assignment record without a start",
        "en sluttpost for oppdrag uten startpost",
    ),
    "ocr.end_mismatch": (
        "the end-of-assignment record does not match its start",
        "sluttposten for oppdraget stemmer ikke med startposten",
    ),
    "ocr.assignment_open": (
        "assignment {number} has no end-of-assignment record",
        "oppdrag {number} mangler sluttpost",
    ),
    "ocr.second_start": ("a second start-of-transmission record", "en andre startpost for forsendelsen"),
    "ocr.unknown_record": ("unknown record type {kind!r}", "ukjent posttype {kind!r}"),
    "ocr.invalid_record": ("not a valid {record} record: {detail}", "ugyldig {record}: {detail}"),
    "ocr.other_transaction": (
        "the record belongs to transaction {number} (type {type}), not to transaction {above} "
        "(type {above_type}) above it",
        "posten hører til transaksjon {number} (type {type}), ikke til transaksjon {above} (type {above_type}) "
        "over den",
    ),
    "ocr.rec.10": ("start of transmission (10)", "startpost for forsendelse (10)"),
    "ocr.rec.20": ("start of assignment (20)", "startpost for oppdrag (20)"),
    "ocr.rec.30": ("amount item 1 (30)", "beløpspost 1 (30)"),
    "ocr.rec.31": ("amount item 2 (31)", "beløpspost 2 (31)"),
    "ocr.rec.32": ("amount item 3 (32)", "beløpspost 3 (32)"),
    "ocr.rec.70": ("AvtaleGiro agreement (70)", "AvtaleGiro-avtale (70)"),
    "ocr.rec.88": ("end of assignment (88)", "sluttpost for oppdrag (88)"),
    "ocr.rec.89": ("end of transmission (89)", "sluttpost for forsendelse (89)"),
    "ocr.rec.end88": ("end-of-assignment record (88)", "sluttposten for oppdraget (88)"),
    "ocr.rec.end89": ("end-of-transmission record (89)", "sluttposten for forsendelsen (89)"),
    "ocr.label.transactions": ("number of transactions", "antall transaksjoner"),
    "ocr.label.records": ("number of records", "antall poster"),
    "ocr.label.amount": ("total amount (øre)", "totalbeløp (øre)"),
    # --- outgoing payments (nofaktura.bank.payment_order) ----------------------------------------------
    "pay.required": ("is required", "må fylles ut"),
    "pay.expected_text": ("expected text, got {got}", "ventet tekst, fikk {got}"),
    "pay.empty": ("is empty", "er tom"),
    "pay.too_long": (
        "has {length} characters, more than the {limit} allowed",
        "har {length} tegn, mer enn de {limit} som er tillatt",
    ),
    "pay.control_chars": (
        "{value!r} contains control characters (line breaks, tabs …)",
        "{value!r} inneholder kontrolltegn (linjeskift, tabulatorer …)",
    ),
    "pay.not_latin1": (
        "{value!r} has {bad!r}, outside ISO-8859-1 (Norwegian banks accept only those characters)",
        "{value!r} har {bad!r}, utenfor ISO-8859-1 (norske banker godtar bare disse tegnene)",
    ),
    "pay.not_bic": (
        "{value!r} is not a BIC (8 or 11 characters, e.g. DNBANOKK)",
        "{value!r} er ikke en BIC (8 eller 11 tegn, f.eks. DNBANOKK)",
    ),
    "pay.not_positive": (
        "{amount} is not positive: a credit transfer pays a positive amount",
        "{amount} er ikke positivt: en overføring betaler et positivt beløp",
    ),
    "pay.decimals": (
        "{amount} has more decimals than {currency} has ({places})",
        "{amount} har flere desimaler enn {currency} har ({places})",
    ),
    "pay.country_code": ("{value!r} is not a two-letter country code", "{value!r} er ikke en landkode på to bokstaver"),
    "pay.address_empty": ("the address is empty", "adressen er tom"),
    "pay.currency": ("{value!r} is not an ISO 4217 currency code", "{value!r} er ikke en ISO 4217-valutakode"),
    "pay.needs_country": (
        "an international payment needs the creditor's country (creditor_address.country)",
        "en utenlandsbetaling krever mottakerens land (creditor_address.country)",
    ),
    "pay.kid_domestic": (
        "a KID can only be used on a NOK payment to a Norwegian account",
        "KID kan bare brukes på en betaling i NOK til en norsk konto",
    ),
    "pay.references_sum": (
        "the invoice references add up to {total}, the transfer pays {amount}",
        "fakturareferansene summerer seg til {total}, men overføringen betaler {amount}",
    ),
    "pay.no_transfers": (
        "a payment order needs at least one credit transfer",
        "et betalingsoppdrag trenger minst én overføring",
    ),
    # --- bank status reports (nofaktura.bank.pain002): ISO 20022 reason codes -------------------------
    "pain002.AC01": ('Incorrect account number', 'Feil kontonummer'),
    "pain002.AC02": ('Invalid debtor account number', 'Ugyldig kontonummer for betaler'),
    "pain002.AC03": ('Invalid creditor account number', 'Ugyldig kontonummer for mottaker'),
    "pain002.AC04": ('Closed account number', 'Kontoen er avsluttet'),
    "pain002.AC06": ('Blocked account', 'Kontoen er sperret'),
    "pain002.AG01": ('Transaction forbidden on this account', 'Transaksjonen er ikke tillatt på denne kontoen'),
    "pain002.AG02": ('Invalid bank operation code', 'Ugyldig bankoperasjonskode'),
    "pain002.AM01": ('Zero amount', 'Beløpet er null'),
    "pain002.AM02": ('Amount not allowed', 'Beløpet er ikke tillatt'),
    "pain002.AM03": ('Currency not allowed', 'Valutaen er ikke tillatt'),
    "pain002.AM04": ('Insufficient funds', 'Ikke dekning på kontoen'),
    "pain002.AM05": ('Duplication', 'Duplikat'),
    "pain002.AM09": ('Wrong amount', 'Feil beløp'),
    "pain002.BE01": ('Inconsistent with end customer', 'Stemmer ikke med sluttkunden'),
    "pain002.BE04": ('Missing creditor address', 'Mottakers adresse mangler'),
    "pain002.BE05": ('Unrecognised initiating party', 'Ukjent initierende part'),
    "pain002.BE06": ('Unknown end customer', 'Ukjent sluttkunde'),
    "pain002.CH03": ('Requested execution date too far in the future', 'Ønsket utførelsesdato er for langt fram i tid'),
    "pain002.CH04": (
        'Requested execution date too far in the past',
        'Ønsket utførelsesdato er for langt tilbake i tid',
    ),
    "pain002.CUST": ('Requested by customer', 'Etter ønske fra kunden'),
    "pain002.DT01": ('Invalid date', 'Ugyldig dato'),
    "pain002.DU01": ('Duplicate message id', 'Meldings-ID-en er brukt før'),
    "pain002.DU02": ('Duplicate payment information id', 'Betalingsblokk-ID-en er brukt før'),
    "pain002.DU05": ('Duplicate instruction id', 'Instruksjons-ID-en er brukt før'),
    "pain002.FF01": ('Invalid file format', 'Ugyldig filformat'),
    "pain002.MS02": ('Reason not specified (customer generated)', 'Grunn ikke oppgitt (fra kunden)'),
    "pain002.MS03": ('Reason not specified (agent generated)', 'Grunn ikke oppgitt (fra banken)'),
    "pain002.NARR": ('Narrative: see the additional information', 'Fritekst: se tilleggsinformasjonen'),
    "pain002.RC01": ('Bank identifier incorrect', 'Feil bankidentifikator'),
    "pain002.RR01": ('Missing debtor account or identification', 'Betalers konto eller identifikasjon mangler'),
    "pain002.RR02": ('Missing debtor name or address', 'Betalers navn eller adresse mangler'),
    "pain002.RR03": ('Missing creditor name or address', 'Mottakers navn eller adresse mangler'),
    "pain002.RR04": ('Regulatory reason', 'Regulatorisk grunn'),
    "pain002.TM01": ('Received after the cut-off time', 'Mottatt etter fristen'),
    "pain002.AC05": ('Closed debtor account number', 'Betalers konto er avsluttet'),
    "pain002.AG03": ('Transaction type not supported', 'Transaksjonstypen støttes ikke'),
    "pain002.AM10": ('Control sum does not match the instructed amounts', 'Kontrollsummen stemmer ikke med beløpene'),
    "pain002.AM12": ('Invalid amount', 'Ugyldig beløp'),
    "pain002.AM14": ('Amount exceeds the agreed limit', 'Beløpet overstiger avtalt grense'),
    "pain002.AM18": ('Number of transactions does not match', 'Antall transaksjoner stemmer ikke'),
    "pain002.BE07": ('Missing debtor address', 'Betalers adresse mangler'),
    "pain002.CNOR": ('Creditor bank is not registered', 'Mottakers bank er ikke registrert'),
    "pain002.DNOR": ('Debtor bank is not registered', 'Betalers bank er ikke registrert'),
    "pain002.DU03": ('Duplicate transaction', 'Duplisert transaksjon'),
    "pain002.DU04": ('Duplicate end-to-end id', 'Ende-til-ende-ID-en er brukt før'),
    "pain002.FF02": ('Syntax error', 'Syntaksfeil'),
    "pain002.FF03": ('Invalid payment type information', 'Ugyldig betalingstype'),
    "pain002.FF05": ('Invalid local instrument code', 'Ugyldig lokal instrumentkode'),
    # --- dunning (nofaktura.dunning) -------------------------------------------------------------------
    "dunning.no_steps": ("a dunning policy needs at least one step", "en purreplan trenger minst ett trinn"),
    "dunning.where": ("step {position} ({label})", "trinn {position} ({label})"),
    "dunning.negative_days": (
        "{where}: days and deadline days must not be negative",
        "{where}: dager og fristdager kan ikke være negative",
    ),
    "dunning.no_fee_for_kind": ("{where}: a {kind} never carries a fee", "{where}: {kind} har aldri gebyr"),
    "dunning.deadline_too_short": (
        "{where}: the deadline must be at least {days} days (inkassoloven §§ 9, 10)",
        "{where}: fristen må være minst {days} dager (inkassoloven §§ 9, 10)",
    ),
    "dunning.only_one": ("{where}: only one {kind} per claim", "{where}: bare ett {kind} per krav"),
    "dunning.needs_varsel": (
        "{where}: needs an inkassovarsel before it (inkassoloven § 9)",
        "{where}: krever et inkassovarsel før (inkassoloven § 9)",
    ),
    "dunning.after_handover": (
        "{where}: nothing can follow the hand-over",
        "{where}: ingenting kan komme etter overlevering til inkasso",
    ),
    "dunning.wrong_order": (
        "{where}: a {kind} cannot follow a {previous}",
        "{where}: {kind} kan ikke komme etter {previous}",
    ),
    "dunning.kind.soft_reminder": ("payment reminder", "betalingspåminnelse"),
    "dunning.kind.reminder": ("reminder", "purring"),
    "dunning.kind.inkassovarsel": ("inkassovarsel", "inkassovarsel"),
    "dunning.kind.betalingsoppfordring": ("betalingsoppfordring", "betalingsoppfordring"),
    "dunning.kind.handover": ("handover", "overlevering til inkasso"),
    "dunning.paid": ("The claim is paid.", "Kravet er betalt."),
    "dunning.handed_over": (
        "The claim was handed over to debt collection.",
        "Kravet er overlevert til inkasso.",
    ),
    "dunning.disputed": (
        "The claim is disputed; no dunning until it is resolved.",
        "Kravet er omtvistet; ingen purring før tvisten er løst.",
    ),
    "dunning.blocked": ("The customer is blocked from dunning.", "Kunden er sperret for purring."),
    "dunning.payment_pending": ("A payment is on its way.", "En innbetaling er på vei."),
    "dunning.not_due": ("The claim is not overdue yet.", "Kravet har ikke forfalt ennå."),
    "dunning.finished": ("All steps of the policy were taken.", "Alle trinnene i purreplanen er tatt."),
    "dunning.below_minimum": (
        "The open amount is below the company's minimum.",
        "Det åpne beløpet er under selskapets minstebeløp.",
    ),
    "dunning.missing_varsel": (
        "No inkassovarsel was sent for this claim (inkassoloven § 9).",
        "Det er ikke sendt inkassovarsel for dette kravet (inkassoloven § 9).",
    ),
    "dunning.fee_cap": (
        "No fee: the claim already carries the fees inkassoforskriften § 1-3 allows.",
        "Intet gebyr: kravet har allerede de gebyrene inkassoforskriften § 1-3 tillater.",
    ),
    "dunning.fee_no_deadline": (
        "No fee: an earlier fee-bearing notice did not give a 14-day deadline.",
        "Intet gebyr: et tidligere varsel med gebyr ga ikke 14 dagers frist.",
    ),
    "dunning.waiting_days": (
        "The step's waiting days have not passed.",
        "Ventedagene for trinnet er ikke gått.",
    ),
    "dunning.deadline_running": (
        "The deadline of the previous notice has not expired.",
        "Fristen i forrige varsel er ikke ute.",
    ),
    "dunning.waiting_fee_date": (
        "A fee may be charged only 14 days after the due date.",
        "Gebyr kan først kreves 14 dager etter forfallsdato.",
    ),
    "dunning.fee_reduced": (
        "Fee reduced by the standard compensation already claimed.",
        "Gebyret er redusert med standardkompensasjonen som allerede er krevd.",
    ),
    "dunning.send_today": ("Send {label} today.", "Send {label} i dag."),
    "dunning.law_value_unknown": (
        "{table}: no known value for {day} (period {period}); supply it as an override for {start}",
        "{table}: ingen kjent verdi for {day} (periode {period}); legg den inn som egen verdi fra {start}",
    ),
    "dunning.unknown_table": (
        "unknown law table {table!r}; known: {known}",
        "ukjent lovtabell {table!r}; kjente: {known}",
    ),
    "dunning.not_a_number": ("{table}: {value!r} is not a number", "{table}: {value!r} er ikke et tall"),
    "dunning.implausible": (
        "{table}: {value} is not plausible (allowed {low} to {high})",
        "{table}: {value} er ikke troverdig (tillatt {low} til {high})",
    ),
    "dunning.implausible_period": ("{problem} (period starting {start})", "{problem} (perioden fra {start})"),
    # --- bill-line coding (nofaktura.coding) -----------------------------------------------------------
    "coding.percent_not_number": (
        "analytic account {key}: the percentage {value!r} is not a number",
        "analysekonto {key}: prosentsatsen {value!r} er ikke et tall",
    ),
    "coding.empty_distribution": ("the analytic distribution is empty", "analysefordelingen er tom"),
    "coding.key_not_account": (
        "analytic distribution key {key!r} does not name an analytic account",
        "nøkkelen {key!r} i analysefordelingen angir ingen analysekonto",
    ),
    "coding.percent_range": (
        "analytic account {key}: {value} % is not between 0 (excluded) and 100",
        "analysekonto {key}: {value} % ligger ikke mellom 0 (ikke medregnet) og 100",
    ),
    "coding.percent_decimals": (
        "analytic account {key}: {value} % has more than two decimals",
        "analysekonto {key}: {value} % har mer enn to desimaler",
    ),
    "coding.account_twice": (
        "analytic account {key} appears twice in the distribution",
        "analysekonto {key} står to ganger i fordelingen",
    ),
    "coding.same_plan": (
        "analytic distribution key {key} names two accounts of the same plan",
        "nøkkelen {key} i analysefordelingen angir to kontoer fra samme analyseplan",
    ),
    "coding.total": (
        "the analytic distribution adds up to {total} %, not 100 %",
        "analysefordelingen summerer seg til {total} %, ikke 100 %",
    ),
    "coding.total_in_plan": (
        "the analytic distribution in plan {plan} adds up to {total} %, not 100 %",
        "analysefordelingen i analyseplanen {plan} summerer seg til {total} %, ikke 100 %",
    ),
    "coding.amount_not_number": ("the amount {amount!r} is not a number", "beløpet {amount!r} er ikke et tall"),
    "coding.rule_no_name": (
        "a coding rule needs a name to show as the origin of the coding",
        "en konteringsregel trenger et navn som vises som opphav til konteringen",
    ),
    "coding.rule_problem": ("{name}: {problem}", "{name}: {problem}"),
    "coding.rule_codes_nothing": (
        "{name}: the rule codes nothing (no account, tax, distribution or attestant)",
        "{name}: regelen konterer ingenting (ingen konto, avgift, analysefordeling eller attestant)",
    ),
    "coding.line_amount_type": (
        "line {description!r}: the amount must be a Decimal, not {amount!r}",
        "linje {description!r}: beløpet må være et Decimal-tall, ikke {amount!r}",
    ),
    "coding.line_amount_nan": (
        "line {description!r}: the amount {amount} is not a number",
        "linje {description!r}: beløpet {amount} er ikke et tall",
    ),
    "coding.no_account": (
        "line {description!r} ({amount}): no expense account — {missing}, and the line has no default account",
        "linje {description!r} ({amount}): ingen kostnadskonto — {missing}, og linjen har ingen standardkonto",
    ),
    "coding.not_coded": (
        "line {description!r} ({amount}) is not coded: {missing}, and no analytic distribution model matches",
        "linje {description!r} ({amount}) er ikke kontert: {missing}, og ingen modell for analysefordeling passer",
    ),
    "coding.missing": ("{product}, {vendor}", "{product}, {vendor}"),
    "coding.no_product_rule": ("no product rule for {product!r}", "ingen produktregel for {product!r}"),
    "coding.no_product": ("no product on the line", "linjen har ikke noe produkt"),
    "coding.no_vendor_rule": ("no vendor rule for {vendor!r}", "ingen leverandørregel for {vendor!r}"),
    "coding.no_vendor": ("no vendor on the bill", "fakturaen har ingen leverandør"),
    # --- print readiness of a PDF (nofaktura.printcheck) ----------------------------------------------
    "print.rect": (
        "x {left:g}–{right:g} mm, y {top:g}–{bottom:g} mm from the top",
        "x {left:g}–{right:g} mm, y {top:g}–{bottom:g} mm fra toppen",
    ),
    "print.point": ("x {x:.1f} mm, y {y:.1f} mm from the top", "x {x:.1f} mm, y {y:.1f} mm fra toppen"),
    "print.finding_page": ("page {page}: {message} [{rule}]", "side {page}: {message} [{rule}]"),
    "print.finding": ("{message} [{rule}]", "{message} [{rule}]"),
    "print.too_large": (
        "The PDF is {size} bytes; at most {limit} are accepted.",
        "PDF-en er {size} byte; høyst {limit} godtas.",
    ),
    "print.not_pdf": (
        "This is not a PDF (it does not start with %PDF-).",
        "Dette er ikke en PDF (den begynner ikke med %PDF-).",
    ),
    "print.encrypted": (
        "The PDF is encrypted or password-protected; print services refuse it.",
        "PDF-en er kryptert eller passordbeskyttet; utskriftstjenester avviser den.",
    ),
    "print.unreadable": ("The PDF cannot be read: {detail}", "PDF-en kan ikke leses: {detail}"),
    "print.no_pages": ("The PDF has no pages.", "PDF-en har ingen sider."),
    "print.too_many_pages": (
        "The PDF has {count} pages; the print service takes at most {limit}.",
        "PDF-en har {count} sider; utskriftstjenesten tar høyst {limit}.",
    ),
    "print.version": (
        "The PDF is version {version}; the print service takes {low}–{high}.",
        "PDF-en er versjon {version}; utskriftstjenesten tar {low}–{high}.",
    ),
    "print.version_unknown": ("unknown", "ukjent"),
    "print.page_size": (
        "The page is {width:.1f} × {height:.1f} mm; the print service takes {page_width:g} × {page_height:g} mm "
        "(−{minus:g}/+{plus:g} mm, {orientation}).",
        "Siden er {width:.1f} × {height:.1f} mm; utskriftstjenesten tar {page_width:g} × {page_height:g} mm "
        "(−{minus:g}/+{plus:g} mm, {orientation}).",
    ),
    "print.portrait": ("portrait", "stående"),
    "print.portrait_or_landscape": ("portrait or landscape", "stående eller liggende"),
    "print.barcode_zone": (
        "Text {text} at {where} lies in the zone the print service keeps for its barcode ({zone}).",
        "Teksten {text} ved {where} ligger i sonen utskriftstjenesten holder av til strekkoden sin ({zone}).",
    ),
    "print.left_margin": (
        "Text {text} at x {x:.1f} mm lies in the {margin:g} mm left margin the print service reserves.",
        "Teksten {text} ved x {x:.1f} mm ligger i venstremargen på {margin:g} mm som utskriftstjenesten holder av.",
    ),
    "print.no_text": (
        "The page holds no text at all (its letters are drawn as outlines or as an image): neither the "
        "address in the envelope window nor the margins can be read.",
        "Siden har ingen tekst i det hele tatt (bokstavene er tegnet som konturer eller som bilde): verken "
        "adressen i konvoluttvinduet eller margene kan leses.",
    ),
    "print.window_empty": (
        "No text in the envelope window ({window}): the address would not show.",
        "Ingen tekst i konvoluttvinduet ({window}): adressen ville ikke synes.",
    ),
    "print.address_elsewhere": (
        "The address line {line} is not inside the envelope window ({window}); it is at {where}.",
        "Adresselinjen {line} er ikke innenfor konvoluttvinduet ({window}); den står ved {where}.",
    ),
    "print.address_missing": (
        "The address line {line} is not inside the envelope window ({window}); it is not on the page.",
        "Adresselinjen {line} er ikke innenfor konvoluttvinduet ({window}); den finnes ikke på siden.",
    ),
    "print.font_type3": (
        "Font {name!r} is a Type 3 font, which print services refuse.",
        "Skriften {name!r} er en Type 3-skrift, som utskriftstjenester avviser.",
    ),
    "print.font_not_embedded": (
        "Font {name!r} ({subtype}) is not embedded; the printer may not have it.",
        "Skriften {name!r} ({subtype}) er ikke innebygd; skriveren har den kanskje ikke.",
    ),
    "print.no_subtype": ("no subtype", "ingen undertype"),
    # --- KPI regulation (nofaktura.kpi) ------------------------------------------------------------------
    # Statistics Norway's client (kpi/client.py)
    "kpi.what_table": ("table {table}", "tabell {table}"),
    "kpi.what_table_data": ("table {table}, {months}", "tabell {table}, {months}"),
    "kpi.what_newest": ("the newest {months} months", "de siste {months} månedene"),
    "kpi.asking": ("asking Statistics Norway for {what}", "spørring til SSB etter {what}"),
    "kpi.source_table": ("Statistics Norway table {table}", "SSB-tabell {table}"),
    "kpi.source_answer": ("Statistics Norway, {what}", "SSB, {what}"),
    "kpi.query_rejected": (
        "Statistics Norway refused the query for {what} ({detail}): a month not in the table, or a wrong code",
        "SSB avviste spørringen etter {what} ({detail}): en måned som ikke er i tabellen, eller feil kode",
    ),
    "kpi.too_many_cells": (
        "Statistics Norway refused {what}: more cells than one answer may hold ({detail})",
        "SSB avviste {what}: flere celler enn ett svar kan inneholde ({detail})",
    ),
    "kpi.no_such_table": (
        "Statistics Norway has no such table ({what}, {detail}): check the table id in the settings",
        "SSB har ingen slik tabell ({what}, {detail}): sjekk tabell-id i innstillingene",
    ),
    "kpi.slow_down": (
        "Statistics Norway asks us to slow down ({detail}); it allows 30 calls a minute",
        "SSB ber oss vente ({detail}); tjenesten tillater 30 kall i minuttet",
    ),
    "kpi.timed_out": ("Statistics Norway timed out ({detail})", "SSB svarte ikke i tide ({detail})"),
    "kpi.unavailable": ("Statistics Norway is unavailable ({detail})", "SSB er ikke tilgjengelig ({detail})"),
    "kpi.unexpected": (
        "Statistics Norway answered {what} unexpectedly ({detail})",
        "SSB svarte uventet på {what} ({detail})",
    ),
    "kpi.table_base_year": (
        "table {table} is on {found}=100, the settings say {expected}=100",
        "tabell {table} har {found}=100, innstillingene sier {expected}=100",
    ),
    "kpi.info_not_json": ("the table information is not JSON", "tabellinformasjonen er ikke JSON"),
    "kpi.info_other_table": (
        "the table information is about table {found!r}",
        "tabellinformasjonen gjelder tabell {found!r}",
    ),
    "kpi.info_not_month": ("{key} is not a month: {value!r}", "{key} er ikke en måned: {value!r}"),
    "kpi.too_large": (
        "the answer is larger than {limit} bytes; not read",
        "svaret er større enn {limit} byte; det er ikke lest",
    ),
    # JSON-stat answers (kpi/jsonstat.py)
    "kpi.cell_codes": ("a cell needs one code for each of {dims}", "en celle trenger én kode for hver av {dims}"),
    "kpi.no_code": ("no code {code!r} in dimension {dim}", "ingen kode {code!r} i dimensjonen {dim}"),
    "kpi.no_category": ("the dimension has no category", "dimensjonen har ingen kategori"),
    "kpi.index_not_codes": (
        "the category index list holds something other than codes",
        "kategoriindekslisten inneholder noe annet enn koder",
    ),
    "kpi.index_shape": (
        "the category index is neither a list of codes nor an object code → position",
        "kategoriindeksen er verken en liste med koder eller et objekt kode → posisjon",
    ),
    "kpi.positions_size": (
        "the category positions do not match the size {size}",
        "kategoriposisjonene stemmer ikke med størrelsen {size}",
    ),
    "kpi.not_json": ("not JSON: {detail}", "ikke JSON: {detail}"),
    "kpi.not_object": (
        "not a JSON-stat dataset (not an object)",
        "ikke et JSON-stat-datasett (ikke et objekt)",
    ),
    "kpi.not_jsonstat2": (
        "not a JSON-stat 2.0 dataset (class/version)",
        "ikke et JSON-stat 2.0-datasett (class/version)",
    ),
    "kpi.dims_mismatch": (
        "id, size and dimension do not describe the same dimensions",
        "id, size og dimension beskriver ikke de samme dimensjonene",
    ),
    "kpi.dim_undescribed": (
        "dimension {dim} is listed in id but not described",
        "dimensjonen {dim} står i id, men er ikke beskrevet",
    ),
    "kpi.value_count": ("{count} values for {cells} cells", "{count} verdier for {cells} celler"),
    "kpi.value_position": (
        "value position {key!r} is outside the {cells} cells",
        "verdiposisjonen {key!r} ligger utenfor de {cells} cellene",
    ),
    "kpi.no_values": ("the dataset has no value array", "datasettet har ingen value-liste"),
    "kpi.value_not_number": ("a value is not a number", "en verdi er ikke et tall"),
    "kpi.other_table": (
        "the answer is table {found}, not table {table}",
        "svaret er tabell {found}, ikke tabell {table}",
    ),
    "kpi.no_contents": (
        "no contents code {code} in the answer (it has {known})",
        "ingen statistikkvariabel {code} i svaret (svaret har {known})",
    ),
    "kpi.answer_base_year": (
        "the answer's index is on {found}=100, the settings say {expected}=100",
        "indeksen i svaret har {found}=100, innstillingene sier {expected}=100",
    ),
    "kpi.no_group": ("no {dim} = {code} in the answer", "ingen {dim} = {code} i svaret"),
    "kpi.no_time": ("the answer has no time dimension {dim}", "svaret har ingen tidsdimensjon {dim}"),
    "kpi.several_series": (
        "dimension {dim} has several categories: the answer holds several series",
        "dimensjonen {dim} har flere kategorier: svaret inneholder flere serier",
    ),
    "kpi.not_monthly": (
        "time code {code!r} is not a month: table {table} is not a monthly index",
        "tidskoden {code!r} er ikke en måned: tabell {table} er ikke en månedsindeks",
    ),
    "kpi.implausible": (
        "the index for {period} is not a plausible index value ({value})",
        "indeksen for {period} er ikke en troverdig indeksverdi ({value})",
    ),
    # index series (kpi/index.py)
    "kpi.mixed_base": (
        "{period} (table {table}) is on base {found}, not {expected}: chain the series instead of mixing them",
        "{period} (tabell {table}) er på basisår {found}, ikke {expected}: kjed seriene i stedet",
    ),
    "kpi.two_values": ("two different values for {period} in one series", "to ulike verdier for {period} i én serie"),
    "kpi.not_published": (
        "the index for {period} (table {table}, {base}=100) is not published or not fetched",
        "indeksen for {period} (tabell {table}, {base}=100) er ikke publisert eller hentet",
    ),
    "kpi.series_empty": ("the series of table {table} is empty", "serien i tabell {table} er tom"),
    "kpi.no_index": ("no index in the series of table {table}", "ingen indeks i serien i tabell {table}"),
    "kpi.no_index_before": (
        "no index before {before} in the series of table {table}",
        "ingen indeks før {before} i serien i tabell {table}",
    ),
    "kpi.merge_tables": (
        "cannot merge table {other} ({other_base}=100) into table {table} ({base}=100): chain them",
        "kan ikke slå sammen tabell {other} ({other_base}=100) med tabell {table} ({base}=100): kjed dem",
    ),
    "kpi.chain_same": (
        "chaining joins two different tables or bases; these are the same",
        "kjeding slår sammen to ulike tabeller eller basisår; disse er like",
    ),
    # regulation rules (kpi/regulation.py)
    "kpi.what_amount": ("the amount", "beløpet"),
    "kpi.what_rent": ("the rent", "leien"),
    "kpi.what_agreed_rent": ("the agreed rent", "den avtalte leien"),
    "kpi.what_share": ("the share of the index change", "andelen av indeksendringen"),
    "kpi.not_decimal": ("{what} must be a Decimal, not {kind}", "{what} må være en Decimal, ikke {kind}"),
    "kpi.not_finite_amount": (
        "{what} must be a finite amount of zero or more, not {value}",
        "{what} må være et endelig beløp på null eller mer, ikke {value}",
    ),
    "kpi.different_bases": (
        "{period_from} (table {table_from}, {base_from}=100) and {period_to} (table {table_to}, {base_to}=100) "
        "are on different tables or bases: chain the series first",
        "{period_from} (tabell {table_from}, {base_from}=100) og {period_to} (tabell {table_to}, {base_to}=100) "
        "er på ulike tabeller eller basisår: kjed seriene først",
    ),
    "kpi.notice_before_set": (
        "the notice ({notice}) is dated before the rent was last set ({last_set})",
        "varselet ({notice}) er datert før leien sist ble fastsatt ({last_set})",
    ),
    "kpi.index_after_notice": (
        "the index month {index} is not published before the notice of {notice}",
        "indeksmåneden {index} er ikke publisert før varselet {notice}",
    ),
    "kpi.clause_months": (
        "the index month and the effective month are months (1..12)",
        "indeksmåneden og virkningsmåneden er måneder (1..12)",
    ),
    "kpi.clause_share": (
        "the share of the index change is above 0 and at most 100 %, not {share}",
        "andelen av indeksendringen er over 0 og høyst 100 %, ikke {share}",
    ),
    "kpi.clause_notice": ("the notice is 0 to 24 months", "varselet er 0 til 24 måneder"),
    "kpi.percent_not_decimal": ("the percentage must be a finite Decimal", "prosentsatsen må være en endelig Decimal"),
    "kpi.percent_too_low": (
        "a change of {percent} % leaves nothing of the amount",
        "en endring på {percent} % etterlater ingenting av beløpet",
    ),
    # command line (cli/kpi.py)
    "kpi.bad_table_settings": (
        "the table settings are not usable: {detail}",
        "tabellinnstillingene kan ikke brukes: {detail}",
    ),
    # --- the Enhetsregisteret (nofaktura.brreg) --------------------------------------------------------
    "error.unit_not_found": (
        "The Enhetsregisteret has no unit with this organisation number.",
        "Enhetsregisteret har ingen enhet med dette organisasjonsnummeret.",
    ),
    "error.unit_deleted": (
        "The unit has been deleted from the Enhetsregisteret.",
        "Enheten er slettet fra Enhetsregisteret.",
    ),
    "error.bad_query": (
        "The search cannot be sent to the Enhetsregisteret as asked.",
        "Søket kan ikke sendes til Enhetsregisteret slik det er stilt.",
    ),
    "error.registry_unavailable": (
        "The Enhetsregisteret (Brønnøysundregistrene) cannot be reached just now; try again later.",
        "Enhetsregisteret (Brønnøysundregistrene) kan ikke nås akkurat nå; prøv igjen senere.",
    ),
    "brreg.deleted": (
        "{orgnr} has been deleted from the Enhetsregisteret.",
        "{orgnr} er slettet fra Enhetsregisteret.",
    ),
    "brreg.no_main_unit": (
        "The Enhetsregisteret has no main unit with organisation number {orgnr}.",
        "Enhetsregisteret har ingen hovedenhet med organisasjonsnummer {orgnr}.",
    ),
    "brreg.no_sub_unit": (
        "The Enhetsregisteret has no sub-unit with organisation number {orgnr}.",
        "Enhetsregisteret har ingen underenhet med organisasjonsnummer {orgnr}.",
    ),
    "brreg.wrong_unit": (
        "The Enhetsregisteret answered for {got} when asked for {orgnr}; the answer is not used.",
        "Enhetsregisteret svarte for {got} da vi spurte etter {orgnr}; svaret brukes ikke.",
    ),
    "brreg.no_name": (
        "Type a name (or give a filter) to search the Enhetsregisteret.",
        "Skriv inn et navn (eller angi et filter) for å søke i Enhetsregisteret.",
    ),
    "brreg.name_too_long": ("The name to search for is too long.", "Navnet det skal søkes etter, er for langt."),
    "brreg.page_outside": (
        "Page {page} of size {size} is outside what the Enhetsregisteret serves "
        "(size 1–{max_size}, at most {max_results} results).",
        "Side {page} med størrelse {size} ligger utenfor det Enhetsregisteret leverer "
        "(størrelse 1–{max_size}, høyst {max_results} treff).",
    ),
    "brreg.search_http": (
        "The Enhetsregisteret search answered HTTP {status}.",
        "Søket i Enhetsregisteret svarte HTTP {status}.",
    ),
    "brreg.too_many_lookups": (
        "Too many Enhetsregisteret lookups just now; try again in {seconds:.0f} s.",
        "For mange oppslag i Enhetsregisteret akkurat nå; prøv igjen om {seconds:.0f} s.",
    ),
    "brreg.slow_down": (
        "The Enhetsregisteret asks us to slow down; try again in a minute.",
        "Enhetsregisteret ber oss vente; prøv igjen om et minutt.",
    ),
    "brreg.malformed_request": (
        "The Enhetsregisteret refused the request as malformed (HTTP 400): {url}",
        "Enhetsregisteret avviste forespørselen som ugyldig (HTTP 400): {url}",
    ),
    "brreg.http": (
        "The Enhetsregisteret answered HTTP {status}; try again later.",
        "Enhetsregisteret svarte HTTP {status}; prøv igjen senere.",
    ),
    "brreg.timeout": (
        "The Enhetsregisteret did not answer in time; try again later.",
        "Enhetsregisteret svarte ikke i tide; prøv igjen senere.",
    ),
    "brreg.unreachable": (
        "The Enhetsregisteret cannot be reached ({error}).",
        "Enhetsregisteret kan ikke nås ({error}).",
    ),
    "brreg.not_json": (
        "The Enhetsregisteret answered something that is not JSON.",
        "Enhetsregisteret svarte med noe som ikke er JSON.",
    ),
    "brreg.too_large": (
        "The Enhetsregisteret answer is larger than {limit} bytes.",
        "Svaret fra Enhetsregisteret er større enn {limit} byte.",
    ),
    "brreg.malformed": (
        "The Enhetsregisteret answered something that cannot be read ({what}).",
        "Enhetsregisteret svarte med noe som ikke kan leses ({what}).",
    ),
    # --- Peppol ids, lookup and invoice responses (nofaktura.peppol) -----------------------------------
    "peppol.no_document_type": (
        "no Peppol document type is known for a UBL {root!r} document",
        "ingen Peppol-dokumenttype er kjent for et UBL-dokument {root!r}",
    ),
    "peppol.bad_icd": (
        "the participant scheme {icd!r} is not a 4-digit ISO 6523 ICD",
        "deltakerskjemaet {icd!r} er ikke en firesifret ISO 6523 ICD",
    ),
    "peppol.bad_identifier": (
        "the participant identifier {value!r} is empty or contains spaces",
        "deltakeridentifikatoren {value!r} er tom eller inneholder mellomrom",
    ),
    "peppol.bad_participant": (
        "{text!r} is not a participant id of the form <ICD>:<identifier>",
        "{text!r} er ikke en deltaker-ID på formen <ICD>:<identifikator>",
    ),
    "peppol.bad_orgnr": (
        "{orgnr!r} is not a valid Norwegian organisation number ({problem})",
        "{orgnr!r} er ikke et gyldig norsk organisasjonsnummer ({problem})",
    ),
    "peppol.not_in_sml": (
        "{participant} is not registered in the SML {zone} ({name})",
        "{participant} er ikke registrert i SML {zone} ({name})",
    ),
    "peppol.dns_failed": ("the DNS lookup of {name} failed: {detail}", "DNS-oppslaget av {name} mislyktes: {detail}"),
    "peppol.no_naptr": (
        "{participant} has no Meta:SMP NAPTR record under {name}",
        "{participant} har ingen Meta:SMP NAPTR-post under {name}",
    ),
    "peppol.smp_unknown": ("the SMP does not know {participant} ({url})", "SMP-en kjenner ikke {participant} ({url})"),
    "peppol.smp_http": ("the SMP answered HTTP {status} for {url}", "SMP-en svarte HTTP {status} for {url}"),
    "peppol.smp_timeout": ("the SMP did not answer in time: {url}", "SMP-en svarte ikke i tide: {url}"),
    "peppol.smp_unreachable": (
        "the SMP could not be reached: {url}: {detail}",
        "SMP-en kunne ikke nås: {url}: {detail}",
    ),
    "peppol.smp_too_large": (
        "the answer is larger than the limit of {limit} bytes",
        "svaret er større enn grensen på {limit} byte",
    ),
    "peppol.smp_bad_xml": ("the SMP answer is not usable XML: {detail}", "SMP-svaret er ikke brukbar XML: {detail}"),
    "peppol.bad_reason_code": (
        "{code!r} is not an OPStatusReason code ({choices})",
        "{code!r} er ikke en OPStatusReason-kode ({choices})",
    ),
    "peppol.bad_action_code": ("{code!r} is not an OPStatusAction code", "{code!r} er ikke en OPStatusAction-kode"),
    "peppol.oth_needs_text": (
        "a status with code OTH (other) must say the reason in words",
        "en status med koden OTH (annet) må oppgi årsaken i tekst",
    ),
    "peppol.ppd_needs_text": (
        "a status with code PPD (partially paid) must say the reason in words",
        "en status med koden PPD (delvis betalt) må oppgi årsaken i tekst",
    ),
    "peppol.response_ids": (
        "an invoice response needs its own id and the id of the invoice it answers",
        "et fakturasvar trenger sin egen ID og ID-en til fakturaen det svarer på",
    ),
    "peppol.response_needs_reason": (
        "an invoice response with code {code} must say why (a status reason)",
        "et fakturasvar med koden {code} må si hvorfor (en statusårsak)",
    ),
    "peppol.ppd_only_paid": (
        "status reason PPD (partially paid) is only for response code PD (paid)",
        "statusårsaken PPD (delvis betalt) gjelder bare svarkoden PD (betalt)",
    ),
    # --- access point transports (nofaktura.peppol.transports) -----------------------------------------
    "ap.credentials": (
        "the access point refused our credentials ({detail})",
        "tilgangspunktet avviste påloggingsopplysningene våre ({detail})",
    ),
    "ap.slow_down": ("the access point asks us to slow down ({detail})", "tilgangspunktet ber oss vente ({detail})"),
    "ap.timed_out": ("the access point timed out ({detail})", "tilgangspunktet svarte ikke i tide ({detail})"),
    "ap.unavailable": (
        "the access point is unavailable ({detail})",
        "tilgangspunktet er ikke tilgjengelig ({detail})",
    ),
    "ap.rejected": (
        "the access point rejected the request ({detail})",
        "tilgangspunktet avviste forespørselen ({detail})",
    ),
    "ap.no_answer": ("{what}: no answer in time", "{what}: fikk ikke svar i tide"),
    "ap.connection_failed": ("{what}: connection failed ({detail})", "{what}: tilkoblingen mislyktes ({detail})"),
    "ap.sftp_credentials": (
        "{what}: the SFTP server refused our credentials",
        "{what}: SFTP-serveren avviste påloggingsopplysningene våre",
    ),
    "ap.ssh_failure": ("{what}: SSH failure ({detail})", "{what}: SSH-feil ({detail})"),
    "ap.permission_denied": ("{what}: permission denied ({detail})", "{what}: ingen tilgang ({detail})"),
    "ap.os_error": ("{what}: {detail}", "{what}: {detail}"),
    "ap.path_escapes": (
        "the path {path!r} leaves the exchange directory",
        "stien {path!r} går ut av utvekslingsmappen",
    ),
    "ap.not_inbox_name": ("{id!r} is not an inbox file name", "{id!r} er ikke et filnavn i innboksen"),
    # the in-memory access point (peppol/transports/memory.py): tests and demo mode
    "ap.memory_closed": ("the in-memory access point is closed", "tilgangspunktet i minnet er lukket"),
    "ap.memory_lost": (
        "the in-memory access point 'lost' the response (scripted)",
        "tilgangspunktet i minnet «mistet» svaret (planlagt i testen)",
    ),
    "storecove.not_json": (
        "Storecove answered {what} with something that is not JSON",
        "Storecove svarte på {what} med noe som ikke er JSON",
    ),
    "storecove.not_object": (
        "Storecove answered {what} with JSON that is not an object",
        "Storecove svarte på {what} med JSON som ikke er et objekt",
    ),
    "storecove.no_field": (
        "Storecove answered {what} without a usable {key!r}",
        "Storecove svarte på {what} uten brukbar {key!r}",
    ),
    "storecove.no_routing": (
        "no Storecove routing scheme is configured for ICD {icd}",
        "ingen Storecove-ruting er satt opp for ICD {icd}",
    ),
    "storecove.document_type": (
        "Storecove: unsupported document type {document_type}",
        "Storecove: dokumenttypen {document_type} støttes ikke",
    ),
    "storecove.duplicate": (
        "Storecove already has this document ({detail})",
        "Storecove har allerede dette dokumentet ({detail})",
    ),
    "storecove.refused": ("Storecove refused the document: {detail}", "Storecove avviste dokumentet: {detail}"),
    "storecove.bad_guid": (
        "{id!r} is not a Storecove submission guid",
        "{id!r} er ikke en Storecove-innsendings-GUID",
    ),
    "storecove.evidence_not_object": (
        "Storecove answered the evidence request with an evidence that is not an object",
        "Storecove svarte på forespørselen om kvittering med en kvittering som ikke er et objekt",
    ),
    "storecove.no_ubl": ("Storecove sent invoice {guid} without UBL", "Storecove sendte faktura {guid} uten UBL"),
    "storecove.bad_base64": (
        "Storecove sent invoice {guid} with invalid base64",
        "Storecove sendte faktura {guid} med ugyldig base64",
    ),
    "storecove.bad_webhook_guid": (
        "{id!r} is not a Storecove webhook instance guid",
        "{id!r} er ikke en GUID for en Storecove-webhook",
    ),
    # --- Digipost (nofaktura.digipost) -----------------------------------------------------------------
    "digipost.duplicate": (
        "Digipost already has message {message_id!r} ({detail})",
        "Digipost har allerede sendingen {message_id!r} ({detail})",
    ),
    "digipost.unknown_recipient": (
        "Digipost cannot deliver to the recipient ({detail})",
        "Digipost kan ikke levere til mottakeren ({detail})",
    ),
    "digipost.clock": (
        "Digipost refused our Date header: check this server's clock ({detail})",
        "Digipost avviste Date-headeren vår: sjekk klokken på denne serveren ({detail})",
    ),
    "digipost.refused_message": ("Digipost refused the message ({detail})", "Digipost avviste sendingen ({detail})"),
    "digipost.credentials": (
        "Digipost refused our credentials or signature ({detail})",
        "Digipost avviste påloggingsopplysningene eller signaturen vår ({detail})",
    ),
    "digipost.slow_down": ("Digipost asks us to slow down ({detail})", "Digipost ber oss vente ({detail})"),
    "digipost.timed_out": ("Digipost timed out ({detail})", "Digipost svarte ikke i tide ({detail})"),
    "digipost.unavailable": ("Digipost is unavailable ({detail})", "Digipost er ikke tilgjengelig ({detail})"),
    "digipost.refused_request": (
        "Digipost refused the request ({detail})",
        "Digipost avviste forespørselen ({detail})",
    ),
    "digipost.unusable": (
        "Digipost answered {what} with something unusable: {detail}",
        "Digipost svarte på {what} med noe som ikke kan brukes: {detail}",
    ),
    "digipost.unusably": (
        "Digipost answered {what} unusably: {detail}",
        "Digipost svarte ubrukelig på {what}: {detail}",
    ),
    "digipost.foreign_documents": (
        "Digipost's answer names documents that were not in the message",
        "Svaret fra Digipost nevner dokumenter som ikke var med i sendingen",
    ),
    "digipost.other_message": (
        "Digipost's answer is about another message id than the one sent",
        "Svaret fra Digipost gjelder en annen sendings-ID enn den som ble sendt",
    ),
    "digipost.too_large": (
        "Digipost answered with more than {limit} bytes; not read",
        "Digipost svarte med mer enn {limit} byte; svaret er ikke lest",
    ),
    "digipost.unsigned": (
        "Digipost's answer (HTTP {status}) is not signed",
        "Svaret fra Digipost (HTTP {status}) er ikke signert",
    ),
    "digipost.bad_date": (
        "Digipost's answer has a bad Date: {detail}",
        "Svaret fra Digipost har ugyldig Date: {detail}",
    ),
    "digipost.hash_mismatch": (
        "Digipost's answer does not match its X-Content-SHA256",
        "Svaret fra Digipost stemmer ikke med X-Content-SHA256",
    ),
    "digipost.bad_signature": (
        "Digipost's answer has an invalid signature",
        "Svaret fra Digipost har en ugyldig signatur",
    ),
    "digipost.no_certificate": (
        "Digipost's entry point carries no certificate to verify answers with",
        "Inngangspunktet til Digipost har ikke noe sertifikat å kontrollere svarene med",
    ),
    # message building (digipost/message.py): checked before anything is sent
    "digipost.nin_digits": ("A national identity number has only digits.", "Et fødselsnummer har bare sifre."),
    "digipost.nin_length": ("A national identity number has 11 digits.", "Et fødselsnummer har 11 sifre."),
    "digipost.nin_check": (
        "The national identity number's check digits are not correct.",
        "Kontrollsifrene i fødselsnummeret er feil.",
    ),
    "digipost.required": ("{what} is required.", "{what} må fylles ut."),
    "digipost.control_chars": (
        "{what} contains control characters that XML cannot carry.",
        "{what} inneholder kontrolltegn som XML ikke kan bære.",
    ),
    "digipost.too_long": ("{what} is longer than {max_length} characters.", "{what} er lengre enn {max_length} tegn."),
    "digipost.what_an_address_line": ("An address line", "En adresselinje"),
    "digipost.what_address_line": ("The address line", "Adresselinjen"),
    "digipost.what_post_town": ("The post town", "Poststedet"),
    "digipost.what_country": ("The country", "Landet"),
    "digipost.what_letter_name": ("The name on the letter", "Navnet på brevet"),
    "digipost.what_recipient_name": ("The recipient's name", "Mottakerens navn"),
    "digipost.what_postcode": ("The postcode", "Postnummeret"),
    "digipost.what_subject": ("The document subject", "Emnet for dokumentet"),
    "digipost.what_invoice_reference": ("The invoice reference", "Fakturareferansen"),
    "digipost.norwegian_lines": (
        "A Norwegian address has at most three address lines.",
        "En norsk adresse har høyst tre adresselinjer.",
    ),
    "digipost.postcode": ("A Norwegian postcode has four digits.", "Et norsk postnummer har fire sifre."),
    "digipost.foreign_lines": (
        "A foreign address has one to four address lines.",
        "En utenlandsk adresse har én til fire adresselinjer.",
    ),
    "digipost.foreign_country": (
        "A foreign address needs either a country code or a country name.",
        "En utenlandsk adresse trenger enten en landkode eller et landnavn.",
    ),
    "digipost.country_code": (
        "The country code must be two capital letters (ISO 3166-1 alpha-2).",
        "Landkoden må være to store bokstaver (ISO 3166-1 alpha-2).",
    ),
    "digipost.foreign_is_norwegian": (
        "A Norwegian address is a NorwegianAddress, not a foreign one.",
        "En norsk adresse er en NorwegianAddress, ikke en utenlandsk.",
    ),
    "digipost.print_unread_zone": (
        "print-if-unread needs a time with a time zone.",
        "utskrift ved ulest sending trenger et tidspunkt med tidssone.",
    ),
    "digipost.print_unread_days": (
        "print-if-unread needs at least one day.",
        "utskrift ved ulest sending trenger minst én dag.",
    ),
    "digipost.address_format": (
        "A Digipost address looks like 'ola.nordmann#1234'.",
        "En Digipost-adresse ser ut som «ola.nordmann#1234».",
    ),
    "digipost.amount_decimal": (
        "The invoice amount must be a finite Decimal.",
        "Fakturabeløpet må være en endelig Decimal.",
    ),
    "digipost.amount_positive": (
        "A Digipost invoice needs an amount above zero (a credit note is not payable).",
        "En Digipost-faktura trenger et beløp over null (en kreditnota kan ikke betales).",
    ),
    "digipost.amount_decimals": (
        "The invoice amount has more than two decimals.",
        "Fakturabeløpet har mer enn to desimaler.",
    ),
    "digipost.due_date": ("The due date must be a date.", "Forfallsdatoen må være en dato."),
    "digipost.kid_length": (
        "A KID for Digipost has at most {max} characters.",
        "En KID til Digipost har høyst {max} tegn.",
    ),
    "digipost.content": (
        "A document needs its content as non-empty bytes.",
        "Et dokument trenger innholdet sitt som bytes, og de kan ikke være tomme.",
    ),
    "digipost.file_type": (
        "The file type is a short lower-case extension such as 'pdf'.",
        "Filtypen er en kort filendelse med små bokstaver, for eksempel «pdf».",
    ),
    "digipost.uuid": (
        "A document UUID is lower-case hexadecimal 8-4-4-4-12.",
        "En dokument-UUID er heksadesimal med små bokstaver, 8-4-4-4-12.",
    ),
    "digipost.message_id": (
        "A message id is 1 to 200 printable characters.",
        "En sendings-ID er 1 til 200 skrivbare tegn.",
    ),
    "digipost.attachments": ("A message has at most {max} attachments.", "En sending har høyst {max} vedlegg."),
    "digipost.delivery_zone": ("The delivery time needs a time zone.", "Leveringstidspunktet trenger en tidssone."),
    "digipost.same_uuid": (
        "Two documents of the message have the same UUID.",
        "To dokumenter i sendingen har samme UUID.",
    ),
    "digipost.print_pdf_only": (
        "A message that may be printed must have only PDF documents.",
        "En sending som kan bli skrevet ut, kan bare ha PDF-dokumenter.",
    ),
    "digipost.name_and_address": (
        "A name-and-address recipient needs a NameAndAddress.",
        "En mottaker med navn og adresse trenger en NameAndAddress.",
    ),
    "digipost.boundary": (
        "A document contains the multipart boundary; send it again with another boundary.",
        "Et dokument inneholder multipart-skillet; send på nytt med et annet skille.",
    ),
    # keys and signatures (digipost/signing.py)
    "digipost.key_not_rsa": (
        "Digipost signs with RSA: the certificate's key is not an RSA key",
        "Digipost signerer med RSA: nøkkelen i sertifikatet er ikke en RSA-nøkkel",
    ),
    "digipost.p12_unreadable": (
        "the Digipost certificate file cannot be opened (wrong password?)",
        "sertifikatfilen for Digipost kan ikke åpnes (feil passord?)",
    ),
    "digipost.p12_no_key": (
        "the Digipost certificate file holds no private key",
        "sertifikatfilen for Digipost har ingen privat nøkkel",
    ),
    "digipost.pem_unreadable": (
        "the Digipost private key cannot be read (PEM, right password?)",
        "den private nøkkelen for Digipost kan ikke leses (PEM, riktig passord?)",
    ),
    "digipost.their_certificate": ("Digipost's certificate cannot be read", "Sertifikatet til Digipost kan ikke leses"),
    "digipost.their_key_not_rsa": (
        "Digipost's certificate does not hold an RSA key",
        "Sertifikatet til Digipost har ingen RSA-nøkkel",
    ),
    "digipost.date_not_http": ("not an HTTP date: {value!r}", "ikke en HTTP-dato: {value!r}"),
    "digipost.date_no_zone": (
        "not an HTTP date with a time zone: {value!r}",
        "ikke en HTTP-dato med tidssone: {value!r}",
    ),
    "digipost.date_window": (
        "the Date {value!r} is more than {tolerance} away from the clock ({now})",
        "Date {value!r} avviker mer enn {tolerance} fra klokken ({now})",
    ),
}

_FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses (``{kid!r}`` -> ``kid``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in _FORMATTER.parse(template) if name}


def lang_of(code: str | None) -> str:
    """``"nb"`` for Norwegian (``nb_NO``, ``nb``, ``no``, ``nn_NO`` — Nynorsk readers read Bokmål far
    better than English), else ``"en"``."""
    if code and code.replace("-", "_").split("_")[0].lower() in ("nb", "no", "nn"):
        return "nb"
    return "en"


def _render(key: str, lang: str, params: Mapping[str, Any]) -> str:
    english, bokmal = CATALOGUE[key]
    template = bokmal if lang_of(lang) == "nb" else english
    values = {name: text(value, lang) if isinstance(value, Message) else value for name, value in params.items()}
    return template.format(**values)


class Message(str):
    """A catalogue text: the English rendering as a ``str``, plus ``key`` and ``params`` to render it in
    another language with :meth:`text` (or :func:`text`)."""

    key: str
    params: Mapping[str, Any]

    def __new__(cls, key: str, params: Mapping[str, Any]) -> Message:
        self = super().__new__(cls, _render(key, "en", params))
        self.key = key
        self.params = dict(params)
        return self

    def text(self, lang: str | None = "en") -> str:
        return _render(self.key, lang or "en", self.params)

    def __reduce__(self) -> tuple[Any, ...]:  # keep key and params through pickling / copying
        return (Message, (self.key, self.params))


def msg(key: str, /, **params: Any) -> Message:
    """The catalogue message ``key`` with its named parameters (``KeyError`` for an unknown key: a typo
    must fail in the tests, not show a blank to a user)."""
    return Message(key, params)


def text(value: object, lang: str | None = "en") -> str:
    """``value`` for a reader of ``lang``: a :class:`Message` or an error of this library rendered in that
    language, anything else as ``str(value)``."""
    render = getattr(value, "text", None)
    if isinstance(value, Message) or (callable(render) and hasattr(value, "message_key")):
        return render(lang)  # type: ignore[misc]
    return str(value)

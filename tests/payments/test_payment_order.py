"""The payment-order model refuses what a bank would reject, naming the transfer and the field."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from nofaktura import kid
from nofaktura.bank.payment_order import (
    Account,
    AccountKind,
    CreditTransfer,
    InvoiceReference,
    PaymentOrder,
    PostalAddress,
    order_from_dict,
    parse_account,
)
from nofaktura.exceptions import InvalidChecksum, InvalidLength, PaymentOrderError

from .helpers import DAY, DEBTOR_ACCOUNT, account, sample_order

GOOD_KID = kid.make("1234567", "mod10")


def transfer(**kw) -> CreditTransfer:
    data = dict(end_to_end_id="E2E-9", amount=Decimal("100.00"), creditor_name="Kreditor AS",
                creditor_account=account(0))  # fmt: skip
    data.update(kw)
    return CreditTransfer(**data)


def refused(field: str, match: str, **kw) -> PaymentOrderError:
    with pytest.raises(PaymentOrderError, match=match) as info:
        transfer(**kw)
    assert info.value.field == field
    if field == "end_to_end_id":
        assert info.value.transfer is None  # an invalid id cannot name the transfer
    else:
        assert info.value.transfer == "E2E-9"
        assert f"transfer (end-to-end id 'E2E-9'), {field}: " in str(info.value)
    return info.value


def test_kid_failing_its_check_digit():
    bad = GOOD_KID[:-1] + str((int(GOOD_KID[-1]) + 1) % 10)
    error = refused("kid", "neither a valid MOD10 nor a valid MOD11", kid=bad)
    assert isinstance(error.__cause__, InvalidChecksum)
    assert str(error).startswith("transfer (end-to-end id 'E2E-9'), kid: ")


def test_kid_with_letters_and_too_long():
    refused("kid", "digits only", kid="12A45")
    refused("kid", "2 to 25", kid=kid.make("1" * 25, "mod10"))


def test_mod11_kid_with_dash_accepted():
    value = next(k for k in (kid.make(str(n), "mod11") for n in range(1000, 2000)) if k.endswith("-"))
    assert transfer(kid=value).kid == value


def test_non_11_digit_bban():
    error = refused("creditor_account", "11 digits", creditor_account="1503568427")
    assert isinstance(error.__cause__, InvalidLength)
    refused("creditor_account", "11 digits", creditor_account="150356842791")


def test_bban_with_wrong_check_digit():
    refused("creditor_account", "check digit", creditor_account="15035684278")


def test_bad_iban():
    refused("creditor_account", "IBAN", creditor_account="NO9386011117948")


def test_negative_and_zero_amounts():
    refused("amount", "not positive", amount=Decimal("-1.00"))
    refused("amount", "not positive", amount=Decimal("0"))


def test_amount_decimals_and_types():
    refused("amount", "more decimals", amount=Decimal("1.005"))
    refused("amount", "never a float", amount=1.5)
    refused("amount", "not an amount", amount="12,50")
    refused("amount", "not an amount", amount=Decimal("NaN"))
    refused("amount", "more than 18 digits", amount=Decimal("1" + "0" * 17))
    assert transfer(amount="12.5").amount == Decimal("12.50")
    assert str(transfer(amount=7).amount) == "7.00"
    assert transfer(amount=Decimal("1.000")).amount == Decimal("1.00")  # trailing zeros are not extra decimals
    yen = transfer(amount=Decimal("1500"), currency="JPY", creditor_account="GB82WEST12345698765432",
                   creditor_address=PostalAddress("GB"))  # fmt: skip
    assert str(yen.amount) == "1500"
    with pytest.raises(PaymentOrderError, match=r"more decimals than JPY has \(0\)"):
        transfer(amount=Decimal("1.50"), currency="JPY", creditor_account="GB82WEST12345698765432",
                 creditor_address=PostalAddress("GB"))


def test_free_text_over_140_characters():
    assert transfer(text="x" * 140).text == "x" * 140
    refused("text", "141 characters, more than the 140", text="x" * 141)


def test_texts_must_be_latin1_without_control_characters():
    refused("creditor_name", "outside ISO-8859-1", creditor_name="Łódź Sp. z o.o.")
    refused("text", "control characters", text="line one\nline two")
    refused("creditor_name", "is empty", creditor_name="   ")
    refused("creditor_name", "is required", creditor_name=None)
    assert transfer(creditor_name="Ærlig Øl & Å AS").creditor_name == "Ærlig Øl & Å AS"


def test_one_kind_of_remittance_only():
    refused("text", "not kid and text", kid=GOOD_KID, text="hei")
    refused("invoices", "not text and invoices", text="hei", invoices=(InvoiceReference("F1", Decimal(100)),))


def test_kid_only_on_domestic_nok():
    refused("kid", "only be used on a NOK payment", kid=GOOD_KID, currency="EUR",
            creditor_account="DE89370400440532013000")
    refused("kid", "only be used on a NOK payment", kid=GOOD_KID, currency="SEK", creditor_account=account(0),
            creditor_address=PostalAddress("NO"))


def test_invoice_references_must_add_up():
    refused("invoices", "add up to 90.00, the transfer pays 100.00",
            invoices=(InvoiceReference("F1", Decimal(100)), InvoiceReference("K1", Decimal(10), credit_note=True)))
    refused("invoices[1].number", "is required", invoices=(InvoiceReference(None, Decimal(100)),))  # type: ignore
    refused("invoices[2].amount", "not positive",
            invoices=(InvoiceReference("A", Decimal(100)), InvoiceReference("B", Decimal(0))))


def test_international_needs_creditor_country():
    refused("creditor_address", "creditor's country", currency="USD", creditor_account="GB82WEST12345698765432")
    refused("creditor_address.country", "two-letter", currency="USD", creditor_account="GB82WEST12345698765432",
            creditor_address=PostalAddress("gbr"))


def test_ids_bic_currency_purpose():
    refused("end_to_end_id", "1–35 printable ASCII", end_to_end_id="x" * 36)
    refused("end_to_end_id", "1–35 printable ASCII", end_to_end_id=" lead")
    refused("instruction_id", "1–35 printable ASCII", instruction_id="ø")
    refused("creditor_bic", "not a BIC", creditor_bic="DNBANOK")
    refused("currency", "ISO 4217", currency="nok")
    refused("category_purpose", "category purpose", category_purpose="supplier")
    assert transfer(creditor_bic="dnba nokk").creditor_bic == "DNBANOKK"


def test_address_limits():
    refused("creditor_address.town", "more than the 35", creditor_address=PostalAddress("NO", town="x" * 36))
    refused("creditor_address.lines", "at most 7", creditor_address=PostalAddress(lines=("a",) * 8))
    refused("creditor_address", "the address is empty", creditor_address=PostalAddress())
    refused("creditor_address.lines", "list of address lines", creditor_address=PostalAddress(lines="Storgata 1"))


def test_invoices_must_be_a_list():
    refused("invoices", "list of InvoiceReference", invoices=InvoiceReference("F1", Decimal(100)))


def test_hand_made_account_is_checked_again():
    refused("creditor_account", "check digit", creditor_account=Account("15035684278", AccountKind.BBAN))
    assert transfer(creditor_account=Account("15035684279", AccountKind.IBAN)).creditor == Account(
        "15035684279", AccountKind.BBAN)


def test_accounts():
    assert parse_account("8601.11.17947") == Account("86011117947", AccountKind.BBAN)
    assert parse_account("no93 8601 1117 947") == Account("NO9386011117947", AccountKind.IBAN)
    assert parse_account("DE89 3704 0044 0532 0130 00").country == "DE"
    assert str(parse_account("86011117947")) == "86011117947"


# -- order level -------------------------------------------------------------------------------------------


def test_order_checks():
    with pytest.raises(PaymentOrderError, match="at least one credit transfer"):
        sample_order(transfers=())
    with pytest.raises(PaymentOrderError, match="Organisation number") as info:
        sample_order(debtor_orgnr="988077918")
    assert info.value.field == "debtor_orgnr" and info.value.transfer is None
    with pytest.raises(PaymentOrderError, match="11 digits"):
        sample_order(debtor_account="1234")
    with pytest.raises(PaymentOrderError, match="not a date"):
        sample_order(execution_date=datetime.datetime(2026, 1, 1))
    with pytest.raises(PaymentOrderError, match="is not one of CRED, DEBT"):
        sample_order(charge_bearer="ME")
    with pytest.raises(PaymentOrderError, match="true/false"):
        sample_order(batch_booking="yes")


def test_duplicate_end_to_end_ids_name_both_transfers():
    with pytest.raises(PaymentOrderError, match="also used by transfer 1") as info:
        PaymentOrder(message_id="M", debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                     transfers=[transfer(), transfer(amount=Decimal(5))])  # fmt: skip
    assert (info.value.index, info.value.transfer, info.value.field) == (2, "E2E-9", "end_to_end_id")
    with pytest.raises(PaymentOrderError, match="instruction id is also used"):
        PaymentOrder(message_id="M", debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                     transfers=[transfer(instruction_id="I"), transfer(end_to_end_id="2", instruction_id="I")])


def test_payment_info_ids_must_fit():
    long_id = "M" * 34
    with pytest.raises(PaymentOrderError, match="shorter message id"):
        PaymentOrder(message_id=long_id, debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                     transfers=[transfer()])  # fmt: skip
    ok = PaymentOrder(message_id="M" * 33, debtor_name="D", debtor_account=DEBTOR_ACCOUNT, execution_date=DAY,
                      transfers=[transfer()])  # fmt: skip
    assert ok.batches()[0].payment_info_id == "M" * 33 + "-1"


# -- from JSON ---------------------------------------------------------------------------------------------


def order_json(**transfer_overrides) -> dict:
    tx = {"end_to_end_id": "J1", "amount": "10.00", "creditor": {"name": "K", "account": account(0)},
          "kid": GOOD_KID}  # fmt: skip
    tx.update(transfer_overrides)
    return {"message_id": "J", "execution_date": "2026-12-01",
            "debtor": {"name": "D", "account": DEBTOR_ACCOUNT, "orgnr": "988077917"},
            "transfers": [{"end_to_end_id": "J0", "amount": "1", "creditor": {"name": "K", "account": account(1)}},
                          tx]}  # fmt: skip


def test_from_dict():
    order = order_from_dict(order_json(invoices=None))
    assert order.message_id == "J" and order.execution_date == DAY and order.debtor_orgnr == "988077917"
    assert [t.kid for t in order.transfers] == [None, GOOD_KID]


def test_from_dict_names_the_transfer_and_position():
    with pytest.raises(PaymentOrderError) as info:
        order_from_dict(order_json(kid="12345675"))
    assert (info.value.index, info.value.transfer, info.value.field) == (2, "J1", "kid")
    assert str(info.value).startswith("transfer 2 (end-to-end id 'J1'), kid: ")


def test_from_dict_refuses_unknown_keys():
    with pytest.raises(PaymentOrderError, match=r"unknown key.*'KID'") as info:
        order_from_dict(order_json(KID="123"))
    assert info.value.index == 2
    with pytest.raises(PaymentOrderError, match="unknown key"):
        order_from_dict({**order_json(), "extra": 1})
    with pytest.raises(PaymentOrderError, match="not a date"):
        order_from_dict({**order_json(), "execution_date": "01.12.2026"})
    with pytest.raises(PaymentOrderError, match="list of transfers"):
        order_from_dict({**order_json(), "transfers": "none"})
    with pytest.raises(PaymentOrderError, match="expected an object"):
        order_from_dict({**order_json(), "debtor": None})

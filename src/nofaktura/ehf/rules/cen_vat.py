# The official tests below are kept on one line each, as in the schematron, for comparison.
# ruff: noqa: E501
"""The EN 16931 VAT category rules for UBL: BR-S/Z/E/AE/IC/G/O/AF/AG/B-*.

Each VAT category code (UNCL 5305) has the same ten rules, numbered alike across categories:

* ``-01`` … ``-04`` (document root): the category used on a line, an allowance or a charge appears
  in the VAT breakdown, and the party VAT identifiers the category needs are there;
* ``-05`` … ``-07``: the VAT rate on a line (BT-152), allowance (BT-96) and charge (BT-103);
* ``-08`` … ``-10`` (VAT breakdown, BG-23): taxable amount, VAT amount, exemption reason.

The tests are the official ones (CEN validation artefacts, see :data:`VERSION`), translated
from XPath 2.0 to XPath 1.0 where that is exact and to Python (:mod:`.cen_support`) where
decimal arithmetic is involved. Messages are ours, built per category from the templates below.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from decimal import Decimal

from lxml import etree

from nofaktura.ehf.rules.cen_support import (
    CastError,
    decimal_test,
    normalize_space,
    one,
    one_decimal,
    round2,
    rule,
    string_value,
    to_decimal,
)
from nofaktura.ehf.rules.engine import Document, Group, Rule, _top_level, group, xpath

VERSION = "1.3.16"

#: Official tests that are exact in XPath 1.0 (``upper-case``/``exists``/``xs:boolean`` spelled out).
XPATH_TESTS: dict[str, tuple[str, str]] = {
    'BR-AE-01': ('fatal', "((boolean(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'AE']) or boolean(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'AE'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'AE']) = 1)) or (not(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'AE']) and not(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'AE']))"),
    'BR-AE-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'AE'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID)) and (boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'AE'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AE-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'AE'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID)) and (boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'AE'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AE-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'AE'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID)) and (boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'AE'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-E-01': ('fatal', "((boolean(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'E']) or boolean(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'E'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'E']) = 1)) or (not(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'E']) and not(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'E']))"),
    'BR-E-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'E'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'E'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-E-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='E'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='E'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-E-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='E'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='E'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-G-01': ('fatal', "((boolean(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'G']) or boolean(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'G'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'G']) = 1)) or (not(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'G']) and not(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'G']))"),
    'BR-G-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'G'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'G'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-G-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='G']) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='G'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-G-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='G']) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='G'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-IC-01': ('fatal', "((boolean(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']) or boolean(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']) = 1)) or (not(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']) and not(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']))"),
    'BR-IC-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'K'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID)) and (boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'K'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']])"),
    'BR-IC-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'K'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID)) and (boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'K'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-IC-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'K'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID)) and (boolean(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'K'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-IC-11': ('fatal', "(boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K'])  and (string-length(cac:Delivery/cbc:ActualDeliveryDate) > 1 or (cac:InvoicePeriod/*))) or (not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']))"),
    'BR-IC-12': ('fatal', "(boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']) and (string-length(cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode) >1)) or (not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'K']))"),
    'BR-AF-01': ('fatal', "((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']])) > 0 and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cbc:ID = 'L']) > 0) or ((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']])) = 0 and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) = 0)"),
    'BR-AF-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AF-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AF-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[cbc:ID='L'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AG-01': ('fatal', "((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']])) > 0 and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cbc:ID = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) > 0) or ((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']])) = 0 and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) = 0)"),
    'BR-AG-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AG-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-AG-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='M'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-O-01': ('fatal', "((boolean(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) or boolean(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) = 1)) or (not(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) and not(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']))"),
    'BR-O-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (not(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) and not(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) and not(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']])"),
    'BR-O-03': ('fatal', "(boolean((/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (not(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) and not(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) and not(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean((/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-O-04': ('fatal', "(boolean((/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (not(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) and not(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID) and not(//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean((/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-O-11': ('fatal', "(boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) != 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) = 0) or not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O'])"),
    'BR-O-12': ('fatal', "(boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) and count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) != 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) = 0) or not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O'])"),
    'BR-O-13': ('fatal', "(boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) and count(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) != 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) = 0) or not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O'])"),
    'BR-O-14': ('fatal', "(boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O']) and count(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) != 'O'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) = 0) or not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'O'])"),
    'BR-S-01': ('fatal', "((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = 'S']) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'S'])) > 0 and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = 'S']) > 0) or ((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = 'S']) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'S'])) = 0 and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = 'S']) = 0)"),
    'BR-S-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'S'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'S']))"),
    'BR-S-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='S'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='S'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-S-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='S'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='S'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-Z-01': ('fatal', "((boolean(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'Z']) or boolean(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'Z'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'Z']) = 1)) or (not(//cac:TaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'Z']) and not(//cac:ClassifiedTaxCategory[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:ID[normalize-space(.) = 'Z']))"),
    'BR-Z-02': ('fatal', "(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'Z'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = 'Z'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-Z-03': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID)='Z'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID) or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]/cac:TaxCategory[normalize-space(cbc:ID) = 'Z'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-Z-04': ('fatal', "(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID)='Z'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]) and (boolean(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID)or boolean(//cac:TaxRepresentativeParty/cac:PartyTaxScheme[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]/cbc:CompanyID))) or not(boolean(//cac:AllowanceCharge[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]/cac:TaxCategory[normalize-space(cbc:ID) = 'Z'][cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]))"),
    'BR-B-01': ('fatal', "(not(//cbc:IdentificationCode != 'IT') and (//cac:TaxCategory/cbc:ID ='B' or //cac:ClassifiedTaxCategory/cbc:ID = 'B')) or (not(//cac:TaxCategory/cbc:ID ='B' or //cac:ClassifiedTaxCategory/cbc:ID = 'B'))"),
    'BR-B-02': ('fatal', "((cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID ='B' or cac:AllowanceCharge/cac:TaxCategory/cbc:ID ='B' or //cac:ClassifiedTaxCategory/cbc:ID = 'B') and (not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID ='S' or cac:AllowanceCharge/cac:TaxCategory/cbc:ID ='S' or //cac:ClassifiedTaxCategory/cbc:ID = 'S'))) or (not(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID ='B' or cac:AllowanceCharge/cac:TaxCategory/cbc:ID ='B' or //cac:ClassifiedTaxCategory/cbc:ID = 'B'))"),
    'BR-AE-10': ('fatal', 'boolean(cbc:TaxExemptionReason) or (boolean(cbc:TaxExemptionReasonCode) )'),
    'BR-E-10': ('fatal', 'boolean(cbc:TaxExemptionReason) or boolean(cbc:TaxExemptionReasonCode)'),
    'BR-G-10': ('fatal', 'boolean(cbc:TaxExemptionReason) or (boolean(cbc:TaxExemptionReasonCode) )'),
    'BR-IC-10': ('fatal', 'boolean(cbc:TaxExemptionReason) or (boolean(cbc:TaxExemptionReasonCode) )'),
    'BR-AF-10': ('fatal', 'not(cbc:TaxExemptionReason) and not(cbc:TaxExemptionReasonCode)'),
    'BR-AF-06': ('fatal', '(cbc:Percent) >= 0'),
    'BR-AF-07': ('fatal', '(cbc:Percent) >= 0'),
    'BR-AF-05': ('fatal', '(cbc:Percent) >= 0'),
    'BR-AG-10': ('fatal', 'not(cbc:TaxExemptionReason) and not(cbc:TaxExemptionReasonCode)'),
    'BR-AG-06': ('fatal', '(cbc:Percent) >= 0'),
    'BR-AG-07': ('fatal', '(cbc:Percent) >= 0'),
    'BR-AG-05': ('fatal', '(cbc:Percent) >= 0'),
    'BR-O-10': ('fatal', 'boolean(cbc:TaxExemptionReason) or (boolean(cbc:TaxExemptionReasonCode) )'),
    'BR-O-06': ('fatal', 'not(cbc:Percent)'),
    'BR-O-07': ('fatal', 'not(cbc:Percent)'),
    'BR-O-05': ('fatal', 'not(cbc:Percent)'),
    'BR-S-10': ('fatal', 'not(cbc:TaxExemptionReason) and not(cbc:TaxExemptionReasonCode)'),
    'BR-S-06': ('fatal', '(cbc:Percent) > 0'),
    'BR-S-07': ('fatal', '(cbc:Percent) > 0'),
    'BR-S-05': ('fatal', '(cbc:Percent) > 0'),
    'BR-Z-10': ('fatal', 'not((cbc:TaxExemptionReason) or (cbc:TaxExemptionReasonCode))'),
}


# --- categories ---------------------------------------------------------------------------------


class Category:
    """One VAT category code with its rule prefix and the words our messages use."""

    def __init__(self, code: str, prefix: str, en: str, nb: str, *, rate: str, reason: str) -> None:
        self.code, self.prefix, self.en, self.nb = code, prefix, en, nb
        #: what the rate must be on lines/allowances/charges: "positive", "zero", "none", "non-negative"
        self.rate = rate
        #: the exemption reason in the VAT breakdown: "forbidden" or "required"
        self.reason = reason

    def id(self, number: int) -> str:
        return f"BR-{self.prefix}-{number:02d}"

    @property
    def label_en(self) -> str:
        return f'VAT category "{self.code}" ({self.en})'

    @property
    def label_nb(self) -> str:
        return f'MVA-kategori "{self.code}" ({self.nb})'


CATEGORIES: tuple[Category, ...] = (
    Category("AE", "AE", "reverse charge", "omvendt avgiftsplikt", rate="zero", reason="required"),
    Category("E", "E", "exempt from VAT", "fritatt for MVA", rate="zero", reason="required"),
    Category("G", "G", "export outside the EU", "eksport ut av EU", rate="zero", reason="required"),
    Category("K", "IC", "intra-community supply", "levering innen EU", rate="zero", reason="required"),
    Category("L", "AF", "IGIC, Canary Islands", "IGIC, Kanariøyene", rate="non-negative", reason="forbidden"),
    Category("M", "AG", "IPSI, Ceuta and Melilla", "IPSI, Ceuta og Melilla", rate="non-negative", reason="forbidden"),
    Category("O", "O", "not subject to VAT", "utenfor MVA-området", rate="none", reason="required"),
    Category("S", "S", "standard rate", "ordinær sats", rate="positive", reason="forbidden"),
    Category("Z", "Z", "zero rated", "nullsats", rate="zero", reason="forbidden"),
)
BY_CODE = {category.code: category for category in CATEGORIES}

#: What rules -02 … -04 ask of the parties, per category: (en, nb, terms).
_PARTY_NEEDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "default": (
        "the seller's VAT identifier (BT-31) or tax registration identifier (BT-32), or the seller tax "
        "representative's VAT identifier (BT-63), must be given",
        "selgers MVA-nummer (BT-31) eller skatteregistreringsnummer (BT-32), eller MVA-nummeret til selgers "
        "avgiftsrepresentant (BT-63), må oppgis",
        ("BT-31", "BT-32", "BT-63"),
    ),
    "vat-only": (
        "the seller's VAT identifier (BT-31) or the seller tax representative's VAT identifier (BT-63) must be "
        "given",
        "selgers MVA-nummer (BT-31) eller MVA-nummeret til selgers avgiftsrepresentant (BT-63) må oppgis",
        ("BT-31", "BT-63"),
    ),
    "AE": (
        "the seller's VAT identifier (BT-31), tax registration identifier (BT-32) or tax representative's VAT "
        "identifier (BT-63) must be given, and the buyer's VAT identifier (BT-48) or legal registration "
        "identifier (BT-47)",
        "selgers MVA-nummer (BT-31), skatteregistreringsnummer (BT-32) eller avgiftsrepresentantens MVA-nummer "
        "(BT-63) må oppgis, og kjøpers MVA-nummer (BT-48) eller organisasjonsnummer (BT-47)",
        ("BT-31", "BT-32", "BT-63", "BT-48", "BT-47"),
    ),
    "K": (
        "the seller's VAT identifier (BT-31) or tax representative's VAT identifier (BT-63) must be given, and "
        "the buyer's VAT identifier (BT-48)",
        "selgers MVA-nummer (BT-31) eller avgiftsrepresentantens MVA-nummer (BT-63) må oppgis, og kjøpers "
        "MVA-nummer (BT-48)",
        ("BT-31", "BT-63", "BT-48"),
    ),
    "O": (
        "no VAT identifier may be given for the seller (BT-31), the seller's tax representative (BT-63) or the "
        "buyer (BT-48); remove them or use another VAT category",
        "det kan ikke oppgis MVA-nummer for selger (BT-31), selgers avgiftsrepresentant (BT-63) eller kjøper "
        "(BT-48); fjern dem eller bruk en annen MVA-kategori",
        ("BT-31", "BT-63", "BT-48"),
    ),
}
_NEEDS_OF = {"G": "vat-only", "AE": "AE", "K": "K", "O": "O"}

_WHERE = {
    2: ("an invoice line (BT-151)", "en fakturalinje (BT-151)", "BT-151"),
    3: ("a document level allowance (BT-95)", "et rabattelement på dokumentnivå (BT-95)", "BT-95"),
    4: ("a document level charge (BT-102)", "et gebyrelement på dokumentnivå (BT-102)", "BT-102"),
    5: ("invoiced item VAT rate (BT-152)", "MVA-sats for varen på linjen (BT-152)", "BT-152"),
    6: ("document level allowance VAT rate (BT-96)", "MVA-sats for rabatten på dokumentnivå (BT-96)", "BT-96"),
    7: ("document level charge VAT rate (BT-103)", "MVA-sats for gebyret på dokumentnivå (BT-103)", "BT-103"),
}


_TAX_CATEGORY = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}TaxCategory"
_CLASSIFIED = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}ClassifiedTaxCategory"
_ID = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID"
_ALLOWANCE = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}AllowanceCharge"


def _codes_used(doc: Document) -> dict[str, frozenset[str]]:
    """VAT category codes (normalized, every cbc:ID) by where they occur, computed once per document:
    ``all`` (any TaxCategory or ClassifiedTaxCategory), ``line`` (ClassifiedTaxCategory) and
    ``allowance`` (the TaxCategory of an AllowanceCharge)."""
    found: dict[str, set[str]] = {"all": set(), "line": set(), "allowance": set()}
    for category in doc.root.iter(_TAX_CATEGORY, _CLASSIFIED):
        codes = {normalize_space(string_value(n)) for n in category.iterchildren(_ID)}
        found["all"] |= codes
        if category.tag == _CLASSIFIED:
            found["line"] |= codes
        else:
            parent = category.getparent()
            if parent is not None and parent.tag == _ALLOWANCE:
                found["allowance"] |= codes
    return {where: frozenset(codes) for where, codes in found.items()}


@functools.cache
def _precheck(code: str, where: str = "all"):
    """False when ``code`` appears nowhere in ``where``: then the rule holds, because each of these
    rules reads "(category used there and …) or not(category used there)". Rule -01 and the extra
    document-level rules look everywhere, -02 at line categories, -03/-04 at allowances/charges."""

    def used(node: etree._Element, doc: Document) -> bool:
        return code in doc.let("cen.vat.codes", _codes_used)[where]

    return used


# ``(boolean(A) and (B)) or not(boolean(A))``: the shape of most BR-x-02/03/04 tests, where B asks for a
# seller (or representative, buyer) VAT identifier anywhere in the document.
_IMPLICATION = re.compile(r"\(boolean\((?P<a>.*)\) and \((?P<b>.*)\)\) or not\(boolean\((?P<again>.*)\)\)")


_CALLS_ONLY = re.compile(r"\s*(?:boolean|not)\(\s*\)(?:\s*(?:and|or)\s*(?:boolean|not)\(\s*\))*\s*")


def _balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"'[^']*'", "''", text):
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _document_condition(test: str) -> str | None:
    """B of a test ``(boolean(A) and (B)) or not(boolean(A))`` whose B looks only at absolute paths (so
    it has one value per document), else None. Where B holds, the test holds (A or not A): the rule can
    be skipped, and B is evaluated once per document instead of once per rule."""
    found = _IMPLICATION.fullmatch(test)
    if not found or any("=" in literal for literal in re.findall(r"'[^']*'", test)):
        return None
    first, condition, again = found.group("a"), found.group("b"), found.group("again")
    if re.sub(r"\s*=\s*", "=", first) != re.sub(r"\s*=\s*", "=", again):  # spaces around '=' mean nothing
        return None
    if not all(_balanced(part) for part in (first, condition, again)):
        return None
    calls = re.findall(r"\b(?:boolean|not)\(", condition)
    absolute = re.findall(r"\b(?:boolean|not)\(//", condition)
    if not calls or len(calls) != len(absolute) or not re.fullmatch(r"[\w\s:/\[\]()'=,.-]*", condition):
        return None
    if not _CALLS_ONLY.fullmatch(_top_level(condition)):  # nothing relative to the context at the top
        return None
    return condition


@functools.cache
def _precheck_unless(code: str, where: str, condition: str):
    """:func:`_precheck`, and False as well where the document condition of the test holds."""
    used = _precheck(code, where)
    compiled = xpath(condition)

    def holds(doc: Document) -> bool:
        return bool(compiled(doc.root))

    def precheck(node: etree._Element, doc: Document) -> bool:
        return used(node, doc) and not doc.let(f"cen.vat.condition:{condition}", holds)

    return precheck


# BR-x-01 in its two official shapes ({v}: the VAT tax scheme predicate, {c}: the category code).
_ONE_BREAKDOWN = (
    "((boolean(//cac:TaxCategory{v}/cbc:ID[normalize-space(.) = '{c}']) or boolean(//cac:ClassifiedTaxCategory{v}"
    "/cbc:ID[normalize-space(.) = '{c}'])) and (count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory{v}/cbc:ID"
    "[normalize-space(.) = '{c}']) = 1)) or (not(//cac:TaxCategory{v}/cbc:ID[normalize-space(.) = '{c}']) and "
    "not(//cac:ClassifiedTaxCategory{v}/cbc:ID[normalize-space(.) = '{c}']))"
)
_SOME_BREAKDOWN = (
    "((count(//cac:AllowanceCharge/cac:TaxCategory[normalize-space(cbc:ID) = '{c}']) + count(//cac:"
    "ClassifiedTaxCategory[normalize-space(cbc:ID) = '{c}'])) > 0 and count(cac:TaxTotal/cac:TaxSubtotal/"
    "cac:TaxCategory[normalize-space(cbc:ID) = '{c}']) > 0) or ((count(//cac:AllowanceCharge/cac:TaxCategory"
    "[normalize-space(cbc:ID) = '{c}']) + count(//cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = '{c}'])) = 0"
    " and count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = '{c}']) = 0)"
)
_SCHEME_PREDICATE = "[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]"
_TAX_SCHEME = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}TaxScheme"


def _tokens(test: str) -> str:
    """The test without the white space next to punctuation (which XPath ignores), for comparing texts."""
    return re.sub(r"\s*([=()\[\],+<>/])\s*", r"\1", test.strip())


def _vat_scheme_codes(doc: Document) -> frozenset[str]:
    """``normalize-space`` of every cbc:ID of a TaxCategory or ClassifiedTaxCategory (anywhere) that has a
    TaxScheme child whose first cbc:ID is 'VAT' (letters v, a, t in any case, spaces normalized)."""
    found: set[str] = set()
    for category in doc.root.iter(_TAX_CATEGORY, _CLASSIFIED):
        if any(
            normalize_space(_first(scheme, _ID).translate(_VAT_UPPER)) == "VAT"
            for scheme in category.iterchildren(_TAX_SCHEME)
        ):
            found.update(normalize_space(string_value(code)) for code in category.iterchildren(_ID))
    return frozenset(found)


def _first_id_codes(doc: Document) -> frozenset[str]:
    """``normalize-space(cbc:ID)`` (the first cbc:ID) of every TaxCategory of an AllowanceCharge and of
    every ClassifiedTaxCategory, anywhere."""
    found: set[str] = set()
    for category in doc.root.iter(_TAX_CATEGORY, _CLASSIFIED):
        if category.tag == _CLASSIFIED or (category.getparent() is not None and category.getparent().tag == _ALLOWANCE):
            found.add(normalize_space(_first(category, _ID)))
    return frozenset(found)


_VAT_UPPER = str.maketrans("vat", "VAT")


def _first(node: etree._Element, tag: str) -> str:
    """XPath ``string(p:X)``: the string value of the first ``tag`` child, '' when there is none."""
    found = next(node.iterchildren(tag), None)
    return "" if found is None else string_value(found)


def _breakdown_test(test: str, code: str):
    """BR-x-01 in Python where its text is one of the two official shapes: whether the category is used
    anywhere comes from one pass per document; only the count in the document's own VAT breakdown is
    left to XPath. None for any other text."""
    if "'" in code or not code:
        return None
    if _tokens(test) == _tokens(_ONE_BREAKDOWN.format(v=_SCHEME_PREDICATE, c=code)):
        local = xpath(
            f"count(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory{_SCHEME_PREDICATE}/cbc:ID[normalize-space(.) = '{code}'])"
            " = 1"
        )

        def exactly_one(node: etree._Element, doc: Document) -> bool:
            return code not in doc.let("cen.vat.scheme-codes", _vat_scheme_codes) or bool(local(node))

        return exactly_one
    if _tokens(test) == _tokens(_SOME_BREAKDOWN.format(c=code)):
        present = xpath(f"boolean(cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = '{code}'])")

        def some(node: etree._Element, doc: Document) -> bool:
            used = code in doc.let("cen.vat.first-codes", _first_id_codes)
            return bool(present(node)) == used

        return some
    return None


def _xpath_test(test: str, code: str, where: str = "all"):
    compiled = xpath(test)
    breakdown = _breakdown_test(test, code)
    if breakdown is not None:
        breakdown.precheck = _precheck(code, where)  # type: ignore[attr-defined]
        return breakdown

    def check(node: etree._Element, doc: Document) -> bool:
        return bool(compiled(node))

    condition = _document_condition(test)
    if condition is not None:
        check.precheck = _precheck_unless(code, where, condition)  # type: ignore[attr-defined]
    else:
        check.precheck = _precheck(code, where)  # type: ignore[attr-defined]
    return check


_WHERE_USED = {1: "all", 2: "line", 3: "allowance", 4: "allowance"}


def _root_rule(category: Category, number: int) -> Rule:
    flag, official = XPATH_TESTS[category.id(number)]
    test = _xpath_test(official, category.code, _WHERE_USED[number])
    if number == 1:
        how_en, how_nb = (
            ("at least one", "minst én") if category.code in ("S", "L", "M") else ("exactly one", "nøyaktig én")
        )
        return rule(
            category.id(1), flag, test,
            f"{category.label_en} is used on an invoice line, allowance or charge, so the VAT breakdown must have "
            f"{how_en} entry with that category (and not otherwise); add or correct the VAT breakdown (BG-23).",
            f"{category.label_nb} er brukt på en fakturalinje, rabatt eller et gebyr, så MVA-spesifikasjonen må ha "
            f"{how_nb} linje med denne kategorien (og ellers ingen); legg til eller rett MVA-spesifikasjonen (BG-23).",
            "BG-23", "BT-118", "BT-151", "BT-95", "BT-102",
        )
    where_en, where_nb, term = _WHERE[number]
    needs_en, needs_nb, terms = _PARTY_NEEDS[_NEEDS_OF.get(category.code, "default")]
    return rule(
        category.id(number), flag, test,
        f"{category.label_en} is used on {where_en}: {needs_en}.",
        f"{category.label_nb} er brukt på {where_nb}: {needs_nb}.",
        term, *terms,
    )


# --- Python tests: decimal arithmetic ------------------------------------------------------------

_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
INVOICE_LINE = f"{{{_CAC}}}InvoiceLine"
CREDIT_NOTE_LINE = f"{{{_CAC}}}CreditNoteLine"
ALLOWANCE_CHARGE = f"{{{_CAC}}}AllowanceCharge"
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_BAD = object()  # a value whose xs:decimal cast fails; raises only when the rule really uses it


def _lazy_decimal(node: etree._Element | None) -> object:
    if node is None:
        return None
    try:
        return to_decimal(string_value(node))
    except CastError:
        return _BAD


def _use(value: object) -> Decimal | None:
    if value is _BAD:
        raise CastError("not a decimal")
    return value  # type: ignore[return-value]


def charge_indicator(node: etree._Element) -> bool | None:
    """``cbc:ChargeIndicator`` cast to xs:boolean: True, False, or None when absent or not a boolean."""
    found = node.find(_CHARGE_INDICATOR)  # the first one (a Clark name needs no namespace map)
    if found is None:
        return None
    return _BOOLEANS.get(normalize_space(string_value(found)))


_CHARGE_INDICATOR = f"{{{_CBC}}}ChargeIndicator"
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


_ITEM = f"{{{_CAC}}}Item"
_PERCENT = f"{{{_CBC}}}Percent"
_LINE_AMOUNT = f"{{{_CBC}}}LineExtensionAmount"
_AMOUNT = f"{{{_CBC}}}Amount"
_CATEGORY_ID = f"{{{_CBC}}}ID"


def _only_child(node: etree._Element, tag: str) -> etree._Element | None:
    """The ``tag`` child of ``node`` or None; two where the official test expects one is an XPath error."""
    found = None
    for child in node.iterchildren(tag):
        if found is not None:
            raise CastError(f"more than one {tag}")
        found = child
    return found


class _Taxed:
    """A line or allowance/charge with what the VAT rules look at: category ids, rates, amount."""

    __slots__ = ("amount", "charge", "ids", "rates", "top")

    def __init__(self, node: etree._Element, root: etree._Element) -> None:
        if node.tag == ALLOWANCE_CHARGE:
            categories = list(node.iterchildren(_TAX_CATEGORY))
            self.amount = _lazy_decimal(_only_child(node, _AMOUNT))
            self.charge = charge_indicator(node)
        else:
            categories = [c for item in node.iterchildren(_ITEM) for c in item.iterchildren(_CLASSIFIED)]
            self.amount = _lazy_decimal(_only_child(node, _LINE_AMOUNT))
            self.charge = None
        ids = (_only_child(category, _CATEGORY_ID) for category in categories)
        self.ids = [normalize_space(string_value(i)) if i is not None else "" for i in ids]
        self.rates = [_lazy_decimal(_only_child(category, _PERCENT)) for category in categories]
        self.top = node.getparent() is root

    def has(self, code: str) -> bool:
        return code in self.ids

    def rated(self, rate: Decimal) -> bool:
        return any(_use(value) == rate for value in self.rates if value is not None)


def _lines(doc: Document) -> tuple[list[_Taxed], list[_Taxed]]:
    def build(d: Document) -> tuple[list[_Taxed], list[_Taxed]]:
        root = d.root
        invoice = [_Taxed(n, root) for n in root.iter(INVOICE_LINE)]
        credit = [_Taxed(n, root) for n in root.iter(CREDIT_NOTE_LINE)]
        return invoice, credit

    return doc.let("cen.vat.lines", build)


def _allowances(doc: Document) -> list[_Taxed]:
    return doc.let("cen.vat.allowances", lambda d: [_Taxed(n, d.root) for n in d.root.iter(ALLOWANCE_CHARGE)])


def _sum(values: Iterator[object]) -> Decimal:
    total = Decimal(0)
    for value in values:
        used = _use(value)
        if used is not None:
            total += used
    return total


def _category_total(lines: list[_Taxed], allowances: list[_Taxed], code: str, rate: Decimal | None) -> Decimal:
    """Σ line net amounts + Σ charges − Σ allowances of ``code`` (and ``rate``) at document level."""

    def match(item: _Taxed) -> bool:
        return item.top and item.has(code) and (rate is None or item.rated(rate))

    return (
        _sum(item.amount for item in lines if match(item))
        + _sum(item.amount for item in allowances if item.charge is True and match(item))
        - _sum(item.amount for item in allowances if item.charge is False and match(item))
    )


def _double_minus_one(node: etree._Element, delta: int) -> Decimal | None:
    """``xs:decimal(cbc:TaxableAmount ± 1)``: the untyped value is promoted to xs:double first."""
    found = one(node, "cbc:TaxableAmount")
    if found is None:
        return None
    text = string_value(found)
    try:
        value = float(to_decimal(text))
    except CastError:
        # XPath double lexical forms ("1E2") are still numbers here; anything else is an XPath error.
        if not _DOUBLE.fullmatch(text.strip(" \t\r\n")):
            raise
        value = float(text)
    if not math.isfinite(value + delta):
        raise CastError(f"{text!r} is not a finite number")
    return Decimal(repr(value + delta))


def _taxable_without_rate(code: str):
    """BR-x-08 for categories without a rate (AE, E, G, K, O, Z): exact equality."""

    @decimal_test
    def test(node: etree._Element, doc: Document) -> bool:
        subtotal = node.getparent()
        taxable = one_decimal(subtotal, "cbc:TaxableAmount")
        invoice, credit = _lines(doc)
        allowances = _allowances(doc)
        if invoice and taxable is not None and taxable == _category_total(invoice, allowances, code, None):
            return True
        return bool(credit) and taxable is not None and taxable == _category_total(credit, allowances, code, None)

    return test


def _taxable_with_rate(code: str):
    """BR-S-08 / BR-AF-08 / BR-AG-08: per rate, within one unit either side."""

    @decimal_test
    def test(node: etree._Element, doc: Document) -> bool:
        rate = one_decimal(node, "cbc:Percent")
        if rate is None:
            return True  # "every $rate in ()" holds
        subtotal = node.getparent()
        low, high = _double_minus_one(subtotal, -1), _double_minus_one(subtotal, +1)
        invoice, credit = _lines(doc)
        allowances = _allowances(doc)

        def within(lines: list[_Taxed]) -> bool:
            if low is None or high is None:
                return False
            total = _category_total(lines, allowances, code, rate)
            return low < total < high

        if code == "S":
            # BR-S-08 also asks that some line or allowance/charge carries this category and rate.
            used_by_allowance = any(a.has(code) and a.rated(rate) for a in allowances)
            if (any(line.has(code) and line.rated(rate) for line in invoice) or used_by_allowance) and within(invoice):
                return True
            return (any(line.has(code) and line.rated(rate) for line in credit) or used_by_allowance) and within(credit)
        return (bool(invoice) and within(invoice)) or (bool(credit) and within(credit))

    return test


@decimal_test
def _tax_is_zero(node: etree._Element, doc: Document) -> bool:
    """BR-x-09 for categories without VAT: ``xs:decimal(../cbc:TaxAmount) = 0``."""
    amount = one_decimal(node.getparent(), "cbc:TaxAmount")
    return amount is not None and amount == 0


@decimal_test
def _tax_is_rate_times_base(node: etree._Element, doc: Document) -> bool:
    """BR-S/AF/AG-09: |BT-117| within one unit of round(|BT-116| × BT-119 / 100, 2)."""
    subtotal = node.getparent()
    amount = one_decimal(subtotal, "cbc:TaxAmount")
    taxable = one_decimal(subtotal, "cbc:TaxableAmount")
    rate = one_decimal(node, "cbc:Percent")
    if amount is None or taxable is None or rate is None:
        return False
    expected = round2(abs(taxable) * (rate / 100))
    return abs(amount) - 1 < expected < abs(amount) + 1


@decimal_test
def _rate_is_zero(node: etree._Element, doc: Document) -> bool:
    """``xs:decimal(cbc:Percent) = 0``."""
    rate = one_decimal(node, "cbc:Percent")
    return rate is not None and rate == 0


_RATE_TESTS = {
    "positive": ("(cbc:Percent) > 0", "must be greater than zero", "må være større enn null"),
    "zero": (_rate_is_zero, "must be 0 (zero)", "må være 0 (null)"),
    "none": ("not(cbc:Percent)", "must not be given", "skal ikke oppgis"),
    "non-negative": ("(cbc:Percent) >= 0", "must be zero or greater", "må være null eller større"),
}


def _rate_rule(category: Category, number: int) -> Rule:
    test, what_en, what_nb = _RATE_TESTS[category.rate]
    where_en, where_nb, term = _WHERE[number]
    official = XPATH_TESTS.get(category.id(number))
    if official is not None:
        test = official[1]
    return rule(
        category.id(number), "fatal", test,
        f"With {category.label_en} the {where_en} {what_en}; correct the rate or the category.",
        f"Med {category.label_nb} {where_nb} {what_nb}; rett satsen eller kategorien.",
        term, "BT-151" if number == 5 else ("BT-95" if number == 6 else "BT-102"),
    )


def _breakdown_rules(category: Category) -> tuple[Rule, ...]:
    code = category.code
    with_rate = category.rate in ("positive", "non-negative")
    taxable = rule(
        category.id(8), "fatal", _taxable_with_rate(code) if with_rate else _taxable_without_rate(code),
        f"The VAT breakdown for {category.label_en}"
        + (" and this rate (BT-119)" if with_rate else "")
        + " must have a taxable amount (BT-116) equal to the sum of the line net amounts (BT-131) plus document "
        "level charges (BT-99) minus document level allowances (BT-92) with that category"
        + (" and rate" if with_rate else "")
        + "; recalculate the VAT breakdown.",
        f"MVA-spesifikasjonen for {category.label_nb}"
        + (" og denne satsen (BT-119)" if with_rate else "")
        + " må ha et grunnlag (BT-116) lik summen av linjenes nettobeløp (BT-131) pluss gebyrer (BT-99) minus "
        "rabatter (BT-92) på dokumentnivå med samme kategori"
        + (" og sats" if with_rate else "")
        + "; beregn MVA-spesifikasjonen på nytt.",
        "BG-23", "BT-116", "BT-131", "BT-99", "BT-92",
    )
    if with_rate:
        tax = rule(
            category.id(9), "fatal", _tax_is_rate_times_base,
            f"In the VAT breakdown for {category.label_en} the VAT amount (BT-117) must be the taxable amount "
            "(BT-116) times the rate (BT-119), rounded to 2 decimals; recalculate the VAT amount.",
            f"I MVA-spesifikasjonen for {category.label_nb} må MVA-beløpet (BT-117) være grunnlaget (BT-116) "
            "ganget med satsen (BT-119), avrundet til 2 desimaler; beregn MVA-beløpet på nytt.",
            "BG-23", "BT-117", "BT-116", "BT-119",
        )
    else:
        tax = rule(
            category.id(9), "fatal", _tax_is_zero,
            f"In the VAT breakdown for {category.label_en} the VAT amount (BT-117) must be 0.",
            f"I MVA-spesifikasjonen for {category.label_nb} må MVA-beløpet (BT-117) være 0.",
            "BG-23", "BT-117",
        )
    flag, test = XPATH_TESTS[category.id(10)]
    if category.reason == "required":
        reason = rule(
            category.id(10), flag, test,
            f"The VAT breakdown for {category.label_en} must state why no VAT is charged: give a VAT exemption "
            "reason text (BT-120) or code (BT-121).",
            f"MVA-spesifikasjonen for {category.label_nb} må si hvorfor det ikke beregnes MVA: oppgi fritaksgrunn "
            "som tekst (BT-120) eller kode (BT-121).",
            "BG-23", "BT-120", "BT-121",
        )
    else:
        reason = rule(
            category.id(10), flag, test,
            f"The VAT breakdown for {category.label_en} must not have a VAT exemption reason (BT-120, BT-121); "
            "remove it or use the right category.",
            f"MVA-spesifikasjonen for {category.label_nb} skal ikke ha fritaksgrunn (BT-120, BT-121); fjern den "
            "eller bruk riktig kategori.",
            "BG-23", "BT-120", "BT-121",
        )
    return taxable, tax, reason


# --- groups ---------------------------------------------------------------------------------------

_VAT = "[cac:TaxScheme[normalize-space(translate(cbc:ID,'vat','VAT'))='VAT']]"
_FALSE = "[cbc:ChargeIndicator[normalize-space(.)='false' or normalize-space(.)='0']]"
_TRUE = "[cbc:ChargeIndicator[normalize-space(.)='true' or normalize-space(.)='1']]"


def category_groups(category: Category) -> list[Group]:
    """The four per-category contexts, in the official order."""
    code = category.code
    return [
        group(
            f"/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = '{code}']{_VAT}",
            *_breakdown_rules(category),
        ),
        group(f"//cac:AllowanceCharge{_FALSE}/cac:TaxCategory[normalize-space(cbc:ID)='{code}']{_VAT}",
              _rate_rule(category, 6)),
        group(f"//cac:AllowanceCharge{_TRUE}/cac:TaxCategory[normalize-space(cbc:ID)='{code}']{_VAT}",
              _rate_rule(category, 7)),
        group(
            f"//cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = '{code}']{_VAT}"
            f" | //cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory[normalize-space(cbc:ID) = '{code}']{_VAT}",
            _rate_rule(category, 5),
        ),
    ]


def root_rules() -> list[Rule]:
    """The VAT category rules evaluated on the document root (-01 … -04 and the extra ones)."""
    rules: list[Rule] = []
    for code in ("AE", "E", "G", "K"):
        rules.extend(_root_rule(BY_CODE[code], n) for n in range(1, 5))
    k = BY_CODE["K"]
    rules.append(rule(
        "BR-IC-11", XPATH_TESTS["BR-IC-11"][0], _xpath_test(XPATH_TESTS["BR-IC-11"][1], "K"),
        f"With {k.label_en} in the VAT breakdown, the actual delivery date (BT-72) or the invoicing period "
        "(BG-14) must be given.",
        f"Med {k.label_nb} i MVA-spesifikasjonen må faktisk leveringsdato (BT-72) eller faktureringsperioden "
        "(BG-14) oppgis.",
        "BT-72", "BG-14",
    ))
    rules.append(rule(
        "BR-IC-12", XPATH_TESTS["BR-IC-12"][0], _xpath_test(XPATH_TESTS["BR-IC-12"][1], "K"),
        f"With {k.label_en} in the VAT breakdown, the deliver-to country code (BT-80) must be given.",
        f"Med {k.label_nb} i MVA-spesifikasjonen må landkoden for leveringsstedet (BT-80) oppgis.",
        "BT-80",
    ))
    for code in ("L", "M", "O"):
        rules.extend(_root_rule(BY_CODE[code], n) for n in range(1, 5))
    o = BY_CODE["O"]
    for number, where_en, where_nb, terms in (
        (11, "the VAT breakdown", "MVA-spesifikasjonen", ("BG-23", "BT-118")),
        (12, "invoice lines", "fakturalinjer", ("BT-151",)),
        (13, "document level allowances", "rabatter på dokumentnivå", ("BT-95",)),
        (14, "document level charges", "gebyrer på dokumentnivå", ("BT-102",)),
    ):
        rules.append(rule(
            f"BR-O-{number}", XPATH_TESTS[f"BR-O-{number}"][0], _xpath_test(XPATH_TESTS[f"BR-O-{number}"][1], "O"),
            f"An invoice with {o.label_en} in the VAT breakdown cannot use any other VAT category in {where_en}; "
            "split the invoice or correct the categories.",
            f"En faktura med {o.label_nb} i MVA-spesifikasjonen kan ikke bruke andre MVA-kategorier i {where_nb}; "
            "del fakturaen eller rett kategoriene.",
            *terms,
        ))
    for code in ("S", "Z"):
        rules.extend(_root_rule(BY_CODE[code], n) for n in range(1, 5))
    rules.append(rule(
        "BR-B-01", XPATH_TESTS["BR-B-01"][0], _xpath_test(XPATH_TESTS["BR-B-01"][1], "B"),
        'VAT category "B" (split payment) is only for domestic Italian invoices: every country code must be IT.',
        'MVA-kategori "B" (delt betaling) gjelder bare innenlandske italienske fakturaer: alle landkoder må være IT.',
        "BT-151", "BT-95", "BT-102", "BT-118",
    ))
    rules.append(rule(
        "BR-B-02", XPATH_TESTS["BR-B-02"][0], _xpath_test(XPATH_TESTS["BR-B-02"][1], "B"),
        'An invoice with VAT category "B" (split payment) cannot also use "S" (standard rate); correct the '
        "categories.",
        'En faktura med MVA-kategori "B" (delt betaling) kan ikke samtidig bruke "S" (ordinær sats); rett '
        "kategoriene.",
        "BT-151", "BT-95", "BT-102", "BT-118",
    ))
    return rules


def groups() -> list[Group]:
    """The per-category groups, in the official order (AE, E, G, K, L, M, O, S, Z)."""
    result: list[Group] = []
    for category in CATEGORIES:
        result.extend(category_groups(category))
    return result

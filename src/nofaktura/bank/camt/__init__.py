"""ISO 20022 camt.052/053/054 (bank-to-customer cash management) into the payment model."""

from nofaktura.bank.camt.reader import CamtReader, read_camt

__all__ = ["CamtReader", "read_camt"]

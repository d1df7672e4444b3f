"""Sending invoices out by the right channel: the channel choice and the print-house channel.

- :func:`choose_channel` / :func:`next_channel` (:mod:`.channels`): per customer a preferred channel and a
  fallback chain; EHF, Digipost, e-mail, print by default; the reason in words.
- :class:`PrintHouse` (:mod:`.printhouse`): PDFs plus an address manifest (CSV or XML) to a print house's
  folder or SFTP server, with file names that make a retry harmless.

Digipost itself is :mod:`nofaktura.digipost`.
"""

from nofaktura.dispatch.channels import DEFAULT_CHAIN, Channel, ChannelChoice, Reach, choose_channel, next_channel
from nofaktura.dispatch.printhouse import (
    ManifestFormat,
    PrintBatchReceipt,
    PrintHouse,
    PrintHouseConfig,
    PrintJob,
)

__all__ = [
    "DEFAULT_CHAIN",
    "Channel",
    "ChannelChoice",
    "ManifestFormat",
    "PrintBatchReceipt",
    "PrintHouse",
    "PrintHouseConfig",
    "PrintJob",
    "Reach",
    "choose_channel",
    "next_channel",
]

"""Which channel an invoice goes by: a pure function of what is known about the customer.

Why pure: the Odoo addon shows the choice and its reason before sending (Send & Print, bulk preview) and
makes it again after a channel finally fails; both must agree, and a function of plain values is easy to
test with Hypothesis. Looking things up (Peppol SMP, Digipost identification) is the caller's job; the
result goes in :class:`Reach`.

The default order is the one Norwegian ERPs use (norway.md §7.4): EHF if the customer is in Peppol, else
Digipost if the customer has a Digipost mailbox, else e-mail if there is an address, else paper. A customer
may have a preferred channel and an own fallback chain; channels the customer cannot be reached by are
skipped, each with the reason in words.

Unknown is not "no": ``Reach.digipost is None`` (not looked up, or the lookup failed) skips Digipost with that
reason instead of treating the customer as a non-user — Digipost's own advice is never to fall back to paid
print because an identification call failed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

__all__ = ["DEFAULT_CHAIN", "Channel", "ChannelChoice", "Reach", "choose_channel", "next_channel"]


class Channel(str, enum.Enum):
    EHF = "ehf"
    DIGIPOST = "digipost"
    EMAIL = "email"
    PRINT = "print"

    @property
    def label(self) -> str:
        return {"ehf": "EHF", "digipost": "Digipost", "email": "e-mail", "print": "print"}[self.value]


DEFAULT_CHAIN: tuple[Channel, ...] = (Channel.EHF, Channel.DIGIPOST, Channel.EMAIL, Channel.PRINT)

_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


@dataclass(frozen=True)
class Reach:
    """What is known about how the customer can be reached.

    ``ehf``: the Peppol lookup found the customer able to receive EHF invoices (None: not looked up or the
    lookup failed). ``digipost``: Digipost identification answered DIGIPOST (True) or IDENTIFIED/UNIDENTIFIED
    (False); None when unknown. ``email``: the invoice address. ``postal_address``: a complete postal address
    (name, street, postcode, town) for paper.
    """

    ehf: bool | None = None
    digipost: bool | None = None
    email: str | None = None
    postal_address: bool = False

    def why_not(self, channel: Channel) -> str | None:
        """None if ``channel`` can reach the customer, else the reason in words."""
        if channel is Channel.EHF:
            return None if self.ehf else (
                "the customer cannot receive EHF (not in the Peppol network)" if self.ehf is False
                else "the customer's Peppol registration is not known (not looked up)")  # fmt: skip
        if channel is Channel.DIGIPOST:
            return None if self.digipost else (
                "the customer has no Digipost mailbox" if self.digipost is False
                else "the customer's Digipost mailbox is not known (not identified)")  # fmt: skip
        if channel is Channel.EMAIL:
            if not self.email or not self.email.strip():
                return "the customer has no e-mail address"
            return None if _EMAIL.fullmatch(self.email.strip()) else "the customer's e-mail address is not valid"
        return None if self.postal_address else "the customer has no complete postal address"


@dataclass(frozen=True)
class ChannelChoice:
    """The channel to use (None: nothing reaches the customer), the channels left to fall back on, in order,
    and why — one sentence for the user, plus each skipped channel with its reason."""

    channel: Channel | None
    remaining: tuple[Channel, ...]
    reason: str
    skipped: tuple[tuple[Channel, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.channel is not None


def _chain(preferred: Channel | None, fallback: Sequence[Channel] | None) -> tuple[Channel, ...]:
    if fallback is None:
        fallback = DEFAULT_CHAIN
    ordered: list[Channel] = []
    for channel in ((preferred,) if preferred else ()) + tuple(fallback):
        channel = Channel(channel)  # noqa: PLW2901 - accept the string values too
        if channel not in ordered:
            ordered.append(channel)
    return tuple(ordered)


def _pick(chain: Sequence[Channel], reach: Reach, exclude: Iterable[Channel], lead: str) -> ChannelChoice:
    excluded = {Channel(c) for c in exclude}
    skipped: list[tuple[Channel, str]] = []
    for index, channel in enumerate(chain):
        why = "it already failed for this invoice" if channel in excluded else reach.why_not(channel)
        if why is not None:
            skipped.append((channel, why))
            continue
        remaining = tuple(c for c in chain[index + 1:] if c not in excluded and reach.why_not(c) is None)
        reason = f"{lead}{channel.label}"
        if skipped:
            reason += " (" + "; ".join(f"not {c.label}: {w}" for c, w in skipped) + ")"
        return ChannelChoice(channel, remaining, reason + ".", tuple(skipped))
    if not chain:
        return ChannelChoice(None, (), "No channel is configured for the customer.", ())
    why = "; ".join(f"{c.label}: {w}" for c, w in skipped)
    return ChannelChoice(None, (), f"No channel can reach the customer ({why}).", tuple(skipped))


def choose_channel(
    reach: Reach,
    preferred: Channel | str | None = None,
    fallback: Sequence[Channel | str] | None = None,
    *,
    exclude: Iterable[Channel | str] = (),
) -> ChannelChoice:
    """Choose the channel for one invoice.

    The chain is ``preferred`` followed by ``fallback`` (default: EHF, Digipost, e-mail, print; pass ``()``
    for "the preferred channel or nothing"). The first channel of the chain that reaches the customer and is
    not in ``exclude`` wins; ``remaining`` lists the later ones that reach the customer too.
    """
    pref = Channel(preferred) if preferred else None
    chain = _chain(pref, [Channel(c) for c in fallback] if fallback is not None else None)
    choice = _pick(chain, reach, [Channel(c) for c in exclude], "")
    if choice.channel is None:
        return choice
    lead = "Channel: " if pref is None else ("Preferred channel: " if choice.channel is pref else "Fallback: ")
    return replace(choice, reason=lead + choice.reason)


def next_channel(previous: ChannelChoice, reach: Reach, failure: str, *,
                 already_failed: Iterable[Channel | str] = ()) -> ChannelChoice:  # fmt: skip
    """After ``previous.channel`` failed finally (``failure`` says why), the next channel of its chain.

    Only channels that were still ahead in the chain are considered, re-checked against ``reach`` (which may
    have changed, e.g. the customer was looked up in Digipost since); ``already_failed`` are skipped too.
    """
    if previous.channel is None:
        return previous
    failed = previous.channel
    lead = f"{failed.label} failed ({failure}); next: "
    choice = _pick(previous.remaining, reach, [failed, *(Channel(c) for c in already_failed)], lead)
    if choice.channel is None:
        return ChannelChoice(None, (), f"{failed.label} failed ({failure}) and no channel is left. {choice.reason}",
                             choice.skipped)  # fmt: skip
    return choice

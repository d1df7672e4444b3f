"""Channel choice: the default order, preferences, fallbacks, reasons — and properties over all inputs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nofaktura.dispatch import DEFAULT_CHAIN, Channel, Reach, choose_channel, next_channel

EHF, DIGIPOST, EMAIL, PRINT = Channel.EHF, Channel.DIGIPOST, Channel.EMAIL, Channel.PRINT
EVERYTHING = Reach(ehf=True, digipost=True, email="post@kunde.no", postal_address=True)


def test_default_is_ehf_when_the_customer_can_receive_it():
    choice = choose_channel(EVERYTHING)
    assert choice.channel is EHF and choice.remaining == (DIGIPOST, EMAIL, PRINT)
    assert choice.reason == "Channel: EHF."


def test_default_falls_back_digipost_then_email_then_print_with_reasons():
    choice = choose_channel(Reach(ehf=False, digipost=True, email="a@b.no", postal_address=True))
    assert choice.channel is DIGIPOST
    assert choice.reason == "Channel: Digipost (not EHF: the customer cannot receive EHF (not in the Peppol network))."
    choice = choose_channel(Reach(ehf=False, digipost=False, email="a@b.no"))
    assert choice.channel is EMAIL and choice.remaining == ()
    assert "no Digipost mailbox" in choice.reason
    choice = choose_channel(Reach(ehf=False, digipost=None, email="not an address", postal_address=True))
    assert choice.channel is PRINT
    assert "not identified" in choice.reason and "e-mail address is not valid" in choice.reason


def test_nothing_reaches_the_customer():
    choice = choose_channel(Reach())
    assert not choice.ok and choice.channel is None and choice.remaining == ()
    assert choice.reason.startswith("No channel can reach the customer (EHF: ")
    assert [c for c, _ in choice.skipped] == list(DEFAULT_CHAIN)


def test_preferred_channel_and_own_fallback_chain():
    choice = choose_channel(EVERYTHING, preferred=PRINT)
    assert choice.channel is PRINT and choice.reason == "Preferred channel: print."
    assert choice.remaining == (EHF, DIGIPOST, EMAIL)
    choice = choose_channel(Reach(email="a@b.no", postal_address=True), preferred="digipost", fallback=["print"])
    assert choice.channel is PRINT and choice.reason.startswith("Fallback: print (not Digipost: ")
    assert choice.remaining == ()
    assert not choose_channel(Reach(email="a@b.no"), preferred=EHF, fallback=()).ok


def test_next_channel_after_a_final_failure():
    first = choose_channel(EVERYTHING)
    second = next_channel(first, EVERYTHING, "the access point refused the document")
    assert second.channel is DIGIPOST and second.remaining == (EMAIL, PRINT)
    assert second.reason == "EHF failed (the access point refused the document); next: Digipost."
    third = next_channel(second, Reach(ehf=True, digipost=True, postal_address=True), "UNKNOWN_RECIPIENT")
    assert third.channel is PRINT  # the e-mail address was removed in between: skipped
    last = next_channel(third, EVERYTHING, "address unknown")
    assert not last.ok and last.reason.startswith("print failed (address unknown) and no channel is left.")
    assert next_channel(last, EVERYTHING, "again") is last


def test_exclude_skips_channels_that_already_failed():
    choice = choose_channel(EVERYTHING, exclude=[EHF, "digipost"])
    assert choice.channel is EMAIL
    assert ("Digipost", "it already failed for this invoice") in [(c.label, w) for c, w in choice.skipped]


def chain_of(preferred, fallback):
    tail = list(DEFAULT_CHAIN if fallback is None else fallback)
    return list(dict.fromkeys(([preferred] if preferred else []) + tail))


channels = st.sampled_from(list(Channel))
reaches = st.builds(Reach, ehf=st.sampled_from([True, False, None]), digipost=st.sampled_from([True, False, None]),
                    email=st.sampled_from([None, "", "x", "a@b.no", " post@firma.no "]), postal_address=st.booleans())
chains = st.none() | st.lists(channels, max_size=6)


@given(reach=reaches, preferred=st.none() | channels, fallback=chains, exclude=st.lists(channels, max_size=2))
def test_the_choice_is_the_first_usable_channel_of_the_chain(reach, preferred, fallback, exclude):
    choice = choose_channel(reach, preferred, fallback, exclude=exclude)
    chain = chain_of(preferred, fallback)
    usable = [c for c in chain if c not in exclude and reach.why_not(c) is None]
    if usable:
        assert choice.channel is usable[0]
        assert choice.remaining == tuple(usable[1:])
        assert [c for c, _ in choice.skipped] == chain[: chain.index(usable[0])]
    else:
        assert choice.channel is None and choice.remaining == ()
        assert [c for c, _ in choice.skipped] == chain
    assert choice.reason and all(why for _, why in choice.skipped)


@given(reach=reaches, preferred=st.none() | channels, fallback=chains)
def test_following_failures_visits_each_usable_channel_once_then_stops(reach, preferred, fallback):
    choice = choose_channel(reach, preferred, fallback)
    seen = []
    for _ in range(10):
        if not choice.ok:
            break
        assert choice.channel not in seen
        assert reach.why_not(choice.channel) is None
        seen.append(choice.channel)
        choice = next_channel(choice, reach, "final failure")
    assert not choice.ok
    chain = chain_of(preferred, fallback)
    assert seen == [c for c in chain if reach.why_not(c) is None]


@given(reach=reaches)
def test_default_chooses_ehf_exactly_when_the_customer_receives_ehf(reach):
    assert (choose_channel(reach).channel is EHF) == (reach.ehf is True)

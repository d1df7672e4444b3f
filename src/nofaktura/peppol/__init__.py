"""Peppol: who can receive (SML/SMP lookup), how documents travel (access-point transports), and the
Invoice Response a buyer sends back.

EHF travels on the Peppol network. A sender never talks to the receiver directly: it hands the document
to its own access point (a contracted service provider) through a *transport*; the access point finds the
receiver's access point through the SML (DNS) and SMP (HTTP) lookup and delivers over AS4.

- :mod:`nofaktura.peppol.ids` — participant, document type and process identifiers.
- :mod:`nofaktura.peppol.lookup` — SML (NAPTR) and SMP lookup: can this participant receive EHF?
- :mod:`nofaktura.peppol.transports` — the access-point interface and its implementations.
- :mod:`nofaktura.peppol.invoice_response` — Peppol Invoice Response (BIS 63A) writer.
"""

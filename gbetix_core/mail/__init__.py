"""Telling people: the outbox, its templates, and the sender that delivers it over SMTP.

Events (a transfer, an admin's link, a claim code, a purchase still unmatched
after the grace period) queue messages in their own transaction with
:func:`gbetix_core.mail.outbox.enqueue`; :mod:`gbetix_core.mail.sender`
delivers them later, from ``gbetix mail send`` or the sync worker.
"""

"""Matching BPT purchases to registered festival users: tokens, engine, claims and decisions.

Entry points for the other faces:

- ``engine.match_purchases(ids, config)`` (after a sync), ``engine.rematch_users(ids, config)``
  (after a users import), ``engine.match_all_unresolved(config)`` (``gbetix match``);
- ``links.user_link``, ``links.session_link``, ``links.bind_session`` (purchase links for the site);
- ``claims.claim`` (a user proves a purchase is theirs), ``decisions.*`` (admins decide, and undo);
- ``queue.queue_page``, ``queue.queue_counts``, ``queue.candidates_for`` (the match queue screen);
- ``status.user_status`` (what a user is told), ``export.write_matches`` (one record per order line).

Inside: ``normalize`` (comparable forms), ``blocking`` (who to compare), ``compare`` (each field's
comparison level), ``weights`` and ``training`` (Fellegi-Sunter match weights, learned from the
festival's data), ``scoring`` (how alike, with reasons in bits), ``decide`` (the rule), ``trackers``
(what order lines' trackers say), ``disposition`` (tickets follow the match), ``record`` (snapshots
for audit and undo).
"""

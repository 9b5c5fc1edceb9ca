"""The terminal face of gbetix: Textual screens over ``gbetix_core``; no business rules live here."""

"""Users, staff and roles, the special accounts, and user import."""

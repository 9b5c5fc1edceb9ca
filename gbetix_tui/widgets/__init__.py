"""Pieces shared by several screens, each with its styles beside it."""

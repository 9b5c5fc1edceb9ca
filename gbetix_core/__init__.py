"""gbetix headless core: models, rules and workers shared by the TUI, the CLI and scripts.

Nothing in this package imports Textual; ``tests/core/test_layers.py`` holds it to that.
"""

__version__ = "0.1.0"

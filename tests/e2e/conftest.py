from tests.bpt_support import bpt, fake, festival  # noqa: F401  (fixtures)

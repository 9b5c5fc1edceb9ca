import sys

from gbetix_core.cli import main

sys.exit(main())

"""``python -m lambdalint``."""

import sys

from lambdalint.cli import main

sys.exit(main())

"""``python -m lambdalint``."""

import sys

from lambdalint.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports its parent's main module
    sys.exit(main())

"""Entry point of the coremod command; run through scripts/coremod (Debian's python3, -I).

Isolated mode leaves the script's own directory off sys.path, so the harness package's folder
(scripts/, holding coremodlib) is put there explicitly.
"""
import os
import sys

_SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
if _SCRIPTS_DIR not in sys.path:
    sys.path.insert(0, _SCRIPTS_DIR)

from coremodlib import cli  # noqa: E402  (the path set-up above must come first)

if __name__ == "__main__":
    sys.exit(cli.main())

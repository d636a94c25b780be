"""Entry point of the coremod command; run through scripts/coremod (Debian's python3, -I).

Isolated mode leaves the script's own directory off sys.path, so the harness packages are put there
explicitly: scripts/ (coremodlib) and reports/ (coremod_reports).
"""
import os
import sys

_SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
_REPO_ROOT = os.path.dirname(_SCRIPTS_DIR)
for _path in (os.path.join(_REPO_ROOT, "reports"), _SCRIPTS_DIR):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from coremodlib import cli  # noqa: E402  (the path set-up above must come first)

if __name__ == "__main__":
    sys.exit(cli.main())

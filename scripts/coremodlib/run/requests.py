"""What a command asks the layers below for, as values: the candidate and how to measure it
(MeasureOptions), and which areas and cases to certify (Selection).

The commands build these from their options (commands/options.py) and pass them down as keyword
arguments; nothing below the commands sees the argparse namespace. Frozen: a command that needs
another value (nightly always measures the gates) makes a changed copy with dataclasses.replace.
Standard library only, because the commands import it at start-up.
"""
import dataclasses
from typing import Optional

from coremodlib import paths


@dataclasses.dataclass(frozen=True)
class MeasureOptions:
    """The candidate, its build and the measurement plan (docs/gates.md)."""

    out: str  # directory for the reports and raw results
    impl: Optional[str] = None  # the candidate library; None: the reference build's
    build_dir: str = paths.DEFAULT_BUILD_DIR
    buildtype: Optional[str] = None  # None: keep the build directory's
    budgets: Optional[str] = None  # None: paths.BUDGETS_FILE
    samples: Optional[int] = None  # None: the runner's own, or the A/B default
    quick: bool = False
    rounds: Optional[int] = None  # None: the mode's default (settings)
    max_rounds: Optional[int] = None
    strict: bool = False  # an inconclusive gate fails
    metric: str = "time"  # or "instructions" (settings.METRICS)
    instructions_baseline: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Selection:
    """The API areas and cases certified: a profile, optionally narrowed to some areas or cases
    (a partial run)."""

    profile: Optional[str] = None  # None: areas.DEFAULT_PROFILE
    areas: tuple = ()
    cases: tuple = ()  # case id globs
    strict_spec: bool = False

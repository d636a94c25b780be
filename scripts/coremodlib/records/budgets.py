"""Reads the budgets table (perf/budgets.toml; its header documents every key): one gate per table,
naming the measured operation, the statistic compared, the comparison, the limit and its unit, the
SPEC clause and where in the document the target is written (the document by name, its section,
the line and its text: the document itself is not part of the repository).

Gates as this release uses them: time and memory gates compare p99 with "<" (the document writes
"<50μs"); capacity gates compare the lowest sample with ">=" (the document writes "1000+"), i.e.
every sample must reach the budget.
"""
import collections
import operator
import tomllib

from coremodlib import units
from coremodlib.errors import HarnessError

STATISTICS = ("p50", "p90", "p99", "max", "min")
COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

# A change smaller than this (relative, of the median) is never called a regression or an
# improvement when two runs are compared (regression.py); a table may set its own min_effect.
DEFAULT_MIN_EFFECT = 0.05

Budget = collections.namedtuple(
    "Budget",
    "operation statistic comparison limit unit clause document document_section "
    "document_line document_quote budget_text min_effect",
    defaults=(DEFAULT_MIN_EFFECT,),
)


def make(
    operation,
    statistic,
    comparison,
    limit,
    unit,
    clause="",
    document="",
    document_section="",
    document_line=None,
    document_quote="",
    budget_text="",
    min_effect=DEFAULT_MIN_EFFECT,
):
    """A Budget with the optional fields defaulted (for callers building budgets in code)."""
    return Budget(
        operation,
        statistic,
        comparison,
        float(limit),
        unit,
        clause,
        document,
        document_section,
        document_line,
        document_quote,
        budget_text,
        float(min_effect),
    )


def passes(budget, value):
    """Whether `value` (the budget's statistic, in the budget's unit) satisfies the budget."""
    return COMPARISONS[budget.comparison](value, budget.limit)


def parse(data, source="budgets"):
    """Budgets from the parsed TOML document, in table order. Top-level scalars are ignored except
    `document`, the document of every table that names none."""
    document = data.get("document", "")
    budgets = []
    for key, table in data.items():
        if not isinstance(table, dict):
            continue
        where = f"{source} [{key}]"
        operation = table.get("operation", key)
        statistic = table.get("statistic")
        comparison = table.get("comparison")
        limit = table.get("budget")
        unit = table.get("unit")
        if not isinstance(operation, str) or not operation:
            raise HarnessError(f"{where}: 'operation' must be a name")
        if statistic not in STATISTICS:
            raise HarnessError(
                f"{where}: 'statistic' must be one of {', '.join(STATISTICS)}, "
                f"not {statistic!r}"
            )
        if comparison not in COMPARISONS:
            raise HarnessError(
                f"{where}: 'comparison' must be one of {', '.join(COMPARISONS)}, "
                f"not {comparison!r}"
            )
        if isinstance(limit, bool) or not isinstance(limit, (int, float)):
            raise HarnessError(f"{where}: 'budget' must be a number")
        if not isinstance(unit, str) or not units.known(unit):
            raise HarnessError(f"{where}: unknown or missing unit {unit!r}")
        min_effect = table.get("min_effect", DEFAULT_MIN_EFFECT)
        if (
            isinstance(min_effect, bool)
            or not isinstance(min_effect, (int, float))
            or not 0 <= min_effect < 1
        ):
            raise HarnessError(f"{where}: 'min_effect' must be a number in [0, 1), e.g. 0.05")
        line = table.get("document_line")
        budgets.append(
            make(
                operation,
                statistic,
                comparison,
                limit,
                unit,
                clause=str(table.get("clause", "")),
                document=str(table.get("document", document)),
                document_section=str(table.get("document_section", "")),
                document_line=line if isinstance(line, int) else None,
                document_quote=str(table.get("document_quote", "")),
                budget_text=str(table.get("budget_text", "")),
                min_effect=min_effect,
            )
        )
    if not budgets:
        raise HarnessError(f"{source}: no budgets")
    return budgets


def load(path):
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise HarnessError(f"budgets file not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(f"cannot read budgets {path}: {exc}") from None
    return parse(data, source=path)

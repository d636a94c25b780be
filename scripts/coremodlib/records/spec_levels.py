"""Whose rule each clause of conformance/SPEC.md is: its `Level:` line, read in this one place.

SPEC's section "Whose rule" defines the format. Every numbered clause (`- **N.M Title.** ...`)
ends with a line, indented like the clause's text, that reads either

    Level: document — "<quote>" (<section>)
    Level: coremod — <sentence>

For `document` the quote runs from the first `"` after the dash to the last `" (` on the line and
the section is in the final parentheses; for `coremod` the rest of the line is the sentence. The
performance targets of section P carry the same line in the last column of their table.

A clause without a level line, with two, or with one this module cannot read is recorded with its
`problem`; a case citing it (or a clause SPEC does not have) is a harness fault, never a verdict
on the candidate (judging.py).

Standard library only.
"""
import collections
import os
import re

from coremodlib import paths

SPEC_FILE = os.path.join(paths.REPO_ROOT, "conformance", "SPEC.md")
LEVELS = ("document", "coremod")
DASH = "—"

Level = collections.namedtuple("Level", "clause level quote section sentence line problem")

_CLAUSE = re.compile(r"^- \*\*(?P<clause>\d+\.\d+)\b")
_BLOCK_END = re.compile(r"^(- \*\*|#)")
_LEVEL_LINE = re.compile(r"^\s+Level:")
_TABLE_ROW = re.compile(r"^\|\s*(?P<clause>P\.\d+)\s*\|.*\|\s*(?P<level>Level:.*?)\s*\|\s*$")


def parse_level_text(text):
    """(level, quote, section, sentence) of one `Level: ...` text (leading blanks allowed);
    ValueError saying what is wrong when it does not follow the format."""
    text = text.strip()
    match = re.match(rf"^Level: (?P<level>\S+) {DASH} (?P<rest>.*)$", text)
    if not match:
        raise ValueError(f"not of the form 'Level: document|coremod {DASH} ...': {text!r}")
    level, rest = match.group("level"), match.group("rest").strip()
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r} (document or coremod)")
    if level == "coremod":
        if not rest:
            raise ValueError("a coremod level without its sentence")
        return level, None, None, rest
    first = rest.find('"')
    last = rest.rfind('" (')
    if first != 0 or last <= first or not rest.endswith(")"):
        raise ValueError(f'a document level must read "<quote>" (<section>): {rest!r}')
    quote = rest[first + 1 : last]
    section = rest[last + 3 : -1]
    if not quote or not section:
        raise ValueError(f"a document level with an empty quote or section: {rest!r}")
    return level, quote, section, None


def _entry(clause, texts, line):
    if not texts:
        return Level(clause, None, None, None, None, line, f"SPEC {clause} has no Level line")
    if len(texts) > 1:
        return Level(
            clause, None, None, None, None, line, f"SPEC {clause} has {len(texts)} Level lines"
        )
    try:
        level, quote, section, sentence = parse_level_text(texts[0][1])
    except ValueError as exc:
        return Level(
            clause,
            None,
            None,
            None,
            None,
            texts[0][0],
            f"SPEC {clause}: unreadable Level line: {exc}",
        )
    return Level(clause, level, quote, section, sentence, texts[0][0], None)


def parse(text):
    """{clause: Level} of every numbered clause and every row of section P in `text`."""
    levels = {}
    current, start, found = None, None, []

    def close():
        if current is not None and current not in levels:
            levels[current] = _entry(current, found, start)

    for number, line in enumerate(text.splitlines(), 1):
        clause = _CLAUSE.match(line)
        if clause or _BLOCK_END.match(line):
            close()
            current, start, found = (
                (clause.group("clause"), number, []) if clause else (None, None, [])
            )
            continue
        row = _TABLE_ROW.match(line)
        if row:
            close()
            current = None
            levels.setdefault(
                row.group("clause"),
                _entry(row.group("clause"), [(number, row.group("level"))], number),
            )
            continue
        if current is not None and _LEVEL_LINE.match(line):
            found.append((number, line))
    close()
    return levels


_CACHE = {}


def load(path=SPEC_FILE):
    """parse() of the SPEC file (read once per process)."""
    if path not in _CACHE:
        with open(path, encoding="utf-8") as f:
            _CACHE[path] = parse(f.read())
    return _CACHE[path]


def explanation(entry):
    """The clause's Level sentence, as the reports quote it for an advisory."""
    if entry.level == "coremod":
        return f"SPEC {entry.clause} is a coremod rule: {entry.sentence}"
    return f'SPEC {entry.clause} is the document\'s rule: "{entry.quote}" ({entry.section})'


def problem_of(levels, clause):
    """Why `clause` cannot be judged by its level (None when it can)."""
    entry = levels.get(clause)
    if entry is None:
        return f"the case cites SPEC {clause!r}, which conformance/SPEC.md does not have"
    return entry.problem

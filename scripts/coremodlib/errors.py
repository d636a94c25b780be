"""The one exception that means "the harness itself could not run" (exit code 2)."""


class HarnessError(Exception):
    """The harness could not produce a verdict: bad arguments, missing tools, a failed build, or a
    runner that died for reasons that are not the candidate's. Never raised for a candidate that
    merely fails: that is a verdict, not an error."""

    exit_code = 2

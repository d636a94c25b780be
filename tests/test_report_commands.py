"""The command line of report, coverage and instructions: help for every option, --metric on
certify and gate, exit code 2 with a clear message when there is nothing to report."""
import pytest

from conftest import run_coremod
from coremodlib import cli


def subcommands():
    parser = cli.build_parser()
    return next(a for a in parser._actions if a.dest == "command").choices


@pytest.mark.parametrize("name", ["report", "coverage", "instructions"])
def test_every_option_has_help(name):
    sub = subcommands()[name]
    assert sub.description
    for action in sub._actions:
        assert action.help, f"coremod {name}: {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("name", ["certify", "gate"])
def test_metric_option(name):
    parser = cli.build_parser()
    args = parser.parse_args([name, "--metric", "instructions"])
    assert args.metric == "instructions"
    assert parser.parse_args([name]).metric == "time"
    with pytest.raises(SystemExit):
        parser.parse_args([name, "--metric", "cycles"])


def test_coverage_threshold_must_be_a_percentage():
    parser = cli.build_parser()
    assert parser.parse_args(["coverage"]).threshold == 85.0
    assert parser.parse_args(["coverage", "--threshold", "90.5"]).threshold == 90.5
    with pytest.raises(SystemExit):
        parser.parse_args(["coverage", "--threshold", "101"])


def test_report_without_a_record_exits_2_and_says_what_to_do(tmp_path):
    result = run_coremod("report", "--in", str(tmp_path))
    assert result.returncode == 2
    assert "no certification.json" in result.stderr and "certify" in result.stderr


def test_report_refuses_a_file_that_is_not_a_record(tmp_path):
    (tmp_path / "certification.json").write_text('{"schema": "something-else/1"}')
    result = run_coremod("report", "--in", str(tmp_path))
    assert result.returncode == 2 and "not a coremod certification record" in result.stderr

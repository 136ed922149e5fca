"""Every registered rule is well-formed: code, severity, message, doc, fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import feedwright.validator  # noqa: F401  (imports every layer, so RULES is complete)
from feedwright.validator.report import REPORT_FORMATS
from feedwright.validator.rules import RULES
from feedwright.validator.rules import Rule

DATA = Path(__file__).resolve().parent.parent / "data" / "validate"
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ALL = sorted(RULES.values(), key=lambda r: r.code)
CHECKED = [r for r in ALL if r.check is not None]


def _id(r: Rule) -> str:
    return r.code


@pytest.mark.parametrize("r", ALL, ids=_id)
def test_code_severity_and_message(r: Rule) -> None:
    assert CODE.match(r.code)
    assert r.severity in ("error", "warning")
    assert r.message.strip() and "\n" not in r.message
    assert not r.message.endswith(".")


@pytest.mark.parametrize("r", ALL, ids=_id)
def test_doc_says_why_and_how(r: Rule) -> None:
    headings = [line.strip() for line in r.doc.splitlines() if line.startswith("## ")]
    assert "## Why it matters" in headings
    assert "## How to fix" in headings
    why, how = r.doc.split("## How to fix", 1)
    assert why.split("## Why it matters", 1)[1].strip(), "empty 'Why it matters'"
    assert how.strip(), "empty 'How to fix'"


@pytest.mark.parametrize("r", CHECKED, ids=_id)
def test_checked_rule_names_its_formats(r: Rule) -> None:
    assert r.formats and r.formats <= set(REPORT_FORMATS)


@pytest.mark.parametrize("r", CHECKED, ids=_id)
def test_checked_rule_has_a_failing_fixture(r: Rule) -> None:
    found = sorted((DATA / r.code).glob("fail_*.*"))
    assert found, f"add tests/data/validate/{r.code}/fail_*.xml (or .json)"


def test_codes_are_unique_and_keyed_by_themselves() -> None:
    assert all(code == r.code for code, r in RULES.items())


def test_fixture_folders_name_registered_rules() -> None:
    folders = {p.name for p in DATA.iterdir() if p.is_dir()} - {"valid"}
    assert folders <= set(RULES), sorted(folders - set(RULES))


@pytest.mark.parametrize(
    ("code", "severity"),
    [("date-in-future", "warning"), ("entries-not-newest-first", "warning"),
     ("updated-before-published", "warning"), ("feed-date-not-newest-entry", "warning"),
     ("rss-duplicate-guid", "error"), ("atom-duplicate-id", "warning"),
     ("atom-duplicate-updated", "warning")],
)
def test_build_gate_codes_exist(code: str, severity: str) -> None:
    # The build pipeline matches on these codes; renaming one breaks it.
    assert RULES[code].check is not None
    assert RULES[code].severity == severity

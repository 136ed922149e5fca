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


#: Modules of the core formats (RSS, Atom, JSON Feed and what they share).
#: Their rules are exempt from the pass-fixture demand below: their near miss
#: is every document in tests/data/validate/valid (and tests/data/validate-valid),
#: which must give no issue at all, and those are RSS, Atom and JSON Feed
#: documents using exactly these elements.  Every other module judges an
#: extension vocabulary (iTunes, podcast, Media RSS, OPML, ...) that no valid
#: core document uses, so only its own pass_* fixtures show its rules stay quiet
#: on a correct use of the vocabulary.
CORE_MODULES = frozenset({
    "atom", "atom_content", "common", "identity", "jsonfeed",
    "rss", "rss_old", "rss_text", "rss_values", "text",
})
_RULES_PACKAGE = "feedwright.validator.rules."


def _module(r: Rule) -> str:
    assert r.check is not None
    return r.check.__module__.removeprefix(_RULES_PACKAGE)


VOCABULARY = [r for r in CHECKED if _module(r) not in CORE_MODULES]


def test_core_allowance_names_real_rule_modules() -> None:
    # A renamed core module must not silently widen or narrow the allowance.
    modules = {_module(r) for r in CHECKED}
    assert modules >= CORE_MODULES, sorted(CORE_MODULES - modules)
    assert {"itunes", "podcast", "media", "opml", "feedsync"} <= modules - CORE_MODULES


@pytest.mark.parametrize("r", VOCABULARY, ids=_id)
def test_vocabulary_rule_has_a_passing_near_miss(r: Rule) -> None:
    # Only .xml and .json are run by test_rules.py; a pass_*.opml would be ignored.
    found = [p for suffix in ("xml", "json") for p in (DATA / r.code).glob(f"pass_*.{suffix}")]
    assert found, (
        f"add tests/data/validate/{r.code}/pass_*.xml: the fail fixture with the fault "
        "fixed, which must give no issue of this code"
    )


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

"""The gate's own pieces of work (tests/test_pipeline.py and tests/test_cache.py
test what it lets through and what it remembers)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from tests.helpers import DATA
from tests.helpers import NOW


def test_long_cut_down_feeds_get_pieces_of_their_own() -> None:
    from feedwright.gate import pieces

    def doc(entries: int) -> Any:
        return SimpleNamespace(fragments=(b"",) * entries)

    pending = [(doc(10), False), (doc(10_000), True), (doc(10_000), True),
               *[(doc(5), False)] * 60]
    sizes = [[len(d.fragments) for d, _ in piece] for piece in pieces(pending, 2_000)]
    assert sizes == [[10], [10_000], [10_000], [5] * 50, [5] * 10]
    # with no workers running, only the count of documents makes pieces
    sizes = [[len(d.fragments) for d, _ in piece] for piece in pieces(pending, None)]
    assert sizes == [[10, 10_000, 10_000, *[5] * 47], [5] * 13]


# --- gate.allow: named warnings accepted on purpose, errors never --------------

def test_allowed_codes_accepts_warnings_and_names_the_line_of_anything_else() -> None:
    from feedwright.config import Allowed
    from feedwright.errors import ConfigError
    from feedwright.gate import allowed_codes

    codes = allowed_codes((Allowed("html-security-risk", "c.yaml:7"),
                           Allowed("contains-relative-reference", "c.yaml:8")))
    assert codes == {"html-security-risk", "contains-relative-reference"}
    with pytest.raises(ConfigError) as info:
        allowed_codes((Allowed("html-security-risk", "c.yaml:7"),
                       Allowed("xml-not-well-formed", "c.yaml:8")))
    assert info.value.source == "c.yaml:8"
    assert info.value.message.startswith(
        "gate.allow: xml-not-well-formed is an error, not a warning, and errors can never be "
        "allowed")
    with pytest.raises(ConfigError) as info:
        allowed_codes((Allowed("html-securty-risk", "c.yaml:9"),))
    assert info.value.source == "c.yaml:9"
    assert info.value.message == ("gate.allow: unknown rule code 'html-securty-risk'; "
                                  "did you mean html-security-risk?")
    assert info.value.exit_code == 2


def test_every_issue_carries_its_rules_severity() -> None:
    """The gate tells an allowed warning from an error by its rule's severity
    (validation at the strictest level makes every issue an error): so no
    layer may report a code with another severity than its rule's."""
    from feedwright.validator import validate
    from feedwright.validator.rules import RULES

    seen = 0
    for path in sorted((DATA / "validate").glob("*/*_*.*")):
        report = validate(path.read_bytes(), name=path.name, now=NOW)
        for issue in report.issues:
            assert issue.severity == RULES[issue.code].severity, (path, issue)
            seen += 1
    assert seen > 100

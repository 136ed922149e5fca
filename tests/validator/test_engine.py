"""The rule engine's own contract: what run_rules changes around it, and the children index."""

from __future__ import annotations

import gc
import subprocess
import sys
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import run_rules
from feedwright.validator.rules._xml import by_tag
from feedwright.validator.rules._xml import indexed
from feedwright.validator.rules._xml import tagged_children

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FEED = b"""<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>
<description>d</description>
<item><title>a</title><title>b</title><guid>https://e.org/1</guid></item>
</channel></rss>"""


def _doc() -> Document:
    return Document(name="t.xml", data=FEED, root=etree.fromstring(FEED), format="rss2", now=NOW)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        codes = [i.code for i in run_rules(_doc())]
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()
    assert "rss-duplicate-element" in codes  # the rules did run


def test_children_by_tag_and_in_order_agree_with_and_without_the_index() -> None:
    item = etree.fromstring(FEED).find("channel/item")
    assert item is not None
    plain = by_tag(item)
    with indexed():
        held = by_tag(item)
        assert by_tag(item) is held  # one visit, then answered from the index
        assert [(t, c.text) for t, c in tagged_children(item)] == [
            ("title", "a"), ("title", "b"), ("guid", "https://e.org/1")]
    assert {k: [c.text for c in v] for k, v in held.items()} == \
        {k: [c.text for c in v] for k, v in plain.items()} == \
        {"title": ["a", "b"], "guid": ["https://e.org/1"]}


def test_a_rule_registered_later_runs_on_documents_of_a_kind_already_seen() -> None:
    from feedwright.validator.rules import RULES
    from feedwright.validator.rules import Finding
    from feedwright.validator.rules import rule

    run_rules(_doc())  # the plan for RSS 2.0 documents is made
    code = "test-engine-late-rule"

    @rule(code, "warning", "registered after a plan was made", formats=("rss2",))
    def late(doc: Document) -> list[Finding]:
        return [Finding(node=doc.root)]

    try:
        assert code in [i.code for i in run_rules(_doc())]
    finally:
        del RULES[code]
        from feedwright.validator.rules import _PLANS
        _PLANS.clear()
    assert code not in [i.code for i in run_rules(_doc())]


def test_checking_xml_does_not_load_the_json_schema_compiler() -> None:
    # `feedwright validate feed.xml` starts a process per run: fastjsonschema
    # is loaded when a JSON Feed is checked, not by every start (~5 ms).
    xml = Path(__file__).parent.parent / "data/validate/rss-missing-guid/fail_no_guid.xml"
    code = ("import sys, feedwright.cli, feedwright.validator as v; "
            "v.validate(open(sys.argv[1], 'rb').read(), name='t'); "
            "print('fastjsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(xml)], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_vocabulary_rule_of_scope_relation_is_refused() -> None:
    # run_rules does not look for vocabularies in documents checked for
    # relations alone: such a rule would never run, so it cannot be registered.
    from feedwright.validator.rules import RULES
    from feedwright.validator.rules import rule

    def check(doc: Document) -> list[object]:
        return []

    check.__module__ = "feedwright.validator.rules.media"  # a vocabulary module
    with pytest.raises(ValueError, match="vocabulary"):
        rule("test-engine-vocabulary-relation", "warning", "m", formats=("rss2",),
             scope="relation")(check)
    assert "test-engine-vocabulary-relation" not in RULES


def test_relation_rules_find_the_same_with_vocabularies_declared() -> None:
    # A cut-down document declaring vocabularies gets the same relation issues.
    from feedwright.validator.rules import RULES

    RULES.load_all()
    plain = b"""<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>
<description>d</description>
<item><guid>https://e.org/1</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
<item><guid>https://e.org/1</guid><pubDate>Tue, 02 Jan 2024 00:00:00 GMT</pubDate></item>
</channel></rss>"""
    declaring = plain.replace(b'<rss version="2.0">', b'<rss version="2.0" '
                              b'xmlns:media="http://search.yahoo.com/mrss/" '
                              b'xmlns:dc="http://purl.org/dc/elements/1.1/">')

    def found(data: bytes) -> list[tuple[str, int | None]]:
        doc = Document(name="t.xml", data=data, root=etree.fromstring(data), format="rss2",
                       now=NOW, strict=True)
        return [(i.code, i.line) for i in run_rules(doc, scope="relation")]

    assert found(plain) == found(declaring) == [
        ("entries-not-newest-first", 4), ("rss-duplicate-guid", 4)]

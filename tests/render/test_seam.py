"""The format seam: one table of formats, one renderer per format with the same
interface, every format we write checked in depth, and the gate's cut-down
path (each renderer's ``skeleton``) finding what a full check finds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from tests.helpers import DATA
from tests.helpers import NOW

from feedwright.formats import FORMATS
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import Output
from feedwright.render import RENDERERS
from feedwright.render import Renderer
from feedwright.render import render_union
from feedwright.render import skeleton
from feedwright.render.fragments import element_bytes
from feedwright.render.fragments import split_head
from feedwright.validator import validate
from feedwright.validator.report import REPORT_FORMATS
from feedwright.validator.rules import RULES

ATOM_NS = "http://www.w3.org/2005/Atom"


def test_every_format_in_the_table_has_a_renderer() -> None:
    assert set(RENDERERS) == set(FORMATS)
    for name, renderer in RENDERERS.items():
        assert renderer.FORMAT == name
        assert FORMATS[name].validator_name in REPORT_FORMATS
    assert len({f.file_name for f in FORMATS.values()}) == len(FORMATS)


def _entry(n: int) -> Entry:
    return Entry(
        id=f"tag:example.org,2026-03-0{n}:/posts/{n}/", title=f"Post {n}",
        url=f"https://example.org/posts/{n}/", summary=f"Summary {n} ‑ “x” & <y>.",
        published=datetime(2026, 3, n, 9, 0, tzinfo=UTC),
        content=f'<p>Post {n} links <a href="https://example.org/">home</a>.</p>' if n % 2
        else None,
        authors=(Author("Ann", "ann@example.org"),) if n % 2 else (Author("Bo"),),
        tags=("a",), reading_time=n, word_count=100 * n,
    )


def _feed(fmt: str) -> Feed:
    path = FORMATS[fmt].file_name
    return Feed(
        tag="", title="Example", description="An example.", home_url="https://example.org/",
        language="en", author=Author("Ann"), entries=(),
        outputs=(Output(fmt, path, f"https://example.org/feeds/{path}"),),
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_we_write_is_checked_in_depth(fmt: str) -> None:
    entries = [_entry(n) for n in (3, 2, 1)]
    doc = render_union(_feed(fmt), {}, entries, fmt)
    report = validate(doc.data, name=doc.output.path, strict=True, now=NOW,
                      location=doc.output.url)
    assert report.format == FORMATS[fmt].validator_name
    assert report.issues == ()
    # served with the table's media type, a reader's client is told what it is
    served = validate(doc.data, name=doc.output.path, strict=True, now=NOW,
                      location=doc.output.url, content_type=FORMATS[fmt].media_type)
    assert served.issues == ()
    # and the same feed with no entries, as the gate checks each head
    head = doc.without_entries()
    assert validate(head.data, name="head", strict=True, now=NOW,
                    location=doc.output.url).issues == ()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_fragments_are_found_by_line(fmt: str) -> None:
    """A gate issue at a line names the entry whose fragment holds it."""
    entries = [_entry(n) for n in (3, 2, 1)]
    doc = render_union(_feed(fmt), {}, entries, fmt)
    lines = doc.data.split(b"\n")
    for first, last, entry in doc.spans:
        text = b"\n".join(lines[first - 1 : last])
        assert entry.url.encode() in text
        assert all(other.url.encode() not in text for other in entries if other is not entry)


# --- every relation rule's failing fixture, through the cut-down path ---------


def _split_xml(data: bytes, fmt: str) -> tuple[bytes, list[bytes], bytes]:
    """A third-party XML feed as our renderers lay one out: head, one fragment
    per entry (pretty-printed, one element per line), tail."""
    root = etree.fromstring(data)
    if fmt == "rss":
        parent = root.find("channel")
        assert parent is not None
        found, level, close = parent.findall("item"), 2, b"</channel>"
    else:
        parent, level, close = root, 1, b"</feed>"
        found = root.findall(f"{{{ATOM_NS}}}entry")
    for element in found:
        parent.remove(element)
    declared = dict(root.nsmap)  # the default namespace too: no ns0: prefixes
    fragments = [element_bytes(e, level=level, declared=declared) for e in found]  # type: ignore[arg-type]
    etree.indent(root, space="  ")
    before, after = split_head(
        etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n", close)
    return before, fragments, after


def _split_json(data: bytes) -> tuple[bytes, list[bytes], bytes]:
    from feedwright.render import jsonfeed

    top = json.loads(data)
    items = top.pop("items", [])
    head = json.dumps(top, ensure_ascii=False, indent=2).encode()
    return (head[: -len(b"\n}")] + b',\n  "items": [\n',
            [jsonfeed.item_bytes(i) for i in items], b"\n  ]\n}\n")


def _relation_fixtures() -> list[tuple[str, Path]]:
    cases = []
    for code, rule in sorted(RULES.items()):
        if rule.scope == "relation":
            cases += [(code, p) for p in sorted((DATA / "validate" / code).glob("fail_*"))
                      if p.suffix in (".xml", ".json")]
    return cases


def _renderer(validator_name: str) -> Renderer:
    [fmt] = [f.name for f in FORMATS.values() if f.validator_name == validator_name]
    return RENDERERS[fmt]


@pytest.mark.parametrize("code, path", _relation_fixtures(),
                         ids=lambda v: v if isinstance(v, str) else v.name)
def test_the_cut_down_path_finds_what_a_full_check_finds(code: str, path: Path) -> None:
    data = path.read_bytes()
    full = validate(data, name=path.name, strict=True, now=NOW)
    renderer = _renderer(full.format)
    if renderer.FORMAT == "json":
        head, fragments, tail = _split_json(data)
    else:
        head, fragments, tail = _split_xml(data, renderer.FORMAT)
    assert len(fragments) >= 2
    cut = [skeleton(renderer.FORMAT, f) for f in fragments]
    document = head + renderer.SEPARATOR.join(cut) + tail
    relations = validate(document, name=path.name, strict=True, now=NOW, relations_only=True)

    def found(report_codes: list[str]) -> list[str]:
        return sorted(c for c in report_codes if RULES[c].scope == "relation")

    assert code in found([i.code for i in full.issues])
    assert found([i.code for i in relations.issues]) == found([i.code for i in full.issues])


def test_the_cut_down_path_has_a_fixture_for_every_relation_rule() -> None:
    relation = {code for code, r in RULES.items() if r.scope == "relation"}
    assert {code for code, _ in _relation_fixtures()} == relation


def test_cut_down_fragments_keep_entries_apart() -> None:
    """Two entries that differ only in what the skeleton drops stay two entries."""
    for fmt in FORMATS:
        a = _entry(1)
        b = replace(a, title="Another title", summary="Another summary.")
        assert skeleton(fmt, RENDERERS[fmt].fragment(a)) == \
            skeleton(fmt, RENDERERS[fmt].fragment(b))
        c = replace(a, id="tag:example.org,2026-03-01:/posts/other/", pinned_id=True)
        assert skeleton(fmt, RENDERERS[fmt].fragment(a)) != \
            skeleton(fmt, RENDERERS[fmt].fragment(c))


def test_skeleton_keeps_what_relates_entries() -> None:
    from feedwright.render import skeleton

    fragment = (
        b"    <item>\n      <title>T</title>\n      <link>https://x.org/a/</link>\n"
        b"      <description>long text</description>\n"
        b'      <guid isPermaLink="true">https://x.org/a/</guid>\n'
        b"      <pubDate>Mon, 02 Mar 2026 00:00:00 +0000</pubDate>\n    </item>\n"
    )
    assert skeleton("rss", fragment) == (
        b"    <item>\n      <link>https://x.org/a/</link>\n"
        b'      <guid isPermaLink="true">https://x.org/a/</guid>\n'
        b"      <pubDate>Mon, 02 Mar 2026 00:00:00 +0000</pubDate>\n    </item>\n"
    )

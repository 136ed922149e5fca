"""RELAX NG layer: shipped schemas, one precise issue per document, rules win on shared lines."""

from __future__ import annotations

import time
from datetime import UTC
from datetime import datetime
from importlib import resources
from pathlib import Path

import pytest

from feedwright.validator import RULES
from feedwright.validator import Issue
from feedwright.validator import validate
from feedwright.validator.document import Document
from feedwright.validator.parse import parse
from feedwright.validator.schema import check_schema
from feedwright.validator.schema import load_schema

VALID = Path(__file__).parent.parent / "data" / "validate-valid"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

RSS_HEAD = (b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
            b' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>\n'
            b"<title>t</title><link>https://e.org/</link><description>d</description>\n")
RSS_TAIL = b"</channel></rss>\n"
ATOM_HEAD = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:uuid:'
             b"60a76c80-d399-11d9-b93C-0003939e0af6</id>\n<updated>2026-01-01T00:00:00Z</updated>"
             b"<author><name>n</name></author>\n")


def schema_issues(data: bytes, already: tuple[Issue, ...] = ()) -> list[Issue]:
    parsed = parse(data, name="t")
    assert parsed.root is not None, parsed.issues
    doc = Document("t", data, parsed.root, parsed.format, NOW)
    return list(check_schema(doc, already=already))


def where(issues: list[Issue]) -> list[tuple[str, int | None, int | None]]:
    return [(i.code, i.line, i.column) for i in issues]


@pytest.mark.parametrize("path", sorted(VALID.glob("*.xml")), ids=lambda p: p.name)
def test_third_party_style_valid_feeds_pass(path: Path) -> None:
    data = path.read_bytes()
    assert schema_issues(data) == []
    report = validate(data, name=path.name, now=NOW)
    assert report.valid, report.issues


def test_schemas_ship_as_package_data_with_their_origin() -> None:
    folder = resources.files("feedwright.validator").joinpath("schemas")
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "RFC 4287" in readme and "trang" in readme
    assert folder.joinpath("atom.rng").is_file() and folder.joinpath("rss2.rng").is_file()


def test_schemas_compile_once() -> None:
    assert load_schema("atom.rng") is load_schema("atom.rng")
    assert load_schema("rss2.rng") is load_schema("rss2.rng")


@pytest.mark.parametrize(("item", "line", "col", "words"), [
    (b"<item><title>a</title>\n<bogus>x</bogus></item>\n", 4, 1,
     "<bogus>: not allowed inside <item>"),
    (b'<item><enclosure url="u" type="t"/></item>\n', 3, 7,
     "<enclosure> has no length attribute, which it requires"),
    (b'<item><guid isPermaLink="yes">g</guid></item>\n', 3, 7, "<guid>"),
    (b"<ttl>soon</ttl>\n", 3, 1, "<ttl>"),
    (b"<title>again</title>\n", 3, 1, "<title>: not allowed here, or repeated"),
    (b'<cloud domain="d" port="80" path="/" registerProcedure="p" protocol="smtp"/>\n', 3, 1,
     "<cloud>"),
])
def test_rss_structure_errors_point_at_the_element(item: bytes, line: int, col: int,
                                                   words: str) -> None:
    issues = schema_issues(RSS_HEAD + item + RSS_TAIL)
    assert where(issues) == [("rss-schema", line, col)]
    assert words in issues[0].message


@pytest.mark.parametrize("extension", [
    b'<atom:link href="https://e.org/feed" rel="self" type="application/rss+xml"/>',
    b"<dc:creator>x</dc:creator>",
    b'<item dc:x="1"><title>a</title><dc:creator a="b"><dc:deep>ok</dc:deep></dc:creator>'
    b"<atom:updated>2026</atom:updated></item>",
    b'<image><url>https://e.org/i.png</url><title>t</title><link>https://e.org/</link>'
    b"<dc:rights>x</dc:rights></image>",
    b"<skipHours><hour>0</hour><hour>23</hour></skipHours><skipDays><day>Sunday</day></skipDays>",
])
def test_rss_foreign_namespaces_and_optional_elements_are_allowed(extension: bytes) -> None:
    assert schema_issues(RSS_HEAD + extension + RSS_TAIL) == []


def test_rss_version_must_be_2_0() -> None:
    data = RSS_HEAD.replace(b'version="2.0"', b'version="2.01"') + RSS_TAIL
    issues = schema_issues(data)
    assert where(issues) == [("rss-schema", 1, 1)]
    assert issues[0].message.endswith("version '2.01' is not \"2.0\"")


@pytest.mark.parametrize(("entry", "line", "col", "words"), [
    (b"<entry><title>t</title><id>urn:x:y</id>\n<updated>yesterday</updated></entry>", 4, 1,
     "'yesterday' is not a valid dateTime"),
    (b"<entry><title>t</title><id>urn:x:y</id><updated>2026-01-01T00:00:00Z</updated>\n"
     b"<foo/></entry>", 4, 1, "<foo> is not an Atom 1.0 element"),
    (b"<entry><id>urn:x:y</id><updated>2026-01-01T00:00:00Z</updated></entry>", 3, 1,
     "<entry>: a required child element is missing"),
])
def test_atom_schema_errors_point_at_the_element(entry: bytes, line: int, col: int,
                                                 words: str) -> None:
    issues = schema_issues(ATOM_HEAD + entry + b"</feed>")
    assert where(issues) == [("atom-schema", line, col)]
    assert words in issues[0].message


def test_atom_schema_allows_offsetless_dates_rules_must_catch_them() -> None:
    # RFC 4287's schema says xsd:dateTime; RFC 3339 needs an offset (validator-notes.md).
    entry = b"<entry><title>t</title><id>urn:x:y</id><updated>2026-01-01T00:00:00</updated></entry>"
    assert schema_issues(ATOM_HEAD + entry + b"</feed>") == []


def _rule_code(severity: str) -> str:
    return next(c for c, r in RULES.items() if r.check is not None and r.severity == severity)


def test_a_rule_error_on_the_same_line_wins() -> None:
    data = ATOM_HEAD + b"<entry><title>t</title><id>urn:x:y</id>\n<updated>yesterday</updated>" \
        b"</entry></feed>"
    rule_error = Issue("error", _rule_code("error"), "explained better", 4, 1)
    assert schema_issues(data, (rule_error,)) == []
    elsewhere = Issue("error", _rule_code("error"), "explained better", 3, 1)
    assert len(schema_issues(data, (elsewhere,))) == 1


def test_a_rule_warning_or_layer_issue_never_hides_a_schema_error() -> None:
    # Dropping on a warning would turn an invalid feed valid.
    data = ATOM_HEAD + b"<entry><title>t</title><id>urn:x:y</id>\n<updated>yesterday</updated>" \
        b"</entry></feed>"
    warning = Issue("warning", _rule_code("warning"), "a nit", 4, 1)
    layer = Issue("error", "xml-encoding-mismatch", "bytes", 4, 1)
    assert len(schema_issues(data, (warning, layer))) == 1


def test_validate_reports_schema_issues_once_in_document_order() -> None:
    data = RSS_HEAD + b"<item><title>a</title>\n<bogus>x</bogus></item>\n" + RSS_TAIL
    report = validate(data, name="t", now=NOW)
    assert [i.line for i in report.issues if i.code == "rss-schema"] == [4]
    assert not report.valid


def test_schema_validation_is_fast_enough_for_the_build_gate() -> None:
    items = b"".join(
        b"<item><title>t%d</title><link>https://e.org/%d</link><guid>https://e.org/%d</guid>"
        b"<pubDate>Tue, 03 Mar 2026 18:04:12 +0000</pubDate><description>d</description>"
        b"<dc:creator>a</dc:creator><category>c</category></item>\n" % (n, n, n)
        for n in range(500)
    )
    data = RSS_HEAD + items + RSS_TAIL
    parsed = parse(data, name="t")
    assert parsed.root is not None
    doc = Document("t", data, parsed.root, parsed.format, NOW)
    started = time.perf_counter()
    for _ in range(20):
        assert list(check_schema(doc)) == []
    assert (time.perf_counter() - started) / 20 < 0.05  # measured ~3 ms per 500-item feed


def test_threads_validating_at_once_get_the_verdicts_of_one_thread() -> None:
    """A schema's error log lives on the compiled schema: threads must not share one."""
    from concurrent.futures import ThreadPoolExecutor

    docs = [RSS_HEAD + b"<cloud port='12.0'/>" + RSS_TAIL, RSS_HEAD + RSS_TAIL,
            ATOM_HEAD + b"<bogus/></feed>", ATOM_HEAD + b"</feed>"] * 25

    def verdict(data: bytes) -> list[tuple[str, int | None]]:
        return [(i.code, i.line) for i in validate(data, name="f.xml", now=NOW).issues]

    alone = [verdict(d) for d in docs]
    assert any(("rss-schema", 3) in v for v in alone)  # the fixtures do hit the schema
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(5):
            assert list(pool.map(verdict, docs)) == alone


ENTRY_OK = (b"<entry><title>t</title><id>urn:x:y</id><updated>2026-01-01T00:00:00Z</updated>"
            b"<link href='https://e.org/a'/>\n")


@pytest.mark.parametrize("extra", [
    # RFC 4287 asks for an XHTML div and says nothing of what is inside it:
    # SVG, MathML and other namespaces are XHTML content (W3C only warns).
    b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a <svg xmlns='
    b'"http://www.w3.org/2000/svg"><circle bogus="true"/></svg> b</div></summary>',
    b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x <math xmlns='
    b'"http://www.w3.org/1998/Math/MathML"><mi>x</mi></math></p></div></summary>',
    b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a <bogus xmlns='
    b'"http://example.com/bogus"/> b</div></content>',
    # XML 1.0 (2.12): xml:lang="" says "no language".
    b'<summary xml:lang="">x</summary>',
])
def test_atom_schema_accepts_what_rfc_4287_allows(extra: bytes) -> None:
    assert schema_issues(ATOM_HEAD + ENTRY_OK + extra + b"</entry></feed>") == []


def test_blank_xml_lang_on_the_feed_is_valid() -> None:
    data = ATOM_HEAD.replace(b"<feed ", b'<feed xml:lang="" ') + b"</feed>"
    assert schema_issues(data) == []
    assert validate(data, name="t", now=NOW).valid


@pytest.mark.parametrize(("extra", "line", "col", "words"), [
    (b"<category scheme='s'/>", 4, 1, "<category> has no term attribute, which it requires"),
    (b"<link rel='related'/>", 4, 1, "<link> has no href attribute, which it requires"),
    (b"<content foo='x'>hi</content>", 4, 1,
     "<content> has no attribute 'foo' in Atom 1.0; an extension attribute needs a namespace"),
    (b"<content src='https://e.org/x' type='text/html'>body</content>", 4, 1,
     "<content src> must be empty: its content is at the src URL"),
    (b"stray  text", 3, 1, "text 'stray text' is not allowed directly inside <entry>"),
    (b"<foo>bar</foo>", 4, 1,
     "<foo> is not an Atom 1.0 element; extensions belong in a namespace of their own"),
    (b"<source><generator>g <b>x</b></generator></source>", 4, 22,
     "<generator> holds text only, not elements such as <b>"),
    # Within the XHTML div: any namespace but none, Atom's and AtomPub's.
    (b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>a <b xmlns="">b'
     b"</b></p></div></summary>", 4, 70,
     "<b> inside XHTML content has no namespace; it is not XHTML (declare "
     'xmlns="http://www.w3.org/1999/xhtml" on it or leave xmlns="" off)'),
    (b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a <app:edited '
     b'xmlns:app="http://www.w3.org/2007/app">2025-01-01T00:00:00Z</app:edited></div>'
     b"</summary>", 4, 67,
     "<app:edited> of the Atom Publishing Protocol does not belong inside XHTML content; "
     "it is entry metadata"),
])
def test_atom_schema_messages_say_what_is_wrong(extra: bytes, line: int, col: int,
                                                words: str) -> None:
    # libxml2 says "<entry>: not allowed inside <feed>" or blames another
    # attribute for each of these.
    issues = schema_issues(ATOM_HEAD + ENTRY_OK + extra + b"</entry></feed>")
    assert where(issues) == [("atom-schema", line, col)]
    assert issues[0].message.endswith(words), issues[0].message
    assert "not allowed inside <feed>" not in issues[0].message


@pytest.mark.parametrize(("head", "item", "words"), [
    (b'version="2.0"', b'<item><guid isPermaLink="yes">g</guid></item>\n',
     "isPermaLink='yes' on <guid> is not one of true, false"),
    (b'version="2.01"', b"", "version '2.01' is not \"2.0\""),
    (b'version="2.0"', b'<item><title>a</title><source>s</source></item>\n',
     "<source> has no url attribute, which it requires"),
    (b'version="2.0"', b'<item><title lang="en">a</title></item>\n',
     "<title> has no attribute 'lang' in RSS 2.0; an extension attribute needs a namespace"),
])
def test_rss_schema_messages_say_what_is_wrong(head: bytes, item: bytes, words: str) -> None:
    issues = schema_issues(RSS_HEAD.replace(b'version="2.0"', head) + item + RSS_TAIL)
    assert [i.code for i in issues] == ["rss-schema"]
    assert issues[0].message.endswith(words), issues[0].message


def test_a_fault_a_rule_explained_does_not_hide_another_schema_fault() -> None:
    # The first fault (a bad xml:lang) is the invalid-language rule's; the
    # schema still reports the second one, in plain words.
    data = (ATOM_HEAD + ENTRY_OK + b'<summary xml:lang="en us">x</summary>\n'
            b"<category scheme='s'/></entry></feed>")
    lang_error = Issue("error", "invalid-language", "not a language tag", 4, 1)
    issues = schema_issues(data, (lang_error,))
    assert where(issues) == [("atom-schema", 5, 1)]
    assert issues[0].message.endswith("<category> has no term attribute, which it requires")

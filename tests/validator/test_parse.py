"""The safe-parse layer: format detection, encodings, JSON, and HTTP transport checks."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from feedwright.validator import RULES
from feedwright.validator import validate
from feedwright.validator.parse import DEFAULT_MAX_BYTES
from feedwright.validator.parse import parse

CHANNEL = b"<channel><title>t</title><link>https://e.org/</link><description>d</description></channel>"
RSS2 = b'<rss version="2.0">' + CHANNEL + b"</rss>"
ATOM = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
RDF = b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
LAYER_CODES = sorted(code for code, r in RULES.items() if r.check is None)


def codes(data: bytes) -> list[str]:
    return [i.code for i in parse(data, name="t").issues]


@pytest.mark.parametrize(("data", "fmt"), [
    (RSS2, "rss2"),
    (b'<rss version="2.0.1"><channel/></rss>', "rss2"),
    (b"<rss><channel/></rss>", "rss2"),  # no version: RSS 2.0 intended, the schema says so
    (b'<rss version="0.91"><channel/></rss>', "rss09x"),
    (b'<rss version="0.92"><channel/></rss>', "rss09x"),
    (b'<rss version="3.0"><channel/></rss>', "unknown"),
    (ATOM, "atom1"),
    (b'<feed xmlns="http://purl.org/atom/ns#" version="0.3"/>', "atom03"),
    (b"<rdf:RDF " + RDF + b' xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>', "rss1"),
    (b"<rdf:RDF " + RDF + b' xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel/></rdf:RDF>',
     "rss09x"),
    (b"<rdf:RDF " + RDF + b"/>", "unknown"),
    (b'<entry xmlns="http://www.w3.org/2005/Atom"/>', "atom1"),  # RFC 4287 4.1.2
    (b"<feed/>", "unknown"),  # no namespace: not Atom
    (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}', "jsonfeed1"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": []}', "jsonfeed1"),
    (b'{"version": "2", "items": []}', "unknown"),
    (b"[1, 2]", "unknown"),
])
def test_detect_format(data: bytes, fmt: str) -> None:
    assert parse(data, name="t").format == fmt


def test_atom_03_is_not_checked_in_depth_and_says_so() -> None:
    report = validate(b'<feed xmlns="http://purl.org/atom/ns#"/>', name="t")
    [issue] = [i for i in report.issues if i.code == "format-not-checked-in-depth"]
    assert (issue.severity, issue.line) == ("warning", 1)
    assert "Atom 0.3" in issue.message
    assert report.valid


@pytest.mark.parametrize(("data", "fmt", "found"), [
    (b'<rss version="0.92">' + CHANNEL + b"</rss>", "rss09x", []),
    (b'<rss version="0.92"><channel/></rss>', "rss09x",
     ["rss-missing-channel-description", "rss-missing-channel-link",
      "rss-missing-channel-title"]),
    (b"<rdf:RDF " + RDF + b' xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>', "rss1",
     ["rss1-missing-about"] + ["rss1-missing-element"] * 4),
    # RSS 0.90 is RDF: the <rss> rules (rss-missing-channel) do not apply.
    (b"<rdf:RDF " + RDF + b' xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel>'
     b"<title>t</title><link>https://e.org/</link><description>d</description>"
     b"</channel></rdf:RDF>", "rss09x", []),
])
def test_rss_1_0_and_0_9x_are_judged_by_their_required_elements(
        data: bytes, fmt: str, found: list[str]) -> None:
    report = validate(data, name="t")
    assert report.format == fmt
    assert sorted(i.code for i in report.issues) == found


def test_an_atom_entry_document_is_atom_judged_by_the_entry_rules() -> None:
    entry = (b'<entry xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
             b"<link href='https://e.org/a'/><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><summary>s</summary>"
             b"<updated>2026-01-01T00:00:00Z</updated><author><name>n</name></author></entry>")
    report = validate(entry, name="t")
    assert (report.format, report.issues) == ("atom1", ())  # no <feed> rules (self link…)
    uuid = b"urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"
    broken = validate(entry.replace(b"<id>" + uuid + b"</id>", b"\n<foo/>"), name="t")
    assert sorted(i.code for i in broken.issues) == ["atom-missing-entry-id", "atom-schema"]
    bad_id = validate(entry.replace(uuid, b"not an IRI"), name="t")
    assert [i.code for i in bad_id.issues] == ["atom-invalid-id"]  # once, not as feed and entry


@pytest.mark.parametrize(("data", "why"), [
    (b"<!DOCTYPE html>\n<html><body/></html>", "HTML page"),
    (b"<outline/>", "<outline>"),
    (b'<rss version="3.0"/>', "'3.0'"),
    (b"<feed/>", '<feed> is in no namespace; Atom 1.0 needs xmlns="http://www.w3.org/2005/Atom"'),
    (b'<feed xmlns="http://www.w3.org/2005/atom"/>', "(namespaces are case-sensitive)"),
    (b'<entry xmlns="http://example.org/"/>', "<entry> is in 'http://example.org/'"),
    (b'<rss xmlns="http://example.org/" version="2.0"/>', "RSS elements are in no namespace"),
    (b"<rdf:RDF " + RDF + b"/>", "holds no <channel> in the RSS 1.0 namespace"),
    (b"<x:rdf " + RDF.replace(b"rdf=", b"x=") + b"/>", "root element <x:rdf> is not"),
])
def test_unknown_format_is_an_error_naming_what_it_is(data: bytes, why: str) -> None:
    [issue] = parse(data, name="t").issues
    assert (issue.severity, issue.code) == ("error", "unknown-format")
    assert why in issue.message


def test_broken_json_feed_points_at_the_syntax_error() -> None:
    data = b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "items": [1,]\n}'
    parsed = parse(data, name="t")
    assert parsed.format == "jsonfeed1"
    [issue] = parsed.issues
    assert (issue.code, issue.line, issue.column) == ("json-not-well-formed", 3, 15)


def test_json_with_a_utf8_bom_and_leading_space_is_still_json() -> None:
    data = b'\xef\xbb\xbf  {"version": "https://jsonfeed.org/version/1.1", "items": []}'
    assert parse(data, name="t").format == "jsonfeed1"


def test_json_feed_is_checked_in_depth() -> None:
    data = b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}'
    report = validate(data, name="t")
    assert report.format == "jsonfeed1"
    assert "format-not-checked-in-depth" not in [i.code for i in report.issues]
    assert [i.code for i in report.issues] == ["jsonfeed-missing-feed-url"]


@pytest.mark.parametrize(("version", "fmt"), [
    ("https://jsonfeed.org/version/1.1", "jsonfeed1"),
    ("https://jsonfeed.org/version/1", "jsonfeed1"),
    ("http://jsonfeed.org/version/1", "jsonfeed1"),  # a JSON Feed, with an unknown version
    ("https://jsonfeed.org/version/2", "jsonfeed1"),
    ("1.1", "unknown"),
])
def test_a_json_feed_is_known_by_its_version_url(version: str, fmt: str) -> None:
    data = f'{{"version": "{version}", "title": "t", "items": []}}'.encode()
    assert parse(data, name="t").format == fmt


def test_deeply_nested_json_is_an_issue_not_a_recursion_error() -> None:
    parsed = parse(b"[" * 100_000 + b"]" * 100_000, name="t")
    assert [(i.code, i.line, i.column) for i in parsed.issues] == [("json-too-large", 1, 257)]


@pytest.mark.parametrize(("digits", "code"), [
    (4300, None), (4301, "json-too-large"), (-4300, None), (-4301, "json-too-large"),
])
def test_numbers_are_read_up_to_4300_digits(digits: int, code: str | None) -> None:
    number = ("-" if digits < 0 else "") + "9" * abs(digits)
    data = b'{"version": "https://jsonfeed.org/version/1.1", "_n": ' + number.encode() + b"}"
    parsed = parse(data, name="t")
    assert [(i.code, i.line, i.column) for i in parsed.issues] == (
        [(code, 1, 55)] if code else [])


@pytest.mark.parametrize(("data", "kind"), [
    (b"null", "null"), (b' "feed"', "a string"), (b"42", "a number"), (b"[{}]", "an array"),
    (b"true", "a boolean"),
])
def test_json_that_is_not_an_object_is_not_a_feed(data: bytes, kind: str) -> None:
    [issue] = parse(data, name="t").issues
    assert issue.code == "unknown-format"
    assert f"the top level is {kind}" in issue.message


def test_text_that_only_starts_like_a_json_literal_is_neither_xml_nor_json() -> None:
    [issue] = parse(b"not found", name="t").issues
    assert (issue.code, issue.line, issue.column) == ("xml-not-well-formed", 1, 1)
    assert "not XML or JSON" in issue.message


def test_utf16_json_with_a_byte_order_mark_is_read_with_a_warning() -> None:
    data = '{"version": "https://jsonfeed.org/version/1", "title": "t"}'.encode("utf-16")
    parsed = parse(data, name="t")
    assert (parsed.format, parsed.encoding) == ("jsonfeed1", "utf-16-le")
    [issue] = parsed.issues
    assert (issue.code, issue.severity, issue.line) == ("json-byte-order-mark", "warning", 1)
    assert "UTF-16-LE" in issue.message


@pytest.mark.parametrize(("data", "encoding"), [
    (RSS2, None),
    (b'<?xml version="1.0"?>' + RSS2, None),
    (b'<?xml version="1.0" encoding="UTF-8"?>' + RSS2, "utf-8"),
    (b"<?xml version='1.0' encoding='ISO-8859-1'?>" + RSS2, "iso8859-1"),
    (b"\xef\xbb\xbf" + RSS2, "utf-8"),
    ('\ufeff<?xml version="1.0" encoding="utf-16"?>'.encode("utf-16-le") + RSS2.decode()
     .encode("utf-16-le"), "utf-16-le"),
])
def test_the_documents_own_encoding_is_recorded(data: bytes, encoding: str | None) -> None:
    parsed = parse(data, name="t")
    issues = [i for i in parsed.issues if i.code != "xml-byte-order-mark"]
    assert (parsed.format, parsed.encoding, issues) == ("rss2", encoding, [])


def test_utf16_bom_with_utf8_declaration_is_a_bom_mismatch() -> None:
    data = '\ufeff<?xml version="1.0" encoding="utf-8"?><rss version="2.0"/>'.encode("utf-16-le")
    assert codes(data) == ["xml-bom-mismatch"]


def test_bomless_utf16_without_declaration_is_an_encoding_error() -> None:
    [issue] = parse(RSS2.decode().encode("utf-16-le"), name="t").issues
    assert issue.code == "xml-invalid-encoding"
    assert "byte order mark" in issue.message


def test_windows_1252_declared_and_used_is_fine() -> None:
    title = RSS2.replace(b"<title>t", b"<title>\x93q\x94")
    data = b'<?xml version="1.0" encoding="windows-1252"?>\n' + title
    parsed = parse(data, name="t")
    assert (parsed.format, parsed.issues) == ("rss2", ())
    assert parsed.root is not None and parsed.root.findtext("channel/title") == "\u201cq\u201d"


def test_us_ascii_declared_with_utf8_bytes_is_a_mismatch_at_the_byte() -> None:
    data = (b'<?xml version="1.0" encoding="us-ascii"?>\n'
            b'<rss version="2.0"><channel><title>caf\xc3\xa9')
    [issue] = parse(data, name="t").issues
    assert (issue.code, issue.line, issue.column) == ("xml-encoding-mismatch", 2, 39)
    assert "UTF-8" in issue.message


def test_nul_after_a_multibyte_character_gets_a_character_column() -> None:
    data = "<rss>\n<title>\u00e9\u00e9\x00</title></rss>".encode()
    [issue] = parse(data, name="t").issues
    assert (issue.code, issue.line, issue.column) == ("xml-nul-byte", 2, 10)


def test_size_cap_defaults_to_50_mb_and_is_configurable() -> None:
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    assert codes(RSS2) == []
    assert codes_with_cap(RSS2, len(RSS2)) == []
    assert codes_with_cap(RSS2, len(RSS2) - 1) == ["xml-too-large"]


def codes_with_cap(data: bytes, cap: int) -> list[str]:
    return [i.code for i in parse(data, name="t", max_bytes=cap).issues]


def test_internal_entities_are_expanded() -> None:
    data = (b'<!DOCTYPE rss [<!ENTITY who "Ana">]>'
            b'<rss version="2.0"><channel><title>&who;</title></channel></rss>')
    parsed = parse(data, name="t")
    assert parsed.root is not None and parsed.root.findtext("channel/title") == "Ana"


def test_entities_nested_within_the_limit_are_fine() -> None:
    data = (b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;">]><rss version="2.0">&c;</rss>')
    parsed = parse(data, name="t")
    assert parsed.issues == ()
    assert parsed.root is not None and parsed.root.text == "a" * 200


@pytest.mark.parametrize("code", LAYER_CODES)
def test_every_layer_rule_documents_why_and_how(code: str) -> None:
    doc = RULES[code].doc
    assert "## Why it matters" in doc and "## How to fix" in doc, code
    assert doc.index("## Why it matters") < doc.index("## How to fix")


# --- transport (validate(content_type=...)) ---------------------------------------------


@pytest.mark.parametrize(("data", "content_type", "expected"), [
    (RSS2, "application/rss+xml", []),
    (RSS2, "application/xml; charset=utf-8", []),
    (RSS2, "text/xml; charset=UTF-8", []),
    (ATOM, "application/atom+xml;charset=utf-8", []),
    (RSS2, "text/html; charset=utf-8", ["http-unexpected-content-type"]),
    (ATOM, "text/plain", ["http-unexpected-content-type"]),
    (ATOM, "application/rss+xml", ["http-unexpected-content-type"]),
    (RSS2, "application/rss+xml; charset=iso-8859-1", ["http-encoding-mismatch"]),
    (b'<?xml version="1.0" encoding="iso-8859-1"?>' + RSS2, "application/rss+xml; charset=latin1",
     []),
    (b'<?xml version="1.0" encoding="iso-8859-1"?>' + RSS2, 'text/html; charset="utf-8"',
     ["http-encoding-mismatch", "http-unexpected-content-type"]),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "application/feed+json", []),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "text/plain",
     ["http-unexpected-content-type"]),
    (RSS2, "application/rss+xml; charset=klingon", ["http-encoding-mismatch"]),
    (RSS2, "garbage\r\n\x00;;charset=", ["http-unexpected-content-type"]),
])
def test_transport_checks(data: bytes, content_type: str, expected: list[str]) -> None:
    report = validate(data, name="t", content_type=content_type)
    found = sorted(i.code for i in report.issues if i.code.startswith("http-"))
    assert found == expected
    assert all(i.severity == "warning" for i in report.issues if i.code.startswith("http-"))


def test_unexpected_content_type_says_what_to_use() -> None:
    report = validate(ATOM, name="t", content_type="text/html")
    [issue] = [i for i in report.issues if i.code == "http-unexpected-content-type"]
    assert "'text/html'" in issue.message and "application/atom+xml" in issue.message


def test_no_content_type_means_no_transport_checks() -> None:
    report = validate(b"<outline/>", name="t")
    assert [i.code for i in report.issues] == ["unknown-format"]


def test_utf8_bytes_declared_latin1_are_a_warning_naming_the_mojibake() -> None:
    # Well-formed as declared (W3C: BadCharacters, a warning); readers show "cafÃ©".
    data = (b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
            b'<rss version="2.0"><channel><title>caf\xc3\xa9</title>'
            b"<link>https://e.org/</link><description>d</description></channel></rss>")
    [issue] = parse(data, name="t").issues
    assert (issue.code, issue.severity, issue.line, issue.column) == (
        "xml-utf8-declared-single-byte", "warning", 2, 39)
    assert "mojibake such as '\u00c3\u00a9'" in issue.message
    report = validate(data, name="t")
    assert report.valid and "xml-utf8-declared-single-byte" in [i.code for i in report.issues]


def test_bomless_undeclared_utf16_stays_an_error_in_the_report() -> None:
    # XML 1.0, 4.3.3: UTF-16 needs a byte order mark or a declaration.
    report = validate(RSS2.decode().encode("utf-16-le"), name="t")
    assert not report.valid
    assert [i.code for i in report.errors] == ["xml-invalid-encoding"]
    assert "4.3.3" in report.errors[0].message


def test_a_utf8_byte_order_mark_is_a_warning_naming_the_readers_it_breaks() -> None:
    report = validate(b"\xef\xbb\xbf" + RSS2, name="t")
    [issue] = [i for i in report.issues if i.code == "xml-byte-order-mark"]
    assert (issue.severity, issue.line, issue.column) == ("warning", 1, 1)
    assert report.valid and "rss-parser" in RULES["xml-byte-order-mark"].doc
    assert "xml-byte-order-mark" not in codes(RSS2)


@pytest.mark.parametrize(("lead", "said"), [
    (b"\n\n", "2 blank characters before <?xml"),
    (b" ", "1 blank character before <?xml"),
    (b"Notice: undefined index in feed.php ", "'Notice: undefined index in fee' before <?xml"),
])
def test_text_before_the_xml_declaration_is_named(lead: bytes, said: str) -> None:
    [issue] = parse(lead + b'<?xml version="1.0" encoding="utf-8"?>\n' + RSS2, name="t").issues
    assert (issue.code, issue.severity, issue.line, issue.column) == (
        "xml-text-before-declaration", "error", 1, 1)
    assert issue.message.endswith(said)


def test_leading_blank_lines_without_a_declaration_are_fine() -> None:
    assert codes(b"\n\n" + RSS2) == []


def _padded(size: int) -> bytes:
    head = b'<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>' \
           b"<description>d</description><!--"
    tail = b"--></channel></rss>"
    # libxml2 refuses a single text node over 10 MB (huge_tree is off): many comments.
    pad = size - len(head) - len(tail)
    chunk = b"x" * 999_993 + b"--><!--"
    return head + chunk * (pad // len(chunk)) + b"x" * (pad % len(chunk)) + tail


@pytest.mark.parametrize(("size", "refused", "fine"), [
    (5_000_000, [], []),
    (5_000_001, ["W3C Feed Validation Service (over 5,000,000 bytes)"],
     ["CommaFeed up to 5 MiB", "Miniflux up to 15 MiB"]),
    (6_000_000, ["W3C", "CommaFeed (over 5 MiB)"], ["Miniflux up to 15 MiB"]),
    (16 * 1024 * 1024, ["W3C", "CommaFeed", "Miniflux (over 15 MiB)"], []),
])
def test_a_document_over_readers_caps_names_them(size: int, refused: list[str],
                                                  fine: list[str]) -> None:
    report = validate(_padded(size), name="t")
    found = [i for i in report.issues if i.code == "feed-too-large-for-readers"]
    if not refused:
        assert found == []
        return
    [issue] = found
    assert issue.severity == "warning" and report.valid
    refused_part, _, fine_part = issue.message.partition(";")
    assert all(who in refused_part for who in refused), issue.message
    assert all(what in fine_part for what in fine), issue.message
    assert f"{size:,} bytes" in issue.message


def test_reader_caps_are_not_applied_to_what_no_reader_fetches() -> None:
    report = validate(_padded(6_000_000), name="t", reader_caps=False)
    assert "feed-too-large-for-readers" not in [i.code for i in report.issues]


def test_a_large_json_feed_is_measured_too() -> None:
    head = b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [], "_x": "'
    data = head + b"x" * 6_000_000 + b'"}'
    assert "feed-too-large-for-readers" in [i.code for i in validate(data, name="t").issues]


def test_a_nul_in_the_declared_encoding_name_is_an_issue_not_a_crash() -> None:
    data = b'<?xml version="1.0" encoding="utf\x00-8"?>\n' + RSS2
    report = validate(data, name="t")
    assert not report.valid and report.errors[0].code in ("xml-invalid-encoding", "xml-nul-byte")
    header = validate(RSS2, name="t", content_type="application/rss+xml; charset=utf\x00-8")
    assert "http-encoding-mismatch" in [i.code for i in header.issues]


@pytest.mark.parametrize("name", ["hex", "base64", "rot13", "zlib", "punycode", "undefined"])
def test_a_codec_that_is_no_text_encoding_is_an_issue_not_a_crash(name: str) -> None:
    # Python's codec registry holds transforms (hex, zlib) and codecs that fail
    # as a whole (punycode); none of them is an encoding a feed can be in.
    data = b'<?xml version="1.0" encoding="' + name.encode() + b'"?>' + RSS2
    [issue] = parse(data, name="t").issues
    assert (issue.code, issue.line, issue.column) == ("xml-invalid-encoding", 1, 31)
    assert name in issue.message and "codecs" not in issue.message


def test_the_rest_of_a_feed_with_an_external_entity_is_still_judged() -> None:
    # A safe reader never loads the entity: it reads on with the text empty,
    # and so do the rules (W3C does too).
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
            b'<rss version="2.0"><channel><link>https://e.org/</link><description>&x;</description>'
            b"</channel></rss>")
    report = validate(data, name="t")
    assert report.format == "rss2"
    assert sorted(i.code for i in report.errors) == [
        "rss-missing-channel-title", "xml-external-entity"]


def test_the_rest_of_a_feed_with_undefined_entities_is_still_judged() -> None:
    # The first undefined entity is the error; the rules judge the rest as a
    # lenient reader reads it (the references empty), as W3C does.
    data = (b'<rss version="2.0"><channel><link>https://e.org/</link>\n'
            b"<description>a&nbsp;b &eacute; &nbsp;</description></channel></rss>")
    report = validate(data, name="t")
    assert report.format == "rss2"
    assert sorted((i.code, i.line) for i in report.errors) == [
        ("rss-missing-channel-title", 1), ("xml-undefined-entity", 2)]
    assert [i.code for i in report.issues].count("xml-undefined-entity") == 1


@pytest.mark.parametrize("left_out", [b"title", b"id", b"updated"])
def test_rules_about_the_feed_element_do_not_judge_an_entry_document(left_out: bytes) -> None:
    # The root <entry> lacks a child both an entry and a feed need: only the
    # entry's rule speaks (the feed rules declare feed_only=True).
    import re as _re

    entry = (b'<entry xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
             b"<link href='https://e.org/a'/><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"
             b"</id><summary>s</summary><updated>2026-01-01T00:00:00Z</updated>"
             b"<author><name>n</name></author></entry>")
    cut = _re.sub(rb"<" + left_out + rb">[^<]*</" + left_out + rb">", b"", entry)
    codes = {i.code for i in validate(cut, name="t").issues}
    assert f"atom-missing-entry-{left_out.decode()}" in codes
    assert not any(c.startswith("atom-missing-feed-") for c in codes)


HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
#: The module (``feedwright.validator.parse`` the name is its function).
PARSE_MODULE = importlib.import_module("feedwright.validator.parse")


@pytest.mark.parametrize("data", [
    RSS2,
    b'<?xml version="1.0" encoding="UTF-8"?>' + RSS2,
    b"<?xml version='1.0' encoding='utf8'?>" + RSS2,
    b'<?xml version="1.0" encoding="ISO-8859-1"?>' + RSS2,  # ASCII, but not read as UTF-8
    b'<?xml version="1.0" encoding="no-such"?>' + RSS2,
    b'<!DOCTYPE rss [<!ENTITY a "&b;&b;"><!ENTITY b "x">]><rss version="2.0">'
    + CHANNEL.replace(b">d<", b">&a;<") + b"</rss>",
    b'<!DOCTYPE rss SYSTEM "http://e.org/rss.dtd">' + RSS2,
    RSS2.replace(b">d<", b">d\x00<"),
    b"<?xml version='1.0' encoding='UTF-8'?>" + RSS2.replace(b">d<", "dé".encode()),
    *(p.read_bytes() for p in sorted(HOSTILE.glob("*.xml"))),
])
def test_ascii_documents_parse_as_when_decoded(data: bytes,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # An ASCII document read as UTF-8 is not decoded (_plain_ascii): what the
    # parse layer says of it must be what decoding it would have said.
    fast = parse(data, name="t")
    monkeypatch.setattr(PARSE_MODULE, "_plain_ascii", lambda *_: False)
    slow = parse(data, name="t")
    assert (fast.format, fast.issues, fast.encoding) == (slow.format, slow.issues, slow.encoding)

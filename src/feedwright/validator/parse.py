"""Safe parsing and format detection: hostile input gets an issue, never a hang or a leak.

Layers, in order: empty → size cap → JSON sniff
(JSON goes to jsonparse.py) → byte-level encoding checks (BOM, declaration,
UTF-8, NUL) → DTD pre-scan (external entities, expansion bombs, external
DTD) → lxml with no DTD loading, no network, huge_tree off and only internal
entities expanded → format.  Each refusal is an Issue with a stable code,
never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from feedwright.fetch import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from feedwright.validator.doctype import DOCTYPE_WITHIN
from feedwright.validator.doctype import _prescan
from feedwright.validator.encoding import _decode
from feedwright.validator.encoding import _norm
from feedwright.validator.encoding import _sniff
from feedwright.validator.jsonparse import JSONFEED_MARK
from feedwright.validator.jsonparse import JsonParsed
from feedwright.validator.jsonparse import looks_like_json
from feedwright.validator.jsonparse import parse_json
from feedwright.validator.jsonparse import starts_like_json
from feedwright.validator.parse_rules import EMPTY
from feedwright.validator.parse_rules import ENTITY_EXPANSION
from feedwright.validator.parse_rules import INVALID_ENCODING
from feedwright.validator.parse_rules import JSON_TOO_LARGE
from feedwright.validator.parse_rules import NOT_IN_DEPTH
from feedwright.validator.parse_rules import NOT_WELL_FORMED
from feedwright.validator.parse_rules import NUL_BYTE
from feedwright.validator.parse_rules import TEXT_BEFORE_DECLARATION
from feedwright.validator.parse_rules import TOO_LARGE
from feedwright.validator.parse_rules import TOO_LARGE_FOR_READERS
from feedwright.validator.parse_rules import UNDEFINED_ENTITY
from feedwright.validator.parse_rules import UNKNOWN_FORMAT
from feedwright.validator.parse_rules import UTF8_BYTE_ORDER_MARK
from feedwright.validator.parse_rules import _issue
from feedwright.validator.report import Issue

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM03_NS = "http://purl.org/atom/ns#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1_NS = "http://purl.org/rss/1.0/"
RSS090_NS = "http://my.netscape.com/rdf/simple/0.9/"


@dataclass(frozen=True)
class Parsed:
    """What the safe-parse layer found: a tree (or not), a format and issues."""

    #: The root element, or None when the document could not be parsed as XML.
    root: etree._Element | None
    #: One of report.REPORT_FORMATS.
    format: str
    #: Issues found while parsing, in no particular order.
    issues: tuple[Issue, ...]
    #: The encoding the document names for itself (BOM, else declaration),
    #: normalised by codecs (``utf-8``, ``iso8859-1``); None when it says nothing.
    encoding: str | None = None
    #: A JSON Feed's text and value (``root`` is None then); None for anything else.
    json: JsonParsed | None = None


def _parser() -> etree.XMLParser:
    # The hardening feedgen gives its own parser, plus: internal entities only
    # (never files or URLs), and huge_tree off so libxml2's depth, size and
    # amplification limits hold.
    return etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # lxml>=5; stubs say bool
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


# --- the parse itself -----------------------------------------------------------

_NON_SPACE = re.compile(rb"[^ \t\r\n]")
_POSITION_SUFFIX = re.compile(r",? line \d+, column \d+\s*$")
_UNDECLARED = re.compile(r"Entity '([^']+)' not defined")


def _syntax_issue(err: etree._LogEntry, external: set[str]) -> Issue | None:
    msg = _POSITION_SUFFIX.sub("", err.message.strip())
    line, col = err.line or None, err.column or None
    undeclared = _UNDECLARED.search(msg)
    if undeclared:
        if undeclared.group(1) in external:
            return None  # already reported as xml-external-entity
        return _issue(UNDEFINED_ENTITY, f"&{undeclared.group(1)};", line, col)
    if "amplification" in msg or "entity reference loop" in msg.lower():
        return _issue(ENTITY_EXPANSION, msg, line, col)
    if "Excessive depth" in msg:
        return _issue(TOO_LARGE, "elements nest deeper than 256 levels", line, col)
    if "huge" in msg.lower() or "too long" in msg:
        return _issue(TOO_LARGE, msg, line, col)
    if "Char 0x0 " in msg:
        return _issue(NUL_BYTE, None, line, col)
    if "encoding" in msg.lower():
        return _issue(INVALID_ENCODING, msg, line, col)
    return _issue(NOT_WELL_FORMED, msg, line, col)


def detect_format(root: etree._Element) -> str:
    """Name the feed format from the root element (one of report.REPORT_FORMATS).

    RSS 0.9x and 2.0 share ``<rss>`` and differ by ``version``; RSS 1.0 and
    0.90 share ``<rdf:RDF>`` and differ by the channel's namespace; Atom 1.0
    and 0.3 share ``<feed>`` and differ by namespace.
    """
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "rss":
        version = root.get("version", "").strip()
        if version.startswith("0.9"):
            return "rss09x"
        return "rss2" if version in ("", "2", "2.0") or version.startswith("2.") else "unknown"
    if tag in (f"{{{ATOM_NS}}}feed", f"{{{ATOM_NS}}}entry"):  # RFC 4287 4.1.1, 4.1.2
        return "atom1"
    if tag == "opml":  # an OPML subscription list (rules/opml.py)
        return "opml"
    if tag == f"{{{ATOM03_NS}}}feed":
        return "atom03"
    if tag == f"{{{RDF_NS}}}RDF":
        if root.find(f"{{{RSS1_NS}}}channel") is not None:
            return "rss1"
        if root.find(f"{{{RSS090_NS}}}channel") is not None:
            return "rss09x"
    return "unknown"


# RSS 1.0 and 0.9x are judged by rules (their required elements; 0.9x's
# <rss> by the RSS rules too); Atom 0.3 only for well-formedness.
_NOT_IN_DEPTH = {"atom03": "Atom 0.3 (obsolete)"}


def _format_issues(root: etree._Element, fmt: str) -> list[Issue]:
    line: int | None = getattr(root, "sourceline", None)  # lxml-stubs mistype it
    if fmt in _NOT_IN_DEPTH:
        return [_issue(NOT_IN_DEPTH, _NOT_IN_DEPTH[fmt], line, 1)]
    if fmt != "unknown":
        return []
    tag = root.tag if isinstance(root.tag, str) else str(root.tag)
    qname = etree.QName(root).localname if isinstance(root.tag, str) else tag
    if qname.lower() == "html":
        why = "an HTML page; point at the feed it links to"
    elif tag == "rss":
        why = f"<rss version={root.get('version')!r}> is no RSS version"
    elif qname in ("feed", "entry"):
        ns = etree.QName(root).namespace
        where = ("in no namespace" if ns is None else
                 f"in {ns!r} (namespaces are case-sensitive)" if ns.lower() == ATOM_NS.lower() else
                 f"in {ns!r}")
        why = f"<{qname}> is {where}; Atom 1.0 needs xmlns=\"{ATOM_NS}\""
    elif qname == "rss":
        why = (f"<rss> is in {etree.QName(root).namespace!r}; RSS elements are in no "
               "namespace")
    elif tag == f"{{{RDF_NS}}}RDF":
        why = (f"<rdf:RDF> holds no <channel> in the RSS 1.0 namespace ({RSS1_NS!r}) "
               "or RSS 0.90's")
    else:
        shown = f"{root.prefix}:{qname}" if root.prefix else qname
        ns = etree.QName(root).namespace if isinstance(root.tag, str) else None
        shown += f" (in {ns!r})" if ns and not root.prefix else ""
        why = f"root element <{shown}> is not <rss>, Atom <feed>, <rdf:RDF> or <opml>"
    return [_issue(UNKNOWN_FORMAT, why, line, 1)]


#: What readers accept, smallest first: (bytes, who refuses more, the cap as said).
READER_CAPS = (
    (5_000_000, "the W3C Feed Validation Service", "5,000,000 bytes"),
    (5 * 1024 * 1024, "CommaFeed", "5 MiB"),
    (15 * 1024 * 1024, "Miniflux", "15 MiB"),
)


def _over_reader_caps(size: int) -> list[Issue]:
    """A warning naming the readers that refuse a document of ``size`` bytes."""
    over = [f"{who} (over {cap})" for limit, who, cap in READER_CAPS if size > limit]
    if not over:
        return []
    detail = f"{size:,} bytes, refused by " + ", ".join(over)
    fine = [f"{who} up to {cap}" for limit, who, cap in READER_CAPS if size <= limit]
    if fine:
        detail += "; " + ", ".join(fine)
    return [_issue(TOO_LARGE_FOR_READERS, detail)]


_DECLARATION = re.compile(rb"<\?xml[ \t\r\n]")


def _before_declaration(data: bytes, bom_len: int) -> Issue | None:
    """Text before ``<?xml`` (a blank line printed by PHP, a template's stray words)."""
    found = _DECLARATION.search(data, bom_len, bom_len + 1024)
    if found is None or found.start() == bom_len:
        return None
    lead = data[bom_len : found.start()]
    if b"<" in lead:
        return None  # markup first: libxml2 says what is wrong
    if not lead.strip():
        what = f"{len(lead)} blank character{'s' if len(lead) != 1 else ''}"
    else:
        what = repr(lead.decode("utf-8", "replace")[:30])
    return _issue(TEXT_BEFORE_DECLARATION, f"{what} before <?xml", 1, 1)


def _without_entities(data: bytes, names: set[str]) -> etree._Element | None:
    """The document as a lenient reader sees it: references to ``names`` left empty.

    An external entity (never loaded) or an undefined one (``&nbsp;``) is
    already an error; parsing on without it lets every other rule judge the
    rest of the feed, as the W3C validator does.  Other undefined entities
    met on the way are left empty too (the first one is the one reported).
    Only for ASCII-compatible encodings; a column after a removed reference
    on its line moves left by the reference's length.
    """
    if not names or data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return None
    names = set(names)
    for _ in range(_MAX_ENTITY_RETRIES):
        pattern = b"|".join(re.escape(name.encode("utf-8")) for name in sorted(names))
        parser = _parser()
        try:
            return etree.fromstring(re.sub(rb"&(?:" + pattern + rb");", b"", data), parser)
        except (etree.XMLSyntaxError, ValueError, LookupError):
            errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
            more = _UNDECLARED.search(errors[0].message) if errors else None
            if more is None or more.group(1) in names:
                return None
            names.add(more.group(1))
    return None


#: How many distinct undefined entities a document may use and still be judged on.
_MAX_ENTITY_RETRIES = 8


def _too_large(data: bytes, max_bytes: int, is_json: bool) -> Parsed:
    detail = f"{len(data):,} bytes, over the {max_bytes:,}-byte cap"
    if not is_json:
        return Parsed(None, "unknown", (_issue(TOO_LARGE, detail),))
    fmt = "jsonfeed1" if JSONFEED_MARK.encode() in data[:4096] else "unknown"
    return Parsed(None, fmt, (_issue(JSON_TOO_LARGE, detail),))


def _plain_ascii(data: bytes, bom: str | None, wide: str | None, declared: str | None) -> bool:
    """Whether ``data`` is ASCII read as UTF-8: no byte order mark, no
    UTF-16 guess, UTF-8 or nothing declared, no NUL byte.

    Decoding such bytes can find nothing wrong (``_decode`` would return
    the same text and no issue), and telling it costs two C-level passes
    instead of a decode (45 ms and a copy of the input for a 79 MB feed).
    """
    return (bom is None and wide is None and (declared is None or _norm(declared) == "utf-8")
            and data.find(b"\x00") < 0 and data.isascii())


def parse(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES,
          reader_caps: bool = True) -> Parsed:
    """Parse ``data`` safely; problems come back as issues, never exceptions.

    Args:
        data: The document's bytes as read or fetched.
        name: How reports name the input (part of the contract; issues carry no name).
        max_bytes: Larger documents are refused unread (``xml-too-large``, or
            ``json-too-large`` when the input starts as JSON does).
        reader_caps: Warn when the document is larger than some readers accept.

    Returns:
        Parsed: the root (None when the XML could not be parsed or the input is
        JSON), a JSON Feed's text and value, the format, and the issues of the
        parse layer.
    """
    first = _NON_SPACE.search(data)  # no copy of a 50 MB input just to strip it
    if len(data) > max_bytes:
        return _too_large(data, max_bytes,
                          first is not None and starts_like_json(data, first.start()))
    if first is None:
        return Parsed(None, "unknown", (_issue(EMPTY, None, 1, 1),))
    if looks_like_json(data, first.start()):
        js = parse_json(data)
        issues = list(js.issues)
        if js.json and reader_caps:
            issues.extend(_over_reader_caps(len(data)))
        return Parsed(None, js.format, tuple(issues), js.encoding, js.json)
    sniff = _sniff(data)
    lead = _before_declaration(data, sniff.bom_len)
    if lead is not None:
        return Parsed(None, "unknown", (lead,))
    start = data[first.start() : first.start() + 1]
    if sniff.bom is None and sniff.wide is None and start not in (b"<", b"{", b"["):
        return Parsed(None, "unknown", (_issue(
            NOT_WELL_FORMED,
            f"not XML or JSON: it starts with {data[first.start() : first.start() + 8]!r}",
            1, 1),))
    encoding = sniff.bom or (_norm(sniff.declared) if sniff.declared else None)
    if _plain_ascii(data, sniff.bom, sniff.wide, sniff.declared):
        # Nothing to find in decoding it: the DOCTYPE pre-scan reads the
        # text only when there is a DOCTYPE (ASCII: offsets are the same).
        issues = []
        more, external, stop = (_prescan(data.decode("ascii"))
                                if data.find(b"<!DOCTYPE", 0, DOCTYPE_WITHIN) >= 0
                                else ([], set(), False))
    else:
        text, issues = _decode(data, sniff)
        if text is None:
            return Parsed(None, "unknown", tuple(issues), encoding)
        more, external, stop = _prescan(text)
        # The decoded text has said what it had to: freed before lxml builds the
        # tree, it does not add its size (once to four times the input's) to the peak.
        del text
    issues.extend(more)
    if stop:
        return Parsed(None, "unknown", tuple(issues), encoding)
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
        errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
        found = [i for i in (_syntax_issue(e, external) for e in errors[:1]) if i is not None]
        if not found and not external:
            found = [_issue(NOT_WELL_FORMED, str(exc))]
        issues.extend(found)
        if not found:
            root = _without_entities(data, external)
        elif found[0].code == UNDEFINED_ENTITY.code:
            undefined = _UNDECLARED.search(errors[0].message)
            root = _without_entities(data, external | {undefined.group(1)} if undefined
                                     else set())
        else:
            root = None
        if root is None:
            return Parsed(None, "unknown", tuple(issues), encoding)
    if root is None:  # lxml returns None for some recovered inputs
        issues.append(_issue(NOT_WELL_FORMED, "no root element"))
        return Parsed(None, "unknown", tuple(issues), encoding)
    fmt = detect_format(root)
    issues.extend(_format_issues(root, fmt))
    if sniff.bom == "utf-8":
        issues.append(_issue(UTF8_BYTE_ORDER_MARK, None, 1, 1))
    if reader_caps:
        issues.extend(_over_reader_caps(len(data)))
    return Parsed(root, fmt, tuple(issues), encoding)

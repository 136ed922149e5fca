"""Safe parsing and format detection: hostile input gets an issue, never a hang or a leak.

Layers, in order (design.md, "Validation"): size cap → empty → JSON sniff →
byte-level encoding checks (BOM, declaration, UTF-8, NUL) → DTD pre-scan
(external entities, expansion bombs, external DTD) → lxml with no DTD loading,
no network, huge_tree off and only internal entities expanded → format.
Each refusal is an Issue with a stable code, never an exception.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

from lxml import etree

from feedwright.validate.report import Issue
from feedwright.validate.rules import Rule
from feedwright.validate.rules import layer_rule

#: Default size cap: far above any real feed (readers stop at 2–15 MB), far
#: below what would hurt the machine.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: The most characters one internal entity may expand to; billion-laughs style
#: nesting passes this long before it hurts (libxml2's amplification guard is
#: the backstop for references repeated in the body).
MAX_ENTITY_EXPANSION = 100_000

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM03_NS = "http://purl.org/atom/ns#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1_NS = "http://purl.org/rss/1.0/"
RSS090_NS = "http://my.netscape.com/rdf/simple/0.9/"
JSONFEED_VERSION = "https://jsonfeed.org/version/1"


def _layer(code: str, severity: str, message: str, why: str, fix: str) -> Rule:
    doc = f"## Why it matters\n{why}\n\n## How to fix\n{fix}\n"
    return layer_rule(code, severity, message, doc)  # type: ignore[arg-type]


TOO_LARGE = _layer(
    "xml-too-large", "error", "the document is too large to check",
    "Readers refuse big feeds (CommaFeed at 5 MiB, Miniflux at 15 MiB, the W3C "
    "validator at 2 MB), and a parser must bound what it reads to stay safe.",
    "Publish fewer or shorter entries (a `limit`), or move full content to the "
    "pages the entries link to.",
)
EMPTY = _layer(
    "xml-empty-document", "error", "the document is empty",
    "An empty response usually means a server or build error; readers show nothing.",
    "Check that the URL or file really serves the feed and that the build finished.",
)
NOT_WELL_FORMED = _layer(
    "xml-not-well-formed", "error", "the document is not well-formed XML",
    "Readers parse feeds as XML; one syntax error and most of them show nothing.",
    "Fix the markup at the given line and column (unclosed tag, bare `&`, …).",
)
INVALID_ENCODING = _layer(
    "xml-invalid-encoding", "error", "the bytes are not valid in the document's encoding",
    "XML parsers stop at the first byte sequence that is not valid in the "
    "document's encoding (UTF-8 when nothing is declared); readers show nothing "
    "or garbage.",
    "Save the feed as UTF-8 (and declare `encoding=\"utf-8\"`), or declare the "
    "encoding the bytes really use.",
)
ENCODING_MISMATCH = _layer(
    "xml-encoding-mismatch", "error", "the encoding declaration does not match the bytes",
    "Readers trust the `<?xml … encoding=…?>` declaration; when the bytes use "
    "another encoding, accented letters turn into mojibake (`Ã©`) or parsing fails.",
    "Make the declaration name the encoding the file is saved in; UTF-8 everywhere "
    "is simplest.",
)
BOM_MISMATCH = _layer(
    "xml-bom-mismatch", "error", "the byte order mark contradicts the encoding declaration",
    "A byte order mark fixes the encoding; a declaration naming another one means "
    "the producer is confused, and readers disagree on which to believe.",
    "Drop the byte order mark, or make the declaration agree with it.",
)
NUL_BYTE = _layer(
    "xml-nul-byte", "error", "the document contains a NUL character",
    "U+0000 is never allowed in XML; its presence usually means a truncated write "
    "or binary junk, and every XML parser stops there.",
    "Remove the NUL characters (often from a database field or a corrupt file).",
)
UNDEFINED_ENTITY = _layer(
    "xml-undefined-entity", "error", "the document uses an undefined named entity",
    "XML knows only `&amp; &lt; &gt; &quot; &apos;`; HTML names such as `&nbsp;` "
    "are undefined, and validators never load external DTDs, so parsers stop there.",
    "Write the character itself (UTF-8) or a numeric reference such as `&#160;`.",
)
ENTITY_EXPANSION = _layer(
    "xml-entity-expansion", "error", "entity expansion exceeds safe limits",
    "Nested or repeated entities (\"billion laughs\", quadratic blowup) make a "
    "small file expand to gigabytes; readers refuse it or run out of memory.",
    "Do not declare entities in feeds; write the text out, or use numeric "
    "character references.",
)
EXTERNAL_ENTITY = _layer(
    "xml-external-entity", "error", "the document declares an external entity",
    "External entities point at files or URLs; safe parsers never load them, "
    "so the text is missing, and unsafe ones leak local files (XXE).",
    "Remove the `SYSTEM`/`PUBLIC` entity declaration and write the text into the feed.",
)
EXTERNAL_DTD = _layer(
    "xml-external-dtd", "warning", "the external DTD is never fetched",
    "Readers and this validator never fetch DTDs, so entities the DTD defines "
    "(e.g. RSS 0.91's `&eacute;`) are undefined and defaults it sets are ignored.",
    "Drop the `<!DOCTYPE …>` line; feeds do not need one.",
)
JSON_NOT_WELL_FORMED = _layer(
    "json-not-well-formed", "error", "the document is not well-formed JSON",
    "A JSON Feed that does not parse shows nothing in any reader.",
    "Fix the JSON syntax at the given line and column (trailing comma, bare quote, …).",
)
UNKNOWN_FORMAT = _layer(
    "unknown-format", "error", "the document is not a feed",
    "Readers recognise RSS (`<rss>`, RSS 1.0 `<rdf:RDF>`), Atom (`<feed>`) and "
    "JSON Feed; anything else (an HTML page, an error page) cannot be subscribed to.",
    "Point at the feed itself, not the page that links to it, and check that the "
    "server returns the feed and not an error page.",
)
NOT_IN_DEPTH = _layer(
    "format-not-checked-in-depth", "warning", "this format is not checked in depth yet",
    "Only RSS 2.0 and Atom 1.0 get the schema and the rules; older formats and "
    "JSON Feed are only checked for well-formedness, so a clean report says little.",
    "Publish RSS 2.0 or Atom 1.0 as well (or instead); both are read everywhere.",
)


@dataclass(frozen=True)
class Parsed:
    """What the safe-parse layer found: a tree (or not), a format and issues."""

    #: The root element, or None when the document could not be parsed as XML.
    root: etree._Element | None
    #: One of report.FORMATS.
    format: str
    #: Issues found while parsing, in no particular order.
    issues: tuple[Issue, ...]
    #: The encoding the document names for itself (BOM, else declaration),
    #: normalised by codecs (``utf-8``, ``iso8859-1``); None when it says nothing.
    encoding: str | None = None


def _issue(rule: Rule, detail: str | None = None, line: int | None = None,
           column: int | None = None) -> Issue:
    message = f"{rule.message}: {detail}" if detail else rule.message
    return Issue(rule.severity, rule.code, message, line, column)


def _parser() -> etree.XMLParser:
    # feedgen/util.py's hardening plus: internal entities only (never files or
    # URLs), and huge_tree off so libxml2's depth/size/amplification limits hold.
    return etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # lxml>=5; stubs say bool
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _norm(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# --- encodings ----------------------------------------------------------------

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECL = re.compile(
    r"""<\?xml\s+version\s*=\s*["'][^"']*["']\s*(?:encoding\s*=\s*["']([^"']*)["'])?"""
)


@dataclass(frozen=True)
class _Sniffed:
    bom: str | None  # encoding named by the BOM
    bom_len: int
    declared: str | None  # raw encoding name in the XML declaration
    declared_at: int  # character index of the name, for line/column
    wide: str | None = None  # BOM-less UTF-16 guessed from "<" next to a zero byte


def _sniff(data: bytes) -> _Sniffed:
    bom, bom_len = None, 0
    for mark, enc in _BOMS:
        if data.startswith(mark):
            bom, bom_len = enc, len(mark)
            break
    head_enc = bom or "latin-1"
    if bom is None and data[:2] in (b"<\x00", b"\x00<"):  # BOM-less UTF-16 (XML App. F)
        head_enc = "utf-16-le" if data[:1] == b"<" else "utf-16-be"
    wide = head_enc if bom is None and head_enc != "latin-1" else None
    head = data[bom_len : bom_len + 400].decode(head_enc, "ignore")
    m = _DECL.match(head)
    if m is None or m.group(1) is None:
        return _Sniffed(bom, bom_len, None, 0, wide)
    return _Sniffed(bom, bom_len, m.group(1), m.start(1), wide)


def _same_family(bom: str, declared: str) -> bool:
    # A UTF-16 BOM with encoding="utf-16" (no endianness) is the normal case.
    return declared == bom or (bom.startswith(declared) and declared in ("utf-16", "utf-32"))


def _decode(data: bytes) -> tuple[str | None, list[Issue]]:
    """Decode ``data`` the way a reader would; issues for anything wrong on the way."""
    sniff = _sniff(data)
    declared = _norm(sniff.declared) if sniff.declared else None
    if sniff.declared and declared is None:
        line, col = _line_col(data[: sniff.bom_len + 400].decode("latin-1"), sniff.declared_at)
        return None, [_issue(INVALID_ENCODING, f"unknown encoding {sniff.declared!r}", line, col)]
    if sniff.bom and declared and not _same_family(sniff.bom, declared):
        return None, [_issue(
            BOM_MISMATCH,
            f"the byte order mark says {sniff.bom} but the declaration says {sniff.declared!r}",
            1, 1,
        )]
    if sniff.wide and not declared:
        return None, [_issue(INVALID_ENCODING, "UTF-16 without a byte order mark or an "
                             "encoding declaration (XML 1.0, 4.3.3)", 1, 1)]
    encoding = sniff.bom or sniff.wide or declared or "utf-8"
    if encoding in ("utf-16", "utf-32"):
        encoding = "utf-16-le" if data[:1] == b"<" else "utf-16-be"
        if "32" in (declared or ""):
            encoding = "utf-32-le" if data[:1] == b"<" else "utf-32-be"
    body = data[sniff.bom_len :]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode(encoding, "replace")
        line, col = _line_col(before, len(before))
        bad = body[exc.start : exc.start + 4].hex(" ")
        if declared is None:
            return None, [_issue(INVALID_ENCODING, f"bytes {bad} are not valid UTF-8", line, col)]
        guess = _guess(body)
        detail = f"declared {sniff.declared!r} but bytes {bad} are not valid in it"
        if guess:
            detail += f"; they look like {guess}"
        return None, [_issue(ENCODING_MISMATCH, detail, line, col)]
    issues: list[Issue] = []
    if declared in ("latin-1", "iso8859-1", "cp1252", "iso8859-15") and _looks_utf8(body):
        at = next(i for i, b in enumerate(body) if b >= 0x80)
        at = len(body[:at].decode(encoding))
        line, col = _line_col(text, at)
        issues.append(_issue(
            ENCODING_MISMATCH,
            f"declared {sniff.declared!r} but the bytes are UTF-8; readers will show mojibake "
            f"such as {text[at : at + 2]!r}",
            line, col,
        ))
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text, nul)
        return None, [*issues, _issue(NUL_BYTE, None, line, col)]
    return text, issues


def _looks_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _guess(body: bytes) -> str | None:
    if _looks_utf8(body):
        return "UTF-8"
    try:
        body.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "windows-1252 (or ISO-8859-1)"


# --- DTD pre-scan ---------------------------------------------------------------

_DOCTYPE = re.compile(
    r"""<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s+("[^"]*"|'[^']*'))?\s*(\[)?"""
)
_ENTITY = re.compile(
    r"""<!ENTITY\s+(%\s+)?([^\s%;"'>]+)\s+(?:(SYSTEM|PUBLIC)\s|("[^"]*"|'[^']*'))"""
)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_REF = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_SPECIAL = re.compile(r"""["'\]]|<!--""")


def _subset_end(text: str, pos: int) -> int:
    """Index of the ``]`` closing the internal subset from ``pos`` (linear, hostile-safe)."""
    while True:
        m = _SPECIAL.search(text, pos)
        if m is None:
            return len(text)
        tok = m.group()
        if tok == "]":
            return m.start()
        close = "-->" if tok == "<!--" else tok
        end = text.find(close, m.end())
        if end < 0:
            return len(text)
        pos = end + len(close)


def _prescan(text: str) -> tuple[list[Issue], set[str], bool]:
    """DOCTYPE checks before lxml sees the bytes.

    Returns issues, the names of external entities, and whether parsing must stop.
    """
    start = text.find("<!DOCTYPE", 0, 1_000_000)
    if start < 0:
        return [], set(), False
    m = _DOCTYPE.match(text, start)
    if m is None:
        return [], set(), False
    issues: list[Issue] = []
    if m.group(1):
        line, col = _line_col(text, start)
        issues.append(_issue(EXTERNAL_DTD, m.group(1)[1:-1], line, col))
    if not m.group(2):
        return issues, set(), False
    end = _subset_end(text, m.end())
    external: set[str] = set()
    values: dict[str, str] = {}
    where: dict[str, int] = {}
    for d in _ENTITY.finditer(text, m.end(), end):
        name = ("%" if d.group(1) else "") + d.group(2)
        where.setdefault(name, d.start())
        if d.group(3):
            external.add(d.group(2))
            line, col = _line_col(text, d.start())
            ident = _QUOTED.search(text, d.end(), end)
            target = f" {ident.group()}" if ident else ""
            issues.append(_issue(
                EXTERNAL_ENTITY, f"{_ref(d)} ({d.group(3)}{target}) is never loaded", line, col
            ))
        elif not d.group(1):
            values.setdefault(name, d.group(4)[1:-1])
    stop = False
    sizes: dict[str, int] = {}
    for name in values:
        over = _expanded(name, values, sizes, ())
        if over is not None:
            line, col = _line_col(text, where[name])
            issues.append(_issue(ENTITY_EXPANSION, f"&{name}; {over}", line, col))
            stop = True
            break
    return issues, external, stop


def _expanded(name: str, values: dict[str, str], sizes: dict[str, int],
              stack: tuple[str, ...]) -> str | None:
    """Why entity ``name`` expands too far (None if it does not); fills ``sizes``."""
    if name in sizes:
        return None
    if name in stack:
        return "refers to itself"
    if len(stack) > 16:
        return "nests entities more than 16 deep"
    total = len(values[name])
    for ref in _REF.finditer(values[name]):
        inner = ref.group(1)
        if inner not in values:
            continue
        why = _expanded(inner, values, sizes, (*stack, name))
        if why is not None:
            return why
        total += sizes[inner]
        if total > MAX_ENTITY_EXPANSION:
            return f"expands to more than {MAX_ENTITY_EXPANSION:,} characters"
    sizes[name] = total
    return None


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


def _parse_json(data: bytes, text: str) -> Parsed:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        fmt = "jsonfeed1" if b"jsonfeed.org/version/1" in data[:4096] else "unknown"
        issue = _issue(JSON_NOT_WELL_FORMED, exc.msg, exc.lineno, exc.colno)
        return Parsed(None, fmt, (issue,), "utf-8")
    except RecursionError:
        issue = _issue(JSON_NOT_WELL_FORMED, "nested too deeply", 1, 1)
        return Parsed(None, "unknown", (issue,), "utf-8")
    version = obj.get("version") if isinstance(obj, dict) else None
    if isinstance(version, str) and version.startswith(JSONFEED_VERSION):
        return Parsed(None, "jsonfeed1", (_issue(NOT_IN_DEPTH, "JSON Feed 1.x", 1, 1),), "utf-8")
    issue = _issue(UNKNOWN_FORMAT, "JSON, but not a JSON Feed (no \"version\": "
                   f"\"{JSONFEED_VERSION}…\")", 1, 1)
    return Parsed(None, "unknown", (issue,), "utf-8")


def detect_format(root: etree._Element) -> str:
    """Name the feed format from the root element (one of report.FORMATS).

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
    if tag == f"{{{ATOM_NS}}}feed":
        return "atom1"
    if tag == f"{{{ATOM03_NS}}}feed":
        return "atom03"
    if tag == f"{{{RDF_NS}}}RDF":
        if root.find(f"{{{RSS1_NS}}}channel") is not None:
            return "rss1"
        if root.find(f"{{{RSS090_NS}}}channel") is not None:
            return "rss09x"
    return "unknown"


_NOT_IN_DEPTH = {
    "rss1": "RSS 1.0 (RDF)", "rss09x": "RSS 0.9x", "atom03": "Atom 0.3 (obsolete)",
}


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
    elif tag == f"{{{ATOM_NS}}}entry":
        why = "an Atom entry document, not a feed"
    else:
        why = f"root element <{tag}> is not <rss>, Atom <feed> or <rdf:RDF>"
    return [_issue(UNKNOWN_FORMAT, why, line, 1)]


def parse(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Parsed:
    """Parse ``data`` safely; problems come back as issues, never exceptions.

    Args:
        data: The document's bytes as read or fetched.
        name: How reports name the input (part of the contract; issues carry no name).
        max_bytes: Larger documents are refused unread (``xml-too-large``).

    Returns:
        Parsed: the root (None when the XML could not be parsed or the input is
        JSON), the format, and the issues of the parse layer.
    """
    if len(data) > max_bytes:
        return Parsed(None, "unknown", (_issue(
            TOO_LARGE, f"{len(data):,} bytes, over the {max_bytes:,}-byte cap"),))
    first = _NON_SPACE.search(data)  # no copy of a 50 MB input just to strip it
    if first is None:
        return Parsed(None, "unknown", (_issue(EMPTY, None, 1, 1),))
    sniff = _sniff(data)
    start = data[first.start() : first.start() + 1]
    if sniff.bom is None and sniff.wide is None and start not in (b"<", b"{", b"["):
        return Parsed(None, "unknown", (_issue(
            NOT_WELL_FORMED,
            f"not XML or JSON: it starts with {data[first.start() : first.start() + 8]!r}",
            1, 1),))
    text, issues = _decode(data)
    encoding = sniff.bom or (_norm(sniff.declared) if sniff.declared else None)
    if text is None:
        return Parsed(None, "unknown", tuple(issues), encoding)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        return _parse_json(data, text.lstrip("\ufeff"))
    more, external, stop = _prescan(text)
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
        return Parsed(None, "unknown", tuple(issues), encoding)
    if root is None:  # lxml returns None for some recovered inputs
        issues.append(_issue(NOT_WELL_FORMED, "no root element"))
        return Parsed(None, "unknown", tuple(issues), encoding)
    fmt = detect_format(root)
    issues.extend(_format_issues(root, fmt))
    return Parsed(root, fmt, tuple(issues), encoding)


def _ref(decl: re.Match[str]) -> str:
    return f"%{decl.group(2)};" if decl.group(1) else f"&{decl.group(2)};"

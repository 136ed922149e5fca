"""The parse layer's rules: an input that cannot be read, and refusals raised by parse,
encoding and DOCTYPE checks.

They are registered here, in one place and in this order (docs/rules.md lists
rules in registry order), and raised as Issues by the modules that find them.
"""

from __future__ import annotations

from feedwright.validator.report import Issue
from feedwright.validator.report import Severity
from feedwright.validator.rules import Rule
from feedwright.validator.rules import layer_rule


def _layer(code: str, severity: Severity, message: str, why: str, fix: str,
           w3c: tuple[str, ...] = ()) -> Rule:
    doc = f"## Why it matters\n{why}\n\n## How to fix\n{fix}\n"
    return layer_rule(code, severity, message, doc, w3c=w3c)


INPUT_UNREADABLE = _layer(
    "input-unreadable", "error", "the input cannot be read",
    "Nothing can be checked in a feed that cannot be read: a missing file, a URL "
    "that answers an error, times out or redirects too often, or a document larger "
    "than the size cap. Readers fail on such a feed the same way.",
    "Check the path or URL the message names; a URL must serve the feed to a plain "
    "HTTP client, without a login. If the feed is only large or slow, raise "
    "`--max-bytes` or `--timeout`.",
)
TOO_LARGE = _layer(
    "xml-too-large", "error", "the document is too large to check",
    "Readers refuse big feeds (the W3C validator over 5,000,000 bytes, CommaFeed "
    "over 5 MiB, Miniflux over 15 MiB), and a parser must bound what it reads to "
    "stay safe: over the size cap (50 MB unless `--max-bytes` says otherwise) "
    "nothing is checked.",
    "Publish fewer or shorter entries (a `limit`), or move full content to the "
    "pages the entries link to.",
    w3c=("ValidatorLimit",),
)
TOO_LARGE_FOR_READERS = _layer(
    "feed-too-large-for-readers", "warning", "the document is larger than some readers accept",
    "Readers cap what they download: the W3C Feed Validation Service stops at "
    "5,000,000 bytes (ValidatorLimit, an error there), CommaFeed at 5 MiB, Miniflux "
    "at 15 MiB, and FeedBurner used to stop between 512 KB and 1 MB. A feed over a "
    "reader's cap is not updated in that reader at all: its subscribers see the "
    "last version that fitted, or an error, and never the new posts. The message "
    "names the readers that refuse this document.",
    "Publish fewer entries (a `limit`: readers need the latest few dozen), put "
    "summaries instead of full content in the feed, or page older entries (RFC "
    "5005, `next_url` in JSON Feed).",
    w3c=("ValidatorLimit",),
)
TEXT_BEFORE_DECLARATION = _layer(
    "xml-text-before-declaration", "error", "something comes before the XML declaration",
    "XML 1.0 (2.8) allows the `<?xml …?>` declaration only at the very start of "
    "the document; even a blank line before it (often printed by a PHP file or a "
    "template before the feed) makes the document not well-formed. libxml2- and "
    "expat-based readers refuse the whole feed (\"XML declaration allowed only at "
    "the start of the document\"), and xml2js/sax-based readers (rss-parser, n8n) "
    "fail on it; lenient parsers such as feedparser read it but flag it as broken.",
    "Remove whatever is printed before `<?xml`: look for blank lines or spaces "
    "before `<?php` or after `?>` in included files, and for text a template "
    "writes before the feed.",
    w3c=("SAXError",),
)
UTF8_BYTE_ORDER_MARK = _layer(
    "xml-byte-order-mark", "warning", "the document starts with a UTF-8 byte order mark",
    "XML 1.0 allows a byte order mark before UTF-8 text, and the W3C validator "
    "accepts it silently, but xml2js- and sax-based readers (rss-parser, n8n's RSS "
    "node and the many Node.js readers built on them) see a character before "
    "`<?xml` and fail the whole feed (rss-parser#95, n8n#1133).",
    "Save the feed as UTF-8 without a byte order mark (in many editors \"UTF-8\" "
    "rather than \"UTF-8 with BOM\"; in .NET, `new UTF8Encoding(false)`).",
)
EMPTY = _layer(
    "xml-empty-document", "error", "the document is empty",
    "An empty response usually means a server or build error; readers show nothing.",
    "Check that the URL or file really serves the feed and that the build finished.",
    w3c=("SAXError",),
)
NOT_WELL_FORMED = _layer(
    "xml-not-well-formed", "error", "the document is not well-formed XML",
    "Readers parse feeds as XML; one syntax error and most of them show nothing: "
    "libxml2- and expat-based readers stop at the error, and the lenient ones "
    "(feedparser, which flags the feed as \"bozo\") guess at the rest, each "
    "differently.",
    "Fix the markup at the given line and column (unclosed tag, bare `&`, …).",
    w3c=("SAXError",),
)
INVALID_ENCODING = _layer(
    "xml-invalid-encoding", "error", "the bytes are not valid in the document's encoding",
    "XML parsers stop at the first byte sequence that is not valid in the "
    "document's encoding (UTF-8 when nothing is declared); readers show nothing "
    "or garbage. UTF-16 with neither a byte order mark nor an encoding "
    "declaration is an error too: XML 1.0 (4.3.3) requires one of them, and "
    "readers that sniff for `<?xml` in ASCII see only zero bytes.",
    "Save the feed as UTF-8 (and declare `encoding=\"utf-8\"`), or declare the "
    "encoding the bytes really use.",
    w3c=("SAXError", "UnicodeError", "UnknownEncoding", "NotUTF8"),
)
ENCODING_MISMATCH = _layer(
    "xml-encoding-mismatch", "error", "the encoding declaration does not match the bytes",
    "Readers trust the `<?xml … encoding=…?>` declaration; bytes that are not valid "
    "in the encoding it names (UTF-8 bytes declared `us-ascii`, Windows-1252 bytes "
    "declared `utf-8`) stop XML parsers such as libxml2 and expat, so most readers "
    "show nothing, and lenient ones show U+FFFD boxes. (UTF-8 bytes declared "
    "ISO-8859-1 are another case: `xml-utf8-declared-single-byte`.)",
    "Make the declaration name the encoding the file is saved in; UTF-8 everywhere "
    "is simplest.",
    w3c=("SAXError", "UnicodeError", "NotUTF8"),
)
UTF8_DECLARED_SINGLE_BYTE = _layer(
    "xml-utf8-declared-single-byte", "warning",
    "the bytes are UTF-8 but the declaration names a single-byte encoding",
    "The document is well-formed as declared (every byte is a character in "
    "ISO-8859-1 or Windows-1252), so this is a warning, not an error, as it is for "
    "W3C (BadCharacters). But readers believe the declaration and decode each "
    "UTF-8 sequence as two or three characters: every reader shows mojibake, "
    "`caf\u00c3\u00a9` for `caf\u00e9`, and for a curly apostrophe `\u00e2\u20ac\u2122` "
    "(Windows-1252) or `\u00e2` and two invisible C1 control characters (ISO-8859-1).",
    "Change the declaration to `encoding=\"utf-8\"` (the bytes already are), or "
    "drop it: UTF-8 is XML's default.",
    w3c=("BadCharacters",),
)
BOM_MISMATCH = _layer(
    "xml-bom-mismatch", "error", "the byte order mark contradicts the encoding declaration",
    "A byte order mark fixes the encoding; a declaration naming another one means "
    "the producer is confused, and readers disagree on which to believe.",
    "Drop the byte order mark, or make the declaration agree with it.",
    w3c=("SAXError", "UnicodeError"),
)
NUL_BYTE = _layer(
    "xml-nul-byte", "error", "the document contains a NUL character",
    "U+0000 is never allowed in XML; its presence usually means a truncated write "
    "or binary junk, and every XML parser stops there.",
    "Remove the NUL characters (often from a database field or a corrupt file).",
    w3c=("SAXError", "BadCharacters"),
)
UNDEFINED_ENTITY = _layer(
    "xml-undefined-entity", "error", "the document uses an undefined named entity",
    "XML knows only `&amp; &lt; &gt; &quot; &apos;`; HTML names such as `&nbsp;` "
    "are undefined, and validators never load external DTDs, so parsers stop there.",
    "Write the character itself (UTF-8) or a numeric reference such as `&#160;`. "
    "(The rest of the feed is still checked, as a lenient reader reads it: with "
    "the reference left empty.)",
    w3c=("SAXError", "UndefinedNamedEntity", "FatalSecurityRisk"),
)
ENTITY_EXPANSION = _layer(
    "xml-entity-expansion", "error", "entity expansion exceeds safe limits",
    "Nested or repeated entities (\"billion laughs\", quadratic blowup) make a "
    "small file expand to gigabytes; readers refuse it or run out of memory.",
    "Do not declare entities in feeds; write the text out, or use numeric "
    "character references.",
    w3c=("SAXError", "FatalSecurityRisk"),
)
EXTERNAL_ENTITY = _layer(
    "xml-external-entity", "error", "the document declares an external entity",
    "External entities point at files or URLs; safe parsers never load them, "
    "so the text is missing, and unsafe ones leak local files (XXE).",
    "Remove the `SYSTEM`/`PUBLIC` entity declaration and write the text into the feed.",
    w3c=("SAXError", "ContainsSystemEntity", "FatalSecurityRisk"),
)
EXTERNAL_DTD = _layer(
    "xml-external-dtd", "warning", "the external DTD is never fetched",
    "Readers and this validator never fetch DTDs, so entities the DTD defines "
    "(e.g. RSS 0.91's `&eacute;`) are undefined and defaults it sets are ignored.",
    "Drop the `<!DOCTYPE …>` line; feeds do not need one.",
    w3c=("InvalidDoctype", "DeprecatedDTD"),
)
JSON_NOT_WELL_FORMED = _layer(
    "json-not-well-formed", "error", "the document is not well-formed JSON",
    "A JSON Feed that does not parse shows nothing in any reader.",
    "Fix the JSON syntax at the given line and column (trailing comma, bare quote, …).",
)
JSON_TOO_LARGE = _layer(
    "json-too-large", "error", "the JSON document is too large to check",
    "JSON Feed's authors call 1 MB a burden on readers and under 100 kB ideal, "
    "and readers refuse big feeds of any format (CommaFeed at 5 MiB, Miniflux at "
    "15 MiB), far below the size cap. Parsers also bound how deeply "
    "arrays and objects nest (a JSON Feed needs five levels) and how long a "
    "number may be, so that a small hostile file cannot exhaust their stack or CPU.",
    "Publish fewer or shorter items (a `limit`, or `next_url` for older ones); "
    "flatten deep extension data; write long numbers as strings.",
)
JSON_INVALID_ENCODING = _layer(
    "json-invalid-encoding", "error", "the document's bytes are not valid text",
    "JSON exchanged on the web must be UTF-8 (RFC 8259, 8.1); a reader that "
    "meets bytes that are not stops, or shows U+FFFD replacement characters.",
    "Save the feed as UTF-8 (convert text taken from Windows-1252 or Latin-1 "
    "sources before writing it).",
)
JSON_BYTE_ORDER_MARK = _layer(
    "json-byte-order-mark", "warning", "the JSON text starts with a byte order mark",
    "RFC 8259 (8.1) forbids a byte order mark before JSON text; parsers that "
    "follow it (JavaScript's JSON.parse on a string, Go's encoding/json, "
    "Python's json.loads on a string) fail on the first character, so some "
    "readers see no feed at all. A UTF-16 or UTF-32 mark also means the text "
    "is not UTF-8, which readers that decode the response as UTF-8 garble.",
    "Write the feed as UTF-8 without a byte order mark (in many editors, "
    "\"UTF-8\" rather than \"UTF-8 with BOM\").",
)
UNKNOWN_FORMAT = _layer(
    "unknown-format", "error", "the document is not a feed",
    "Readers recognise RSS (`<rss>`, RSS 1.0 `<rdf:RDF>`), Atom (`<feed>`) and "
    "JSON Feed; anything else (an HTML page, an error page) cannot be subscribed to.",
    "Point at the feed itself, not the page that links to it, and check that the "
    "server returns the feed and not an error page.",
    w3c=("InvalidRSSVersion", "UndefinedElement", "MissingNamespace"),
)
NOT_IN_DEPTH = _layer(
    "format-not-checked-in-depth", "warning", "this format is not checked in depth yet",
    "RSS 2.0, Atom 1.0 and JSON Feed get a schema and every rule; RSS 1.0 and "
    "0.9x get the rules for their required elements (and 0.9x's `<rss>` the RSS "
    "rules). Atom 0.3, obsolete since 2005, is only checked for well-formedness, "
    "so a clean report on it says little.",
    "Publish RSS 2.0 or Atom 1.0 as well (or instead); both are read everywhere.",
)


def _issue(rule: Rule, detail: str | None = None, line: int | None = None,
           column: int | None = None) -> Issue:
    message = f"{rule.message}: {detail}" if detail else rule.message
    return Issue(rule.severity, rule.code, message, line, column)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def unreadable(detail: str) -> Issue:
    """The issue of an input that could not be read; detail says why (from ``fetch``)."""
    return _issue(INPUT_UNREADABLE, detail)

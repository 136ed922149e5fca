"""Atom 1.0 rules (RFC 4287): required elements, content, ids, links, text constructs.

Includes the two Schematron constraints of RFC 4287 Appendix B that RELAX NG
engines ignore (author, content-or-alternate).  W3C message class names are
given in each rule's doc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree

from feedwright.validate.document import Document
from feedwright.validate.rules import Finding
from feedwright.validate.rules import rule
from feedwright.validate.rules._helpers import ATOM
from feedwright.validate.rules._helpers import XHTML_NS
from feedwright.validate.rules._helpers import A
from feedwright.validate.rules._helpers import atom_date
from feedwright.validate.rules._helpers import atom_links
from feedwright.validate.rules._helpers import bad_uri_char
from feedwright.validate.rules._helpers import children
from feedwright.validate.rules._helpers import entries
from feedwright.validate.rules._helpers import first
from feedwright.validate.rules._helpers import full_uri_problem
from feedwright.validate.rules._helpers import is_email
from feedwright.validate.rules._helpers import parse_rfc3339
from feedwright.validate.rules._helpers import rel_of
from feedwright.validate.rules._helpers import text
from feedwright.validate.rules._helpers import text_type


def _feed_missing(doc: Document, tag: str) -> Iterator[Finding]:
    if first(doc.root, A + tag) is None:
        yield Finding(node=doc.root)


def _entry_missing(doc: Document, tag: str) -> Iterator[Finding]:
    for e in entries(doc.root):
        if first(e, A + tag) is None:
            yield Finding(node=e)


@rule("atom-missing-feed-id", "error", "<feed> has no <id>", formats=ATOM)
def missing_feed_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The feed id is its permanent identity (RFC 4287 4.1.1; W3C:
    MissingElement); readers use it to recognise the feed after it moves.

    ## How to fix
    Add `<id>` with a URI that never changes, e.g. the feed's first URL or a
    `tag:` URI.
    """
    yield from _feed_missing(doc, "id")


@rule("atom-missing-feed-title", "error", "<feed> has no <title>", formats=ATOM)
def missing_feed_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers list subscriptions by feed title (RFC 4287 4.1.1; W3C:
    MissingElement).

    ## How to fix
    Add `<title>` with the site's name.
    """
    yield from _feed_missing(doc, "title")


@rule("atom-missing-feed-updated", "error", "<feed> has no <updated>", formats=ATOM)
def missing_feed_updated(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<updated>` tells readers and caches whether anything changed
    (RFC 4287 4.1.1; W3C: MissingElement).

    ## How to fix
    Add `<updated>` with the time of the newest change, e.g.
    `2025-06-10T04:00:00Z`.
    """
    yield from _feed_missing(doc, "updated")


@rule("atom-missing-entry-id", "error", "<entry> has no <id>", formats=ATOM)
def missing_entry_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers recognise entries they have shown by `<id>` (RFC 4287 4.1.2;
    W3C: MissingElement); without it every refresh may show the entry again.

    ## How to fix
    Give each entry an `<id>` that never changes (a `tag:` URI or the
    permalink as first published).
    """
    yield from _entry_missing(doc, "id")


@rule("atom-missing-entry-title", "error", "<entry> has no <title>", formats=ATOM)
def missing_entry_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The entry title is what readers list (RFC 4287 4.1.2; W3C:
    MissingElement).

    ## How to fix
    Add `<title>` to the entry (it may be empty only if nothing else fits).
    """
    yield from _entry_missing(doc, "title")


@rule("atom-missing-entry-updated", "error", "<entry> has no <updated>", formats=ATOM)
def missing_entry_updated(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers order entries and detect edits by `<updated>` (RFC 4287 4.1.2;
    W3C: MissingElement).

    ## How to fix
    Add `<updated>`; for a post never edited, use its publication time.
    """
    yield from _entry_missing(doc, "updated")


def _has_author(el: etree._Element | None) -> bool:
    return el is not None and first(el, A + "author") is not None


@rule("atom-missing-author", "error", "<entry> has no <author> and neither has the feed",
      formats=ATOM)
def missing_author(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 requires an author for every entry, given in the entry, its
    `<source>` or the feed (W3C: MissingElement). RELAX NG cannot check this;
    readers show "unknown" or refuse the entry.

    ## How to fix
    Add `<author><name>…</name></author>` to the feed (it applies to all
    entries) or to each entry.
    """
    if _has_author(doc.root):
        return
    for e in entries(doc.root):
        if not _has_author(e) and not _has_author(first(e, A + "source")):
            yield Finding(node=e)


_FEED_SINGLETONS = ("generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated")
_ENTRY_SINGLETONS = ("content", "id", "published", "rights", "source", "summary", "title",
                     "updated")


def _dups(parent: etree._Element, names: tuple[str, ...]) -> Iterator[Finding]:
    seen: set[str] = set()
    wanted = {A + n for n in names}
    for c in parent:
        if c.tag in wanted:
            if c.tag in seen:
                yield Finding(node=c, detail=f"<{etree.QName(c).localname}> repeated")
            seen.add(c.tag)


@rule("atom-duplicate-element", "error", "element may appear only once here", formats=ATOM)
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 allows one `<id>`, `<title>`, `<updated>`, `<content>`… per feed
    or entry (W3C: DuplicateElement); readers keep one copy, and which one
    varies.

    ## How to fix
    Remove the extra copy.
    """
    yield from _dups(doc.root, _FEED_SINGLETONS)
    for e in entries(doc.root):
        yield from _dups(e, _ENTRY_SINGLETONS)


def _alternates(el: etree._Element) -> list[etree._Element]:
    return [li for li in atom_links(el) if rel_of(li) == "alternate"]


@rule("atom-missing-content-or-alternate", "error",
      '<entry> has neither <content> nor <link rel="alternate">', formats=ATOM)
def missing_content_or_alternate(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An entry with no content must link to it (RFC 4287 4.1.1.1; W3C:
    MissingContentOrAlternate); otherwise readers have nothing to show and
    nowhere to send the reader.

    ## How to fix
    Add `<link rel="alternate" href="…"/>` pointing at the post, or include
    `<content>`.
    """
    for e in entries(doc.root):
        if first(e, A + "content") is None and not _alternates(e):
            yield Finding(node=e)


def _binary(content: etree._Element) -> bool:
    t = text_type(content).lower()
    if t in ("text", "html", "xhtml") or "/" not in t:
        return False
    return not (t.endswith("+xml") or t.endswith("/xml") or t.startswith("text/"))


@rule("atom-missing-summary", "error",
      "<entry> with out-of-line or binary <content> has no <summary>", formats=ATOM)
def missing_summary(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    When content is elsewhere (`src`) or is base64 media, readers have no
    text to show; RFC 4287 4.1.1.1 then requires `<summary>`
    (W3C: MissingSummary).

    ## How to fix
    Add a plain-text `<summary>` describing the content.
    """
    for e in entries(doc.root):
        c = first(e, A + "content")
        if c is None or first(e, A + "summary") is not None:
            continue
        if c.get("src") is not None or _binary(c):
            yield Finding(node=c)


@rule("atom-missing-textual-content", "warning",
      "<entry> has neither <content> nor <summary>", formats=ATOM)
def missing_textual_content(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    With only a link, readers show the title and nothing else
    (W3C: MissingTextualContent); many subscribers never click through.

    ## How to fix
    Add a `<summary>`, or the full post as `<content type="html">`.
    """
    for e in entries(doc.root):
        if first(e, A + "content") is None and first(e, A + "summary") is None:
            yield Finding(node=e)


@rule("atom-duplicate-alternate-link", "error",
      'two <link rel="alternate"> with the same type and hreflang', formats=ATOM)
def duplicate_alternate_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 allows one alternate link per type and language
    (W3C: DuplicateAtomLink); readers cannot tell which is the post's page.

    ## How to fix
    Keep one, or give the others a different `type` or `hreflang`, or
    another `rel` such as `related`.
    """
    for parent in (doc.root, *entries(doc.root)):
        seen: set[tuple[str, str]] = set()
        for li in _alternates(parent):
            key = ((li.get("type") or "").strip().lower(), (li.get("hreflang") or "").lower())
            if key in seen:
                yield Finding(node=li, detail=li.get("href"))
            seen.add(key)


@rule("atom-missing-self-link", "warning", '<feed> has no <link rel="self">', formats=ATOM)
def missing_self_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The self link is the feed's own URL (RFC 4287 4.2.7.2; W3C:
    MissingSelf); readers use it to follow moves and WebSub hubs need it.

    ## How to fix
    Add `<link rel="self" type="application/atom+xml"
    href="https://example.org/atom.xml"/>` to `<feed>`.
    """
    if not any(rel_of(li) == "self" for li in atom_links(doc.root)):
        yield Finding(node=doc.root)


def _atom_date_nodes(doc: Document) -> Iterator[etree._Element]:
    for parent in (doc.root, *entries(doc.root)):
        for c in parent:
            if c.tag in (A + "updated", A + "published"):
                yield c
        src = first(parent, A + "source")
        if src is not None:
            yield from children(src, A + "updated")


@rule("atom-invalid-date", "error", "date is not an RFC 3339 date-time", formats=ATOM)
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Atom dates are RFC 3339 date-times with an explicit offset, e.g.
    `2025-06-10T04:00:00Z` (W3C: InvalidRFC3339Date). A missing offset is
    read as local time by some readers and UTC by others; an unreadable or
    impossible date makes readers use the fetch time instead.

    ## How to fix
    Write `YYYY-MM-DDThh:mm:ss` plus `Z` or `+hh:mm`, e.g. with Python's
    `datetime.isoformat()` on an aware datetime.
    """
    for node in _atom_date_nodes(doc):
        verdict = parse_rfc3339(text(node))
        if verdict.status != "ok":
            yield Finding(node=node, detail=verdict.detail)


@rule("updated-before-published", "error", "<updated> is earlier than <published>",
      formats=ATOM)
def updated_before_published(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An entry cannot change before it exists; readers that show "updated"
    badges or sort by either date get them backwards. RFC 4287 defines
    `<updated>` as the last significant change, which is never before
    publication.

    ## How to fix
    Set `<updated>` to the time of the last edit, or to `<published>` if the
    entry was never edited.
    """
    for e in entries(doc.root):
        up = first(e, A + "updated")
        published, updated = atom_date(first(e, A + "published")), atom_date(up)
        if published is not None and updated is not None and updated < published:
            yield Finding(node=up, detail=f"{text(up)} < {text(first(e, A + 'published'))}")


def _ids(doc: Document) -> list[tuple[etree._Element, str]]:
    out = []
    for e in entries(doc.root):
        node = first(e, A + "id")
        if node is not None and text(node):
            out.append((node, text(node)))
    return out


_MANY = 10


@rule("atom-duplicate-id", "warning", "two entries share an <id>", formats=ATOM)
def duplicate_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers treat entries with one id as versions of one entry
    (W3C: DuplicateEntries) and show only one of them.

    ## How to fix
    Give each entry its own permanent id; if both are the same post, keep
    only the newest version.
    """
    ids = _ids(doc)
    counts = Counter(v for _, v in ids)
    seen: set[str] = set()
    for node, value in ids:
        if value in seen and counts[value] < _MANY:
            yield Finding(node=node, detail=repr(value))
        seen.add(value)


@rule("atom-many-entries-share-id", "error", f"{_MANY} or more entries share one <id>",
      formats=ATOM)
def many_entries_share_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    When many entries carry the same id, the generator is stamping a
    constant (often the feed id) on every entry (W3C: DuplicateIds).
    Readers then show one entry at most.

    ## How to fix
    Generate a distinct, permanent id per entry.
    """
    ids = _ids(doc)
    counts = Counter(v for _, v in ids)
    reported: set[str] = set()
    for node, value in ids:
        if counts[value] >= _MANY and value not in reported:
            reported.add(value)
            yield Finding(node=node, detail=f"{value!r} used {counts[value]} times")


@rule("atom-duplicate-updated", "warning", "two entries share an <updated> time",
      formats=ATOM)
def duplicate_updated(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Identical timestamps (W3C: DuplicateUpdated) usually mean the generator
    stamped the build time instead of each entry's own; readers then cannot
    order the entries or tell which changed.

    ## How to fix
    Give each entry the time it was last changed; entries from the same day
    can differ by a second.
    """
    seen: set[object] = set()
    for e in entries(doc.root):
        node = first(e, A + "updated")
        when = atom_date(node)
        if when is None:
            continue
        if when in seen:
            yield Finding(node=node, detail=text(node))
        seen.add(when)


@rule("atom-invalid-id", "error", "<id> is not a valid absolute IRI", formats=ATOM)
def invalid_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Atom ids must be absolute IRIs (RFC 4287 4.2.6; W3C: InvalidFullLink,
    InvalidTAG, InvalidURN). A relative or malformed id may change meaning
    when the feed moves, and readers then duplicate every entry.

    ## How to fix
    Use a `tag:` URI (`tag:example.org,2025:/posts/hello`), a `urn:uuid:`, or
    an absolute `https://` URL that will never change.
    """
    for parent in (doc.root, *entries(doc.root)):
        for node in children(parent, A + "id"):
            problem = full_uri_problem(text(node))
            if problem is not None:
                yield Finding(node=node, detail=problem)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _canonical_problem(uri: str) -> str | None:
    parts = urlsplit(uri)
    scheme = uri.split(":", 1)[0]
    if scheme != scheme.lower():
        return "scheme should be lower case"
    if parts.scheme not in _DEFAULT_PORTS:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if host != host.lower():
        return "host should be lower case"
    try:
        port = parts.port
    except ValueError:
        return None
    if port == _DEFAULT_PORTS[parts.scheme]:
        return f"default port :{port} should be omitted"
    if not parts.path:
        return "empty path should be '/'"
    return None


@rule("atom-non-canonical-id", "warning", "<id> is not in canonical form", formats=ATOM)
def non_canonical_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers compare ids character by character (RFC 4287 4.2.6.1); an id
    written `HTTP://Example.org:80` differs from the same id normalised by
    another tool (W3C: NonCanonicalURI), and entries come back as new.

    ## How to fix
    Write ids in RFC 3986 normal form: lower-case scheme and host, no
    default port, `/` for an empty path.
    """
    for parent in (doc.root, *entries(doc.root)):
        for node in children(parent, A + "id"):
            value = text(node)
            if value and full_uri_problem(value) is None:
                problem = _canonical_problem(value)
                if problem is not None:
                    yield Finding(node=node, detail=problem)


_TEXT_CONSTRUCTS = ("title", "subtitle", "summary", "rights")


def _text_constructs(doc: Document) -> Iterator[etree._Element]:
    wanted = {A + t for t in _TEXT_CONSTRUCTS}
    for parent in (doc.root, *entries(doc.root)):
        for c in parent:
            if c.tag in wanted:
                yield c


@rule("atom-invalid-text-type", "error",
      'text construct type is not "text", "html" or "xhtml"', formats=ATOM)
def invalid_text_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Titles, subtitles, summaries and rights take only `text`, `html` or
    `xhtml` (RFC 4287 3.1.1; W3C: InvalidTextType); readers fall back to
    showing raw markup or nothing for `text/html` and the like.

    ## How to fix
    Use `type="html"` for escaped HTML, `type="xhtml"` for inline XHTML, or
    leave `type` out for plain text.
    """
    for c in _text_constructs(doc):
        if text_type(c) not in ("text", "html", "xhtml"):
            yield Finding(node=c, detail=repr(c.get("type")))


def _all_text_like(doc: Document) -> Iterator[etree._Element]:
    yield from _text_constructs(doc)
    for e in entries(doc.root):
        yield from children(e, A + "content")


@rule("atom-missing-xhtml-div", "error", 'type="xhtml" content is not wrapped in one '
      "XHTML <div>", formats=ATOM)
def missing_xhtml_div(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 3.1.1.3 requires `type="xhtml"` content to be a single
    `<div xmlns="http://www.w3.org/1999/xhtml">` (W3C: MissingXhtmlDiv);
    readers strip that div, so without it they drop the first element or
    show nothing.

    ## How to fix
    Wrap the markup: `<content type="xhtml"><div
    xmlns="http://www.w3.org/1999/xhtml">…</div></content>`.
    """
    div = f"{{{XHTML_NS}}}div"
    for c in _all_text_like(doc):
        if text_type(c) != "xhtml":
            continue
        kids = [k for k in c if isinstance(k.tag, str)]
        stray = text(c) or any((k.tail or "").strip() for k in kids)
        if len(kids) != 1 or kids[0].tag != div or stray:
            yield Finding(node=c)


@rule("atom-unescaped-markup", "error",
      'type="text" or "html" holds child elements', formats=ATOM)
def unescaped_markup(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `type="html"` content must be escaped (`&lt;p&gt;`) and `type="text"`
    holds no markup (RFC 4287 3.1.1; W3C: UndefinedElement); readers
    silently drop child elements, so the text loses its paragraphs or worse.

    ## How to fix
    Escape the HTML (or wrap it in CDATA) with `type="html"`, or switch to
    `type="xhtml"` with a wrapping XHTML `<div>`.
    """
    for c in _all_text_like(doc):
        t = text_type(c).lower()
        if t in ("text", "html") or t.startswith("text/"):
            kid = next((k for k in c if isinstance(k.tag, str)), None)
            if kid is not None:
                yield Finding(node=kid, detail=f"<{etree.QName(kid).localname}>")


@rule("atom-content-src-missing-type", "warning", "<content src> has no type", formats=ATOM)
def content_src_missing_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    With out-of-line content readers need the media type to decide whether
    to fetch and how to show it (RFC 4287 4.1.3.1 SHOULD; W3C:
    MissingTypeAttr).

    ## How to fix
    Add `type`, e.g. `type="text/html"` or `type="audio/mpeg"`.
    """
    for e in entries(doc.root):
        for c in children(e, A + "content"):
            if c.get("src") is not None and c.get("type") is None:
                yield Finding(node=c)


@rule("atom-invalid-email", "error", "person <email> is not an e-mail address", formats=ATOM)
def invalid_email(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<email>` holds a bare address (RFC 4287 3.2.3; W3C: InvalidAddrSpec);
    readers make it a `mailto:` link, which breaks on `Jane <jane@…>` or
    `jane at example.org`.

    ## How to fix
    Write only the address, `jane@example.org`; put the name in `<name>`.
    """
    for person in doc.root.iter(A + "author", A + "contributor"):
        for node in children(person, A + "email"):
            if not is_email(text(node)):
                yield Finding(node=node, detail=repr(text(node)))


_IRI_ATTRS = ((A + "link", "href"), (A + "content", "src"), (A + "generator", "uri"))
_IRI_ELEMENTS = (A + "uri", A + "icon", A + "logo")


@rule("atom-invalid-uri", "error", "not a valid IRI reference", formats=ATOM)
def invalid_uri(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Link targets, icons, logos and person URIs must be IRI references
    (RFC 3987; W3C: InvalidIRI, InvalidUriChar); a space or `<` in an href
    breaks the link in every reader.

    ## How to fix
    Percent-encode spaces (`%20`) and other characters not allowed in URLs.
    """
    for el in doc.root.iter(*(t for t, _ in _IRI_ATTRS), *_IRI_ELEMENTS):
        if el.tag in _IRI_ELEMENTS:
            value: str | None = text(el)
        else:
            value = el.get(dict(_IRI_ATTRS)[el.tag])
        if value is None:
            continue
        bad = bad_uri_char(value)
        if bad is not None:
            yield Finding(node=el, detail=f"{value.strip()!r} contains {bad!r}")

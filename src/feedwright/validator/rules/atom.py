"""Atom 1.0 feed and entry rules (RFC 4287): required elements, author, ids, links, dates.

Includes RFC 4287's Schematron author constraint that RELAX NG engines
ignore.  W3C message class names are given in each rule's doc.  Content,
text constructs, people and URI values are in atom_content.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import ParsedDate
from feedwright.validator.rules._dates import atom_dates
from feedwright.validator.rules._dates import atom_entries
from feedwright.validator.rules._dates import parse_rfc3339
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._xml import ATOM
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import alternates
from feedwright.validator.rules._xml import atom_links
from feedwright.validator.rules._xml import by_tag
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import rel_of
from feedwright.validator.rules._xml import tagged_children
from feedwright.validator.rules._xml import text


def _feed_missing(doc: Document, tag: str) -> Iterator[Finding]:
    if first(doc.root, A + tag) is None:
        yield Finding(node=doc.root)


def _entry_missing(doc: Document, tag: str) -> Iterator[Finding]:
    for e in entries(doc.root):
        if first(e, A + tag) is None:
            yield Finding(node=e)


@rule("atom-missing-feed-id", "error", "<feed> has no <id>", formats=ATOM,
      w3c=("MissingElement",), feed_only=True)
def missing_feed_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The feed id is its permanent identity (RFC 4287 4.1.1; W3C:
    MissingElement); readers use it to recognise the feed after it moves.

    ## How to fix
    Add `<id>` with a URI that never changes, e.g. the feed's first URL or a
    `tag:` URI.
    """
    yield from _feed_missing(doc, "id")


@rule("atom-missing-feed-title", "error", "<feed> has no <title>", formats=ATOM,
      w3c=("MissingElement", "MissingTitle"), feed_only=True)
def missing_feed_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers list subscriptions by feed title (RFC 4287 4.1.1; W3C:
    MissingElement).

    ## How to fix
    Add `<title>` with the site's name.
    """
    yield from _feed_missing(doc, "title")


@rule("atom-missing-feed-updated", "error", "<feed> has no <updated>", formats=ATOM,
      w3c=("MissingElement",), feed_only=True)
def missing_feed_updated(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<updated>` tells readers and caches whether anything changed
    (RFC 4287 4.1.1; W3C: MissingElement).

    ## How to fix
    Add `<updated>` with the time of the newest change, e.g.
    `2025-06-10T04:00:00Z`.
    """
    yield from _feed_missing(doc, "updated")


@rule("atom-missing-entry-id", "error", "<entry> has no <id>", formats=ATOM,
      w3c=("MissingElement",))
def missing_entry_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers recognise entries they have shown by `<id>` (RFC 4287 4.1.2;
    W3C: MissingElement); without it every refresh may show the entry again.
    An id that changes between two fetches (a host, title or URL baked into
    it) does the same: every reader shows the entry again as new
    (miniflux/v2#2358, NetNewsWire#3835, feedbin/support#198).

    ## How to fix
    Give each entry an `<id>` that never changes (a `tag:` URI or the
    permalink as first published).
    """
    yield from _entry_missing(doc, "id")


@rule("atom-missing-entry-title", "error", "<entry> has no <title>", formats=ATOM,
      w3c=("MissingElement", "MissingTitle"))
def missing_entry_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The entry title is what readers list (RFC 4287 4.1.2; W3C:
    MissingElement).

    ## How to fix
    Add `<title>` to the entry (it may be empty only if nothing else fits).
    """
    yield from _entry_missing(doc, "title")


@rule("atom-missing-entry-updated", "error", "<entry> has no <updated>", formats=ATOM,
      w3c=("MissingElement",))
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
      formats=ATOM,
      w3c=("MissingElement",))
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
    kids = by_tag(parent)
    wanted = {A + n for n in names}
    if all(len(kids.get(tag, ())) < 2 for tag in wanted):
        return  # the common case, told from the index without a walk
    seen: set[object] = set()
    for tag, c in tagged_children(parent):
        if tag in wanted:
            if tag in seen:
                yield Finding(node=c, detail=f"<{etree.QName(c).localname}> repeated")
            seen.add(tag)


@rule("atom-duplicate-element", "error", "element may appear only once here", formats=ATOM,
      w3c=("DuplicateElement", "TooMany"))
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


@rule("atom-duplicate-alternate-link", "error",
      'two <link rel="alternate"> with the same type and hreflang', formats=ATOM,
      w3c=("DuplicateAtomLink",))
def duplicate_alternate_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 allows one alternate link per type and language in a feed,
    an entry or an entry's `<source>` (W3C: DuplicateAtomLink); readers
    cannot tell which is the post's (or the source feed's) page.

    ## How to fix
    Keep one, or give the others a different `type` or `hreflang`, or
    another `rel` such as `related`.
    """
    sources = (s for e in entries(doc.root) for s in children(e, A + "source"))
    for parent in (doc.root, *entries(doc.root), *sources):
        seen: set[tuple[str, str]] = set()
        for li in alternates(parent):
            key = ((li.get("type") or "").strip().lower(), (li.get("hreflang") or "").lower())
            if key in seen:
                yield Finding(node=li, detail=li.get("href"))
            seen.add(key)


@rule("atom-missing-self-link", "warning", '<feed> has no <link rel="self">', formats=ATOM,
      w3c=("MissingSelf",), feed_only=True)
def missing_self_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The self link is the feed's own URL (RFC 4287 4.2.7.2; W3C:
    MissingSelf); readers use it to follow moves and WebSub hubs need it
    (FreshRSS subscribes by WebSub when a feed names a hub and its self URL).

    ## How to fix
    Add `<link rel="self" type="application/atom+xml"
    href="https://example.org/atom.xml"/>` to `<feed>`.
    """
    if not any(rel_of(li) == "self" for li in atom_links(doc.root)):
        yield Finding(node=doc.root)


def _atom_date_nodes(doc: Document) -> Iterator[tuple[etree._Element, ParsedDate]]:
    """Every Atom date element with its verdict: per parent (the feed, each
    entry) its own dates (``atom_dates``), then its source's updated."""
    for parent, dates in atom_dates(doc):
        for _tag, node, verdict in dates:
            yield node, verdict
        src = first(parent, A + "source")
        if src is not None:
            for node in children(src, A + "updated"):
                yield node, parse_rfc3339(text(node))


@rule("atom-invalid-date", "error", "date is not an RFC 3339 date-time", formats=ATOM,
      w3c=("InvalidRFC3339Date", "InvalidISO8601Date", "InvalidISO8601DateTime",
           "UnexpectedWhitespace"))
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Atom dates are RFC 3339 date-times with an explicit offset, e.g.
    `2025-06-10T04:00:00Z` (W3C: InvalidRFC3339Date). A missing offset is
    read as local time by some readers and UTC by others; an unreadable or
    impossible date makes readers use the fetch time instead (capyreader#353),
    so old entries jump to the top. Spaces or line breaks around the date are
    not part of RFC 3339's syntax (W3C: UnexpectedWhitespace); strict parsers
    (Go's `time.Parse(time.RFC3339, …)`, Java's `OffsetDateTime.parse`)
    refuse the value. One bad date can cost the whole feed: feed-io (PHP) and
    the Rust `atom` crate have refused entire feeds over a single one
    (alexdebril/feed-io#289, rust-syndication/atom#20).

    ## How to fix
    Write `YYYY-MM-DDThh:mm:ss` plus `Z` or `+hh:mm`, e.g. with Python's
    `datetime.isoformat()` on an aware datetime, with nothing around it.
    """
    for node, verdict in _atom_date_nodes(doc):
        if verdict.status != "ok":
            yield Finding(node=node, detail=verdict.detail)
        elif text(node) != (node.text or ""):
            yield Finding(node=node, detail=f"{node.text!r} has spaces or line breaks around it")


@rule("updated-before-published", "warning", "<updated> is earlier than <published>",
      formats=ATOM)
def updated_before_published(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 sets no order between the two dates: `<published>` is "an
    event early in the life cycle of the entry" (4.2.9) and `<updated>` the
    last change the publisher thinks significant (4.2.15). A post written
    on Monday and scheduled for Friday can rightly say `updated` Monday,
    `published` Friday, so this is a warning, not an error (W3C does not
    check it). It is still worth a look: more often one of the two dates
    carries the wrong offset or the edit date was never set, and readers
    that show "updated" next to the post date, or sort by the later one,
    show an edit made before the post appeared. feedwright's own build
    refuses it (the gate treats warnings as errors).

    ## How to fix
    If the post was not scheduled, set `<updated>` to the time of the last
    edit, or to `<published>` if it was never edited; check both offsets.
    """
    for e in atom_entries(doc):
        published, updated = e.published, e.updated
        if published is not None and updated is not None and updated < published:
            yield Finding(node=e.updated_node,
                          detail=f"{text(e.updated_node)} < {text(e.published_node)}")


def _ids(doc: Document) -> tuple[list[tuple[etree._Element, str]], Counter[str]]:
    """Each entry's first non-empty <id> and its value, and how many entries
    carry each value (found once per document, for the two rules on ids)."""
    def find() -> tuple[list[tuple[etree._Element, str]], Counter[str]]:
        ids = [(e.id_node, e.id) for e in atom_entries(doc)
               if e.id_node is not None and e.id]
        return ids, Counter(v for _, v in ids)

    found: tuple[list[tuple[etree._Element, str]], Counter[str]] = doc.memo("atom.ids", find)
    return found


_MANY = 10


@rule("atom-duplicate-id", "warning", "two entries share an <id>", formats=ATOM,
      scope="relation",
      w3c=("DuplicateEntries",))
def duplicate_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers treat entries with one id as versions of one entry
    (W3C: DuplicateEntries) and show only one of them: Miniflux keeps one,
    FreshRSS and NetNewsWire collapse them (miniflux/v2#4197, FreshRSS#3126,
    NetNewsWire#3356), and which one survives varies by reader.

    ## How to fix
    Give each entry its own permanent id; if both are the same post, keep
    only the newest version.
    """
    ids, counts = _ids(doc)
    seen: set[str] = set()
    for node, value in ids:
        if value in seen and counts[value] < _MANY:
            yield Finding(node=node, detail=repr(value))
        seen.add(value)


@rule("atom-many-entries-share-id", "error", f"{_MANY} or more entries share one <id>",
      formats=ATOM, scope="relation",
      w3c=("DuplicateIds",))
def many_entries_share_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    When many entries carry the same id, the generator is stamping a
    constant (often the feed id) on every entry (W3C: DuplicateIds).
    Readers then show one entry at most (Miniflux keeps one; FreshRSS and
    NetNewsWire collapse them: miniflux/v2#4197, FreshRSS#3126,
    NetNewsWire#3356).

    ## How to fix
    Generate a distinct, permanent id per entry.
    """
    ids, counts = _ids(doc)
    reported: set[str] = set()
    for node, value in ids:
        if counts[value] >= _MANY and value not in reported:
            reported.add(value)
            yield Finding(node=node, detail=f"{value!r} used {counts[value]} times")


@rule("atom-duplicate-updated", "warning", "two entries share an <updated> time",
      formats=ATOM, scope="relation",
      w3c=("DuplicateUpdated",))
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
    for e in atom_entries(doc):
        when = e.updated
        if when is None:
            continue
        if when in seen:
            yield Finding(node=e.updated_node, detail=text(e.updated_node))
        seen.add(when)


@rule("atom-invalid-id", "error", "<id> is not a valid absolute IRI", formats=ATOM,
      w3c=("InvalidFullLink", "InvalidURI", "InvalidTAG", "InvalidURN", "InvalidUUID",
           "UnexpectedWhitespace"))
def invalid_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Atom ids must be absolute IRIs (RFC 4287 4.2.6; W3C: InvalidFullLink,
    InvalidTAG, InvalidURN, UnexpectedWhitespace). A relative or malformed
    id may change meaning when the feed moves, and readers that compare ids
    verbatim see ` tag:…` and `tag:…` as two entries.

    ## How to fix
    Use a `tag:` URI (`tag:example.org,2025:/posts/hello`), a `urn:uuid:`, or
    an absolute `https://` URL that will never change, with no spaces or
    line breaks around it.
    """
    for parent in (doc.root, *entries(doc.root)):
        for node in children(parent, A + "id"):
            raw = node.text or ""
            problem = full_uri_problem(raw)
            if problem is None and raw != raw.strip():
                problem = f"{raw!r} has surrounding whitespace"
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


@rule("atom-non-canonical-id", "warning", "<id> is not in canonical form", formats=ATOM,
      w3c=("NonCanonicalURI",))
def non_canonical_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers compare ids character by character (RFC 4287 4.2.6.1); an id
    written `HTTP://Example.org:80` differs from the same id normalised by
    another tool (W3C: NonCanonicalURI), and entries come back as new, as
    they do in every reader whenever an id changes between two fetches
    (miniflux/v2#2358, NetNewsWire#3835, feedbin/support#198).

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

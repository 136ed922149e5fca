"""Atom Threading Extensions (RFC 4685, ``thr:``): replies, reply counts, what answers what.

``thr:in-reply-to`` says which entry an entry answers; ``thr:count`` and
``thr:updated`` on a ``rel="replies"`` link say how many replies a comment
feed holds and when the newest came; ``thr:total`` counts them in the entry.
W3C checks these in ``extension.py`` (``in_reply_to``) and ``link.py``.
Every rule here returns at once for a document that never names the
namespace (``_blog_ext.uses``).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import THR_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import holders
from feedwright.validator.rules._blog_ext import non_negative_integer
from feedwright.validator.rules._blog_ext import uri_reference_problem
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._dates import parse_rfc3339
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._syntax import is_mime_type
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import rel_of

T = f"{{{THR_NS}}}"
#: The RSS 1.0 threading module, whose ``thr:children`` W3C reads as the same vocabulary.
OLD_THR_NS = "http://purl.org/rss/1.0/modules/threading/"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (THR_NS, OLD_THR_NS)
IN_REPLY_TO = T + "in-reply-to"


def _in_reply_to(doc: Document) -> list[etree._Element]:
    def find() -> list[etree._Element]:
        return [el for h in holders(doc) for el in h.iterchildren(IN_REPLY_TO)]

    return list(doc.memo("thr:in-reply-to", find)) if uses(doc, THR_NS) else []


def _thr_links(doc: Document) -> list[etree._Element]:
    """Every atom:link (in the head or an entry) carrying a ``thr:`` attribute."""
    if not uses(doc, THR_NS):
        return []
    return [li for h in holders(doc) for li in h.iterchildren(A + "link")
            if any(str(name).startswith(T) for name in li.attrib)]


@rule("thr-invalid-ref", "error",
      "<thr:in-reply-to> needs a ref that is the answered entry's absolute id",
      formats=XML_FEEDS, w3c=("InvalidFullLink", "MissingAttribute"))
def invalid_ref(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `ref` is the only thing that ties a reply to the entry it answers
    (RFC 4685 section 3: it MUST be present and MUST be the answered
    entry's persistent, universally unique id, an IRI). Readers that
    thread comments match `ref` against the ids they hold; a missing or
    relative `ref` (`ref="1"`) matches nothing, and the reply shows up
    alone, out of its conversation (W3C: InvalidFullLink).

    ## How to fix
    Put the answered entry's own `<id>` (Atom) or `<guid>` (RSS) in `ref`,
    e.g. `<thr:in-reply-to ref="tag:example.org,2025:1"
    href="https://example.org/posts/1/"/>`.
    """
    for el in _in_reply_to(doc):
        ref = el.get("ref")
        if ref is None:
            yield Finding(node=el, detail="no ref attribute")
            continue
        problem = full_uri_problem(ref)
        if problem is not None:
            yield Finding(node=el, detail=f"ref {problem}")


@rule("thr-invalid-href", "error",
      "<thr:in-reply-to> href or source is not a URI", formats=XML_FEEDS,
      w3c=("InvalidUriChar", "InvalidIRI"))
def invalid_href(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `href` is where a reader can open the answered entry and `source` the
    feed that holds it (RFC 4685 section 3); a value with spaces or other
    characters no URI may hold (`href="insert link here"`) is a dead link
    in every reader that follows it (W3C: InvalidUriChar).

    ## How to fix
    Give the answered entry's web address in `href` and its feed's address
    in `source`, percent-encoding anything outside URI characters (a space
    is `%20`); leave an attribute out rather than fill it with a placeholder.
    """
    for el in _in_reply_to(doc):
        for attr in ("href", "source"):
            uri = el.get(attr)
            if uri is None:
                continue
            problem = uri_reference_problem(uri)
            if problem is not None:
                yield Finding(node=el, detail=f"{attr} {problem}")


@rule("thr-invalid-type", "error",
      "<thr:in-reply-to> type is not a media type", formats=XML_FEEDS,
      w3c=("InvalidMIMEType",))
def invalid_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `type` tells a reader what it will get at `href` before it fetches it
    (RFC 4685 section 3); a value that is no media type (`type="good"`)
    cannot be matched against anything a reader can display (W3C:
    InvalidMIMEType).

    ## How to fix
    Use the media type of the page at `href`, e.g. `text/html`, or leave
    `type` out.
    """
    for el in _in_reply_to(doc):
        t = el.get("type")
        if t is not None and not is_mime_type(t):
            yield Finding(node=el, detail=repr(t))


@rule("thr-invalid-count", "error",
      "reply count is not a whole number of zero or more", formats=XML_FEEDS,
      w3c=("InvalidNonNegativeInteger", "InvalidInteger"))
def invalid_count(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `thr:count` on a `rel="replies"` link and `<thr:total>` in an entry say
    how many replies there are (RFC 4685 sections 4 and 5: a non-negative
    integer). Readers that show "12 comments" parse an integer; `2.5`,
    `many` or `-1` shows nothing or nonsense (W3C: InvalidInteger).

    ## How to fix
    Write the number of replies as digits (`thr:count="12"`,
    `<thr:total>12</thr:total>`), `0` when there are none.
    """
    if not uses(doc, THR_NS):
        return
    for li in _thr_links(doc):
        count = li.get(T + "count")
        if count is not None and not non_negative_integer(count):
            yield Finding(node=li, detail=f"thr:count={count!r}")
    for h in holders(doc):
        for total in h.iterchildren(T + "total"):
            if not non_negative_integer(value(total)):
                yield Finding(node=total, detail=repr(value(total)))


@rule("thr-invalid-updated", "error",
      "thr:updated is not an RFC 3339 date-time", formats=XML_FEEDS,
      w3c=("InvalidRFC3339Date",))
def invalid_updated(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `thr:updated` on a `rel="replies"` link says when the newest reply came
    (RFC 4685 section 4: an RFC 3339 date-time, like Atom's dates). Readers
    use it to decide whether to fetch the comment feed again; a value such
    as `yesterday` cannot be compared with anything (W3C: InvalidRFC3339Date).

    ## How to fix
    Write a full date-time with its offset: `thr:updated="2025-06-09T09:30:00Z"`.
    """
    for li in _thr_links(doc):
        updated = li.get(T + "updated")
        if updated is not None:
            verdict = parse_rfc3339(updated)
            if verdict.status == "invalid":
                yield Finding(node=li, detail=verdict.detail or repr(updated))


@rule("thr-attribute-outside-replies", "error",
      'thr:count or thr:updated on a link that is not rel="replies"',
      formats=XML_FEEDS, w3c=("UnexpectedAttribute",))
def attribute_outside_replies(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4685 section 4 defines `thr:count` and `thr:updated` only on links
    with `rel="replies"`: they describe a comment feed. On any other link
    readers do not look for them, so the count is lost (W3C:
    UnexpectedAttribute).

    ## How to fix
    Move the attributes to the `<link rel="replies" href="…comments feed…">`
    they describe, or remove them.
    """
    for li in _thr_links(doc):
        if rel_of(li) == "replies":
            continue
        for name in ("count", "updated"):
            if li.get(T + name) is not None:
                yield Finding(node=li, detail=f"thr:{name} on rel={rel_of(li)!r}")


@rule("thr-when-attribute", "error",
      "thr:when is not part of RFC 4685 (it is thr:updated)", formats=XML_FEEDS,
      w3c=("NoThrWhen",))
def when_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Drafts of the threading extension called the newest reply's date
    `thr:when`; RFC 4685 renamed it `thr:updated`, and readers look only
    for the published name, so the date is ignored (W3C: NoThrWhen).

    ## How to fix
    Rename `thr:when` to `thr:updated` (an RFC 3339 date-time).
    """
    for li in _thr_links(doc):
        if li.get(T + "when") is not None:
            yield Finding(node=li)


_DEFINED = {"in-reply-to", "total"}


@rule("thr-undefined-element", "error",
      "element is not part of the threading extension here", formats=XML_FEEDS,
      w3c=("UndefinedElement",))
def undefined_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4685 defines `<thr:in-reply-to>` (in a feed or entry) and
    `<thr:total>` (in an entry), and attributes on links; anything else in
    its namespace, such as RSS 1.0's `<thr:children>` outside an RSS 1.0
    feed or `<thr:total>` at feed level, is something no reader of the
    extension looks for (W3C: UndefinedElement).

    ## How to fix
    Use `<thr:total>` inside the entry for a reply count and `<thr:in-reply-to>`
    for what an entry answers; remove other `thr:` elements.
    """
    thr = uses(doc, THR_NS)
    old = doc.format != "rss1" and uses(doc, OLD_THR_NS)
    if not (thr or old):
        return
    h = head(doc)
    for holder in holders(doc):
        for el in holder.iterchildren(T + "*", f"{{{OLD_THR_NS}}}*"):
            ns, _, name = str(el.tag)[1:].partition("}")
            if old and ns == OLD_THR_NS and name == "children":
                yield Finding(node=el, detail=f"<thr:{name}>")
            elif thr and ns == THR_NS:
                allowed = {"in-reply-to"} if holder is h else _DEFINED
                if doc.format == "rss1" and holder is not h:
                    allowed = allowed | {"children"}
                if name not in allowed:
                    yield Finding(node=el, detail=f"<thr:{name}>")

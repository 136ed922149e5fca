"""How a post's comments and trackbacks are reached: ``slash:``, ``wfw:``, ``trackback:``.

Blog engines (WordPress, Movable Type, Slashcode) add these to every item:
``slash:comments`` (how many comments), ``wfw:commentRss`` (the comment
feed), ``wfw:comment`` (where to post one), ``trackback:ping`` (where other
blogs announce their links).  W3C checks them in ``extension.py``: integers,
comma-separated integers and full URLs, and trackback only in items and
entries.  Every rule here returns at once for a document that does not name
the vocabulary's namespace (``_blog_ext.uses``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import RDF_NS
from feedwright.validator.rules._blog_ext import SLASH_NS
from feedwright.validator.rules._blog_ext import TRACKBACK_NS
from feedwright.validator.rules._blog_ext import WFW_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import entry_elements
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import non_negative_integer
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._syntax import full_uri_problem

SLASH = f"{{{SLASH_NS}}}"
WFW = f"{{{WFW_NS}}}"
TRACKBACK = f"{{{TRACKBACK_NS}}}"
RDF_RESOURCE = f"{{{RDF_NS}}}resource"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (SLASH_NS, WFW_NS, TRACKBACK_NS)


# --- slash: ---------------------------------------------------------------


@rule("slash-invalid-comments", "error",
      "<slash:comments> is not a whole number of zero or more", formats=XML_FEEDS,
      w3c=("InvalidNonNegativeInteger", "InvalidInteger"))
def slash_invalid_comments(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `slash:comments` is the number of comments on the post (W3C:
    InvalidNonNegativeInteger); readers that show "12 comments" beside an
    item parse it as an integer, so `12 comments`, `n/a` or `-1` shows
    nothing or nonsense.

    ## How to fix
    Write the count as digits, `<slash:comments>12</slash:comments>`, `0`
    when there are none.
    """
    if not uses(doc, SLASH_NS):
        return
    for it in entry_elements(doc):
        for el in it.iterchildren(SLASH + "comments"):
            if not non_negative_integer(value(el)):
                yield Finding(node=el, detail=repr(value(el)))


_HIT_PARADE = re.compile(r"\d+(,\s*\d+)*\Z")


@rule("slash-invalid-hit-parade", "error",
      "<slash:hit_parade> is not comma-separated whole numbers", formats=XML_FEEDS,
      w3c=("InvalidCommaSeparatedIntegers",))
def slash_invalid_hit_parade(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `slash:hit_parade` lists how many comments reach each score threshold,
    as comma-separated integers (`12,10,8,4,2,1,0`; W3C:
    InvalidCommaSeparatedIntegers). Anything else cannot be split into the
    counts the Slash module defines, so readers that use it drop it.

    ## How to fix
    Write the counts as digits separated by commas, or remove the element.
    """
    if not uses(doc, SLASH_NS):
        return
    for it in entry_elements(doc):
        for el in it.iterchildren(SLASH + "hit_parade"):
            if not _HIT_PARADE.match(value(el)):
                yield Finding(node=el, detail=repr(value(el)))


# --- wfw: -----------------------------------------------------------------

_WFW_TAGS = (WFW + "comment", WFW + "commentRss", WFW + "commentRSS")


@rule("wfw-invalid-url", "error",
      "comment API address is not an absolute URL", formats=XML_FEEDS,
      w3c=("InvalidFullLink", "InvalidLink", "InvalidUriChar"))
def wfw_invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `wfw:commentRss` is the address of the post's comment feed and
    `wfw:comment` where a client posts a comment (Comment API; W3C:
    InvalidFullLink). Readers that offer to subscribe to a post's comments
    fetch the address as it is; a relative or malformed one leads nowhere,
    since nothing says what it is relative to.

    ## How to fix
    Write the full address, `https://example.org/posts/1/feed/`.
    """
    if not uses(doc, WFW_NS):
        return
    for it in entry_elements(doc):
        for el in it.iterchildren(*_WFW_TAGS):
            problem = full_uri_problem(value(el))
            if problem is not None:
                yield Finding(node=el, detail=problem)


@rule("wfw-comment-rss-case", "warning",
      "<wfw:commentRSS> is misspelled: the element is <wfw:commentRss>",
      formats=XML_FEEDS, w3c=("CommentRSS",))
def wfw_comment_rss_case(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    XML names are case-sensitive; the Comment API's element is
    `wfw:commentRss` (W3C: CommentRSS). Readers that look for the comment
    feed under its defined name do not find `wfw:commentRSS`, so the post's
    comments cannot be subscribed to.

    ## How to fix
    Rename the element to `<wfw:commentRss>`.
    """
    if not uses(doc, WFW_NS):
        return
    for it in entry_elements(doc):
        for el in it.iterchildren(WFW + "commentRSS"):
            yield Finding(node=el)


# --- trackback: -----------------------------------------------------------

_TRACKBACK_TAGS = (TRACKBACK + "ping", TRACKBACK + "about")


@rule("trackback-invalid-url", "error",
      "trackback address is not an absolute URL", formats=XML_FEEDS,
      w3c=("InvalidFullLink", "InvalidLink", "InvalidUriChar", "UnexpectedAttribute"))
def trackback_invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `trackback:ping` is where other blogs send a trackback to this post and
    `trackback:about` the posts this one pinged (W3C: InvalidFullLink). In
    RSS 2.0 and Atom the address is the element's text; RSS 1.0 puts it in
    `rdf:resource`, and that syntax in an RSS 2.0 item leaves the element
    empty for every RSS 2.0 reader (W3C also reports UnexpectedAttribute).
    An empty or relative address cannot be pinged.

    ## How to fix
    In RSS 2.0 and Atom write the full address as the text:
    `<trackback:ping>https://example.org/trackback/1</trackback:ping>`; in
    RSS 1.0 use `rdf:resource="…"`.
    """
    if not uses(doc, TRACKBACK_NS):
        return
    rdf = doc.format == "rss1"
    for it in entry_elements(doc):
        for el in it.iterchildren(*_TRACKBACK_TAGS):
            if rdf:
                uri = el.get(RDF_RESOURCE)
                if uri is None:
                    yield Finding(node=el, detail="no rdf:resource")
                    continue
            else:
                uri = value(el)
            problem = full_uri_problem(uri)
            if problem is not None:
                if not rdf and not uri and el.get(RDF_RESOURCE) is not None:
                    problem = "empty: rdf:resource is RSS 1.0 syntax, put the URL in the text"
                yield Finding(node=el, detail=problem)


@rule("trackback-outside-entry", "error",
      "trackback element outside an item or entry", formats=XML_FEEDS,
      w3c=("UndefinedElement",))
def trackback_outside_entry(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A trackback address belongs to one post: the Trackback module defines
    `trackback:ping` and `trackback:about` for items (RSS) and entries
    (Atom) only (W3C: UndefinedElement). At feed level no blog engine knows
    which post it is for, so it is never used.

    ## How to fix
    Move the element into the `<item>` or `<entry>` it belongs to, or remove it.
    """
    if not uses(doc, TRACKBACK_NS):
        return
    h = head(doc)
    if h is None:
        return
    for el in h.iterchildren(*_TRACKBACK_TAGS):
        yield Finding(node=el)

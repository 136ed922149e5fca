"""``<meta name="robots">`` in a feed: asking search engines not to index it.

Yahoo's feed guidelines let a feed carry an XHTML ``<meta name="robots"
content="noindex">`` in its channel or feed element, as a web page would.
W3C checks it in ``extension.py`` (``xhtml_meta``): the only name is
``robots`` and the content one of the robots directives.  Both rules look
only at the head's direct children.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import XHTML_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import uses

META = f"{{{XHTML_NS}}}meta"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (XHTML_NS,)
#: The directives W3C accepts, one or two of them (index/noindex, follow/nofollow).
_ROBOTS = frozenset({
    "all", "none", "index", "noindex", "follow", "nofollow",
    "index,follow", "index,nofollow", "noindex,follow", "noindex,nofollow",
    "follow,index", "follow,noindex", "nofollow,index", "nofollow,noindex",
})


def _metas(doc: Document) -> list[etree._Element]:
    if not uses(doc, XHTML_NS):
        return []
    h = head(doc)
    return list(h.iterchildren(META)) if h is not None else []


@rule("meta-invalid-name", "error", '<meta> in a feed must be name="robots"',
      formats=XML_FEEDS, w3c=("InvalidMetaName", "MissingAttribute"))
def invalid_name(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    In a feed, the XHTML `<meta>` element is recognised only as
    `name="robots"`, the directive to search engines (W3C: InvalidMetaName).
    Other names (`http-equiv`, `description`, none at all) mean nothing to
    any reader or crawler: a content type or charset stated there is
    ignored, and the HTTP header and the XML declaration decide.

    ## How to fix
    Keep `<meta xmlns="http://www.w3.org/1999/xhtml" name="robots"
    content="noindex"/>` if you want the feed kept out of search results;
    remove any other `<meta>`.
    """
    for el in _metas(doc):
        name = el.get("name")
        if name is None:
            yield Finding(node=el, detail="no name attribute")
        elif name.strip().lower() != "robots":
            yield Finding(node=el, detail=repr(name))


@rule("meta-invalid-content", "error",
      "robots <meta> content is not a robots directive", formats=XML_FEEDS,
      w3c=("InvalidMetaContent", "MissingAttribute"))
def invalid_content(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The robots directive is `index` or `noindex`, `follow` or `nofollow`,
    one of each at most, or `all` or `none` (W3C: InvalidMetaContent).
    Contradictions (`index,noindex`), other text or no `content` at all are
    ignored by crawlers, so the feed is indexed as if nothing were said.

    ## How to fix
    Write e.g. `content="noindex"` or `content="noindex,nofollow"`.
    """
    for el in _metas(doc):
        content = el.get("content")
        if content is None:
            yield Finding(node=el, detail="no content attribute")
            continue
        words = ",".join(w.strip() for w in content.lower().split(","))
        if words not in _ROBOTS:
            yield Finding(node=el, detail=repr(content))

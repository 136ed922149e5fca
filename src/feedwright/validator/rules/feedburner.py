"""FeedBurner's extension (``feedburner:``): the addresses a proxied feed carries.

FeedBurner (and services that copied it) republished feeds with each
item's original address in ``feedburner:origLink`` and its enclosure's in
``feedburner:origEnclosureLink``, since the core ``link`` pointed to a
click-counting redirect.  Readers that skip the redirect use these, so they
must be real addresses.  W3C checks them in ``extension.py`` (full URLs, each
at most once).  Every rule returns at once for a document that does not
name the namespace (``_blog_ext.uses``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import FEEDBURNER_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import entry_elements
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import uri_reference_problem
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._syntax import full_uri_problem

FB = f"{{{FEEDBURNER_NS}}}"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (FEEDBURNER_NS,)
#: Elements holding one full URL, by where they sit.
_ENTRY_URLS = (FB + "awareness", FB + "origLink", FB + "origEnclosureLink")
_HEAD_URLS = (FB + "awareness", FB + "feedburnerHostname")
#: Elements that may appear once, by where they sit.
_ENTRY_ONCE = _ENTRY_URLS
_HEAD_ONCE = (FB + "awareness", FB + "browserFriendly", FB + "emailServiceId",
              FB + "feedburnerHostname")


def _places(doc: Document) -> Iterator[tuple[etree._Element, bool]]:
    """(element, whether it is the feed's head) for the head and every entry."""
    h = head(doc)
    if h is not None:
        yield h, True
    for e in entry_elements(doc):
        yield e, False


@rule("feedburner-invalid-url", "error",
      "FeedBurner address is not an absolute URL", formats=XML_FEEDS,
      w3c=("InvalidFullLink", "InvalidLink", "InvalidUriChar", "InvalidIRI"))
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `feedburner:origLink` is the item's real address, behind the
    click-counting redirect in `<link>`; `origEnclosureLink`, `awareness`
    and `feedburnerHostname` are addresses too, and a `feedFlare`'s `href`
    and `src` (W3C: InvalidLink). Readers and archivers that prefer
    `origLink` to the redirect open whatever it holds: text that is not an
    absolute URL leads nowhere.

    ## How to fix
    Put the full original address in the element
    (`<feedburner:origLink>https://example.org/posts/1/</feedburner:origLink>`),
    or remove it.
    """
    if not uses(doc, FEEDBURNER_NS):
        return
    for place, is_head in _places(doc):
        tags = _HEAD_URLS if is_head else _ENTRY_URLS
        for el in place.iterchildren(FB + "*"):
            if el.tag in tags:
                problem = full_uri_problem(value(el))
                if problem is not None:
                    yield Finding(node=el, detail=problem)
            elif is_head and el.tag == FB + "feedFlare" and doc.format == "atom1":
                for attr in ("href", "src"):
                    uri = el.get(attr)
                    bad = "missing" if uri is None else uri_reference_problem(uri)
                    if bad is not None:
                        yield Finding(node=el, detail=f"{attr} {bad}")


@rule("feedburner-duplicate-element", "error",
      "FeedBurner element given more than once", formats=XML_FEEDS,
      w3c=("DuplicateElement",))
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An item has one original address and a feed one FeedBurner host: the
    extension allows `origLink`, `origEnclosureLink`, `awareness`,
    `browserFriendly`, `emailServiceId` and `feedburnerHostname` once
    each where they appear (W3C: DuplicateElement; `feedFlare` may repeat).
    With two, readers take the first or the last, each its own way.

    ## How to fix
    Keep one of them, the right one, and remove the others.
    """
    if not uses(doc, FEEDBURNER_NS):
        return
    for place, is_head in _places(doc):
        once = _HEAD_ONCE if is_head else _ENTRY_ONCE
        seen: Counter[str] = Counter()
        for el in place.iterchildren(*once):
            tag = str(el.tag)
            seen[tag] += 1
            if seen[tag] == 2:
                yield Finding(node=el, detail=f"<feedburner:{tag[len(FB):]}>")

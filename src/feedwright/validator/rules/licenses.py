"""Creative Commons licences in feeds (``creativeCommons:license``, ``cc:license``).

The Userland Creative Commons module puts the licence's URL in
``creativeCommons:license`` (RSS 2.0 and Atom); RSS 1.0 feeds use the
``cc:`` RDF vocabulary instead.  W3C checks the URL (``rfc2396_full``) and
warns when both vocabularies name the licence (``channel.py``, ``item.py``).
Both rules return at once for a document that names neither namespace.
"""

from __future__ import annotations

from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import CC_NS
from feedwright.validator.rules._blog_ext import CREATIVE_COMMONS_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import holders
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._syntax import full_uri_problem

LICENSE = f"{{{CREATIVE_COMMONS_NS}}}license"
CC_LICENSE = f"{{{CC_NS}}}license"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (CREATIVE_COMMONS_NS, CC_NS)


@rule("cc-invalid-license", "error",
      "<creativeCommons:license> is not the licence's URL", formats=XML_FEEDS,
      w3c=("InvalidFullLink", "InvalidLink", "InvalidUriChar"))
def invalid_license(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The module identifies a licence by its URL, such as
    `https://creativecommons.org/licenses/by-nc/4.0/` (W3C:
    InvalidFullLink). Aggregators and search engines that honour licences
    match the URL; a name such as `Attribution-NonCommercial` names no
    licence they can look up (there are several versions and ports of each),
    so the feed's terms go unread.

    ## How to fix
    Put the licence deed's full URL in the element, one element per licence.
    """
    if not uses(doc, CREATIVE_COMMONS_NS):
        return
    for holder in holders(doc):
        for el in holder.iterchildren(LICENSE):
            problem = full_uri_problem(value(el))
            if problem is not None:
                yield Finding(node=el, detail=problem)


@rule("cc-duplicate-license", "warning",
      "licence given in both creativeCommons: and cc: vocabularies", formats=XML_FEEDS,
      w3c=("DuplicateSemantics", "DuplicateItemSemantics"))
def duplicate_license(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `creativeCommons:license` and `cc:license` say the same thing (W3C:
    DuplicateSemantics); readers take one, each its own choice, and when
    they name different licences nobody can tell which one applies.

    ## How to fix
    Keep one vocabulary: `creativeCommons:license` in RSS 2.0 and Atom,
    `cc:license` in RSS 1.0.
    """
    if not (uses(doc, CREATIVE_COMMONS_NS) and uses(doc, CC_NS)):
        return
    for holder in holders(doc):
        a = next(holder.iterchildren(LICENSE), None)
        b = next(holder.iterchildren(CC_LICENSE), None)
        if a is not None and b is not None:
            yield Finding(node=max(a, b, key=holder.index))

"""Dublin Core (``dc:``, ``dcterms:``) in feeds: W3C dates, language, saying things twice.

RSS 1.0 feeds date everything with ``dc:date``, and many RSS 2.0 and Atom
feeds carry ``dc:creator``, ``dc:date`` and ``dc:language`` beside (or
instead of) the core elements.  W3C checks the dates as W3CDTF
(``validators.w3cdtf``), the language as ISO 639, and warns when the
channel says the same thing in both vocabularies (``channel.py``).  An
item's doubles (``pubDate`` + ``dc:date``…) are ``rss-duplicate-item-semantics``
in rss.py; this module adds the channel's.  Every rule here returns at once
for a document that names neither namespace (``_blog_ext.uses``).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import ADMIN_NS
from feedwright.validator.rules._blog_ext import DC_NS
from feedwright.validator.rules._blog_ext import DCTERMS_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._blog_ext import w3cdtf_problem
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import local

DC = f"{{{DC_NS}}}"
DCTERMS = f"{{{DCTERMS_NS}}}"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (DC_NS, DCTERMS_NS, ADMIN_NS)
#: The Dublin Core elements whose value is a W3CDTF date.
_DATES = (DC + "date", DCTERMS + "created", DCTERMS + "issued", DCTERMS + "modified")
_LANGUAGE = DC + "language"


@rule("dc-invalid-date", "error",
      "Dublin Core date is not a W3C date-time with a time zone", formats=XML_FEEDS,
      w3c=("InvalidW3CDTFDate",))
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `dc:date` and the `dcterms:` dates (`created`, `issued`, `modified`) are
    W3CDTF, ISO 8601's profile: `2025-06-09T09:30:00Z` (W3C:
    InvalidW3CDTFDate). An RSS date (`Mon, 09 Jun 2025 09:30:00 GMT`) in
    `dc:date` is not read as one by parsers that follow the vocabulary,
    and a time without its offset (`2025-06-09T09:30:00`) is read as UTC
    by some readers and as local time by others, so the entry is hours
    off or, unread, dated when it was fetched.

    ## How to fix
    Write `YYYY-MM-DDThh:mm:ss` followed by `Z` or an offset such as
    `+02:00`; a date alone (`2025-06-09`) is also allowed.
    """
    if not (uses(doc, DC_NS) or uses(doc, DCTERMS_NS)):
        return
    for tag, el in _once_elements(doc):
        if tag not in _DATES:
            continue
        problem = w3cdtf_problem(value(el))
        if problem is not None:
            yield Finding(node=el, detail=problem)


@rule("dc-empty-language", "error", "<dc:language> is empty", formats=XML_FEEDS,
      w3c=("InvalidLanguage",))
def empty_language(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `dc:language` names the language the feed is written in (an RFC 5646
    tag such as `en` or `pt-BR`; W3C: InvalidLanguage). Empty, it says
    nothing, and readers that pick fonts, hyphenation, text-to-speech or
    translation from it fall back to guessing. (A language tag that is
    present but wrong is `invalid-language`.)

    ## How to fix
    Put the language tag in it, `<dc:language>en</dc:language>`, or remove
    the element.
    """
    if not uses(doc, DC_NS):
        return
    for tag, el in _once_elements(doc):
        if tag == _LANGUAGE and not value(el):
            yield Finding(node=el)


#: (core element, extension element) a channel should not both carry (W3C channel.py).
_CHANNEL_PAIRS = (
    ("managingEditor", DC + "creator"), ("category", DC + "subject"),
    ("pubDate", DC + "date"), ("webMaster", DC + "publisher"),
    ("language", DC + "language"), ("copyright", DC + "rights"),
    ("lastBuildDate", DCTERMS + "modified"),
    ("generator", f"{{{ADMIN_NS}}}generatorAgent"),
)


@rule("dc-duplicate-channel-semantics", "warning",
      "channel says the same thing twice in different vocabularies",
      formats=("rss2", "rss09x"), w3c=("DuplicateSemantics",))
def duplicate_channel_semantics(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<language>` and `<dc:language>`, `<pubDate>` and `<dc:date>`,
    `<managingEditor>` and `<dc:creator>`, `<copyright>` and `<dc:rights>`,
    `<lastBuildDate>` and `<dcterms:modified>`, `<generator>` and
    `<admin:generatorAgent>` mean the same for the channel (W3C:
    DuplicateSemantics). Readers take one of the two, each its own choice,
    and when the values differ subscribers see different things; when they
    agree, one of them is dead weight to keep in step.

    ## How to fix
    Keep the core RSS element and remove the Dublin Core one (or the other
    way round, consistently). Items have the same rule:
    `rss-duplicate-item-semantics`.
    """
    if not (uses(doc, DC_NS) or uses(doc, DCTERMS_NS) or uses(doc, ADMIN_NS)):
        return
    ch = head(doc)
    if ch is None:
        return
    for core, ext in _CHANNEL_PAIRS:
        # The extension element is the rare one: look for it first.
        # From the index of the channel's children: no walk over its items.
        e = first(ch, ext)
        c = first(ch, core) if e is not None else None
        if e is not None and c is not None:
            later = max(c, e, key=ch.index)
            yield Finding(node=later, detail=f"<{core}> and <{_qname(e)}>")


#: Elements W3C allows once per channel, feed, item or entry (``noduplicates``).
_ONCE = tuple(DC + n for n in ("title", "description", "type", "format", "source", "language",
                               "rights", "date")) + tuple(
    DCTERMS + n for n in ("abstract", "tableOfContents", "created", "issued", "modified",
                          "dateAccepted", "dateCopyrighted", "dateSubmitted", "extent",
                          "mediator"))


@rule("dc-duplicate-element", "error",
      "Dublin Core element that may appear once is repeated", formats=XML_FEEDS,
      w3c=("DuplicateElement",))
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A feed or an entry has one title, one language, one rights statement,
    one date of each kind: Dublin Core's `dc:title`, `dc:description`,
    `dc:language`, `dc:rights`, `dc:date`, `dcterms:modified`… appear once
    where they are used (W3C: DuplicateElement). With two, each reader
    picks its own (the first, the last, or both run together), and the feed
    shows differently in each. (An RSS item may carry several `dc:date`s,
    as W3C allows; `dc:creator`, `dc:subject` and `dc:contributor` may
    always repeat.)

    ## How to fix
    Keep one of each and remove the others; for several authors or topics
    use `dc:creator` or `dc:subject`, which may repeat.
    """
    if not (uses(doc, DC_NS) or uses(doc, DCTERMS_NS)):
        return
    rss = doc.format != "atom1"
    seen: set[tuple[etree._Element, str]] = set()
    for tag, el in _once_elements(doc):
        parent = el.getparent()
        if parent is None or (rss and tag == DC + "date" and local(parent) == "item"):
            continue
        key = (parent, tag)
        if key in seen:
            yield Finding(node=el, detail=f"<{_qname(el)}>")
        seen.add(key)


def _once_elements(doc: Document) -> list[tuple[str, etree._Element]]:
    """(tag, element) for every element of ``_ONCE`` (which holds the dates
    and dc:language), in document order: one C-level walk shared by the
    rules here.  Our own feeds carry dc:creator, so these rules run on every
    feed the build writes, and a name the document never uses (most of
    them) costs lxml nothing to look for."""
    def walk() -> list[tuple[str, etree._Element]]:
        return [(str(el.tag), el) for el in doc.root.iter(*_ONCE)]
    found: list[tuple[str, etree._Element]] = doc.memo("dc:once", walk)
    return found


def _qname(el: etree._Element) -> str:
    return f"{el.prefix}:{local(el)}" if el.prefix else local(el)

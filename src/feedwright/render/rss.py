"""RSS 2.0 channel and item, built with feedgen.

RSS ``<author>`` must be an e-mail address (W3C's InvalidContact), so a
name alone goes to ``dc:creator``; the channel carries an ``atom:link``
self link and ``lastBuildDate`` = the newest entry's ``updated`` (else
``published``) date, as Atom's feed ``<updated>``, never the clock.
"""

from __future__ import annotations

import copy
import html
import re

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseExtension
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedwright.formats import FORMATS
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import Output
from feedwright.render import fast
from feedwright.render.browser import with_stylesheet
from feedwright.render.extension import ReadingStats
from feedwright.render.extension import namespaces_only
from feedwright.render.fragments import DC_NS
from feedwright.render.fragments import DCTERMS_NS
from feedwright.render.fragments import element_bytes
from feedwright.render.fragments import line_skeleton
from feedwright.render.fragments import split_head
from feedwright.render.history import add_history

FORMAT = "rss"
#: Items follow each other with nothing between them.
SEPARATOR = b""
#: An item cut down to what relates items: guid, link, date.
skeleton = line_skeleton("guid", "link", "pubDate")

#: Declared on every RSS document's root (feedgen adds atom and content).
NSMAP = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": DC_NS,
    "dcterms": DCTERMS_NS,
}


#: The plain-text elements we write (W3C's ``nonhtml``: item title and category;
#: channel title, description and copyright, image title) whose text holds a
#: ``<`` or ``&``, as lxml escapes it.
_ITEM_PLAIN = re.compile(rb"(<(title|category)(?:\s[^>]*)?>)([^<]*&(?:lt|amp);[^<]*)(</\2>)")
_CHANNEL_PLAIN = re.compile(
    rb"(<(title|description|copyright)(?:\s[^>]*)?>)([^<]*&(?:lt|amp);[^<]*)(</\2>)"
)
_HEX = re.compile(rb"&(lt|amp|gt);")
_HEX_OF = {b"lt": b"&#x3C;", b"amp": b"&#x26;", b"gt": b"&#x3E;"}


def _rss_image_url_ok(url: str) -> bool:
    """Whether RSS ``<image><url>`` may be this URL: a JPEG, GIF or PNG, or
    no telling (W3C's ImageUrlFormat test, repeated by our rule
    ``rss-image-url-format`` in ``validator/rules/rss_values.py``)."""
    ext = url.rsplit(".", 1)[-1].lower()
    return not re.fullmatch(r"\w+", ext) or ext in ("jpg", "jpeg", "gif", "png")


def _hex_references(data: bytes, plain: re.Pattern[bytes]) -> bytes:
    """``<``, ``&`` and ``>`` in plain-text elements as hexadecimal character references.

    The RSS Best Practices Profile's advice, and what the W3C validator
    checks: plain text whose characters read like markup (``<b``, ``</``,
    ``&#1``) draws its CharacterData warning unless the element's lines
    hold a ``&#x`` reference (``validator/rules/rss_text.py`` holds our own
    check of the same).  The same characters, written another way: every
    XML reader reads the same text.
    """
    if b"&" not in data:
        return data
    return plain.sub(
        lambda m: m[1] + _HEX.sub(lambda r: _HEX_OF[r[1]], m[3]) + m[4], data
    )


def fragment(entry: Entry) -> bytes:
    """The ``<item>`` of one entry, indented for its place in ``<channel>``.

    Built with lxml directly (render/fast.py): the bytes of
    ``reference_fragment``, the same elements in feedgen's order (title,
    link, description, content:encoded, author, guid, categories, pubDate,
    then the extensions as registered: dc:creator, dc:format,
    dcterms:extent), ~2x faster.
    """
    published = fast.rfc822(fast.aware(entry.published))  # refused first, as by feedgen
    item = copy.copy(_ITEM)
    add = fast.children(item, 2)
    if entry.title:
        add("title", entry.title)
    if entry.url:
        add("link", entry.url)
    # RSS <description> is HTML: a plain-text summary is escaped into HTML first.
    description = html.escape(entry.summary, quote=False) if entry.summary else None
    content = empty = None  # the content's bytes go into this element, written empty
    if description and entry.content:
        add("description", description)
        add(_CONTENT_ENCODED, None)
        content, empty = fast.escaped(entry.content), b"<content:encoded/>"
    elif description:
        add("description", description)
    elif entry.content:
        add("description", None)
        content, empty = fast.escaped(entry.content), b"<description/>"
    elif not entry.title:
        raise ValueError("Required fields not set")  # feedgen's refusal, word for word
    only = entry.authors[0] if len(entry.authors) == 1 else None
    creators: tuple[Author, ...] = ()
    if only is not None and only.email:
        add("author", f"{only.email} ({only.name})" if only.name else only.email)
    else:
        creators = entry.authors
    guid, permalink = entry.rss_guid
    if guid:
        add("guid", guid).set("isPermaLink", "true" if permalink else "false")
    for tag in entry.tags:
        add("category", tag)
    add("pubDate", published)
    for author in creators:
        add(_DC_CREATOR, author.name)
    fast.reading(add, entry)
    fast.close(item, 2)
    data = fast.bare(etree.tostring(item, encoding="utf-8"), _ITEM_DECLARED, "item")
    if content is not None and empty is not None:
        data = fast.fill(data, empty, content)
    if _marked(entry.title) or any(map(_marked, entry.tags)):
        data = _hex_references(data, _ITEM_PLAIN)
    return b"    " + data + b"\n"


_CONTENT_ENCODED = f"{{{NSMAP['content']}}}encoded"
_DC_CREATOR = f"{{{DC_NS}}}creator"
_ITEM, _ITEM_DECLARED = fast.template("item", NSMAP)


def _marked(text: str) -> bool:
    """Whether plain text holds what lxml writes as ``&lt;`` or ``&amp;``:
    only then may ``_hex_references`` change its element."""
    return "&" in text or "<" in text


def reference_fragment(entry: Entry) -> bytes:
    """The ``<item>`` of one entry as feedgen renders it: the reference that
    ``fragment``'s bytes are held to (tests/render/test_fastpath.py)."""
    fe = FeedEntry()
    fe.title(entry.title)
    fe.link(href=entry.url)
    fe.guid(*entry.rss_guid)
    fe.pubDate(entry.published)
    if entry.summary:
        # RSS <description> is HTML (readers render it, W3C checks it as such),
        # so a plain-text summary is escaped into HTML before XML escapes it again.
        fe.description(html.escape(entry.summary, quote=False))
    if entry.content:
        fe.content(entry.content, type="html")
    only = entry.authors[0] if len(entry.authors) == 1 else None
    if only is not None and only.email:
        fe.author({"name": only.name, "email": only.email})
    elif entry.authors:
        # What load_extension("dc") registers, without its failed import of
        # feedgen.ext.dc_entry on every call (a search of sys.path each time).
        fe.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        for author in entry.authors:
            fe.dc.dc_creator(author.name, replace=False)
    for tag in entry.tags:
        fe.category(term=tag)
    fe.register_extension("reading", ReadingStats, atom=False, rss=True)
    fe.reading.set(entry.reading_time, entry.word_count)
    return _hex_references(element_bytes(fe.rss_entry(), level=2, declared=NSMAP), _ITEM_PLAIN)


def _hub_links(fg: FeedGenerator, hubs: tuple[str, ...]) -> None:
    """WebSub discovery: an ``<atom:link rel="hub">`` per hub, right after the
    self link (WebSub 4: a topic names its hubs and its self URL, which the
    hub is told of; README, "WebSub").  feedgen writes only the self link of
    RSS's atom links, so a feedgen extension adds these to the channel."""
    if not hubs:
        return
    atom_link = f"{{{NSMAP['atom']}}}link"

    class Hubs(BaseExtension):  # type: ignore[misc]
        def extend_rss(self, rss: etree._Element) -> etree._Element:
            self_link = next(li for li in rss.iter(atom_link) if li.get("rel") == "self")
            for hub in reversed(hubs):
                self_link.addnext(etree.Element(atom_link, href=hub, rel="hub"))
            return rss

    fg.register_extension("websub", Hubs, atom=False, rss=True)


def head(feed: Feed, output: Output) -> tuple[bytes, bytes]:
    """The document around the items: everything before them and after them."""
    fg = FeedGenerator()
    fg.register_extension("declare", namespaces_only(NSMAP), atom=False, rss=True)
    fg.title(feed.title)
    fg.description(feed.description)
    fg.link(href=output.url, rel="self", type=FORMATS[FORMAT].media_type)
    _hub_links(fg, feed.hubs)
    fg.link(href=feed.home_url, rel="alternate")  # last link: RSS <link>
    fg.language(feed.language)
    if feed.copyright:
        fg.copyright(feed.copyright)
    image = next((url for url in (feed.logo, feed.icon) if url and _rss_image_url_ok(url)), None)
    if image:
        # title and link the channel's own: W3C warns otherwise (ImageTitleDoesntMatch,
        # ImageLinkDoesntMatch; ours: rss-image-title-mismatch, rss-image-link-mismatch)
        fg.image(url=image, title=feed.title, link=feed.home_url)
    fg.generator("feedwright")
    add_history(fg, feed.history, FORMAT)  # RFC 5005 archive links, when archived
    # The newest change, an edit included: what Atom's feed <updated> says too
    fg.lastBuildDate(max(e.last_modified for e in feed.entries))
    document: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    document = with_stylesheet(document, output)  # the browser view, when there is one
    return split_head(_hex_references(document, _CHANNEL_PLAIN), b"</channel>")

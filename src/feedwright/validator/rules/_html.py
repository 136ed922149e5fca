"""HTML tag scans for rule modules: known and risky tag names, start tags with attributes.

HTML is scanned with regular expressions, not parsed: it is fast and enough
to find tags and attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator
from functools import lru_cache

HTML_TAGS = frozenset(
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo big "
    "blockquote body br button canvas caption center cite code col colgroup data datalist dd "
    "del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd "
    "label legend li link main map mark menu meta meter nav noframes noscript object ol "
    "optgroup option output p param picture pre progress q rp rt ruby s samp script section "
    "select small source span strike strong style sub summary sup table tbody td template "
    "textarea tfoot th thead time title tr track tt u ul var video wbr xmp plaintext "
    "listing".split()
)
#: Elements a reader must strip before showing the content (W3C's SecurityRisk list).
RISKY_TAGS = frozenset(
    "script iframe frame frameset object embed applet base basefont link meta style param "
    "html head body title noframes isindex xmp plaintext listing".split()
)
_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9:\-]*)"
    r"((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>"
)
_ATTR = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


# _TAG, tried only where a start tag can have attributes (whitespace after its
# name) or has a risky name.  Where it is tried it matches exactly as _TAG, and
# the tags it skips hold no '<', so it finds the same tags as _TAG, less bare ones.
_NOTABLE_TAG = re.compile(
    r"<(?=[a-zA-Z][a-zA-Z0-9:\-]*\s|(?i:" + "|".join(sorted(RISKY_TAGS)) + r")(?![a-zA-Z0-9:\-]))"
    + _TAG.pattern[1:]
)


def _attrs(attr_text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for a in _ATTR.finditer(attr_text):
        value = a.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs[a.group(1).lower()] = value
    return attrs


def html_tags(html: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(lower-case tag name, attributes) for each start tag in an HTML string."""
    if "<" not in html:
        return
    for m in _TAG.finditer(html):
        name, attr_text = m.group(1, 2)
        yield name.lower(), _attrs(attr_text) if attr_text else {}


#: What ``notable_html_tags`` calls a ``<title>`` inside inline SVG: the
#: drawing's accessible name, not the document title readers strip.
SVG_TITLE = "svg:title"
_SVG_START = re.compile(r"<svg", re.I)
_FOREIGN_EDGE = re.compile(r"<(/?)(?i:svg|math)(?=[\s/>])([^>]*)")


def _foreign_spans(html: str) -> list[tuple[int, int]]:
    """Where inline SVG and MathML lie in ``html``: (start, end) offsets, an
    unclosed one running to the end."""
    spans: list[tuple[int, int]] = []
    depth = start = 0
    for m in _FOREIGN_EDGE.finditer(html):
        if m.group(1):
            if depth:
                depth -= 1
                if not depth:
                    spans.append((start, m.start()))
        elif not m.group(2).endswith("/"):
            if not depth:
                start = m.start()
            depth += 1
    if depth:
        spans.append((start, len(html)))
    return spans


def notable_html_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """The ``html_tags`` that have attributes or a name in RISKY_TAGS, in order
    (a ``<title>`` inside SVG is named SVG_TITLE, and is not risky)."""
    if "<" not in html:
        return []
    spans = _foreign_spans(html) if _SVG_START.search(html) else []
    found = []
    for m in _NOTABLE_TAG.finditer(html):
        name, attr_text = m.group(1, 2)
        tag, attrs = name.lower(), _attrs(attr_text) if attr_text else {}
        if tag == "title" and any(a < m.start() < b for a, b in spans):
            tag = SVG_TITLE
        if attrs or tag in RISKY_TAGS:
            found.append((tag, attrs))
    return found


_SRCSET_URL = re.compile(r"[\s,]*(\S*)")
_SRCSET_DESCRIPTORS = re.compile(r"[^,(]*(?:\([^)]*\)?[^,(]*)*")


def srcset_urls(value: str) -> list[str]:
    """The URL of each candidate in a ``srcset`` value (``a.jpg 1x, b.jpg 2x``).

    As HTML reads it: a URL is a run of non-space characters, trailing commas
    not its own; descriptors run to the next comma.
    """
    urls: list[str] = []
    pos, end = 0, len(value)
    while pos < end:
        m = _SRCSET_URL.match(value, pos)
        assert m is not None  # it matches the empty string
        url, pos = m.group(1), m.end()
        if not url:
            break
        core = url.rstrip(",")
        if core:
            urls.append(core)
        if core == url:  # descriptors, to the next comma outside parentheses
            d = _SRCSET_DESCRIPTORS.match(value, pos)
            pos = d.end() if d else end
    return urls


# --- plain HTML: what no HTML rule can fault, recognised at C speed ----------

#: Phrasing elements taken as bare pairs: they close nothing and nest
#: anywhere, so such a pair around text is never an HTML error.
INLINE = frozenset("abbr b big cite code dfn em i kbd mark q s samp small span strong sub sup "
                   "tt u var".split())
#: The text between two tags (no '<' in it, a '>' allowed), taken out of
#: HTML to leave its tags: where any '<' starts no tag, two '<' come
#: together in what is left, which no tag of the grammar below holds.
_BETWEEN_TAGS = re.compile(r">[^<]*+<")
#: The character references plain HTML may hold: common entities, with their
#: ';', and numeric ones only where the character is allowed (32-126 and
#: 160-49999).
_SAFE_REF = re.compile(
    r"&(?:amp|lt|gt|quot|apos|nbsp|mdash|ndash|hellip|lsquo|rsquo|ldquo|rdquo|laquo|raquo"
    r"|copy|reg|trade|middot|bull|times|deg|eacute"
    r"|#(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-6]|1[6-9][0-9]|[2-9][0-9]{2}|[1-9][0-9]{3}"
    r"|[1-4][0-9]{4}));"
)


#: The inline pairs most texts hold, tried first.
_COMMON_INLINE = ("em", "strong", "code", "b", "i")


def _pairs(names: Iterable[str], content: str) -> str:
    """``<x>content</x>`` for each x in ``names``, spelled out (CPython 3.11
    mis-tracks a backreference's group inside a possessive repeat), the
    common ones first (each tag is tried against them in turn; the names
    exclude each other, so their order changes no verdict)."""
    ordered = sorted(names, key=lambda n: (n not in _COMMON_INLINE,
                                           _COMMON_INLINE.index(n) if n in _COMMON_INLINE
                                           else 0, n))
    return "<(?:" + "|".join(rf"{n}>{content}</{n}>" for n in ordered) + ")"


#: A bare inline pair in the tags (``<em></em>``), each made one ``_PAIR``
#: character before the grammar below reads them: spelled out in every place
#: the grammar allows one, the pairs made a pattern whose compiling cost every
#: run 7 ms, a twentieth of validating two 1.8 MB feeds.  No tag holds the
#: character where the grammar could take it for a pair: each of its atoms
#: ends a tag, and a tag starts with '<'.  ``<code></code>`` stays as it is:
#: it is also the one thing ``<pre>`` may hold.
_INLINE_PAIR = re.compile(_pairs(INLINE - {"code"}, ""))
_PAIR = "\x00"
_PAIRED = f"(?:{_PAIR}|<code></code>)"

# The grammar of plain HTML's tags, the text between them taken out: absolute
# links and images, bare inline pairs and line breaks inside paragraphs,
# headings, list items and quotes; preformatted code; rules.  Possessive
# repeats: a failing match gives up at once instead of backtracking.
_ABS = r'https?://[^"\s<>&]*+'
_LINK = rf'<a href="{_ABS}">{_PAIRED}*+</a>'
_IMAGE = (rf'<img src="{_ABS}"(?: alt="[^"<>&]*+")?(?: width="[0-9]++")?'
          r'(?: height="[0-9]++")?\s*+/?>')
_PHRASING = rf"(?:{_PAIRED}|{_LINK}|{_IMAGE}|<br\s*+/?>)"
_FLOW = rf"(?:<p>{_PHRASING}*+</p>|{_PHRASING})"  # paragraphs first: most tags are theirs
# Headings and lists are taken with any level or kind at each end here
# (``<h2>…</h4>``), and ``_BLOCK_ENDS`` then pairs them up: spelling out
# each of the six headings and two lists with its phrasing content made a
# pattern twice the length, and compiling it cost every run 14 ms.
_PLAIN_TAGS = re.compile(
    rf"(?:{_FLOW}"
    rf"|<h[1-6]>{_PHRASING}*+</h[1-6]>"
    rf"|<blockquote>{_FLOW}*+</blockquote>"
    rf"|<[ou]l>(?:<li>{_PHRASING}*+</li>)*+</[ou]l>"
    r"|<pre>(?:<code></code>)?</pre>"
    r"|<hr\s*+/?>"
    r")*+"
)
#: The start and end tags of headings and lists.  In tags that _PLAIN_TAGS
#: matched they alternate, start then end (neither nests, and no other tag
#: holds a '<'), so each start tag's end is the next one found.
_BLOCK_ENDS = re.compile(r"</?(?:h[1-6]|[ou]l)>")


def _blocks_paired(tags: str) -> bool:
    """Whether each heading and list in ``tags`` (matched by _PLAIN_TAGS) ends as it began."""
    found = _BLOCK_ENDS.findall(tags)
    return len(found) % 2 == 0 and all(
        start[1:] == end[2:] for start, end in zip(found[::2], found[1::2], strict=True))


#: Texts up to this long have their verdict remembered (see is_plain_html).
_REMEMBERED_UP_TO = 32_768


def is_plain_html(html: str) -> bool:
    """True for HTML made only of paragraphs, headings, lists, quotes and code
    blocks around text, bare inline pairs, absolute links and images.

    Such HTML is well formed, every link in it is absolute, and it holds
    nothing a reader strips: the not-html, relative-link and security rules
    have nothing to say, and need not scan it tag by tag.  It is the common
    case, told in a few C-level passes: every '<' starts a simple tag, the
    tags alone follow the grammar above, and every '&' starts a known
    character reference.  Anything else is left to the full scans.

    Told once per text: the build checks each entry's HTML in its RSS item,
    then in its Atom entry, and hashing a text to look it up costs a small
    fraction of telling it again (benchmarks/README.md, "Figures the code
    relies on").
    Only the last few hundred texts of at most 32 kB are remembered, so a
    program that validates large feeds does not keep them alive.
    """
    if "<" not in html and "&" not in html:
        return True  # text alone (a summary): no tag, no reference, nothing to remember
    if len(html) > _REMEMBERED_UP_TO:
        return _plain_html(html)
    return _remembered(html)


def _plain_html(html: str) -> bool:
    """``is_plain_html``'s verdict, told in one pass once a process has read
    enough HTML to pay for the one-pass grammar (``_ONE_PASS_AFTER``)."""
    if _one_pass is None and not _enough_read(len(html)):
        return _plain_html_by_tags(html)
    return _plain_html_in_one_pass(html)


def _plain_html_by_tags(html: str) -> bool:
    """The verdict from the tags alone: the text between them cut out, the
    bare inline pairs made one character each, then the grammar (cheap to
    compile, about twice as slow per text as the one-pass grammar)."""
    first = html.find("<")
    if first >= 0:
        # The tags alone, from the first '<' to the '>' that ends the last
        # tag, the text between them cut out in one substitution (a third
        # cheaper than finding each tag and joining them).
        last = html.find(">", html.rfind("<"))
        if last < 0:
            return False  # the last '<' starts no tag
        tags = _BETWEEN_TAGS.sub("><", html[first : last + 1])
        if _PLAIN_TAGS.fullmatch(_INLINE_PAIR.sub(_PAIR, tags)) is None:
            return False
        if ("</h" in tags or "l>" in tags) and not _blocks_paired(tags):
            return False
    return _refs_safe(html)


def _refs_safe(html: str) -> bool:
    if "&" not in html:
        return True
    return len(_SAFE_REF.findall(html)) == html.count("&")


# --- the same grammar in one pass ---------------------------------------------
#
# Cutting the text out and making the pairs one character each costs a match
# object per tag: ~80 tags in 6.4 kB of HTML took 24 µs a text, most of it
# that bookkeeping.  The same grammar with the text between tags written into
# it (``_TEXT`` after every tag, and at the start) is told by one fullmatch
# of the whole HTML in under half the time.  Its inline pairs are spelled
# out in every place the grammar allows one, with their text, and each
# heading and list kind with its own end tag (no ``_blocks_paired`` pass
# over the text after: a tenth of the time), so it costs 11-14 ms to
# compile: it is compiled only once a process has read ``_ONE_PASS_AFTER``
# characters of HTML, which it then tells ~2 ns a character faster (a
# 10,000-entry feed, a build's gate).  Both give one verdict on every text
# (tests/validator/test_html_scan.py).
#
# Why the verdicts agree: in a text the tags-only grammar accepts, every '<'
# starts one of its tags and every '>' but the last of a tag ends one, so the
# text between two tags is exactly what _BETWEEN_TAGS cut out (no '<' in it,
# any '>'), written here as _TEXT after each tag; a bare pair's text is the
# _TEXT inside it; and as headings and lists nest in nothing, each start
# tag's end is the next heading or list tag (_blocks_paired): here, its own.

_TEXT = r"[^<]*+"
#: Characters of HTML a process reads before telling it in one pass.
_ONE_PASS_AFTER = 6_000_000
_one_pass: re.Pattern[str] | None = None
_read = 0


def _enough_read(size: int) -> bool:
    global _read
    _read += size
    return _read >= _ONE_PASS_AFTER


def _one_pass_grammar() -> re.Pattern[str]:
    """``_PLAIN_TAGS`` with the text between tags written in (see above)."""
    x = _TEXT
    ordered = sorted(INLINE, key=lambda n: (n not in _COMMON_INLINE,
                                            _COMMON_INLINE.index(n) if n in _COMMON_INLINE
                                            else 0, n))
    pair = "<(?:" + "|".join(rf"{n}>{x}</{n}" for n in ordered) + rf")>{x}"
    link = rf'<a href="{_ABS}">{x}(?:{pair})*+</a>{x}'
    image = (rf'<img src="{_ABS}"(?: alt="[^"<>&]*+")?(?: width="[0-9]++")?'
             rf'(?: height="[0-9]++")?\s*+/?>{x}')
    phrasing = rf"(?:{pair}|{link}|{image}|<br\s*+/?>{x})"
    flow = rf"(?:<p>{x}{phrasing}*+</p>{x}|{phrasing})"
    # each heading and list kind spelled out: no _blocks_paired pass after
    headings = "|".join(rf"<h{n}>{x}{phrasing}*+</h{n}>{x}" for n in range(1, 7))
    lists = "|".join(rf"<{kind}>{x}(?:<li>{x}{phrasing}*+</li>{x})*+</{kind}>{x}"
                     for kind in ("ul", "ol"))
    return re.compile(
        rf"{x}(?:{flow}"
        rf"|{headings}"
        rf"|<blockquote>{x}{flow}*+</blockquote>{x}"
        rf"|{lists}"
        rf"|<pre>{x}(?:<code>{x}</code>{x})?</pre>{x}"
        rf"|<hr\s*+/?>{x}"
        r")*+"
    )


def _plain_html_in_one_pass(html: str) -> bool:
    """``_plain_html_by_tags``'s verdict, told by one fullmatch of the whole HTML."""
    global _one_pass
    if _one_pass is None:
        _one_pass = _one_pass_grammar()
    if _one_pass.fullmatch(html) is None:
        return False
    return _refs_safe(html)


#: A build checks 100 entries' RSS items (content and description), then
#: their Atom entries: 256 verdicts cover a batch, at most 8 MB of text.
_remembered = lru_cache(maxsize=256)(_plain_html)

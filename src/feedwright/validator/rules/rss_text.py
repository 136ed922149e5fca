"""How RSS 2.0 writes plain text that reads like markup (the RSS Best Practices Profile).

RSS never said whether titles may hold HTML, so readers differ on how they
read a ``<`` in one; the W3C validator warns (CharacterData) on plain text
that holds ``<`` before a letter or ``/``, or ``&#`` before a digit or
``x``, unless the element's lines hold a ``&#x`` hexadecimal character
reference: the Profile's advice is to write ``&`` and ``<`` as ``&#x26;``
and ``&#x3C;`` there, and a reader that sees them knows the text is text.
W3C's check is reproduced here, in its order (``nonhtml.validate`` in its
``src/feedvalidator/validators.py``): HTML end tags are ``html-in-plain-text``'s
finding and ``&`` before a word is read as an entity first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._html import HTML_TAGS
from feedwright.validator.rules._xml import RSS2
from feedwright.validator.rules.text import sorted_fields

#: What W3C takes for markup in plain text.
_MARKUP_LIKE = re.compile(r"&#[x0-9]|<[/a-zA-Z]")
#: An HTML end tag (W3C: ContainsHTML, our html-in-plain-text), judged first.
_END_TAG = re.compile(r"</(\w+)>")
#: ``&`` before a word: W3C judges it as an entity instead.
_ENTITY_LIKE = re.compile(r"&(#?\w+)")


def _hex_lines(doc: Document) -> list[bool]:
    """For each line of the document, whether it holds a ``&#x`` reference."""
    def compute() -> list[bool]:
        encoding = doc.root.getroottree().docinfo.encoding or "utf-8"
        try:
            text = doc.data.decode(encoding, "replace")
        except LookupError:
            text = doc.data.decode("utf-8", "replace")
        return ["&#x" in line for line in text.split("\n")]

    found: list[bool] = doc.memo("rss_text.hex_lines", compute)
    return found


@rule("rss-text-not-hex-escaped", "warning",
      "plain text reads like markup and is not written with &#x references", formats=RSS2)
def rss_text_not_hex_escaped(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A title such as `Learn <basics>` or `Use <b> for bold` is plain text,
    but RSS never said whether titles may hold HTML: some readers show it
    as written, others drop `<basics>` as an unknown tag or render the rest
    of the title bold (W3C: CharacterData). Writing `<` as `&lt;` does not
    help: it is the same text once the XML is read.

    ## How to fix
    Write `<` and `&` in plain-text elements (titles, categories, the
    channel's description and copyright) as hexadecimal character
    references, `&#x3C;` and `&#x26;`, as the RSS Best Practices Profile
    advises; feedwright does so itself. If the title really holds HTML,
    remove the markup.
    """
    for f in sorted_fields(doc).marked:
        value = f.node.text or ""
        if "<" not in value and "&#" not in value:
            continue
        if any(t.lower() in HTML_TAGS for t in _END_TAG.findall(value)):
            continue
        if _ENTITY_LIKE.search(value) or not _MARKUP_LIKE.search(value):
            continue
        start, _ = doc.where(f.node)
        if start and not any(_hex_lines(doc)[start - 1 : start + value.count("\n")]):
            yield Finding(node=f.node, detail=repr(value[:80]))

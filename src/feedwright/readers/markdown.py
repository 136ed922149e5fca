"""Markdown files with front matter (``*.md``, ``*.markdown``): one entry per file.

The front matter (``readers/front_matter.py``) gives the entry's fields; the
body, rendered to HTML with markdown-it-py (CommonMark plus tables and
strikethrough, raw HTML passed through), is its content.  Front matter keys
are read without regard to case; keys feedwright does not read are ignored,
since site generators keep many of their own, but a key it reads with a
value of the wrong type is an error at that key's line.

Dates: a date, or a datetime with its UTC offset -- an RFC 3339 string, a
TOML date or offset datetime, or Jekyll's ``2026-03-31 10:00:00 +0200``.  A
datetime without offset (a TOML local datetime, ``2026-03-31T10:00:00``) is
an error asking for one, as in entries files (``dates.py``): which zone the
author meant is a guess, and a wrong guess moves the post by hours.

Hugo shortcodes and Liquid tags cannot be rendered without the generator, so
they are removed (``remove_templates``) and reported once per build through
``Notices``; nothing of their syntax reaches a feed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from feedwright.dates import parse_date_or_datetime
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.mapping import Fields
from feedwright.mapping import parse_author
from feedwright.model import Author
from feedwright.readers.front_matter import split_front_matter
from feedwright.readers.notices import Notices
from feedwright.readers.raw import RawEntry
from feedwright.readers.raw import read_text

#: The front matter keys read (lower case); every other key is ignored.
KEYS = (
    "title", "date", "publishdate", "pubdate", "published", "lastmod", "modified", "updated",
    "draft", "slug", "url", "tags", "categories", "summary", "description", "author", "authors",
    "id", "guid", "reading_time", "word_count",
)
_KNOWN = frozenset(KEYS)

#: Where the publication date is read from, first given first: Hugo's own order
#: for ``publishDate`` (its aliases ``pubDate`` and ``published``), then ``date``.
PUBLISHED_KEYS = ("publishdate", "pubdate", "published", "date")
#: Where the last change is read from, first given first (Hugo's ``lastmod`` and alias).
UPDATED_KEYS = ("lastmod", "modified", "updated")

#: Hugo's reading speed: ``reading_time`` is words / 213, rounded up.
WORDS_PER_MINUTE = 213

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

#: Hugo's summary divider (Hugo writes it without spaces; spaces are forgiven).
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)

#: Jekyll's datetime shape, a space before the offset: ``2026-03-31 10:00:00 +0200``.
_SPACED_OFFSET = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) ([+-]\d{2}:?\d{2}|[Zz])$"
)

HUGO = "removed Hugo shortcodes, which feedwright cannot render (a paired one keeps its inner text)"
LIQUID = "removed Liquid tags, which feedwright cannot render (a block keeps its inner text)"

#: Inside a tag: anything but a blank line, so a stray ``{{`` never swallows paragraphs.
_IN = r"(?:(?!\n[ \t]*\n).)*?"

#: Template syntax in a body, leftmost first; the escapes and Liquid's ``raw`` and
#: ``comment`` blocks come before the general forms they would otherwise match.
_TEMPLATE = re.compile(
    rf"""
      \{{\{{(?P<esc_open>[<%])/\*(?P<escaped>.*?)\*/(?P<esc_close>[>%])\}}\}}
    | \{{\{{(?P<hugo>(?P<angle><)|%)\s*(?P<hugo_end>/)?\s*(?P<hugo_name>[^\s>%/]*){_IN}
      (?(angle)>|%)\}}\}}
    | \{{%-?\s*raw\s*-?%\}}(?P<raw>.*?)\{{%-?\s*endraw\s*-?%\}}
    | \{{%-?\s*comment\s*-?%\}}.*?\{{%-?\s*endcomment\s*-?%\}}
    | \{{%-?\s*(?P<tag>[^\s%-]*){_IN}%\}}
    | \{{\{{(?P<output>{_IN})\}}\}}
    """,
    re.DOTALL | re.VERBOSE,
)


def remove_templates(body: str, file: str, notices: Notices | None) -> str:
    """The body without Hugo shortcodes and Liquid tags, each met told to ``notices``.

    A paired shortcode or block tag (``{{% note %}}…{{% /note %}}``,
    ``{% if %}…{% endif %}``) loses its two tags and keeps its inner text:
    that text is the author's own words, which a reader of the feed should
    still get, where dropping it could silently cut out most of a post.
    What the generators themselves print as written stays as written: Hugo's
    escapes (``{{</* x */>}}`` prints ``{{< x >}}``) and Liquid's
    ``{% raw %}`` blocks; ``{% comment %}`` blocks print nothing.  Both
    generators read template syntax inside code blocks too, and so does this.
    A tag never spans a blank line, so a stray ``{{`` cannot swallow the
    paragraphs up to some later ``}}``.  Closing tags are not counted in the
    notice.
    """

    def replace(match: re.Match[str]) -> str:
        if match["esc_open"]:
            return "{{" + match["esc_open"] + match["escaped"] + match["esc_close"] + "}}"
        if match["raw"] is not None:
            return match["raw"]
        if notices is not None:
            if match["hugo"]:
                if not match["hugo_end"]:
                    close = ">" if match["angle"] else "%"
                    notices.add(HUGO, f"{{{{{match['hugo']} {match['hugo_name']} {close}}}}}",
                                file)
            elif match["tag"] is not None:
                name = match["tag"]
                if name and not name.startswith("end"):
                    notices.add(LIQUID, f"{{% {name} %}}", file)
            elif match["output"] is not None:
                words = match["output"].strip(" -").split("|")[0].split()
                notices.add(LIQUID, f"{{{{ {words[0] if words else ''} }}}}", file)
        return ""

    _refuse_unclosed(_TEMPLATE.sub("", body), file)
    return _TEMPLATE.sub(replace, body)


#: What opens a Hugo shortcode or a Liquid tag; one left after the whole tags
#: are removed was never closed, and would reach the feed as raw text.
_OPENING = re.compile(r"\{\{[<%]|\{%")


def _refuse_unclosed(rest: str, file: str) -> None:
    found = _OPENING.search(rest)
    if found is None:
        return
    snippet = rest[found.start() : found.start() + 40].split("\n")[0]
    line = 0
    try:  # the error path only: find the line in the file as written
        text = Path(file).read_text(encoding="utf-8")
        line = text[: max(text.find(snippet), 0)].count("\n") + 1
    except OSError:
        pass
    close = {"{{<": ">}}", "{{%": "%}}", "{%": "%}"}[found.group()]
    raise InputError(
        f"a template tag that is never closed: {quoted(snippet)}; close it with {close} (or remove "
        "it): feedwright cannot render templates, and will not publish one as raw text",
        f"{file}:{line}" if line else file)


def plain_text(html: str) -> str:
    """The text a reader sees in an HTML fragment: tags stripped, entities read,
    whitespace collapsed (comments, scripts and styles say nothing)."""
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    etree.strip_elements(root, etree.Comment, "script", "style", with_tail=False)
    return " ".join(root.text_content().split())


def _first_paragraph(html: str) -> str:
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    paragraph = next(root.iter("p"), None)
    if paragraph is None:
        return ""
    return plain_text(lxml_html.tostring(paragraph, encoding="unicode", with_tail=False))


def _when(fields: Fields, key: str) -> date | datetime:
    """A date or an aware datetime; see the module's docstring for what is accepted."""
    value = fields.get(key)
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            local = value.isoformat()
            raise fields.fail(key, f"{local} has no UTC offset; add one, e.g. {local}Z or "
                              f"{local}+02:00")
        return value
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise fields.fail(
            key, f"expected a date (YYYY-MM-DD) or RFC 3339 datetime, got {quoted(value)}")
    spaced = _SPACED_OFFSET.match(value.strip())
    try:
        return parse_date_or_datetime(spaced[1] + spaced[2] if spaced else value)
    except ValueError as exc:
        raise fields.fail(key, str(exc)) from None


def _first_key(fields: Fields, keys: tuple[str, ...]) -> str | None:
    return next((key for key in keys if fields.get(key) is not None), None)


def _names(fields: Fields, key: str) -> list[str]:
    """A list of names, or one name written as a string (not a comma-separated list)."""
    value = fields.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        if "," in value:
            raise fields.fail(key, f"{quoted(value)} is one string; write a list, e.g. "
                              f"{key}: [{', '.join(v.strip() for v in value.split(','))}]")
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fields.fail(key, f"expected a list of names, got {quoted(value)}")
    return [v.strip() for v in value]


def front_authors(fields: Fields) -> tuple[Author, ...]:
    if fields.get("author") is not None and fields.get("authors") is not None:
        raise fields.fail("authors", "give either author or authors, not both")
    key = "authors" if fields.get("authors") is not None else "author"
    value = fields.get(key)
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    return tuple(parse_author(fields, key, v) for v in values)


def _slug(fields: Fields, path: Path) -> str:
    """Front matter ``slug``, else the file's name; a page bundle's ``index.md``
    is named by its folder."""
    slug = fields.text("slug")
    if slug is not None:
        return slug
    return path.parent.name if path.stem == "index" and path.parent.name else path.stem


def read_markdown(path: Path, notices: Notices | None = None) -> list[RawEntry]:
    """The entry a Markdown file holds.

    Summary: front matter ``summary`` (or ``description``), else the text
    before ``<!--more-->``, else the first paragraph; always plain text.
    ``word_count`` and ``reading_time`` are counted from the rendered text
    unless the front matter gives them.

    Args:
        path: The file.
        notices: Told of every shortcode and Liquid tag removed.

    Raises:
        InputError: Front matter that cannot be read, a missing title or date,
            or a key with a wrong value; at ``file:line``.
    """
    file = str(path)
    front = split_front_matter(read_text(path), file, _KNOWN)
    where = f"{file}:{front.line}"
    fields = Fields(front.data, _KNOWN, where=where, what="the front matter", file=file)
    title = fields.text("title")
    if title is None:
        raise InputError("title is required: add 'title: …' to the front matter (feedwright "
                         "does not guess one from the file name or a heading)", where)
    if not title.strip():
        raise fields.fail("title", "must not be empty")
    published_key = _first_key(fields, PUBLISHED_KEYS)
    if published_key is None:
        raise InputError("date is required: add 'date: YYYY-MM-DD' (or an RFC 3339 datetime) "
                         "to the front matter", where)
    published = _when(fields, published_key)
    updated_key = _first_key(fields, UPDATED_KEYS)
    updated = None
    if updated_key is not None:
        when = _when(fields, updated_key)
        if not isinstance(when, datetime):
            raise fields.fail(updated_key, f"{when.isoformat()} is a date; a change needs a "
                              f"time too, e.g. {when.isoformat()}T10:00:00Z")
        updated = when
    body = render_body(fields, front.body, file, notices)
    return [
        RawEntry(
            title=title,
            published=published,
            source=where,
            summary=body.summary,
            updated=updated,
            slug=_slug(fields, path),
            url=fields.text("url"),
            id=fields.text("id"),
            guid=fields.text("guid"),
            content=body.content,
            tags=front_tags(fields),
            authors=front_authors(fields),
            reading_time=body.reading_time,
            word_count=body.word_count,
            draft=fields.flag("draft"),
        )
    ]


@dataclass(frozen=True)
class Body:
    """A post's body as a feed carries it (shared with the site readers, e.g. ``hugo.py``)."""

    #: The rendered HTML without the ``<!--more-->`` divider; None when empty.
    content: str | None
    #: Plain text.
    summary: str
    word_count: int | None
    reading_time: int | None


def render_body(fields: Fields, body: str, file: str, notices: Notices | None) -> Body:
    """The body rendered, its summary and counts; see ``read_markdown`` for the rules.

    ``fields`` must know ``summary``, ``description``, ``word_count`` and
    ``reading_time``: the front matter may give each.
    """
    rendered = _MARKDOWN.render(remove_templates(body, file, notices))
    before, more, after = _split_more(rendered)
    content = before + after
    summary_text = fields.text("summary") or fields.text("description")
    if summary_text is not None:
        summary = plain_text(_MARKDOWN.renderInline(summary_text))
    elif more:
        summary = plain_text(before)
    else:
        summary = _first_paragraph(rendered)
    words = fields.count("word_count")
    if words is None and content.strip():
        words = len(plain_text(content).split())
    reading_time = fields.count("reading_time")
    if reading_time is None and words is not None:
        reading_time = math.ceil(words / WORDS_PER_MINUTE)
    return Body(content if content.strip() else None, summary, words, reading_time)


def front_tags(fields: Fields) -> tuple[str, ...]:
    """``tags`` then ``categories``, each name once."""
    return tuple(dict.fromkeys(_names(fields, "tags") + _names(fields, "categories")))


def _split_more(html: str) -> tuple[str, str, str]:
    """``(before, divider, after)`` at the first ``<!--more-->``; ``(html, "", "")`` without."""
    match = _MORE.search(html)
    if match is None:
        return html, "", ""
    return html[: match.start()], match[0], html[match.end() :]

"""What a person sees who opens a feed in a browser: the stylesheet every XML
feed names, the stylesheet itself, and ``index.html``, a page listing every feed.

Browsers show a feed's raw XML, and Chrome turns XSLT off by default
(other engines are removing it too), so the default view is CSS: the
``<?xml-stylesheet type="text/css"?>`` instruction styles the feed's own
elements into a readable page, and CSS ``::before`` text says what a feed is
and how to subscribe.  It works with XSLT off, needs no script, and feed
readers ignore the instruction.  XSLT (``browser_view: xslt``) is written
only on request: a richer page where XSLT still runs, the raw XML where it
does not.

The stylesheet's file and ``index.html`` depend on the site and the feed
set only (never on entries' contents), so they change rarely.
"""

from __future__ import annotations

from html import escape

from feedwright.formats import FORMATS
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.model import Output

#: The page listing every feed, at the top of the output folder.
INDEX_PAGE = "index.html"

#: What each format is called on the index page and in the OPML list.
FORMAT_LABELS = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def stylesheet_instruction(output: Output) -> bytes:
    """The ``<?xml-stylesheet?>`` line ``output``'s document carries, or nothing.

    Its bytes depend on ``output.stylesheet`` alone, which is part of the
    output and so of the head's cache key (render/keys.py).
    """
    href = output.stylesheet
    if href is None:
        return b""
    kind = "text/xsl" if href.endswith(".xsl") else "text/css"
    return f'<?xml-stylesheet type="{kind}" href="{escape(href)}"?>\n'.encode()


def with_stylesheet(document: bytes, output: Output) -> bytes:
    """``document`` with its stylesheet instruction after the XML declaration
    (before the root, where browsers look for it)."""
    instruction = stylesheet_instruction(output)
    if not instruction:
        return document
    if document.startswith(b"<?xml "):
        end = document.index(b"?>") + 2
        newline = 1 if document[end : end + 1] == b"\n" else 0
        return document[: end + newline] + instruction + document[end + newline :]
    return instruction + document


#: The CSS view of RSS 2.0 and Atom 1.0 feeds.  An RSS item's description
#: is HTML, which CSS can only show as escaped text (``&amp;``, tags), so
#: RSS items show title, link, tags and date; Atom's text summary is shown.
#: CSS 2.1 and CSS 3 only, no
#: vendor prefixes or hacks (it passes W3C's CSS validator without a
#: warning: every colour comes with its background).  Element selectors
#: without a namespace match Atom's and the extensions' elements too.
FEED_CSS = """\
/* The browser view of this site's feeds (written by feedwright).
   Feed readers ignore it; a person who opens a feed in a browser gets a
   readable page instead of raw XML. */

rss, feed {
  display: block;
  max-width: 46em;
  margin: 0 auto;
  padding: 1em 1.25em 3em;
  font-family: Georgia, "Times New Roman", serif;
  font-size: 100%;
  line-height: 1.5;
  color: #1f2328;
  background-color: #ffffff;
}

rss::before, feed::before {
  display: block;
  margin: 0 0 1.5em;
  padding: 0.75em 1em;
  border: 1px solid #c8d1dc;
  font-family: Arial, Helvetica, sans-serif;
  font-size: 0.95em;
  white-space: pre-line;
  color: #1f2328;
  background-color: #eef4fb;
}

rss::before {
  content: "This is a web feed (RSS), a page meant for feed readers.\\A"
           "To follow this site, copy the address of this page from the address bar "
           "and paste it into a feed reader (NetNewsWire, Feedly, Inoreader, Miniflux, "
           "Thunderbird\\2026). Below are the latest posts, as a reader shows them.";
}

feed::before {
  content: "This is a web feed (Atom), a page meant for feed readers.\\A"
           "To follow this site, copy the address of this page from the address bar "
           "and paste it into a feed reader (NetNewsWire, Feedly, Inoreader, Miniflux, "
           "Thunderbird\\2026). Below are the latest posts, as a reader shows them.";
}

channel {
  display: block;
}

channel > *, feed > *, item > *, entry > * {
  display: none;
}

channel > title, feed > title {
  display: block;
  margin: 0 0 0.25em;
  font-size: 2em;
  font-weight: bold;
  line-height: 1.2;
}

channel > description, feed > subtitle {
  display: block;
  margin: 0 0 1em;
  font-style: italic;
}

channel > link[rel="self"], feed > link[rel="self"] {
  display: block;
  margin: 0 0 2em;
  font-family: "Courier New", Courier, monospace;
  font-size: 0.9em;
  overflow-wrap: break-word;
}

channel > link[rel="self"]::before, feed > link[rel="self"]::before {
  content: "Feed address: ";
  font-family: Arial, Helvetica, sans-serif;
}

channel > link[rel="self"]::after, feed > link[rel="self"]::after {
  content: attr(href);
}

item, entry {
  display: block;
  margin: 0 0 1.5em;
  padding: 1em 0 0;
  border-top: 1px solid #d0d7de;
}

item > title, entry > title {
  display: block;
  font-size: 1.3em;
  font-weight: bold;
  line-height: 1.3;
}

item > pubDate, entry > published {
  display: block;
  margin: 0.25em 0;
  font-family: Arial, Helvetica, sans-serif;
  font-size: 0.85em;
  color: #57606a;
  background-color: #ffffff;
}

item > pubDate::before, entry > published::before {
  content: "Published ";
}

entry > summary {
  display: block;
  margin: 0.5em 0;
}

item > link, entry > link {
  display: block;
  font-family: "Courier New", Courier, monospace;
  font-size: 0.85em;
  overflow-wrap: break-word;
  color: #0b57d0;
  background-color: #ffffff;
}

item > link::before, entry > link::before {
  content: "Read it at ";
  font-family: Arial, Helvetica, sans-serif;
  color: #57606a;
  background-color: #ffffff;
}

entry > link::after {
  content: attr(href);
}

item > category, entry > category {
  display: inline;
  margin: 0 0.75em 0 0;
  font-family: Arial, Helvetica, sans-serif;
  font-size: 0.8em;
  color: #57606a;
  background-color: #ffffff;
}

item > category::before, entry > category::before {
  content: "#";
}

entry > category::after {
  content: attr(term);
}
"""


def _feed_name(feed: Feed) -> str:
    return "All posts" if not feed.tag else f"Tagged “{feed.tag}”"


def _relative(output: Output) -> str:
    """The output's path as a link from ``index.html`` (a relative URL)."""
    return escape(output.path)


def index_page(feedset: FeedSet, opml: str | None) -> bytes:
    """``index.html``: every feed in every format, with autodiscovery links
    (``<link rel="alternate">``, absolute: readers take them as they are)
    and each feed's address in a read-only text field to copy, which needs
    no script; links to the feeds are relative, so the page works from disk.

    Args:
        feedset: Every feed the build writes.
        opml: The OPML list's file name (relative to the page), if one is written.
    """
    main = feedset.feeds[0]
    site = escape(main.title)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(main.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="feedwright">',
        f"<title>Feeds · {site}</title>",
    ]
    for feed in feedset.feeds:
        for output in feed.outputs:
            label = f"{feed.title} ({FORMAT_LABELS.get(output.format, output.format)})"
            lines.append(
                f'<link rel="alternate" type="{FORMATS[output.format].media_type}" '
                f'title="{escape(label)}" href="{escape(output.url)}">'
            )
    lines += [
        "<style>",
        INDEX_CSS.rstrip("\n"),
        "</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<h1>Feeds of <a href="{escape(main.home_url)}">{site}</a></h1>',
        "<p>A feed lists a site's new posts for a <strong>feed reader</strong> "
        "(NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird…). To follow this site, "
        "copy a feed's address below and add it to your reader. Each feed comes in "
        "several formats with the same posts: pick the one your reader prefers (any "
        "reader takes RSS).</p>",
    ]
    if opml:
        lines.append(f'<p>Every feed at once, as a subscription list to import: '
                     f'<a href="{escape(opml)}">{escape(opml)}</a> (OPML).</p>')
    number = 0
    for i, feed in enumerate(feedset.feeds):
        if i == 1:
            lines.append("<h2>Feeds by tag</h2>")
        heading = "h2" if not feed.tag else "h3"
        lines.append(f'<section>\n<{heading}>{escape(_feed_name(feed))}</{heading}>')
        lines.append(f"<p>{escape(feed.description)}</p>")
        lines.append("<ul>")
        for output in feed.outputs:
            number += 1
            label = FORMAT_LABELS.get(output.format, output.format)
            lines.append(
                f'<li><a href="{_relative(output)}">{escape(label)}</a> '
                f'<label for="url{number}">address</label> '
                f'<input id="url{number}" type="text" readonly size="60" '
                f'value="{escape(output.url)}"></li>'
            )
        lines.append("</ul>\n</section>")
    lines += ["</main>", "</body>", "</html>", ""]
    return "\n".join(lines).encode()


#: The index page's own style (inline: one file to publish).
INDEX_CSS = """\
body {
  margin: 0;
  padding: 1em;
  font-family: Arial, Helvetica, sans-serif;
  line-height: 1.5;
  color: #1f2328;
  background-color: #ffffff;
}
main {
  display: block;
  max-width: 50em;
  margin: 0 auto;
}
ul {
  padding: 0;
  list-style: none;
}
li {
  margin: 0 0 0.5em;
}
li a {
  display: inline-block;
  min-width: 6em;
  font-weight: bold;
}
label {
  font-size: 0.85em;
  color: #57606a;
  background-color: #ffffff;
}
input {
  max-width: 100%;
  font-family: "Courier New", Courier, monospace;
  font-size: 0.85em;
}
"""

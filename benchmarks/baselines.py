"""The two approaches feedwright is measured against, plus the readers' floors.

    python benchmarks/baselines.py feedgen   --config C --out DIR   # (b)
    python benchmarks/baselines.py lxml      --config C --out DIR   # (c)
    python benchmarks/baselines.py feedwright-nocap --config C       # (a†), see below
    python benchmarks/baselines.py parse-lxml FILE…                 # validation floor
    python benchmarks/baselines.py parse-feedparser FILE…           # what a reader pays

Both builders read the archive with feedwright's own reader and feed set
(``read_entries`` + ``build_feedset``), so tags, order and limits are exactly
feedwright's, and write the same files (same paths, same items, same order).
Neither validates anything.

(b) feedgen, the straightforward way: one FeedGenerator per feed and format,
    every entry added to it (``order='append'``: feedgen prepends by default),
    fixed dates (no ``now()``), written with ``rss_file`` / ``atom_file``.
(c) plain lxml, the floor: each entry's ``<item>`` and ``<entry>`` built with
    lxml.etree once, serialised once, and the bytes reused in every feed that
    holds it; heads by lxml too; no validation, plain ``open().write``.
(a†) ``feedwright build`` exactly as the CLI runs it, except that the build
    gate's 50 MiB per-document cap (validate.DEFAULT_MAX_BYTES) is lifted, for
    archives whose "all entries" main feed is larger than that (the CLI then
    refuses with ``xml-too-large``).  Used only when (a) is refused.
"""

from __future__ import annotations

import argparse
import functools
import html
import sys
import time
from email.utils import format_datetime
from pathlib import Path

from lxml import etree

from feedwright.config import load_config
from feedwright.feedset import build_feedset
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.readers import read_entries

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"


def load(config_path: str):  # type: ignore[no-untyped-def]
    config = load_config(config_path)
    return config, build_feedset(read_entries(config), config)


def _newest(feed: Feed):  # type: ignore[no-untyped-def]
    return max(e.published for e in feed.entries), max(e.last_modified for e in feed.entries)


# --------------------------------------------------------------------------- (b) feedgen

def build_feedgen(config_path: str, out: Path) -> int:
    from feedgen.ext.base import BaseExtension
    from feedgen.feed import FeedGenerator

    # the same feedgen extension feedwright uses for reading time / word count
    from feedwright.render.extension import ReadingStats

    class Declare(BaseExtension):  # type: ignore[misc]
        def extend_ns(self):  # type: ignore[no-untyped-def]
            return ReadingStats().extend_ns()

    config, feedset = load(config_path)
    files = 0
    for feed in feedset.feeds:
        newest_pub, newest_mod = _newest(feed)
        for output in feed.outputs:
            rss = output.format == "rss"
            fg = FeedGenerator()
            fg.register_extension("reading", Declare, ReadingStats, atom=not rss, rss=rss)
            if rss:
                fg.load_extension("dc", atom=False, rss=True)
            fg.title(feed.title)
            fg.description(feed.description) if rss else fg.subtitle(feed.description)
            if not rss:
                fg.id(output.url)
                fg.author({"name": feed.author.name})
                fg.updated(newest_mod)
            else:
                fg.lastBuildDate(newest_pub)
            fg.link(href=output.url, rel="self",
                    type="application/rss+xml" if rss else "application/atom+xml")
            fg.link(href=feed.home_url, rel="alternate", **({} if rss else {"type": "text/html"}))
            fg.language(feed.language)
            fg.generator("feedwright")
            for e in feed.entries:
                fe = fg.add_entry(order="append")
                fe.title(e.title)
                if rss:
                    fe.link(href=e.url)
                    fe.guid(e.url, permalink=True)
                    fe.pubDate(e.published)
                    fe.description(html.escape(e.summary, quote=False))
                    fe.content(e.content, type="html")
                    for a in e.authors:
                        fe.dc.dc_creator(a.name, replace=False)
                else:
                    fe.id(e.id)
                    fe.updated(e.last_modified)
                    fe.published(e.published)
                    fe.link(href=e.url, rel="alternate", type="text/html")
                    fe.summary(e.summary)
                    fe.content(e.content, type="html")
                    for a in e.authors:
                        fe.author({"name": a.name})
                for tag in e.tags:
                    fe.category(term=tag)
                fe.reading.set(e.reading_time, e.word_count)
            path = out / output.path
            path.parent.mkdir(parents=True, exist_ok=True)
            if rss:
                fg.rss_file(str(path), pretty=True, encoding="UTF-8", xml_declaration=True)
            else:
                fg.atom_file(str(path), pretty=True, encoding="UTF-8", xml_declaration=True)
            files += 1
    return files


# --------------------------------------------------------------------------- (c) lxml floor

def _sub(parent, tag, text=None, **attrib):  # type: ignore[no-untyped-def]
    el = etree.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _stats(el, e: Entry) -> None:  # type: ignore[no-untyped-def]
    if e.reading_time:
        _sub(el, f"{{{DC}}}format", f"{e.reading_time} min read")
    if e.word_count:
        _sub(el, f"{{{DCTERMS}}}extent", str(e.word_count))


def rss_item(e: Entry) -> bytes:
    item = etree.Element("item", nsmap={"content": CONTENT, "dc": DC, "dcterms": DCTERMS})
    _sub(item, "title", e.title)
    _sub(item, "link", e.url)
    _sub(item, "description", html.escape(e.summary, quote=False))
    _sub(item, f"{{{CONTENT}}}encoded", e.content)
    _sub(item, "guid", e.url, isPermaLink="true")
    for tag in e.tags:
        _sub(item, "category", tag)
    _sub(item, "pubDate", format_datetime(e.published))
    for a in e.authors:
        _sub(item, f"{{{DC}}}creator", a.name)
    _stats(item, e)
    return _strip_ns(etree.tostring(item, encoding="utf-8"))


def atom_entry(e: Entry) -> bytes:
    entry = etree.Element(f"{{{ATOM}}}entry", nsmap={None: ATOM, "dc": DC, "dcterms": DCTERMS})
    _sub(entry, f"{{{ATOM}}}id", e.id)
    _sub(entry, f"{{{ATOM}}}title", e.title)
    _sub(entry, f"{{{ATOM}}}updated", e.last_modified.isoformat())
    for a in e.authors:
        _sub(_sub(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", a.name)
    _sub(entry, f"{{{ATOM}}}link", href=e.url, rel="alternate", type="text/html")
    _sub(entry, f"{{{ATOM}}}summary", e.summary)
    _sub(entry, f"{{{ATOM}}}content", e.content, type="html")
    for tag in e.tags:
        _sub(entry, f"{{{ATOM}}}category", term=tag)
    _sub(entry, f"{{{ATOM}}}published", e.published.isoformat())
    _stats(entry, e)
    return _strip_ns(etree.tostring(entry, encoding="utf-8"))


def _strip_ns(data: bytes) -> bytes:
    """Drop the fragment's own xmlns declarations; the document root declares them."""
    end = data.index(b">")
    head = data[:end].split(b" xmlns")[0]
    return head + data[end:]


def _rss_head(feed: Feed, output, newest) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    nsmap = {"atom": ATOM, "content": CONTENT, "dc": DC, "dcterms": DCTERMS}
    rss = etree.Element("rss", nsmap=nsmap, version="2.0")
    ch = _sub(rss, "channel")
    _sub(ch, "title", feed.title)
    _sub(ch, "link", feed.home_url)
    _sub(ch, "description", feed.description)
    _sub(ch, f"{{{ATOM}}}link", href=output.url, rel="self", type="application/rss+xml")
    _sub(ch, "generator", "feedwright")
    _sub(ch, "language", feed.language)
    _sub(ch, "lastBuildDate", format_datetime(newest))
    doc = etree.tostring(rss, encoding="UTF-8", xml_declaration=True)
    at = doc.rindex(b"</channel>")
    return doc[:at], doc[at:]


def _atom_head(feed: Feed, output, newest) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "dc": DC, "dcterms": DCTERMS})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", feed.language)
    _sub(root, f"{{{ATOM}}}id", output.url)
    _sub(root, f"{{{ATOM}}}title", feed.title)
    _sub(root, f"{{{ATOM}}}updated", newest.isoformat())
    _sub(_sub(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", feed.author.name)
    _sub(root, f"{{{ATOM}}}link", href=output.url, rel="self", type="application/atom+xml")
    _sub(root, f"{{{ATOM}}}link", href=feed.home_url, rel="alternate", type="text/html")
    _sub(root, f"{{{ATOM}}}generator", "feedwright")
    _sub(root, f"{{{ATOM}}}subtitle", feed.description)
    doc = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    at = doc.rindex(b"</feed>")
    return doc[:at], doc[at:]


def build_lxml(config_path: str, out: Path) -> int:
    config, feedset = load(config_path)
    fragment = {"rss": rss_item, "atom": atom_entry}
    cache: dict[tuple[str, str], bytes] = {}
    files = 0
    for feed in feedset.feeds:
        newest_pub, newest_mod = _newest(feed)
        for output in feed.outputs:
            fmt = output.format
            if fmt == "rss":
                before, after = _rss_head(feed, output, newest_pub)
            else:
                before, after = _atom_head(feed, output, newest_mod)
            parts = [before]
            for e in feed.entries:
                data = cache.get((fmt, e.id))
                if data is None:
                    data = cache[(fmt, e.id)] = fragment[fmt](e)
                parts.append(data)
            parts.append(after)
            path = out / output.path
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(b"".join(parts))
            files += 1
    return files


# --------------------------------------------------------------------------- (a†)

def feedwright_nocap(argv: list[str]) -> None:

    import feedwright.pipeline as fb
    from feedwright.cli import main

    fb.validate = functools.partial(fb.validate, max_bytes=2**40)  # type: ignore[assignment]
    sys.argv = ["feedwright", "build", *argv]
    main()


# --------------------------------------------------------------------------- readers

def parse_lxml(paths: list[str]) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    items = 0
    for p in paths:
        root = etree.parse(p, parser).getroot()
        items += len(root)
    print(f"parsed {len(paths)} files", file=sys.stderr)


def parse_feedparser(paths: list[str]) -> None:
    import feedparser

    items = 0
    for p in paths:
        with open(p, "rb") as handle:
            d = feedparser.parse(handle.read())
        if d.bozo:
            print(f"{p}: feedparser bozo: {d.bozo_exception}", file=sys.stderr)
        items += len(d.entries)
    print(f"parsed {len(paths)} files, {items} entries", file=sys.stderr)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "feedwright-nocap":
        feedwright_nocap(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("feedgen", "lxml"):
        p = sub.add_parser(name)
        p.add_argument("--config", required=True)
        p.add_argument("--out", type=Path, required=True)
    for name in ("parse-lxml", "parse-feedparser"):
        p = sub.add_parser(name)
        p.add_argument("paths", nargs="+")
    args = ap.parse_args()
    t = time.perf_counter()
    if args.cmd == "feedgen":
        n = build_feedgen(args.config, args.out)
    elif args.cmd == "lxml":
        n = build_lxml(args.config, args.out)
    elif args.cmd == "parse-lxml":
        parse_lxml(args.paths)
        return
    else:
        parse_feedparser(args.paths)
        return
    print(f"{args.cmd}: wrote {n} files in {time.perf_counter() - t:.2f}s", file=sys.stderr)


if __name__ == "__main__":
    main()

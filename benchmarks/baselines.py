"""The tools feedwright is measured against, plus the readers' floors.

    python benchmarks/baselines.py lxml         --config C --out DIR   # lean floor
    python benchmarks/baselines.py lxml-durable --config C --out DIR   # durable floor
    python benchmarks/baselines.py feedgen      --config C --out DIR   # feedgen per feed
    python benchmarks/baselines.py parse-lxml FILE…                    # validation floor
    python benchmarks/baselines.py parse-feedparser FILE…              # what a reader pays

The builders read the archive the plain way (``read_plain``: ``json.loads``
per line, the permalink and ``tag:`` id computed, newest first, one feed per
tag) and import nothing of feedwright, so they pay for what a hand-written
script would, and write the same files (same paths, same items, same ids, same
order) as ``feedwright build`` on the benchmark's archive; ``run.py`` checks
that.  None validates anything.

lean floor (``lxml``): each entry's ``<item>`` and ``<entry>`` built with
    lxml.etree once, serialised once, and the bytes reused in every feed that
    holds it; heads by lxml too; each file written with a plain ``open`` /
    ``writelines`` (no temp file, no fsync).  The issue's targets are judged
    against this one.
durable floor (``lxml-durable``): the same bytes, written the way feedwright
    writes: a temp file beside the target, ``fsync``, ``os.replace``, and each
    folder fsynced once at the end; the difference to the lean floor is the
    cost of durability.
feedgen per feed (``feedgen``): the straightforward way: one FeedGenerator per
    feed and format, every entry added to it (``order='append'``: feedgen
    prepends by default), fixed dates (no ``now()``), ``rss_file`` / ``atom_file``.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import time
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"


class Author:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Entry:
    """One archive entry, as the plain reader makes it (the fields the feeds use)."""

    __slots__ = ("title", "url", "id", "published", "last_modified", "summary", "content",
                 "tags", "authors", "reading_time", "word_count")


class Output:
    __slots__ = ("format", "path", "url")

    def __init__(self, fmt: str, path: str, url: str):
        self.format, self.path, self.url = fmt, path, url


class Feed:
    __slots__ = ("title", "description", "home_url", "language", "author", "entries", "outputs")

    def __init__(self, title: str, description: str, home_url: str, language: str,
                 author: str, entries: list[Entry], outputs: list[Output]):
        self.title, self.description, self.home_url = title, description, home_url
        self.language, self.author, self.entries, self.outputs = language, author, entries, outputs


def _join(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")


_NON_WORD = re.compile(r"[^a-z0-9]+")


def read_plain(config_path: str) -> list[Feed]:
    """The feed set of the benchmark's archive, read the plain way.

    Covers what ``generate.py`` writes (JSON Lines with explicit ``Z``
    datetimes, plain slugs, ASCII tag names), not every input feedwright
    accepts: that is the point of a floor.
    """
    import yaml

    folder = Path(config_path).parent
    with open(config_path, "rb") as handle:
        cfg = yaml.load(handle, Loader=yaml.CSafeLoader)
    site = cfg["site"]
    base = site["base_url"]
    feeds_url = _join(base, cfg.get("feeds_url", "/feeds/"))
    pattern = cfg["permalink"]
    base_parts = urlsplit(base)
    host, base_path = base_parts.hostname, base_parts.path.rstrip("/")
    entries: list[Entry] = []
    for name in cfg["inputs"]:
        with open(folder / name, "rb") as handle:
            for line in handle:
                raw = json.loads(line)
                e = Entry()
                e.title, e.summary, e.content = raw["title"], raw["summary"], raw["content"]
                e.published = e.last_modified = datetime.fromisoformat(raw["published"])
                path = "/" + pattern.format(slug=quote(raw["slug"], safe="")).lstrip("/")
                e.url = _join(base, path)
                e.id = f"tag:{host},{e.published.date().isoformat()}:{base_path}{path}"
                e.tags, e.authors = raw["tags"], [Author(a) for a in raw["authors"]]
                e.reading_time, e.word_count = raw["reading_time"], raw["word_count"]
                entries.append(e)
    entries.sort(key=lambda e: e.published, reverse=True)
    formats = cfg["formats"]
    limit, tag_cfg = cfg.get("limit", 20), cfg.get("tags", {})
    tag_limit, tag_path = tag_cfg.get("limit", limit), tag_cfg.get("path", "tags/{tag}/")

    def outputs(folder: str) -> list[Output]:
        return [Output(f, f"{folder}{f}.xml", f"{feeds_url}{folder}{f}.xml") for f in formats]

    title, description, lang, author = (site["title"], site["description"], site["language"],
                                        site["author"])
    feeds = [Feed(title, description, base, lang, author,
                  entries[:limit] if limit else entries, outputs(""))]
    by_tag: dict[str, list[Entry]] = {}
    for e in entries:
        for tag in e.tags:
            by_tag.setdefault(tag, []).append(e)
    for tag in sorted(by_tag):
        folder_name = tag_path.format(tag=_NON_WORD.sub("-", tag.lower()).strip("-")).strip("/")
        tagged = by_tag[tag]
        feeds.append(Feed(f"{title} · {tag}", f"Posts tagged “{tag}” on {title}.", base, lang,
                          author, tagged[:tag_limit] if tag_limit else tagged,
                          outputs(folder_name + "/")))
    return feeds


def _newest(feed: Feed) -> tuple[datetime, datetime]:
    return max(e.published for e in feed.entries), max(e.last_modified for e in feed.entries)


# --------------------------------------------------------------------------- feedgen per feed

def build_feedgen(config_path: str, out: Path) -> int:
    from feedgen.ext.base import BaseEntryExtension
    from feedgen.ext.base import BaseExtension
    from feedgen.feed import FeedGenerator

    class ReadingStats(BaseEntryExtension):  # type: ignore[misc]
        """What feedwright's own extension writes: reading time and word count."""

        def __init__(self):  # type: ignore[no-untyped-def]
            self.minutes = self.words = None

        def set(self, minutes, words):  # type: ignore[no-untyped-def]
            self.minutes, self.words = minutes, words

        def _extend(self, entry):  # type: ignore[no-untyped-def]
            if self.minutes:
                etree.SubElement(entry, f"{{{DC}}}format").text = f"{self.minutes} min read"
            if self.words:
                etree.SubElement(entry, f"{{{DCTERMS}}}extent").text = str(self.words)
            return entry

        extend_rss = extend_atom = _extend

    class Declare(BaseExtension):  # type: ignore[misc]
        def extend_ns(self):  # type: ignore[no-untyped-def]
            return {"dc": DC, "dcterms": DCTERMS}

    files = 0
    for feed in read_plain(config_path):
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
                fg.author({"name": feed.author})
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


# --------------------------------------------------------------------------- the lxml floors

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
    _sub(_sub(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name", feed.author)
    _sub(root, f"{{{ATOM}}}link", href=output.url, rel="self", type="application/atom+xml")
    _sub(root, f"{{{ATOM}}}link", href=feed.home_url, rel="alternate", type="text/html")
    _sub(root, f"{{{ATOM}}}generator", "feedwright")
    _sub(root, f"{{{ATOM}}}subtitle", feed.description)
    doc = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    at = doc.rindex(b"</feed>")
    return doc[:at], doc[at:]


def build_lxml(config_path: str, out: Path, durable: bool = False) -> int:
    """The floor: every fragment serialised once; ``durable`` writes as feedwright does."""
    fragment = {"rss": rss_item, "atom": atom_entry}
    cache: dict[tuple[str, str], bytes] = {}
    folders: set[Path] = set()
    files = 0
    for feed in read_plain(config_path):
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
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            if durable:
                _write_durable(path, parts)
            else:
                with open(path, "wb") as handle:
                    handle.writelines(parts)
            files += 1
    if durable:  # the renames themselves survive a crash once their folders are synced
        for folder in sorted(folders, key=lambda f: -len(f.parts)):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    return files


def _write_durable(path: Path, parts: list[bytes]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.writelines(parts)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


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
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("feedgen", "lxml", "lxml-durable"):
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
    elif args.cmd in ("lxml", "lxml-durable"):
        n = build_lxml(args.config, args.out, durable=args.cmd == "lxml-durable")
    elif args.cmd == "parse-lxml":
        parse_lxml(args.paths)
        return
    else:
        parse_feedparser(args.paths)
        return
    print(f"{args.cmd}: wrote {n} files in {time.perf_counter() - t:.2f}s", file=sys.stderr)


if __name__ == "__main__":
    main()

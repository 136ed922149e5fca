"""Deterministic synthetic blog archive for feedwright's benchmark.

    python benchmarks/generate.py --size 10000 --limit 20 [--seed 1] [--out benchmarks/out]

writes ``benchmarks/out/<size>-<limit>/entries.jsonl`` (JSON Lines, newest
first) and ``config.yaml`` (formats rss + atom, ``limit`` and ``tags.limit``
both = --limit; 0 = every entry); with ``--hugo``, also the same archive as a
Hugo content tree (``out/hugo-content/<size>-s<seed>/``) and a Hugo site
config (``<size>-<limit>/hugo/config.toml``).  The same seed and size always give the
same bytes, whatever the limit (the entries file is shared by hard link).

Shape of the data (see README.md):
- N entries, 200 tags with Zipf-skewed popularity (s = 1.1), 1–4 per entry;
- ~800-word HTML ``content`` per entry: <p> paragraphs of lorem-like words,
  some ``<a href="https://…">`` absolute links and ``<em>``;
- plain-text titles and summaries (no markup), distinct slugs;
- ``published``: explicit ``Z`` datetimes, all distinct, strictly decreasing
  from 2026-01-01T00:00:00Z back over ~10 years.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
START = datetime(2026, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=3650)
N_TAGS = 200
ZIPF_S = 1.1

_SYLLABLES = (
    "lo rem ip sum do lor sit a met con sec te tur ad pi sci ing e lit sed eius mod tem por "
    "in ci di dunt ut la bo re et ma gna ali qua en im mi nim ve ni am quis nos trud ex er "
    "ta tion ul lam co la bo ris ni si"
).split()


def _vocabulary(rng: random.Random, n: int = 3000) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 2, 3)))))
    return sorted(words)


def tag_names(rng: random.Random, vocab: list[str]) -> list[str]:
    """200 distinct tag names (lowercase letters, digits, '-'), most popular first."""
    return [f"{rng.choice(vocab)}-{i:03d}" for i in range(N_TAGS)]


def _content(rng: random.Random, vocab: list[str], target: int) -> tuple[str, str, int]:
    """(HTML, the first ~45 words as plain text, word count)."""
    paragraphs: list[str] = []
    plain: list[str] = []
    count = 0
    while count < target:
        n = min(rng.randint(50, 130), target - count) or 1
        words = rng.choices(vocab, k=n)
        if not plain:
            plain = words[:45]
        out: list[str] = []
        for i, w in enumerate(words):
            r = rng.random()
            if r < 0.015:
                host = rng.choice(("example.com", "docs.example.net", "research.example.org"))
                out.append(f'<a href="https://{host}/{w}/{rng.randrange(10**6)}">{w}</a>')
            elif r < 0.04:
                out.append(f"<em>{w}</em>")
            else:
                out.append(w)
            if i % 17 == 16:
                out[-1] += "."
        text = " ".join(out)
        paragraphs.append(f"<p>{text[0].upper()}{text[1:]}.</p>")
        count += n
    summary = " ".join(plain).capitalize() + " ..."
    return "\n".join(paragraphs), summary, count


def generate(size: int, seed: int = 1) -> list[dict[str, object]]:
    """The archive's entries, newest first."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    tags = tag_names(rng, vocab)
    weights = [1.0 / (rank ** ZIPF_S) for rank in range(1, N_TAGS + 1)]
    authors = ["Ada Bench", "Grace Bench", "Linus Bench", "Barbara Bench", "Ken Bench"]
    avg_gap = SPAN.total_seconds() / size
    when = START
    entries = []
    for i in range(size):
        title_words = rng.choices(vocab, k=rng.randint(4, 10))
        title = " ".join(w.capitalize() for w in title_words)
        slug = "-".join(title_words) + f"-{i}"
        chosen: list[str] = []
        for t in rng.choices(tags, weights=weights, k=rng.randint(1, 4)):
            if t not in chosen:
                chosen.append(t)
        html, summary, words = _content(rng, vocab, rng.randint(700, 900))
        entries.append({
            "title": title,
            "published": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "slug": slug,
            "summary": summary,
            "content": html,
            "tags": chosen,
            "authors": [rng.choice(authors)],
            "reading_time": math.ceil(words / 230),
            "word_count": words,
        })
        # strictly decreasing: every timestamp distinct
        when -= timedelta(seconds=1 + rng.randrange(int(2 * avg_gap)))
    return entries


def extra_entry(k: int, tags: list[str]) -> dict[str, object]:
    """A new entry for the incremental-rebuild test: newer than every generated one."""
    rng = random.Random(10_000 + k)
    vocab = _vocabulary(random.Random(1))
    html, summary, words = _content(rng, vocab, 800)
    return {
        "title": f"Fresh Post Number {k}",
        "published": (START + timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "slug": f"fresh-post-{k}",
        "summary": summary,
        "content": html,
        "tags": tags,
        "authors": ["Ada Bench"],
        "reading_time": math.ceil(words / 230),
        "word_count": words,
    }


CONFIG = """\
# generated by benchmarks/generate.py (size {size}, seed {seed})
site:
  title: "Bench blog"
  base_url: https://bench.example.org/
  description: "A synthetic archive of {size} entries for feedwright's benchmark."
  language: en
  author: Bench Author
  timezone: UTC
  time_of_day: "00:00"
inputs: [entries.jsonl]
permalink: /posts/{{slug}}/
output: feeds
feeds_url: /feeds/
formats: [rss, atom]
limit: {limit}
tags:
  limit: {limit}
  path: tags/{{tag}}/
"""


def _archive(out: Path, size: int, seed: int) -> Path:
    """The shared entries file of this size and seed (written once)."""
    path = out / "archives" / f"entries-{size}-s{seed}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            for entry in generate(size, seed):
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        os.replace(tmp, path)
    return path


def write_site(size: int, limit: int, seed: int = 1, out: Path = DEFAULT_OUT,
               name: str | None = None) -> Path:
    """Write <out>/<size>-<limit>/{entries.jsonl,config.yaml}; return the config's path."""
    archive = _archive(out, size, seed)
    folder = out / (name or f"{size}-{'all' if limit == 0 else limit}")
    folder.mkdir(parents=True, exist_ok=True)
    entries = folder / "entries.jsonl"
    if entries.exists() or entries.is_symlink():
        entries.unlink()
    try:
        os.link(archive, entries)
    except OSError:
        shutil.copyfile(archive, entries)
    config = folder / "config.yaml"
    config.write_text(CONFIG.format(size=size, seed=seed, limit=limit), encoding="utf-8")
    return config


HUGO_CONFIG = """\
# generated by benchmarks/generate.py: the same site for Hugo 0.111, RSS only
baseURL = "https://bench.example.org/"
title = "Bench blog"
languageCode = "en"
contentDir = "{content}"
# Hugo 0.111's name for the items per RSS feed (later releases: services.rss.limit)
rssLimit = {rss_limit}
disableKinds = ["taxonomy", "section", "sitemap", "robotsTXT", "404"]
# "taxonomy" here means the /tags/ list page only (Hugo >= 0.73); the tags keep their feeds
ignoreErrors = ["error-disable-taxonomy"]
enableRobotsTXT = false

[outputs]
  home = ["RSS"]
  term = ["RSS"]

[taxonomies]
  tag = "tags"

[permalinks]
  posts = "/posts/:slug/"

[markup.goldmark.renderer]
  unsafe = true

# the posts are listed in the feeds but get no HTML page of their own
[[cascade]]
  [cascade._build]
    render = "link"
    list = "always"
  [cascade._target]
    kind = "page"
"""


def _hugo_content(out: Path, size: int, seed: int) -> Path:
    """The archive as a Hugo content tree (one Markdown file per entry), written once.

    JSON front matter (title, date, tags, slug, summary, author); the HTML
    ``content`` is the body (goldmark passes HTML blocks through).
    """
    folder = out / "hugo-content" / f"{size}-s{seed}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    posts = folder / "posts"
    posts.mkdir(parents=True)
    with open(_archive(out, size, seed), encoding="utf-8") as handle:
        for line in handle:
            e = json.loads(line)
            front = {"title": e["title"], "date": e["published"], "tags": e["tags"],
                     "slug": e["slug"], "summary": e["summary"], "author": e["authors"][0]}
            text = json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + e["content"] + "\n"
            (posts / f"{e['slug']}.md").write_text(text, encoding="utf-8")
    done.write_text("")
    return folder


def write_hugo_site(size: int, limit: int, seed: int = 1, out: Path = DEFAULT_OUT) -> Path:
    """<out>/<size>-<limit>/hugo/config.toml over the shared content tree; return its folder.

    RSS for the home page (every post) and for each tag's page, nothing else;
    ``limit`` 0 = every entry (Hugo: -1).
    """
    content = _hugo_content(out, size, seed)
    site = out / f"{size}-{'all' if limit == 0 else limit}" / "hugo"
    site.mkdir(parents=True, exist_ok=True)
    (site / "config.toml").write_text(
        HUGO_CONFIG.format(content=content.resolve().as_posix(), rss_limit=limit or -1),
        encoding="utf-8")
    return site


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--limit", type=int, default=20, help="main and tag feed limit; 0 = all")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--hugo", action="store_true", help="also write the Hugo site")
    args = ap.parse_args()
    print(write_site(args.size, args.limit, args.seed, args.out))
    if args.hugo:
        print(write_hugo_site(args.size, args.limit, args.seed, args.out) / "config.toml")


if __name__ == "__main__":
    main()

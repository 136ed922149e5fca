"""Episode media across a feed: what podcast directories require of enclosures.

One item's own enclosures (url, length, type present; one per item) are
judged in rss.py and rss_values.py; this module judges how the episodes'
enclosures relate.  A document without ``enclosure`` in its bytes costs one
byte search.
"""

from __future__ import annotations

from collections.abc import Iterator

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._xml import RSS
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import items


@rule("podcast-duplicate-enclosure-url", "warning",
      "two episodes share one enclosure URL", formats=RSS)
def duplicate_enclosure_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Podcast directories take an episode's media URL as part of its
    identity: Apple Podcasts ignores an episode whose enclosure URL
    another episode already uses (podcasters.apple.com support article
    823), and apps that keep downloads by URL may store one file for
    both, so one of the episodes plays the other's audio or is never
    shown. It usually comes from a template that fills in the same media
    file, or a re-published episode left in the feed twice.

    ## How to fix
    Give every episode its own media file (`…/ep12.mp3`, `…/ep13.mp3`);
    remove an episode published twice, or point the copy at its own URL.
    """
    # lxml answers at once for a tag name the document never uses (libxml2
    # interns names per document): feeds without enclosures cost nothing.
    if next(doc.root.iter("enclosure"), None) is None:
        return
    seen: set[str] = set()
    for it in items(doc.root):
        for enc in children(it, "enclosure")[:1]:
            url = (enc.get("url") or "").strip()
            if not url:
                continue
            if url in seen:
                yield Finding(node=enc, detail=repr(url))
            seen.add(url)

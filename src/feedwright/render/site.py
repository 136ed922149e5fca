"""The files a build writes beside the feeds: the browser stylesheet,
``index.html`` and ``feeds.opml`` (each as the config asks).

They go through the same write path as the feeds (compared, written
atomically only when changed, reported stale by ``build --check``): the
pipeline adds them to the documents it writes.  Their bytes depend on the
feed set and the config alone, and they are small, so they are made on
every build rather than cached; their recipe (for the file records that
spare reading back untouched files) is the digest of their bytes.
"""

from __future__ import annotations

from feedwright.config import Config
from feedwright.feedset import STYLESHEETS
from feedwright.model import FeedSet
from feedwright.render.browser import FEED_CSS
from feedwright.render.browser import INDEX_PAGE
from feedwright.render.browser import index_page
from feedwright.render.opml import OPML_FILE
from feedwright.render.opml import opml
from feedwright.render.xslt import FEED_XSL

#: The files among them the validator judges (the gate checks them in full).
VALIDATED = frozenset({OPML_FILE})
#: Names of the files a build may write beside the feeds that are surely
#: ours: one left from an earlier config (``browser_view`` changed, ``opml``
#: turned off) is reported as no longer built.  ``index.html`` is not among
#: them: with ``index_page: false`` it may well be the site's own page.
OWN_NAMES = frozenset({*STYLESHEETS.values(), OPML_FILE})
#: Files a build replaces only when the copy on disk is its own (carries
#: this mark): an output folder that is the site's root has its own
#: ``index.html``, which must never be overwritten by the feeds' list.
MARKS = {INDEX_PAGE: b'<meta name="generator" content="feedwright">'}


def site_files(feedset: FeedSet, config: Config) -> dict[str, bytes]:
    """Path under the output folder → bytes, for every file beside the feeds.

    The OPML list is the one document among them the validator judges
    (format ``opml``); the pipeline checks it before anything is written.
    """
    files: dict[str, bytes] = {}
    if config.browser_view == "css":
        files[STYLESHEETS["css"]] = FEED_CSS.encode()
    elif config.browser_view == "xslt":
        files[STYLESHEETS["xslt"]] = FEED_XSL.encode()
    if config.opml:
        files[OPML_FILE] = opml(feedset)
    if config.index_page:
        files[INDEX_PAGE] = index_page(feedset, OPML_FILE if config.opml else None)
    return files

"""Whether a document's bytes mention a word: the one check vocabulary rules make first.

Rules for an extension vocabulary (iTunes, Podcasting 2.0…) must cost next
to nothing on the many feeds that do not use it, so they search the raw
bytes for the namespace URI (one C-level search) before touching the tree.
The search only works when ASCII text is stored as ASCII bytes; for a
document in UTF-16 or another such encoding it answers True, and the rule
walks the tree as usual.
"""

from __future__ import annotations

from functools import lru_cache

from feedwright.validator.document import Document


@lru_cache(maxsize=64)
def _ascii_compatible(encoding: str) -> bool:
    try:
        return "<?xml encoding".encode(encoding) == b"<?xml encoding"
    except (LookupError, ValueError):
        return False


def mentions(doc: Document, word: str) -> bool:
    """False only when ``word`` (ASCII) cannot appear anywhere in ``doc``, memoised."""
    def compute() -> bool:
        encoding = doc.root.getroottree().docinfo.encoding or "utf-8"
        if not _ascii_compatible(encoding):
            return True
        return word.encode("ascii") in doc.data
    return bool(doc.memo(f"mentions:{word}", compute))

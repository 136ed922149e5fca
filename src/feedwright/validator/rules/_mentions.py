"""Whether a document's bytes mention a word: the one check vocabulary rules make first.

Namespaces are asked of ``_ext.declared`` (one scan for all of them); this
answers for a plain word (``<enclosure``) with one C-level search of the
raw bytes before a rule touches the tree.
The search only works when ASCII text is stored as ASCII bytes; for a
document in UTF-16 or another such encoding it answers True, and the rule
walks the tree as usual.
"""

from __future__ import annotations

from feedwright.validator.document import Document
from feedwright.validator.rules._ext import ascii_compatible


def mentions(doc: Document, word: str) -> bool:
    """False only when ``word`` (ASCII) cannot appear anywhere in ``doc``, memoised."""
    def compute() -> bool:
        encoding = doc.root.getroottree().docinfo.encoding or "utf-8"
        if not ascii_compatible(encoding):
            return True
        return word.encode("ascii") in doc.data
    return bool(doc.memo(f"mentions:{word}", compute))

"""RELAX NG schemas (Atom per RFC 4287, our own RSS 2.0) applied to documents.

(Skeleton: filled in by the validator issue.)
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator

from feedwright.validate.document import Document
from feedwright.validate.report import Issue


def check_schema(doc: Document, *, already: Iterable[Issue] = ()) -> Iterator[Issue]:
    """Schema issues not already explained by a rule."""
    return iter(())

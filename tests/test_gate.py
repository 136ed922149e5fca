"""The gate's own pieces of work (tests/test_pipeline.py and tests/test_cache.py
test what it lets through and what it remembers)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def test_long_cut_down_feeds_get_pieces_of_their_own() -> None:
    from feedwright.gate import pieces

    def doc(entries: int) -> Any:
        return SimpleNamespace(fragments=(b"",) * entries)

    pending = [(doc(10), False), (doc(10_000), True), (doc(10_000), True),
               *[(doc(5), False)] * 60]
    sizes = [[len(d.fragments) for d, _ in piece] for piece in pieces(pending, 2_000)]
    assert sizes == [[10], [10_000], [10_000], [5] * 50, [5] * 10]
    # with no workers running, only the count of documents makes pieces
    sizes = [[len(d.fragments) for d, _ in piece] for piece in pieces(pending, None)]
    assert sizes == [[10, 10_000, 10_000, *[5] * 47], [5] * 13]

"""Holding off Python's cycle collector around work that makes no cycles.

Validating and building make many small containers that live until the end
(entries, fragments, the rules' children index, memoised values) and almost
no cycles.  Each full pass of the collector walks them all again, for
nothing: a quarter of the rules' time on a 79 MB feed, ~0.3 s of the render
step at 10k entries with every entry in every feed, a twentieth of
``feedwright validate feed.xml``.  What garbage there is, is freed by
reference counting meanwhile.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held(*, freeze: bool = False) -> Iterator[None]:
    """No cycle collection inside; the collector runs again after.

    Args:
        freeze: Move what survived into the permanent generation first, so the
            collector never scans it again (a command whose objects live until
            the process ends: the modules ``validate`` imported).

    Left as it was when someone else turned it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        gc.enable()

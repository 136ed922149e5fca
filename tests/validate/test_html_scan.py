"""The HTML scanner behind not-html and friends always ends, whatever the text.

A scanner that restarts from the beginning on a half-closed tag once hung
`feedwright validate` (``<script>x</script `` with no final ``>``).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.validate.rules._html import html_tags
from feedwright.validate.rules._html_wellformed import html_problem

PIECES = [
    "<", ">", "/", "</", "<!--", "-->", "&", ";", "&amp;", "&#", "x", " ", "=", '"', "'",
    "script", "style", "textarea", "title", "table", "tr", "td", "p", "b", "i", "a",
    "href", "br", "div", "plaintext", "<![CDATA[", "]]>", "\n",
]


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def fail(signum: int, frame: object) -> None:
        raise TimeoutError("the HTML scan did not end")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("<script>x</script ", "</script> is not closed with '>'"),
        ("<title>x</title  ", "</title> is not closed with '>'"),
        ("<style>x</style", "<style> is not closed"),
        ("<p>fine</p>", None),
    ],
)
def test_half_closed_raw_text_ends(text: str, problem: str | None) -> None:
    with deadline(5):
        assert html_problem(text) == problem


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_scans_always_end(text: str) -> None:
    with deadline(5):
        result = html_problem(text)
        list(html_tags(text))
    assert result is None or isinstance(result, str)

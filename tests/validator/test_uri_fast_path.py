"""``full_uri_problem`` tells most http(s) URLs usable by one match
(``_PLAIN_HTTP``); wherever that match holds, every check spelled out must
find nothing too (``_uri_problem``, the checks as they were)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.validator.rules._syntax import _PLAIN_HTTP
from feedwright.validator.rules._syntax import _uri_problem
from feedwright.validator.rules._syntax import full_uri_problem

#: Pieces of URLs, good and bad: schemes, hosts, white space (Unicode's too),
#: brackets, characters no URI may hold.
PIECES = st.sampled_from([
    "http://", "https://", "HTTP://", "ftp://", "tag:", "urn:", "e.org", "x", "/", "?", "#",
    "[", "]", "[::1]", " ", "\u2003", "\u00a0", "\t", "<", '"', "|", "^", "`", "\\", "{",
    "\x7f", "\x00", "%20", "é", ":80", "@", "a b", ",2005:x",
])


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8).map("".join) | st.text(max_size=20).map(
    lambda t: "https://" + t))
def test_a_url_the_fast_path_takes_has_no_problem(uri: str) -> None:
    stripped = uri.strip()
    if _PLAIN_HTTP.fullmatch(stripped) is not None:
        assert _uri_problem(stripped) is None, uri
    full_uri_problem.cache_clear()
    assert full_uri_problem(uri) == _uri_problem(stripped), uri


@pytest.mark.parametrize("uri", [
    "https://e.org/a?b#c", " http://e.org ", "HTTPS://E.ORG/", "https://e.org/é",
    "https://e.org/a\u00a0b",
])
def test_plain_urls_take_the_fast_path(uri: str) -> None:
    assert _PLAIN_HTTP.fullmatch(uri.strip()) is not None
    assert full_uri_problem(uri) is None


@pytest.mark.parametrize("uri", [
    "https://\u2003x/", "https:///x", "https://e.org/[x]", "https://e.org/a b", "",
])
def test_faulty_urls_do_not(uri: str) -> None:
    assert _PLAIN_HTTP.fullmatch(uri.strip()) is None
    assert full_uri_problem(uri) is not None

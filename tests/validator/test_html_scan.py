"""The HTML scanner behind not-html and friends always ends, whatever the text.

A scanner that restarts from the beginning on a half-closed tag once hung
`feedwright validate` (``<script>x</script `` with no final ``>``).
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.validator.rules._html import html_tags
from feedwright.validator.rules._html import is_plain_html
from feedwright.validator.rules._html import notable_html_tags
from feedwright.validator.rules._html_wellformed import html_problem
from feedwright.validator.rules._syntax import is_absolute
from feedwright.validator.rules.text import _risk

PIECES = [
    "<", ">", "/", "</", "<!--", "-->", "&", ";", "&amp;", "&#", "x", " ", "=", '"', "'",
    "script", "style", "textarea", "title", "table", "tr", "td", "p", "b", "i", "a",
    "href", "br", "div", "plaintext", "<![CDATA[", "]]>", "\n", "svg", "math", "/>", "g",
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


@pytest.mark.parametrize(
    "text, problem",
    [
        ('<svg viewBox="0 0 1 1"><g><path d="M0 0"/><circle r="1"></circle></g></svg>', None),
        ("<p>a <svg/> b <math><mi>x</mi></math></p>", None),
        ("<svg><linearGradient id=g></lineargradient></svg>", None),
        ("<svg><title>A <b>bold</b> name</title><foreignObject><div>x</div></foreignObject>"
         "</svg>", None),
        ("<svg><![CDATA[ x < y ]]><!-- note --></svg>", None),
        ("<table><tr><td><svg><g/></svg></table>", None),
        ("<svg><div>x</div></svg>", "<div> inside <svg>: HTML ends the drawing there; close "
                                    "<svg> first"),
        ("<svg><font size=2>x</font></svg>", "<font> inside <svg>: HTML ends the drawing there; "
                                             "close <svg> first"),
        ("<svg><font>x</font></svg>", None),
        ("<svg><g><path/></svg>", "</svg> while <g> is open in <svg>"),
        ("<math><mrow><mn>1</mn>", "<math> is never closed"),
        ("<svg><text>Q &copy A</text></svg>", "'&copy' has no ';'; write &amp; for a literal '&'"),
        ("<svg x=1 X=2></svg>", "<svg> repeats the attribute 'x'"),
        ("<svg><g>", "<svg> is never closed"),
        ("<svg><title>never closed", "<title> is never closed in <svg>"),
    ],
)
def test_svg_and_mathml_are_html5(text: str, problem: str | None) -> None:
    assert html_problem(text) == problem


def test_a_title_inside_svg_is_no_document_title() -> None:
    tags = notable_html_tags("<title>t</title><svg><title>icon</title><svg/>"
                             "<script>x</script></svg><title>after</title>")
    assert [(tag, _risk(tag, attrs)) for tag, attrs in tags] == [
        ("title", "<title>"), ("script", "<script>"), ("title", "<title>")]


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_scans_always_end(text: str) -> None:
    with deadline(5):
        result = html_problem(text)
        list(html_tags(text))
    assert result is None or isinstance(result, str)


# --- the plain-HTML fast path -------------------------------------------------
# is_plain_html lets not-html, contains-relative-reference and html-security-risk
# skip their full scans.  It must never say "plain" where a full scan would
# find something: checked on generated HTML, valid and mutated.

TEXT = st.sampled_from(["word", "two words", " ", "\n", "a > b", "&amp;", "&#8217;", "&nbsp;"])
INLINE = st.sampled_from(["em", "strong", "code", "b", "i", "span"])


@st.composite
def phrasing(draw: st.DrawFn) -> str:
    parts = []
    for kind in draw(st.lists(st.sampled_from(["text", "pair", "link", "img", "br"]),
                              max_size=6)):
        if kind == "text":
            parts.append(draw(TEXT))
        elif kind == "pair":
            name = draw(INLINE)
            parts.append(f"<{name}>{draw(TEXT)}</{name}>")
        elif kind == "link":
            parts.append(f'<a href="https://example.org/{draw(st.integers(0, 9))}">'
                         f"{draw(TEXT)}</a>")
        elif kind == "img":
            parts.append('<img src="https://example.org/i.png" alt="an image">')
        else:
            parts.append(draw(st.sampled_from(["<br>", "<br/>", "<br />"])))
    return "".join(parts)


@st.composite
def plain_html(draw: st.DrawFn) -> str:
    blocks = []
    for kind in draw(st.lists(st.sampled_from(["p", "h2", "ul", "quote", "pre", "hr", "text"]),
                              max_size=5)):
        if kind in ("p", "h2"):
            blocks.append(f"<{kind}>{draw(phrasing())}</{kind}>")
        elif kind == "ul":
            items = draw(st.lists(phrasing(), max_size=3))
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        elif kind == "quote":
            blocks.append(f"<blockquote><p>{draw(phrasing())}</p></blockquote>")
        elif kind == "pre":
            blocks.append(f"<pre><code>{draw(TEXT)}</code></pre>")
        elif kind == "hr":
            blocks.append("<hr>")
        else:
            blocks.append(draw(phrasing()))
    return "\n".join(blocks)


NOISE = st.sampled_from([
    "<p>", "</p>", "<em>", "</em>", "</strong>", "<a href=\"/relative\">", "</a>",
    "<a href='https://example.org/'>", '<a href="javascript:alert(1)">', "<script>",
    '<img src="i.png">', '<img src="https://example.org/i.png" onerror="x()">',
    "<div>", "</li>", "<li>", "</ul>", "<h3>", "</h2>", "&", "&copy", "&#150;", "&bogus;",
    "<", "<!-- c -->", "<P>", "<br></br>", '"', "<a href=\"https://e.org/\" href=\"/x\">",
])


@st.composite
def mutated_html(draw: st.DrawFn) -> str:
    html = draw(plain_html())
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(html)))
        html = html[:at] + draw(NOISE) + html[at:]
    return html


def full_scans_find_nothing(html: str) -> bool:
    if html_problem(html) is not None:
        return False
    for tag, attrs in notable_html_tags(html):
        if _risk(tag, attrs) is not None:
            return False
        for name in ("href", "src", "poster", "background"):
            ref = attrs.get(name, "").strip()
            if ref and not ref.startswith("#") and not is_absolute(ref):
                return False
    return True


@settings(max_examples=200, derandomize=True, deadline=None)
@given(plain_html())
def test_plain_html_is_recognised_and_is_clean(html: str) -> None:
    assert is_plain_html(html)
    assert full_scans_find_nothing(html)


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.one_of(mutated_html(), st.lists(NOISE | TEXT, max_size=12).map("".join)))
def test_plain_means_the_full_scans_find_nothing(html: str) -> None:
    if is_plain_html(html):
        assert full_scans_find_nothing(html), html


@pytest.mark.parametrize("html", [
    "<p>a</p></p>", "<p>x <a href=\"/about\">us</a></p>", "<p>5 &#150; 6</p>", "AT&T",
    "a < b", "text <b", "<em>x</strong>", "<h2>x</h3>", "<ul><li>x</li></ol>",
    "<p><em>a <strong>b</strong></em></p>", '<img src="https://e.org/i.png" onload="x()">',
    "<p>&copy 2026</p>", "<P>upper case</P>", "<p>x<script>y</script></p>",
    # Headings and lists are paired after the grammar matched: a later one
    # that ends as another kind is caught too.
    "<h1>a</h1><h2>b</h3>", "<ul><li>a</li></ul><ol><li>b</li></ul>", "<h2>a</h2><ul></ol>",
    "<blockquote><p>q</p></blockquote><h6>x</h1>",
    # A '<' that starts no tag, after the last tag or between two.
    "<p>x</p> and <", "<p>a<b</p>", "<p>x</p><",
])
def test_not_plain(html: str) -> None:
    assert not is_plain_html(html)


@pytest.mark.parametrize("html", [
    "<h1>a</h1><h2>b</h2><h6>c <em>d</em></h6>", "<ul><li>a</li></ul><ol><li>b</li></ol>",
    "<h3>x</h3><ol></ol><p>l> is text</p>", "<ul><li><a href=\"https://e.org/l\">l</a></li></ul>",
    "a > b <p>c</p> d > e", "<p>x</p>>",
])
def test_plain_headings_and_lists(html: str) -> None:
    assert is_plain_html(html)


def test_plain_verdicts_are_remembered_only_for_short_texts() -> None:
    from feedwright.validator.rules._html import _remembered

    _remembered.cache_clear()
    short = "<p>" + "word " * 100 + "</p>"
    long = "<p>" + "word " * 10_000 + "</p>"
    assert is_plain_html(short) and is_plain_html(short)
    assert is_plain_html(long)
    info = _remembered.cache_info()
    assert (info.hits, info.currsize) == (1, 1)  # the long text is not kept alive


#: Every '<' of plain HTML starts one of these (how the grammar's input was
#: found before the text between tags was cut out in one substitution).
_TOKEN = re.compile(r"<[^<>]*+>")


def _grammar_with_pairs_spelled_out() -> re.Pattern[str]:
    """The plain-HTML grammar as it was, each inline pair spelled out where it may
    stand: the oracle for the one that reads them as one character first."""
    from feedwright.validator.rules._html import _ABS
    from feedwright.validator.rules._html import INLINE
    from feedwright.validator.rules._html import _pairs

    link = rf'<a href="{_ABS}">(?:{_pairs(INLINE, "")})*+</a>'
    image = (rf'<img src="{_ABS}"(?: alt="[^"<>&]*+")?(?: width="[0-9]++")?'
             r'(?: height="[0-9]++")?\s*+/?>')
    phrasing = rf"(?:{_pairs(INLINE, '')}|{link}|{image}|<br\s*+/?>)"
    flow = rf"(?:{phrasing}|<p>{phrasing}*+</p>)"
    return re.compile(
        rf"(?:{flow}|<h[1-6]>{phrasing}*+</h[1-6]>|<blockquote>{flow}*+</blockquote>"
        rf"|<[ou]l>(?:<li>{phrasing}*+</li>)*+</[ou]l>|<pre>(?:<code></code>)?</pre>"
        r"|<hr\s*+/?>)*+")


#: Tags, whole inline pairs and stray NULs (a JSON string may hold one), as
#: the grammar meets them; ``<code>`` is both an inline pair and what ``<pre>`` holds.
TAGS = [
    *(t for n in ("b", "code", "em", "small", "span")
      for t in (f"<{n}>", f"</{n}>", f"<{n}></{n}>")),
    "<p>", "</p>", '<a href="https://e.org/x\x00y">', "</a>", "<br>", "<br/>", "<h2>", "</h2>",
    "<ul>", "</ul>", "<li>", "</li>", "<blockquote>", "</blockquote>", "<hr>", "<pre>",
    "</pre>", "<pre><code></code></pre>", '<img src="https://e.org/i.png"/>', "<\x00>",
    "<b\x00>", "\x00",
]


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(TAGS), max_size=14).map("".join))
def test_plain_grammar_reads_inline_pairs_as_the_spelled_out_one_did(tags: str) -> None:
    from feedwright.validator.rules._html import _INLINE_PAIR
    from feedwright.validator.rules._html import _PAIR
    from feedwright.validator.rules._html import _PLAIN_TAGS

    html = tags.replace("</p>", "x</p>")
    joined = "".join(_TOKEN.findall(html))  # what the grammar reads: the tags alone
    old = _grammar_with_pairs_spelled_out().fullmatch(joined) is not None
    assert (_PLAIN_TAGS.fullmatch(_INLINE_PAIR.sub(_PAIR, joined)) is not None) == old, joined
    assert is_plain_html(html) == (old and _plain_reference(html)), html


def _plain_reference(html: str) -> bool:
    # the rest of is_plain_html's test, unchanged: every '<' a token, blocks paired, refs safe
    from feedwright.validator.rules._html import _SAFE_REF
    from feedwright.validator.rules._html import _blocks_paired

    tags = _TOKEN.findall(html)
    if len(tags) != html.count("<"):
        return False
    joined = "".join(tags)
    if ("</h" in joined or "l>" in joined) and not _blocks_paired(joined):
        return False
    amps = html.count("&")
    return not amps or len(_SAFE_REF.findall(html)) == amps


# --- the one-pass grammar -----------------------------------------------------
# A process that has read enough HTML tells it by one fullmatch of the whole
# text (_plain_html_in_one_pass) instead of the tags alone (_plain_html_by_tags):
# the two must agree on every text, plain, nearly plain, or made of stray tags.

#: Text that may stand between tags: none, words, a '>' (allowed in text), a
#: NUL (a JSON string may hold one), references good and bad.
BETWEEN = st.sampled_from(["", "", "", "", "x", "x", " a > b ", "\x00", "&amp;", "l>", "&bogus;"])
CLEAN_BETWEEN = st.sampled_from(["", "", "", "x", " a > b ", "\x00", "&amp;", "l>"])
#: Every heading and list kind, ended the wrong way too, and
#: the code element on its own.
MORE_TAGS = [*TAGS, "<ol>", "</ol>", "<h1>", "</h1>", "<h6>", "</h6>", "<code>", "</code>",
             "<pre><code>", "</code></pre>", "<li><em>", "</em></li>"]


@st.composite
def tags_with_text(draw: st.DrawFn) -> str:
    tags = draw(st.lists(st.sampled_from(MORE_TAGS), max_size=14))
    return "".join(draw(BETWEEN) + t for t in tags) + draw(BETWEEN)


_PIECE = re.compile(r"(<[^<>]*>)")
BLOCKS = ["", "<ul><li>a</li></ul>", "<ul><li><em>b</em></li><li>c</li></ul>", "<h2>x</h2>",
          "<pre><code>y</code></pre>", "<blockquote><p>q</p>r</blockquote>"]
_CONTAINER = re.compile(r"<(?:[ou]l|pre|a |em|code|/li)")
PHRASES = ["<em>x</em>", "<code>y</code>", "<br>", '<a href="https://e.org/">z</a>',
           '<img src="https://e.org/i.png">']


@st.composite
def near_plain_html(draw: st.DrawFn) -> str:
    """Plain HTML with text drawn between its tags, each heading and list tag
    of a kind of its own, then a tag or two swapped, dropped, doubled or
    added: mostly plain or only just not, where a grammar that read text or
    a block differently would show it."""
    html = draw(plain_html()) + draw(st.sampled_from(BLOCKS))  # plain_html's are few
    if draw(st.booleans()):  # one inline name for another everywhere: <pre><em>
        html = html.replace("code>", draw(INLINE) + ">")
    pieces = [p for p in _PIECE.split(html) if p]
    for at, piece in enumerate(pieces):
        if piece in ("<h2>", "</h2>", "<ul>", "</ul>"):
            kinds = ["h1", "h2", "h6"] if "h" in piece else ["ul", "ol"]
            pieces[at] = piece.replace(piece.strip("</>"), draw(st.sampled_from(kinds)))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(pieces)))
        how = draw(st.sampled_from(["swap", "drop", "double", "insert", "inside"]))
        inside = [i for i, p in enumerate(pieces) if _CONTAINER.match(p)]
        if how == "inside" and inside:  # phrasing in a list, a link, a pair, pre
            pieces.insert(draw(st.sampled_from(inside)) + 1, draw(st.sampled_from(PHRASES)))
        elif how in ("insert", "inside") or at == len(pieces):
            pieces.insert(at, draw(st.sampled_from(MORE_TAGS)))
        elif how == "swap":
            pieces[at] = draw(st.sampled_from(MORE_TAGS))
        elif how == "drop":
            del pieces[at]
        else:
            pieces.insert(at, pieces[at])
    # a bad reference anywhere would hide what the grammars say
    return "".join(draw(CLEAN_BETWEEN) + p for p in pieces) + draw(CLEAN_BETWEEN)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.one_of(near_plain_html(), near_plain_html(), near_plain_html(), tags_with_text(),
                 mutated_html(), st.lists(NOISE | TEXT | BETWEEN, max_size=12).map("".join)))
def test_one_pass_grammar_agrees_with_the_tags_alone(html: str) -> None:
    from feedwright.validator.rules._html import _plain_html_by_tags
    from feedwright.validator.rules._html import _plain_html_in_one_pass

    assert _plain_html_in_one_pass(html) == _plain_html_by_tags(html), html


@pytest.mark.parametrize("html", [
    "<p>a</p></p>", "<em>x</strong>", "<h2>x</h3>", "<h1>a</h1><h2>b</h3>",
    "<ul><li>a</li></ul><ol><li>b</li></ul>", "<p>x</p> and <", "<p>a<b</p>", "<p>x</p><",
    "<h3>x</h3><ol></ol><p>l> is text</p>", "a > b <p>c</p> d > e", "<p>x</p>>", "",
    "<pre>a<code>b</code>c</pre>", "<pre><em>b</em></pre>", "<ul>x<li>a</li>y</ul>",
    "<ul><em>a</em></ul>", "<a href=\"https://e.org/\">a<em>b</em>c</a>",
    "<a href=\"https://e.org/\"><a href=\"https://e.org/\">x</a></a>", "<em><em>x</em></em>",
    '<a href="https://e.org/x>y">z</a>', "<p>a</p>\x00<em>b</em>", "<p>&amp; &copy</p>",
])
def test_one_pass_grammar_agrees_on_edges(html: str) -> None:
    from feedwright.validator.rules._html import _plain_html_by_tags
    from feedwright.validator.rules._html import _plain_html_in_one_pass

    assert _plain_html_in_one_pass(html) == _plain_html_by_tags(html), html


def test_one_pass_grammar_is_compiled_only_after_enough_html(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from feedwright.validator.rules import _html

    monkeypatch.setattr(_html, "_one_pass", None)
    monkeypatch.setattr(_html, "_read", 0)
    monkeypatch.setattr(_html, "_ONE_PASS_AFTER", 100)
    text = "<p>" + "word " * 10 + "</p>"  # 57 characters
    assert _html._plain_html(text) and _html._one_pass is None
    assert _html._plain_html(text) and _html._one_pass is not None
    assert not _html._plain_html("<p>x</h2>")

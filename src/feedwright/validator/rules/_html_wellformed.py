"""HTML well-formedness: what an HTML5 parser reports as a parse error in escaped HTML."""

from __future__ import annotations

import re
from functools import lru_cache

from feedwright.validator.rules._html import HTML_TAGS
from feedwright.validator.rules._html import INLINE

# --- HTML well-formedness (what an HTML5 parser reports as a parse error) --

_VOID = frozenset(
    "area base basefont bgsound br col command embed frame hr img input isindex keygen link "
    "meta param source track wbr".split()
)
#: Elements whose end tag may be left out (closed by what follows or by the end).
_IMPLIED_END = frozenset("dd dt li optgroup option p rb rp rt rtc".split())
_EOF_OK = _IMPLIED_END | frozenset("tbody td tfoot th thead tr body html".split())
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
#: Start tags that close an open <p>.
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt listing plaintext xmp search".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SCOPE_STOP = frozenset("applet caption html table td th marquee object template".split())
_TABLE_PARTS = frozenset("caption col colgroup tbody td tfoot th thead tr".split())
_NOT_IN_FRAGMENT = frozenset("html head body frameset".split())
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split())
_RCDATA = frozenset(("textarea", "title"))
_KNOWN_HTML = HTML_TAGS | {"slot", "isindex", "command"}
_P = frozenset({"p"})

# --- SVG and MathML inside HTML (HTML's "foreign content") --------------------
#: The elements that start foreign content: inline SVG and MathML are HTML5.
FOREIGN_ROOTS = frozenset({"svg", "math"})
#: Start tags that an HTML parser takes as HTML inside SVG or MathML: a parse
#: error, which closes the drawing early (HTML's "in foreign content" rules;
#: ``font`` only with color, face or size).
_BREAKOUT = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i "
    "img li listing menu meta nobr ol p pre ruby s small span strike strong sub sup table tt "
    "u ul var".split()
)
_FONT_BREAKOUT = re.compile(r"(?:^|\s)(?:color|face|size)\s*(?:=|\s|$)", re.I)
#: Elements of SVG and MathML whose content is parsed as HTML again (HTML
#: "integration points"): their content is skipped, not judged.
_INTEGRATION = frozenset(
    "foreignobject desc title mi mo mn ms mtext annotation-xml".split()
)

# One token: comment, end tag, start tag, or a '<' that starts none of them.
_H_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_H_END = re.compile(r"</([a-zA-Z][^\s/>]*)\s*>")
_H_START = re.compile(
    r"<([a-zA-Z][^\s/>]*)"
    r"((?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?)*)"
    r"\s*(/?)>"
)
_H_ATTR = re.compile(r"([^\s\"'<>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?")
# A tag at a '<': an end tag (group 1) or a start tag (groups 2-4).
_H_TAG = re.compile(rf"{_H_END.pattern}|{_H_START.pattern}")
# The commonest markup, taken in one step: a bare phrasing element around plain
# text (<em>word</em>).  These elements close nothing and nest anywhere, so the
# pair is never an error and leaves the open elements as they were.
assert not INLINE & (_CLOSES_P | _HEADINGS | _VOID | _RAW_TEXT | _TABLE_PARTS
                     | {"a", "button", "nobr", "form", "li", "dd", "dt", "table"})
assert INLINE <= _KNOWN_HTML
_H_INLINE_PAIR = re.compile(rf"<({'|'.join(sorted(INLINE))})>[^<&]*</\1>")
_NUMERIC = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))(;?)")
_ENTITY_HEAD = re.compile(r"&([A-Za-z0-9]*)")
_LITERAL_AMP = " \t\n\r\f<&"


def _bad_codepoint(cp: int) -> bool:
    return (
        cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF or 0x80 <= cp <= 0x9F
        or 0x01 <= cp <= 0x08 or cp in (0x0B, 0x7F) or 0x0E <= cp <= 0x1F
        or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE
    )


def _char_ref_problem(s: str, i: int) -> str | None:
    """Why the '&' at ``s[i]`` does not start a valid character reference."""
    nxt = s[i + 1: i + 2]
    if not nxt or nxt in _LITERAL_AMP:
        return None
    if nxt == "#":
        m = _NUMERIC.match(s, i)
        if m is None:
            return f"{s[i:i + 8]!r}: '&#' without digits"
        cp = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if not m.group(3):
            return f"{m.group()!r} has no ';'"
        if _bad_codepoint(cp):
            return f"{m.group()!r} is not an allowed character"
        return None
    name = _ENTITY_HEAD.match(s, i).group(1)  # type: ignore[union-attr]
    entities = html_entities()
    for end in range(len(name), 0, -1):
        head = name[:end]
        if end == len(name) and s[i + 1 + end: i + 2 + end] == ";" and head + ";" in entities:
            return None
        if head in entities:
            return f"'&{head}' has no ';'; write &amp; for a literal '&'"
    return f"{s[i:i + 12]!r} is not a character reference; write &amp; for a literal '&'"


@lru_cache(maxsize=1)
def html_entities() -> frozenset[str]:
    """Names of HTML character references, with and without the ";" (the legacy ones)."""
    from html.entities import html5

    return frozenset(html5)


def _refs_problem(s: str) -> str | None:
    i = s.find("&")
    while i >= 0:
        problem = _char_ref_problem(s, i)
        if problem is not None:
            return problem
        i = s.find("&", i + 1)
    return None


def _in_scope(stack: list[str], names: frozenset[str] | set[str], *, button: bool = False) -> bool:
    for el in reversed(stack):
        if el in names:
            return True
        if el in _SCOPE_STOP or (button and el == "button"):
            return False
    return False


def _close_p(stack: list[str]) -> str | None:
    """Close the open <p>: an error when something other than implied ends is inside it."""
    problem = None
    while stack:
        el = stack.pop()
        if el == "p":
            break
        if el not in _IMPLIED_END and problem is None:
            problem = f"<{el}> is still open when its <p> ends"
    return problem


def _attrs_problem(name: str, attrs: str) -> str | None:
    """A repeated attribute or a bad character reference in a start tag's attributes."""
    if not attrs:
        return None
    seen: set[str] = set()
    for a in _H_ATTR.finditer(attrs):
        key = a.group(1).lower()
        if key in seen:
            return f"<{name}> repeats the attribute {key!r}"
        seen.add(key)
        value = a.group(2) or ""
        if "&" in value:
            problem = _refs_problem(value[1:-1] if value[:1] in ("\"", "'") else value)
            if problem is not None:
                return f"in <{name} {key}=…>: {problem}"
    return None


def _foreign(html: str, pos: int, root: str) -> tuple[int, str | None]:
    """Read SVG or MathML content from ``pos`` (just after ``<svg …>`` or
    ``<math …>``) to the root's end tag: where it ends, and the first parse error.

    There any element name goes and any element may be self-closed
    (``<path d="…"/>``), as in XML; what an HTML parser faults is an end tag
    that does not close the element open there, an HTML element that breaks
    out of the drawing (``<div>``, ``<p>``), or the drawing never closed.  The
    content of HTML integration points (``<foreignObject>``, SVG ``<title>``,
    MathML ``<mi>``…) is skipped, not judged.
    """
    stack = [root]
    n = len(html)
    while stack:
        lt = html.find("<", pos)
        amp = html.find("&", pos, n if lt < 0 else lt)
        while amp >= 0:
            problem = _char_ref_problem(html, amp)
            if problem is not None:
                return amp, problem
            amp = html.find("&", amp + 1, n if lt < 0 else lt)
        if lt < 0:
            return n, f"<{root}> is never closed"
        if html.startswith("<!--", lt) or html.startswith("<![CDATA[", lt):
            cdata = html[lt + 2] == "["
            end = html.find("]]>" if cdata else "-->", lt + 4)
            if end < 0:
                return n, "a CDATA section is not closed" if cdata else (
                    "a comment is not closed with '-->'")
            pos = end + 3
            continue
        m = _H_TAG.match(html, lt)
        if m is None:
            return lt, f"a malformed or unfinished tag at {html[lt:lt + 20]!r}"
        end_name, start_name, attrs, solidus = m.groups()
        pos = m.end()
        if end_name is not None:
            if end_name.lower() != stack[-1]:
                return pos, f"</{end_name.lower()}> while <{stack[-1]}> is open in <{root}>"
            stack.pop()
            continue
        name = start_name.lower()
        if name in _BREAKOUT or (name == "font" and _FONT_BREAKOUT.search(attrs or "")):
            return pos, (f"<{name}> inside <{root}>: HTML ends the drawing there; close "
                         f"<{root}> first")
        problem = _attrs_problem(name, attrs)
        if problem is not None:
            return pos, problem
        if solidus:
            continue
        if name in _INTEGRATION:
            close = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(html, pos)
            if close is None:
                return n, f"<{name}> is never closed in <{root}>"
            pos = close.end()
            continue
        stack.append(name)
    return pos, None


def _start_tag(stack: list[str], name: str, attrs: str, solidus: bool) -> str | None:
    """Update the open-element stack for a start tag; why it is an error, if it is."""
    if name not in _KNOWN_HTML:
        return f"<{name}> is not an HTML element"
    problem = _attrs_problem(name, attrs)
    if problem is not None:
        return problem
    if solidus and name not in _VOID:
        return f"<{name}/> : only void elements such as <br/> may be self-closed"
    if name in _NOT_IN_FRAGMENT:
        return f"<{name}> inside content"
    if name in _TABLE_PARTS:
        return f"<{name}> outside a <table>"
    problem = None
    if name in _CLOSES_P and "p" in stack and _in_scope(stack, _P, button=True):
        problem = _close_p(stack)
    if name in _HEADINGS and stack and stack[-1] in _HEADINGS:
        return f"<{name}> inside <{stack[-1]}>"
    if name in ("li", "dd", "dt"):
        group = {"li"} if name == "li" else {"dd", "dt"}
        for pos in range(len(stack) - 1, -1, -1):
            el = stack[pos]
            if el in group:
                if any(e not in _IMPLIED_END for e in stack[pos + 1:]):
                    problem = problem or f"<{name}> while <{stack[-1]}> is open"
                del stack[pos:]
                break
            if el not in _IMPLIED_END and el not in _FORMATTING and el not in (
                "address", "div", "span"
            ):
                break
    if name in ("a", "button", "nobr", "form") and name in stack:
        return f"<{name}> inside another <{name}>"
    if name not in _VOID:
        stack.append(name)
    return problem


def _end_tag(stack: list[str], name: str) -> str | None:
    """Update the stack for an end tag; why it is an error, if it is."""
    if name == "br" or name in _VOID:
        return f"</{name}> is not a valid end tag"
    if name == "p":
        if not _in_scope(stack, _P, button=True):
            return "</p> without an open <p>"
        return _close_p(stack)
    if name in _HEADINGS:
        if not _in_scope(stack, _HEADINGS):
            return f"</{name}> without an open heading"
        problem = None if stack[-1] == name else f"</{name}> while <{stack[-1]}> is open"
        while stack and stack.pop() not in _HEADINGS:
            pass
        return problem
    if name not in stack:
        return f"</{name}> without an open <{name}>"
    if name in ("li", "dd", "dt") or name not in _FORMATTING:
        # Elements with optional end tags close silently, except the one named.
        while stack[-1] != name and stack[-1] in _IMPLIED_END:
            stack.pop()
    if stack[-1] != name:
        problem = f"</{name}> while <{stack[-1]}> is still open"
        while stack.pop() != name:
            pass
        return problem
    stack.pop()
    return None


def html_problem(html: str) -> str | None:
    """The first thing an HTML5 parser reports as a parse error in ``html``, or None.

    A conservative model of the HTML5 tokenizer and tree builder, for a
    fragment (a feed's escaped HTML): tags cut off at the end, stray or
    misnested end tags, elements left open that need an end tag, unknown
    elements, malformed character references.  Inline SVG and MathML are
    HTML5 too, read by their own rules (``_foreign``).  Table internals are
    not checked.  When unsure it says nothing.
    """
    if "<" not in html and "&" not in html:
        return None
    stack: list[str] = []
    table_depth = 0
    pos, n = 0, len(html)
    amp = html.find("&")
    while pos < n:
        # The next '<' or '&' (str.find is much faster than a regex search).
        if 0 <= amp < pos:
            amp = html.find("&", pos)
        lt = html.find("<", pos)
        if lt < 0 or 0 <= amp < lt:
            if amp < 0:
                break
            problem = None if table_depth else _char_ref_problem(html, amp)
            if problem is not None:
                return problem
            pos = amp + 1
            continue
        m = _H_INLINE_PAIR.match(html, lt)
        if m is not None:
            pos = m.end()
            continue
        m = _H_TAG.match(html, lt)
        if m is not None:
            end_name, start_name, attrs, solidus = m.groups()
            pos = m.end()
            if end_name is not None:
                name = end_name.lower()
                if table_depth:
                    if name == "table":
                        table_depth -= 1
                        if not table_depth:
                            stack.pop()
                    continue
                problem = _end_tag(stack, name)
                if problem is not None:
                    return problem
                continue
            name = start_name.lower()
            if name in FOREIGN_ROOTS:
                problem = _attrs_problem(name, attrs)
                if problem is None and not solidus:
                    pos, problem = _foreign(html, pos, name)
                if problem is not None and not table_depth:
                    return problem
                continue
            if name not in _KNOWN_HTML:
                return f"<{name}> is not an HTML element"
            if table_depth:
                if name == "table":
                    table_depth += 1
                elif name in _RAW_TEXT:
                    pos = _skip_raw(html, pos, name)
                    if pos < 0:
                        return f"<{name}> is not closed"
                continue
            problem = _start_tag(stack, name, attrs, bool(solidus))
            if problem is not None:
                return problem
            if name in _RAW_TEXT:
                end = _skip_raw(html, pos, name)
                if end < 0:
                    return f"<{name}> is not closed"
                if name in _RCDATA:
                    problem = _refs_problem(html[pos:end])
                    if problem is not None:
                        return problem
                stack.pop()
                close = html.find(">", end)
                if close < 0:
                    return f"</{name}> is not closed with '>'"
                pos = close + 1
            elif name == "table":
                table_depth = 1
            elif name == "plaintext":
                return None
            continue
        # A comment, or a '<' that starts no well-formed tag.
        i = lt
        if html.startswith("<!--", i):
            c = _H_COMMENT.match(html, i)
            if c is None:
                return "a comment is not closed with '-->'"
            if "--" in c.group(1).strip("-") or c.group(1).endswith("-"):
                return "'--' inside a comment"
            pos = c.end()
            continue
        rest = html[i + 1: i + 2]
        if not rest or not (rest.isascii() and (rest.isalpha() or rest == "/")):
            around = html[max(0, i - 10): i + 10]
            return f"a '<' that starts no tag in {around!r}; write &lt;"
        if rest == "/":
            return f"a malformed end tag at {html[i:i + 20]!r}"
        return f"a malformed or unfinished tag at {html[i:i + 20]!r}"
    if table_depth:
        return "<table> is not closed"
    left = [el for el in stack if el not in _EOF_OK]
    if left:
        return f"<{left[-1]}> is never closed"
    return None


def _skip_raw(html: str, pos: int, name: str) -> int:
    """Where the end tag of raw-text element ``name`` starts, or -1."""
    m = re.compile(rf"</{name}[\s/>]", re.I).search(html, pos)
    return m.start() if m else -1

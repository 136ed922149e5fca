"""DTD pre-scan: DOCTYPE and entity checks before lxml sees the document.

External DTDs and entities are reported (they are never loaded), and internal
entities that would expand too far stop the parse.
"""

from __future__ import annotations

import re

from feedwright.validator.parse_rules import ENTITY_EXPANSION
from feedwright.validator.parse_rules import EXTERNAL_DTD
from feedwright.validator.parse_rules import EXTERNAL_ENTITY
from feedwright.validator.parse_rules import _issue
from feedwright.validator.parse_rules import _line_col
from feedwright.validator.report import Issue

#: The most characters one internal entity may expand to; billion-laughs style
#: nesting passes this long before it hurts (libxml2's amplification guard is
#: the backstop for references repeated in the body).
MAX_ENTITY_EXPANSION = 100_000
#: How far into the text a DOCTYPE is looked for.
DOCTYPE_WITHIN = 1_000_000


# --- DTD pre-scan ---------------------------------------------------------------

_DOCTYPE = re.compile(
    r"""<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM|PUBLIC\s+(?:"[^"]*"|'[^']*'))\s+("[^"]*"|'[^']*'))?\s*(\[)?"""
)
_ENTITY = re.compile(
    r"""<!ENTITY\s+(%\s+)?([^\s%;"'>]+)\s+(?:(SYSTEM|PUBLIC)\s|("[^"]*"|'[^']*'))"""
)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_REF = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_SPECIAL = re.compile(r"""["'\]]|<!--""")


def _subset_end(text: str, pos: int) -> int:
    """Index of the ``]`` closing the internal subset from ``pos`` (linear, hostile-safe)."""
    while True:
        m = _SPECIAL.search(text, pos)
        if m is None:
            return len(text)
        tok = m.group()
        if tok == "]":
            return m.start()
        close = "-->" if tok == "<!--" else tok
        end = text.find(close, m.end())
        if end < 0:
            return len(text)
        pos = end + len(close)


def _prescan(text: str) -> tuple[list[Issue], set[str], bool]:
    """DOCTYPE checks before lxml sees the bytes.

    Returns issues, the names of external entities, and whether parsing must stop.
    """
    start = text.find("<!DOCTYPE", 0, DOCTYPE_WITHIN)
    if start < 0:
        return [], set(), False
    m = _DOCTYPE.match(text, start)
    if m is None:
        return [], set(), False
    issues: list[Issue] = []
    if m.group(1):
        line, col = _line_col(text, start)
        issues.append(_issue(EXTERNAL_DTD, m.group(1)[1:-1], line, col))
    if not m.group(2):
        return issues, set(), False
    end = _subset_end(text, m.end())
    external: set[str] = set()
    values: dict[str, str] = {}
    where: dict[str, int] = {}
    for d in _ENTITY.finditer(text, m.end(), end):
        name = ("%" if d.group(1) else "") + d.group(2)
        where.setdefault(name, d.start())
        if d.group(3):
            external.add(d.group(2))
            line, col = _line_col(text, d.start())
            ident = _QUOTED.search(text, d.end(), end)
            target = f" {ident.group()}" if ident else ""
            issues.append(_issue(
                EXTERNAL_ENTITY, f"{_ref(d)} ({d.group(3)}{target}) is never loaded", line, col
            ))
        elif not d.group(1):
            values.setdefault(name, d.group(4)[1:-1])
    stop = False
    sizes: dict[str, int] = {}
    for name in values:
        over = _expanded(name, values, sizes, ())
        if over is not None:
            line, col = _line_col(text, where[name])
            issues.append(_issue(ENTITY_EXPANSION, f"&{name}; {over}", line, col))
            stop = True
            break
    return issues, external, stop


def _expanded(name: str, values: dict[str, str], sizes: dict[str, int],
              stack: tuple[str, ...]) -> str | None:
    """Why entity ``name`` expands too far (None if it does not); fills ``sizes``."""
    if name in sizes:
        return None
    if name in stack:
        return "refers to itself"
    if len(stack) > 16:
        return "nests entities more than 16 deep"
    total = len(values[name])
    for ref in _REF.finditer(values[name]):
        inner = ref.group(1)
        if inner not in values:
            continue
        why = _expanded(inner, values, sizes, (*stack, name))
        if why is not None:
            return why
        total += sizes[inner]
        if total > MAX_ENTITY_EXPANSION:
            return f"expands to more than {MAX_ENTITY_EXPANSION:,} characters"
    sizes[name] = total
    return None


def _ref(decl: re.Match[str]) -> str:
    return f"%{decl.group(2)};" if decl.group(1) else f"&{decl.group(2)};"

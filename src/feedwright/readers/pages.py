"""Archive listing pages: the blog's own text format (see archive/ and tests/data/pages/).

Each entry is a title line, a blank, a summary paragraph, a blank and a meta
line ``Month D, YYYY · N min · N words · author`` whose separators are
NO-BREAK SPACES; a page ends with a stray ``Feedback`` footer.  A block that
cannot be read stops the run at ``file:line``: nothing is dropped silently.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.model import Author
from feedwright.readers.raw import RawEntry

_MONTHS = {
    name: number
    for number, name in enumerate(
        "January February March April May June July August September October November December"
        .split(),
        start=1,
    )
}
# Separators are U+00A0 in the real pages; plain spaces are accepted too, since
# copying a page through an editor often turns them into ordinary spaces.
_SEP = r"[ \u00a0\u202f]+·[ \u00a0\u202f]+"
_META = re.compile(
    r"^(?P<month>[A-Z][a-z]+)[ \u00a0](?P<day>\d{1,2}),[ \u00a0](?P<year>\d{4})"
    + _SEP + r"(?P<minutes>\d+)[ \u00a0]min"
    + _SEP + r"(?P<words>\d[\d,]*)[ \u00a0]words?"
    + _SEP + r"(?P<author>\S.*?)\s*$"
)
_META_SHAPE = "'Month D, YYYY · N min · N words · author'"
FOOTER = "Feedback"


def _is_meta_like(line: str) -> bool:
    """Looks like a meta line, well-formed or not (so a broken one is reported as such)."""
    return len(line) < 300 and line.count("·") >= 2 and bool(re.search(r"\d", line))


def _meta(line: str, where: str) -> tuple[date, int, int, str]:
    m = _META.match(line)
    if not m:
        raise InputError(
            f"cannot read the meta line {quoted(line.strip())}; expected {_META_SHAPE}", where)
    month = _MONTHS.get(m["month"])
    if month is None:
        raise InputError(f"unknown month {quoted(m['month'])} in the meta line; expected an "
                         "English month name such as 'March'", where)
    try:
        day = date(int(m["year"]), month, int(m["day"]))
    except ValueError as exc:
        raise InputError(f"impossible date in the meta line {quoted(line.strip())}: {exc}",
                         where) from None
    return day, int(m["minutes"]), int(m["words"].replace(",", "")), m["author"]


def parse_page(text: str, file: str) -> list[RawEntry]:
    """Read one listing page.

    Args:
        text: The page's text.
        file: Its name, for ``file:line`` in errors and in each entry's source.

    Returns:
        The page's entries in page order (newest first).

    Raises:
        InputError: A block does not have the title / summary / meta shape.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Drop the page footer: the last non-blank line when it is exactly "Feedback".
    last = len(lines) - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    if last >= 0 and lines[last].strip() == FOOTER:
        lines = lines[:last]

    entries: list[RawEntry] = []
    paragraphs: list[tuple[int, str]] = []  # (line number, text) since the last meta line
    current: list[str] = []
    start = 0

    def close_paragraph() -> None:
        nonlocal current
        if current:
            paragraphs.append((start, " ".join(s.strip() for s in current)))
            current = []

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            close_paragraph()
            continue
        if _is_meta_like(line):
            close_paragraph()
            where = f"{file}:{number}"
            published, minutes, words, author = _meta(line, where)
            if len(paragraphs) != 2:
                first = paragraphs[0][0] if paragraphs else number
                found = "nothing" if not paragraphs else f"{len(paragraphs)} paragraph(s)"
                raise InputError(
                    f"the entry ending here has {found} before its meta line; expected a title "
                    "line, a blank line, a summary paragraph and a blank line",
                    f"{file}:{first}" if paragraphs else where,
                )
            (title_line, title), (_, summary) = paragraphs
            entries.append(
                RawEntry(
                    title=title,
                    summary=summary,
                    published=published,
                    source=f"{file}:{title_line}",
                    authors=(Author(author),),
                    reading_time=minutes,
                    word_count=words,
                )
            )
            paragraphs = []
            continue
        if not current:
            start = number
        current.append(line)
    close_paragraph()
    if paragraphs:
        raise InputError(
            f"text with no meta line after it ({quoted(paragraphs[0][1][:40])}…); every entry ends "
            f"with a line like {_META_SHAPE}",
            f"{file}:{paragraphs[0][0]}",
        )
    return entries


def read_page(path: Path) -> list[RawEntry]:
    """Read a listing page file (UTF-8)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    return parse_page(text, str(path))

"""Hugo's URLs, made the way Hugo 0.111 makes them: ``urlize``, permalink patterns, ``url``.

A feed whose links 404 is worse than none, so a Hugo post's URL is not a
feedwright slug but the one Hugo itself gives the page.  Hugo makes it in
steps, and each step is mirrored here (the reference data is
``tests/data/sites/hugo-urlize.json`` and ``tests/data/sites/hugo-toml/
hugo-list-all.csv``, written by the real Hugo 0.111.3):

1. A placeholder's value (``:title``, ``:slug``, ``:filename``) is *urlized*:
   sanitized (letters, digits, marks and ``. / \\ _ # + ~ - @`` kept, a run
   of spaces becomes one hyphen, everything else dropped), lower-cased rune
   by rune, and percent-escaped like Go's ``url.Parse(…).String()``.
2. The expanded pattern is *query*-unescaped (so ``+`` becomes a space and
   ``%25`` a bare ``%``): this is why ``C++`` ends as ``c-`` and ``50%25 off``
   as ``50-off``.
3. The path is joined and cleaned (``path.Join``), given its trailing slash,
   then sanitized, lower-cased and escaped once more, as a whole.

A default path (no pattern for the section) skips steps 1 and 2; a front
matter ``url`` skips the sanitizing too: its case and characters are kept,
only escaped.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

#: Go's ``unicode.IsSpace``: ASCII spaces, NEL, NBSP and the Unicode White_Space runes.
_GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)
_HEX = frozenset("0123456789abcdefABCDEF")
_PATH_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@"
)
#: Go ``shouldEscape`` in fragment mode also leaves ``?`` and ``! ( ) *`` alone.
_FRAGMENT_SAFE = _PATH_SAFE | frozenset("?!()*")
#: Go ``validEncoded``: what a raw (already escaped) path may hold besides unescaped-safe bytes.
_VALID_RAW = frozenset("!$&'()*+,;=:@[]%")


def _allowed(text: str, i: int, char: str) -> bool:
    """Hugo's ``isAllowedPathCharacter`` (common/paths in Hugo 0.111)."""
    if char == " ":
        return False
    category = unicodedata.category(char)
    if category[0] in "LM" or category == "Nd" or char in "./\\_#+~-@":
        return True
    return char == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX


def sanitize(text: str) -> str:
    """Hugo's ``paths.Sanitize``: the path characters kept, a run of spaces one hyphen.

    A space run only becomes a hyphen between kept characters, and never next
    to a hyphen already written (``a - b`` is ``a-b``, ``--x--`` stays).
    """
    out: list[str] = []
    hyphen_due = was_hyphen = False
    for i, char in enumerate(text):
        if _allowed(text, i, char):
            was_hyphen = char == "-"
            if hyphen_due and not was_hyphen:
                out.append("-")
            hyphen_due = False
            out.append(char)
        elif out and not was_hyphen and char in _GO_SPACE:
            hyphen_due = True
    return "".join(out)


def go_lower(text: str) -> str:
    """Go's ``strings.ToLower``: rune by rune, no context (``ΣΑΣ`` → ``σασ``, ``İ`` → ``i``)."""
    return "".join(char.lower()[0] for char in text)


def _unescape(text: str, plus: bool = False) -> str | None:
    """Percent-decoding as Go's (``QueryUnescape`` with ``plus``); None where Go fails."""
    data = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) < 2 or not set(pair) <= _HEX:
                return None
            data.append(int(pair, 16))
            i += 3
            continue
        data.extend((" " if plus and char == "+" else char).encode())
        i += 1
    return data.decode("utf-8", errors="surrogateescape")


def _escape(text: str, safe: frozenset[str]) -> str:
    return "".join(
        char if char in safe else "".join(f"%{b:02X}" for b in char.encode("utf-8",
                                                                          "surrogateescape"))
        for char in text
    )


def _escaped_part(raw: str, safe: frozenset[str]) -> str:
    """A path or fragment as Go's ``URL.String`` writes it back: the raw text when it is a
    valid escaping of the decoded value (``EscapedPath``), else the value escaped afresh."""
    value = _unescape(raw)
    if value is None:  # Go's url.Parse fails; Hugo's sanitize never leaves a bad '%'
        return _escape(raw.replace("%", "%25"), safe)
    fresh = _escape(value, safe)
    valid = all(c in safe or c in _VALID_RAW for c in raw)
    return raw if raw != fresh and valid else fresh


def url_escape(link: str) -> str:
    """Hugo's ``URLEscape``: Go's ``url.Parse(link).String()`` for a path-only link."""
    rest, hash_sign, fragment = link.partition("#")
    path, question, query = rest.partition("?")
    out = _escaped_part(path, _PATH_SAFE) + question + query
    return out + hash_sign + (_escaped_part(fragment, _FRAGMENT_SAFE) if hash_sign else "")


def hugo_urlize(text: str) -> str:
    """Hugo's ``URLize`` (``PathSpec.URLize``): sanitized, lower case, escaped.

    This is a placeholder's value *before* the permalink's own pass; see
    ``urlize`` for what ends up in the URL.
    """
    return url_escape(go_lower(sanitize(text)))


def make_path_link(link: str) -> str:
    """The last step of every generated page link: sanitized, lower case, escaped."""
    return url_escape(go_lower(sanitize(link))) or "/"


def urlize(title: str) -> str:
    """The path segment a title gives under Hugo's ``:title`` (``/:title/`` → ``/<this>/``).

    Not Hugo's bare ``urlize`` function: the permalink's unescaping and second
    sanitizing are applied too, since a feed needs the URL Hugo serves
    (``C++`` → ``c-``, ``plus+plus`` → ``plus-plus``, ``Café`` → ``caf%C3%A9``).
    """
    return page_link_from_pattern("/:title/", PageValues(title=title))[1:-1]


# --- permalink patterns ------------------------------------------------------

#: Go's English names (``strftime`` would follow the locale).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Hugo's ``attributeRegexp``: a name, then an optional ``[…]`` slice.
PLACEHOLDER = re.compile(r":(\w+)(\[.+?\])?")

#: The placeholders Hugo 0.111 knows, plus ``contentbasename`` of later Hugo.
KNOWN = frozenset({
    "year", "month", "monthname", "day", "weekday", "weekdayname", "yearday", "section",
    "sections", "title", "slug", "filename", "slugorfilename", "contentbasename",
    "slugorcontentbasename",
})

#: Go reference-time layout chunks that are words (``:06``, ``:Jan``, ``:Monday`` …),
#: longest first where one is a prefix of another.
_GO_LAYOUT = re.compile(
    r"January|Jan|Monday|Mon|MST|2006|_2006|002|__2|_2|15|0[1-6]|1|2|3|4|5|PM|pm"
)


@dataclass(frozen=True)
class PageValues:
    """What a page's link is made of (``title`` alone suffices for ``urlize``)."""

    title: str = ""
    #: Front matter ``slug`` as written ("" when not given).
    slug: str = ""
    #: The file's name without suffix; a page bundle's folder name.
    filename: str = ""
    #: The first folder under the content folder.
    section: str = ""
    #: The page's section folders (the first, and each below holding ``_index.md``).
    sections: tuple[str, ...] = ()
    #: The folders from the content folder to the page (a bundle's parent).
    dirs: tuple[str, ...] = ()
    #: Hugo's ``Date`` as written (its own offset), for the date placeholders.
    date: datetime | None = None


def pattern_error(pattern: str) -> str | None:
    """Why Hugo refuses the pattern (an unknown placeholder, as Hugo's "ill-formed"), or None."""
    for match in PLACEHOLDER.finditer(pattern):
        name = match[1]
        if name in KNOWN:
            if match[2] and name != "sections":
                return f"placeholder :{name} takes no [slice]"
            continue
        if not _GO_LAYOUT.search(name):
            known = ", ".join(f":{k}" for k in sorted(KNOWN))
            return (f"unknown placeholder :{name} (known: {known}, or a Go date layout "
                    "such as :2006 or :Jan)")
    return None


def _go_format(layout: str, when: datetime) -> str:
    """Go's ``Time.Format`` for the word-only chunks ``_GO_LAYOUT`` finds."""
    def chunk(match: re.Match[str]) -> str:
        token = match[0]
        hour12 = when.hour % 12 or 12
        table: dict[str, Callable[[], str]] = {
            "January": lambda: MONTHS[when.month - 1], "Jan": lambda: MONTHS[when.month - 1][:3],
            "Monday": lambda: DAYS[when.weekday()], "Mon": lambda: DAYS[when.weekday()][:3],
            "MST": lambda: when.tzname() or "", "2006": lambda: f"{when.year:04d}",
            "_2006": lambda: f"_{when.year:04d}",
            "002": lambda: f"{when.timetuple().tm_yday:03d}",
            "__2": lambda: f"{when.timetuple().tm_yday:3d}", "_2": lambda: f"{when.day:2d}",
            "15": lambda: f"{when.hour:02d}", "01": lambda: f"{when.month:02d}",
            "02": lambda: f"{when.day:02d}", "03": lambda: f"{hour12:02d}",
            "04": lambda: f"{when.minute:02d}", "05": lambda: f"{when.second:02d}",
            "06": lambda: f"{when.year % 100:02d}", "1": lambda: str(when.month),
            "2": lambda: str(when.day), "3": lambda: str(hour12), "4": lambda: str(when.minute),
            "5": lambda: str(when.second), "PM": lambda: "PM" if when.hour >= 12 else "AM",
            "pm": lambda: "pm" if when.hour >= 12 else "am",
        }
        return table[token]()

    return _GO_LAYOUT.sub(chunk, layout)


def _slice(parts: tuple[str, ...], spec: str) -> tuple[str, ...]:
    """Hugo's ``:sections[…]``: ``[1]``, ``[1:]``, ``[:2]``, ``[last]``, ``[:last]``."""
    inner = spec[1:-1].replace("last", str(len(parts) - 1))
    try:
        if ":" in inner:
            low, high = inner.split(":", 1)
            return parts[int(low or 0): int(high) if high else len(parts)]
        return (parts[int(inner)],) if 0 <= int(inner) < len(parts) else ()
    except ValueError:
        return ()


def _expand(pattern: str, v: PageValues) -> str:
    when = v.date or datetime(1, 1, 1)

    def value(match: re.Match[str]) -> str:
        name = match[1]
        slug = hugo_urlize(v.slug) if v.slug else ""
        filename = hugo_urlize(v.filename)
        simple: dict[str, Callable[[], str]] = {
            "year": lambda: str(when.year), "month": lambda: f"{when.month:02d}",
            "monthname": lambda: MONTHS[when.month - 1], "day": lambda: f"{when.day:02d}",
            "weekday": lambda: str((when.weekday() + 1) % 7),
            "weekdayname": lambda: DAYS[when.weekday()],
            "yearday": lambda: str(when.timetuple().tm_yday), "section": lambda: v.section,
            "title": lambda: hugo_urlize(v.title), "slug": lambda: slug or hugo_urlize(v.title),
            "filename": lambda: filename, "contentbasename": lambda: filename,
            "slugorfilename": lambda: slug or filename,
            "slugorcontentbasename": lambda: slug or filename,
        }
        if name == "sections":
            return "/".join(_slice(v.sections, match[2]) if match[2] else v.sections)
        if name in simple:
            return simple[name]()
        return _go_format(name, when)

    return PLACEHOLDER.sub(value, pattern)


def page_link_from_pattern(pattern: str, values: PageValues, ugly: bool = False) -> str:
    """The site-relative link a permalink pattern gives (Hugo's ``CreateTargetPaths``)."""
    expanded = _unescape(_expand(pattern, values), plus=True)
    if expanded is None:  # Hugo drops an expansion Go cannot unescape: the default path
        return default_link(values, ugly)
    return _finish(expanded, ugly)


def default_link(values: PageValues, ugly: bool = False) -> str:
    """The link of a page in no patterned section: its folders, then slug or file name
    (a page bundle's folder name), sanitized as a whole but not urlized first."""
    return _finish("/".join((*values.dirs, values.slug or values.filename)), ugly)


def _finish(page_path: str, ugly: bool) -> str:
    joined = _clean(page_path)
    link = joined.rstrip("/") + ".html" if ugly and joined != "/" else joined.rstrip("/") + "/"
    return make_path_link(link)


def _clean(path: str) -> str:
    """Go's ``path.Join("/", path)``: one leading slash, no ``//``, ``.`` or ``..``."""
    return posixpath.normpath("/" + path.lstrip("/"))


def link_from_url(url: str) -> str:
    """The site-relative link of a front matter ``url`` (``post/x`` → ``/post/x/``).

    As Hugo 0.111: joined and cleaned, a trailing slash added unless the last
    part has a dot (``/post/x.html`` stays; ``/x/index.html`` oddly becomes
    ``/x/index.html/`` in Hugo too), case and characters kept, only escaped.
    """
    has_slash = url.endswith("/")
    has_dot = "." in url
    cleaned = _clean(url)
    page_path = cleaned.rstrip("/") + "/index.html" if has_slash or not has_dot else cleaned
    if page_path.endswith("/index.html"):
        link = page_path[: -len("index.html")] if has_slash else cleaned + "/"
    else:
        link = page_path
    link = "/" + link.strip("/") + ("/" if link.endswith("/") and link.strip("/") else "")
    return url_escape(link) or "/"


def absolute(base_url: str, link: str) -> str:
    """Hugo's ``PermalinkForBaseURL``: the base URL (with its path) and the link."""
    return base_url.rstrip("/") + "/" + link.lstrip("/")

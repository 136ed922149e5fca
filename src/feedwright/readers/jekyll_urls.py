"""Jekyll's URLs, made the way Jekyll 4.3 and jekyll-feed make them, so feed links never 404.

A post's URL is its permalink template (the post's own ``permalink``, else
the posts collection's, else the site's style) with each ``:placeholder``
replaced by the post's value, then made absolute as jekyll-feed's
``absolute_url`` does it: ``url`` + ``baseurl`` + the path, with the path
percent-encoded segment by segment (NFKC-normalised, every character that
is not allowed in a URL path segment encoded as UTF-8 ``%XX``).  So a
category "Site Updates" stays ``site updates`` on disk and is
``site%20updates`` in the link, as ``tests/data/sites/jekyll-tz/jekyll-feed.xml``
shows.  Placeholder values are computed as Jekyll's own URL placeholders do
(``:title`` keeps case and URL-safe punctuation, ``:slug`` is lower-cased
letters and digits, ``:categories`` are lower-cased with spaces kept), with
the dates in the site's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote
from urllib.parse import unquote
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

#: Jekyll's permalink style names and the templates they stand for (Jekyll 4.3's
#: ``Configuration::STYLE_TO_PERMALINK``); any other value is a template itself.
STYLES: Mapping[str, str] = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}

#: Every placeholder a post's URL may use (Jekyll's ``UrlDrop`` plus ``path`` and
#: ``output_ext``); a template naming another stops Jekyll's build, and ours.
PLACEHOLDERS = frozenset({
    "collection", "name", "title", "slug", "categories", "slugified_categories", "path",
    "output_ext", "year", "month", "day", "hour", "minute", "second", "i_day", "i_month",
    "short_month", "long_month", "short_year", "w_year", "week", "w_day", "short_day",
    "long_day", "y_day",
})

_PLACEHOLDER = re.compile(r":([a-z_]+)")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: What Jekyll's ``slugify`` mode "pretty" keeps besides letters, marks and digits.
_PRETTY_KEPT = frozenset("._~!$&'()+,;=@")

#: What may stand unencoded in a URL path segment (RFC 3986 ``pchar``).
_PCHAR = "!$&'()*+,;=:@-._~"


def template_for(style: str) -> str:
    """The template a ``permalink`` setting stands for: a style name's, or itself."""
    return STYLES.get(style, style)


def unknown_placeholder(template: str) -> str | None:
    """The first ``:name`` in template that is no placeholder, or None when all are known.

    Jekyll also reads ``:month_`` as ``:month`` followed by ``_``.
    """
    for match in _PLACEHOLDER.finditer(template):
        name = match[1]
        if name not in PLACEHOLDERS and name.removesuffix("_") not in PLACEHOLDERS:
            return name
    return None


def slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify`` in its ``default`` and ``pretty`` modes.

    Every run of characters other than letters, marks and decimal digits
    (and, when pretty, ``._~!$&'()+,;=@``) becomes one ``-``; a hyphen at
    either end goes; the result is lower-cased unless cased.  Letters stay
    letters in any script: Jekyll does not transliterate in these modes.
    """
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LM" or category == "Nd" or (pretty and char in _PRETTY_KEPT):
            out.append(char)
        elif not out or out[-1] != "-":
            out.append("-")
    slug = "".join(out)
    slug = slug.removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


def placeholders(
    *,
    slug: str,
    basename: str,
    relative_path: str,
    categories: tuple[str, ...],
    local: datetime,
    collection: str = "posts",
    output_ext: str = ".html",
) -> dict[str, str]:
    """Each placeholder's value for one post, as Jekyll's ``UrlDrop`` gives it.

    Args:
        slug: Front matter ``slug``, else the file name's part after the date.
        basename: The file name without its extension.
        relative_path: The file's path from the site's root, ``/``-separated.
        categories: The post's categories, in order.
        local: The post's date in the site's time zone.
        collection: The collection's label.
        output_ext: The extension of the page written (``.html`` for Markdown).
    """
    lowered = dict.fromkeys(c.lower() for c in categories)
    slugged = dict.fromkeys(slugify(c) for c in categories)
    stem = relative_path.rsplit(".", 1)[0] if "." in relative_path.rsplit("/", 1)[-1] else \
        relative_path
    iso_year, iso_week, iso_day = local.isocalendar()
    return {
        "collection": collection,
        "name": slugify(basename),
        "title": slugify(slug, pretty=True, cased=True),
        "slug": slugify(slug),
        "categories": "/".join(lowered),
        "slugified_categories": "/".join(slugged),
        "path": stem.replace(f"_{collection}", "", 1).rstrip("."),
        "output_ext": output_ext,
        "year": f"{local.year:04d}",
        "month": f"{local.month:02d}",
        "day": f"{local.day:02d}",
        "hour": f"{local.hour:02d}",
        "minute": f"{local.minute:02d}",
        "second": f"{local.second:02d}",
        "i_day": str(local.day),
        "i_month": str(local.month),
        "short_month": _MONTHS[local.month - 1][:3],
        "long_month": _MONTHS[local.month - 1],
        "short_year": f"{local.year % 100:02d}",
        "w_year": str(iso_year),
        "week": f"{iso_week:02d}",
        "w_day": str(iso_day),
        "short_day": _DAYS[iso_day - 1][:3],
        "long_day": _DAYS[iso_day - 1],
        "y_day": f"{local.timetuple().tm_yday:03d}",
    }


def relative_url(template: str, values: Mapping[str, str]) -> str:
    """Jekyll's ``URL#to_s``: the template's placeholders filled, the path sanitised.

    A value's ``%`` and ``#`` are kept literal (Jekyll escapes values before
    the whole URL is normalised); ``..`` and ``./`` are dropped and runs of ``/``
    squeezed, so an empty ``:categories`` leaves no ``//``.

    Raises:
        KeyError: The template names a placeholder not in values.
    """

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        winner = name if name in values else name.removesuffix("_")
        if winner not in values:
            raise KeyError(name)
        value = values[winner].replace("%", "%25").replace("#", "%23")
        return value + match[0][len(winner) + 1 :]

    path = "/" + _PLACEHOLDER.sub(fill, template)
    path = path.replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", path)


def _encode_path(path: str) -> str:
    """A path as Addressable's ``normalize`` writes it (what ``absolute_url`` returns):
    each segment percent-decoded, NFKC-normalised, and re-encoded."""
    return "/".join(
        quote(unicodedata.normalize("NFKC", unquote(segment)), safe=_PCHAR)
        for segment in path.split("/")
    )


def absolute_url(url: str, baseurl: str, path: str) -> str:
    """jekyll-feed's ``absolute_url``: ``url`` + ``baseurl`` + path, normalised.

    Args:
        url: The site's ``url`` (scheme and host, maybe a path).
        baseurl: The site's ``baseurl`` ("" when not set).
        path: The post's relative URL (``relative_url``).
    """
    base = baseurl.rstrip("/")
    if base and not base.startswith("/"):
        base = "/" + base
    parts = urlsplit(url + base + path)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), _encode_path(parts.path),
                       parts.query, parts.fragment))


def jekyll_feed_id(url: str, baseurl: str, path: str, slug: str) -> str:
    """The ``<id>`` jekyll-feed gives a post: its URL's folder, then its slug, made absolute.

    Jekyll's ``Document#id`` is ``File.join(File.dirname(url), slug)``; a
    site that moves from jekyll-feed keeps its entries' ids with this, so
    feed readers do not show every post again as new.

    Args:
        url: The site's ``url``.
        baseurl: The site's ``baseurl``.
        path: The post's relative URL (``relative_url``).
        slug: Front matter ``slug``, else the file name's part after the date.
    """
    folder = path.rstrip("/").rsplit("/", 1)[0]
    return absolute_url(url, baseurl, folder + "/" + slug.lstrip("/"))

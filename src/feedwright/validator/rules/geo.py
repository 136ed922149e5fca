"""Geographic vocabularies: GeoRSS (Simple and GML), W3C Basic Geo, ICBM and GeoURL.

Map views in readers and aggregators (and the many "near me" tools built on
feeds: Google Maps and Bing once read GeoRSS directly, and feedparser
exposes ``where``/``geo_lat``) place entries from these elements.  The rules
follow the W3C Feed Validation Service's checks (InvalidLatitude,
InvalidLongitude, InvalidCoord, InvalidCoordList, CoordComma…), and add
what the GeoRSS spec says and W3C does not check, each rule saying so.

On a document that does not declare their namespaces, the rules cost a
look into the set of declared namespaces (``_ext.declared``: one walk for
the declarations, shared by every vocabulary).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._ext import EXT_FORMATS
from feedwright.validator.rules._ext import elements

GEO_NS = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEOURL_NS = "http://geourl.org/rss/module/"
ICBM_NS = "http://postneo.com/icbm"
GEORSS_NS = "http://www.georss.org/georss"
GML_NS = "http://www.opengis.net/gml"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (GEO_NS, GEOURL_NS, ICBM_NS, GEORSS_NS, GML_NS)

_PREFIXES = {GEO_NS: "geo", GEOURL_NS: "geourl", ICBM_NS: "icbm", GEORSS_NS: "georss",
             GML_NS: "gml"}


def _of(doc: Document, ns: str, *names: str) -> Iterator[etree._Element]:
    found = elements(doc, ns)
    for name in names:
        yield from found.get(name, ())


def _name(el: etree._Element) -> str:
    q = etree.QName(el)
    return f"{_PREFIXES.get(q.namespace or '', 'geo')}:{q.localname}"


_DECIMAL = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")


def _number(value: str) -> float | None:
    v = value.strip()
    return float(v) if _DECIMAL.match(v) else None


def _out_of_range(value: str, limit: float) -> bool:
    n = _number(value)
    return n is None or not -limit <= n <= limit


# --- latitude and longitude elements ----------------------------------------


def _coordinate_elements(doc: Document, kind: str) -> Iterator[etree._Element]:
    short = "lat" if kind == "latitude" else "long"
    yield from _of(doc, GEO_NS, short)
    yield from _of(doc, GEOURL_NS, kind)
    yield from _of(doc, ICBM_NS, kind)


@rule("geo-invalid-latitude", "error", "latitude is not a number from -90 to 90",
      formats=EXT_FORMATS, w3c=("InvalidLatitude",))
def invalid_latitude(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `geo:lat` (W3C Basic Geo), `geourl:latitude` and `icbm:latitude` are
    decimal degrees north, from -90 to 90 (W3C: InvalidLatitude). Map
    views drop an entry whose latitude is out of range or not a number,
    or, worse, place it where the reader's map library wraps it to; a
    latitude and longitude written the wrong way round is the usual cause.

    ## How to fix
    Write decimal degrees, south negative: `<geo:lat>34.048</geo:lat>`;
    check that latitude and longitude are not swapped.
    """
    for el in _coordinate_elements(doc, "latitude"):
        if _out_of_range(el.text or "", 90):
            yield Finding(node=el, detail=f"{_name(el)} {(el.text or '').strip()!r}")


@rule("geo-invalid-longitude", "error", "longitude is not a number from -180 to 180",
      formats=EXT_FORMATS, w3c=("InvalidLongitude",))
def invalid_longitude(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `geo:long`, `geourl:longitude` and `icbm:longitude` are decimal degrees
    east, from -180 to 180 (W3C: InvalidLongitude). Map views drop an
    entry whose longitude is out of range or not a number, or place it
    on the wrong side of the world.

    ## How to fix
    Write decimal degrees, west negative: `<geo:long>-118.2473</geo:long>`.
    """
    for el in _coordinate_elements(doc, "longitude"):
        if _out_of_range(el.text or "", 180):
            yield Finding(node=el, detail=f"{_name(el)} {(el.text or '').strip()!r}")


@rule("geo-point-incomplete", "error", "<geo:Point> lacks <geo:lat> or <geo:long>",
      formats=EXT_FORMATS, w3c=("MissingElement",))
def point_incomplete(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A W3C Basic Geo `geo:Point` is its latitude and longitude (W3C:
    MissingElement); with one of them missing readers have no place to
    show.

    ## How to fix
    Give both: `<geo:Point><geo:lat>34.05</geo:lat><geo:long>-118.24</geo:long></geo:Point>`.
    """
    for point in _of(doc, GEO_NS, "Point"):
        for part in ("lat", "long"):
            if point.find(f"{{{GEO_NS}}}{part}") is None:
                yield Finding(node=point, detail=f"no geo:{part}")


# --- GeoRSS coordinate lists ------------------------------------------------

#: GeoRSS Simple elements and GML elements holding coordinates: how many
#: points they need at least, and whether the first must equal the last.
_SIMPLE = {"point": (1, 1), "line": (2, 0), "polygon": (4, 0), "box": (2, 2)}
_GML = {"pos": (1, 1), "lowerCorner": (1, 1), "upperCorner": (1, 1), "posList": (2, 0)}


def _pairs(value: str) -> tuple[list[tuple[str, str]] | None, bool]:
    """The (lat, long) pairs of a coordinate list, and whether commas separated them.

    GeoRSS separates every number with white space; W3C also accepts a
    comma between the two numbers of a pair (CoordComma, a warning).
    """
    tokens = value.split()
    if any("," in t for t in tokens):
        pairs = []
        for t in tokens:
            parts = t.split(",")
            if len(parts) != 2:
                return None, True
            pairs.append((parts[0], parts[1]))
        return pairs, True
    if len(tokens) % 2:
        return None, False
    return list(zip(tokens[::2], tokens[1::2], strict=True)), False


def _wgs84(el: etree._Element) -> bool:
    """Whether ``el``'s coordinates are WGS84 latitude-longitude (no other srsName in scope)."""
    node: etree._Element | None = el
    while node is not None:
        srs = node.get("srsName")
        if srs is not None:
            return srs.strip().endswith(":4326")
        node = node.getparent()
    return True


def _coordinates_problem(el: etree._Element, least: int, exactly: int) -> str | None:
    value = el.text or ""
    pairs, _ = _pairs(value)
    if pairs is None:
        return f"{value.strip()!r} is not a list of latitude-longitude pairs"
    for lat, lon in pairs:
        if _number(lat) is None or _number(lon) is None:
            return f"'{lat} {lon}' is not a pair of decimal numbers"
    if exactly and len(pairs) != exactly:
        return f"{len(pairs)} points; {_name(el)} holds {exactly}"
    if len(pairs) < least:
        return f"{len(pairs)} point(s); {_name(el)} needs at least {least}"
    if etree.QName(el).localname == "polygon" and pairs[0] != pairs[-1]:
        return "the polygon is not closed: its last point must repeat its first"
    if _wgs84(el):
        for lat, lon in pairs:
            if _out_of_range(lat, 90) or _out_of_range(lon, 180):
                return f"({lat}, {lon}) is outside latitude -90..90, longitude -180..180"
    return None


@rule("geo-invalid-coordinates", "error", "GeoRSS coordinates are not latitude-longitude pairs",
      formats=EXT_FORMATS, w3c=("InvalidCoord", "InvalidCoordList"))
def invalid_coordinates(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    GeoRSS writes places as decimal latitude-longitude pairs, separated by
    white space: one pair in `georss:point` and `gml:pos`, two or more in
    `georss:line` and `gml:posList`, two (the corners) in `georss:box`
    (W3C: InvalidCoord, InvalidCoordList). Readers split the text on
    white space and pair the numbers: an odd count, a word or a missing
    number shifts every pair, and the entry is drawn in the wrong place or
    dropped. Beyond W3C's checks, as the GeoRSS spec says: a
    `georss:polygon` needs at least four pairs with the last repeating the
    first (readers do not close it for you), and WGS84 pairs (GeoRSS
    Simple, GML without another `srsName`) lie within latitude -90..90 and
    longitude -180..180 — a pair written longitude first usually does not.
    W3C does not know `georss:box` (it reports UndefinedElement); GeoRSS
    Simple defines it, and we check it as two corners.

    ## How to fix
    Write latitude first: `<georss:point>45.256 -71.92</georss:point>`;
    close polygons by repeating the first pair at the end.
    """
    for el in _of(doc, GEORSS_NS, *_SIMPLE):
        problem = _coordinates_problem(el, *_SIMPLE[etree.QName(el).localname])
        if problem:
            yield Finding(node=el, detail=problem)
    for el in _of(doc, GML_NS, *_GML):
        problem = _coordinates_problem(el, *_GML[etree.QName(el).localname])
        if problem:
            yield Finding(node=el, detail=problem)


@rule("geo-coordinate-comma", "warning", "GeoRSS coordinates are separated by a comma",
      formats=EXT_FORMATS, w3c=("CoordComma",))
def coordinate_comma(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    GeoRSS separates latitude from longitude with white space, not a
    comma (W3C: CoordComma). Readers that split on white space read
    `45.256,-71.92` as one number, or none, and lose the place.

    ## How to fix
    Write `45.256 -71.92`.
    """
    for el in [*_of(doc, GEORSS_NS, *_SIMPLE), *_of(doc, GML_NS, *_GML)]:
        pairs, comma = _pairs(el.text or "")
        if comma and pairs is not None:
            yield Finding(node=el, detail=(el.text or "").strip())


_INTEGER = re.compile(r"[-+]?[0-9]+\Z")


@rule("geo-invalid-number", "error",
      "a GeoRSS elevation, floor or radius (or geo:alt) is not a number",
      formats=EXT_FORMATS, w3c=("InvalidFloatUnit", "InvalidInteger", "InvalidFloat"))
def invalid_number(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `georss:elev` and `geo:alt` are decimal metres (negative below sea
    level), `georss:floor` a whole number and `georss:radius` a decimal
    number of metres not below zero (W3C: InvalidFloatUnit,
    InvalidInteger, InvalidFloat). Readers parse them as numbers; `313m`
    or `ground` parses as nothing.

    ## How to fix
    Write bare numbers: `<georss:elev>313</georss:elev>`,
    `<georss:floor>2</georss:floor>`, `<georss:radius>500</georss:radius>`.
    """
    checks = [
        (el, _number(el.text or "") is not None)
        for el in [*_of(doc, GEORSS_NS, "elev"), *_of(doc, GEO_NS, "alt")]
    ]
    checks += [(el, bool(_INTEGER.match((el.text or "").strip())))
               for el in _of(doc, GEORSS_NS, "floor")]
    checks += [(el, (n := _number(el.text or "")) is not None and n >= 0)
               for el in _of(doc, GEORSS_NS, "radius")]
    for el, ok in checks:
        if not ok:
            yield Finding(node=el, detail=f"{_name(el)} {(el.text or '').strip()!r}")

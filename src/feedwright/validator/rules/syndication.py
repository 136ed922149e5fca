"""The RSS syndication module (``sy:``): how often the feed says it is updated.

``sy:updatePeriod`` (hourly … yearly), ``sy:updateFrequency`` (times per
period) and ``sy:updateBase`` (a W3CDTF date the schedule counts from) sit
in the channel; readers that honour them poll that often.  W3C checks them
in ``extension.py``.  Every rule returns at once for a document that does
not name the namespace (``_blog_ext.uses``).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import SY_NS
from feedwright.validator.rules._blog_ext import XML_FEEDS
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import holders
from feedwright.validator.rules._blog_ext import positive_integer
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._blog_ext import value
from feedwright.validator.rules._blog_ext import w3cdtf_problem

SY = f"{{{SY_NS}}}"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (SY_NS,)
_PERIODS = ("hourly", "daily", "weekly", "monthly", "yearly")


def _sy(doc: Document, name: str) -> list[etree._Element]:
    if not uses(doc, SY_NS):
        return []
    h = head(doc)
    return list(h.iterchildren(SY + name)) if h is not None else []


@rule("sy-invalid-update-period", "error",
      "<sy:updatePeriod> is not hourly, daily, weekly, monthly or yearly",
      formats=XML_FEEDS, w3c=("InvalidUpdatePeriod",))
def invalid_update_period(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The syndication module allows five periods, written in lower case:
    `hourly`, `daily`, `weekly`, `monthly`, `yearly` (W3C:
    InvalidUpdatePeriod). Readers that schedule their polling from it do not
    understand `Daily`, `1 day` or `often`, and fall back to their own
    default, polling more (or less) than the feed asked.

    ## How to fix
    Write one of the five words, e.g. `<sy:updatePeriod>daily</sy:updatePeriod>`.
    """
    for el in _sy(doc, "updatePeriod"):
        if value(el) not in _PERIODS:
            yield Finding(node=el, detail=repr(value(el)))


@rule("sy-invalid-update-frequency", "error",
      "<sy:updateFrequency> is not a whole number above zero", formats=XML_FEEDS,
      w3c=("InvalidPositiveInteger", "InvalidInteger"))
def invalid_update_frequency(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sy:updateFrequency` is how many times per `sy:updatePeriod` the feed is
    updated: a positive integer (W3C: InvalidPositiveInteger). `0`, `1.5`
    or `twice` cannot be turned into a polling interval, so readers ignore
    it.

    ## How to fix
    Write a whole number from 1 up: `<sy:updateFrequency>2</sy:updateFrequency>`
    with `daily` means every twelve hours.
    """
    for el in _sy(doc, "updateFrequency"):
        if not positive_integer(value(el)):
            yield Finding(node=el, detail=repr(value(el)))


@rule("sy-invalid-update-base", "error",
      "<sy:updateBase> is not a W3C date-time with a time zone", formats=XML_FEEDS,
      w3c=("InvalidW3CDTFDate",))
def invalid_update_base(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sy:updateBase` is the moment the update schedule counts from, a W3CDTF
    date such as `2025-01-01T00:00+00:00` (W3C: InvalidW3CDTFDate). Any
    other format leaves readers without a base, and a time without an
    offset shifts the schedule by the reader's own time zone.

    ## How to fix
    Write `YYYY-MM-DDThh:mm` (seconds optional) followed by `Z` or an offset.
    """
    for el in _sy(doc, "updateBase"):
        problem = w3cdtf_problem(value(el))
        if problem is not None:
            yield Finding(node=el, detail=problem)


@rule("sy-duplicate-element", "error", "syndication element given more than once",
      formats=XML_FEEDS, w3c=("DuplicateElement",))
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The feed has one update schedule: `sy:updatePeriod`, `sy:updateFrequency`
    and `sy:updateBase` appear once each (W3C: DuplicateElement). With two
    periods or frequencies, readers that honour the schedule each pick one,
    and poll at different rates.

    ## How to fix
    Keep one of each, the schedule you mean.
    """
    for name in _SY_ELEMENTS:
        for el in _sy(doc, name)[1:]:
            yield Finding(node=el, detail=f"<sy:{name}>")


_SY_ELEMENTS = ("updatePeriod", "updateFrequency", "updateBase")


@rule("sy-undefined-element", "error",
      "element is not part of the syndication module here", formats=XML_FEEDS,
      w3c=("UndefinedElement",))
def undefined_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The syndication module defines three elements, `sy:updatePeriod`,
    `sy:updateFrequency` and `sy:updateBase`, all in the channel (or Atom
    feed) element (W3C: UndefinedElement). Anything else in its namespace,
    or these three inside an item, is read by no reader: a polling
    schedule put there is ignored.

    ## How to fix
    Check the element's spelling (the names are case-sensitive) and move
    it to the channel; remove elements the module does not define.
    """
    if not uses(doc, SY_NS):
        return
    h = head(doc)
    for holder in holders(doc):
        for el in holder.iterchildren(SY + "*"):
            name = str(el.tag)[len(SY):]
            if holder is not h or name not in _SY_ELEMENTS:
                yield Finding(node=el, detail=f"<sy:{name}>")

"""FeedSync (``http://feedsync.org/2007/feedsync``, formerly Microsoft's SSE).

FeedSync lets two or more endpoints keep a list (calendar entries,
contacts, to-dos) in step through RSS or Atom: each item's ``sx:sync``
carries its id and version history, the feed's ``sx:sharing`` says which
window of changes the feed holds.  Its consumers are synchronising
programs, not people: a fault here does not look odd on screen, it makes a
merge go wrong (an item copied twice, an update lost, a conflict never
seen).  The rules follow the W3C Feed Validation Service (its ``sse.py``).

On a document that does not declare its namespace, the rules cost a
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
from feedwright.validator.rules._dates import parse_rfc3339
from feedwright.validator.rules._ext import EXT_FORMATS
from feedwright.validator.rules._ext import absolute_uri_problem
from feedwright.validator.rules._ext import declaring
from feedwright.validator.rules._ext import elements
from feedwright.validator.rules._ext import html_in_plain
from feedwright.validator.rules._syntax import whole_number

SX_NS = "http://feedsync.org/2007/feedsync"
SX = f"{{{SX_NS}}}"
#: FeedSync's versions of 32 bits: a whole number from 1 to 2^31 - 1.
UINT31_MAX = 2_147_483_647


def _sx(doc: Document, name: str) -> list[etree._Element]:
    return elements(doc, SX_NS).get(name, [])


# --- sx:sharing --------------------------------------------------------------


def _date_problem(value: str) -> str | None:
    parsed = parse_rfc3339(value)
    if parsed.status == "ok" and value == value.strip():
        return None
    return parsed.detail or f"{value!r} is not an RFC 3339 date-time"


@rule("feedsync-invalid-date", "error", "a FeedSync date is not an RFC 3339 date-time",
      formats=EXT_FORMATS, w3c=("InvalidRFC3339Date",))
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:sharing`'s `since`, `until` and `expires` and `sx:history`'s
    `when` are RFC 3339 date-times such as `2005-05-21T11:43:33Z` (W3C:
    InvalidRFC3339Date). Endpoints compare them to decide which changes
    the feed holds, when it stops being valid, and which of two edits came
    last; an RSS-style date (`Sun, 13 Feb 2005 …`) or an empty one breaks
    that comparison, and a merge keeps the wrong version.

    ## How to fix
    Write `YYYY-MM-DDThh:mm:ssZ` (or with an offset, `+01:00`).
    """
    for el in _sx(doc, "sharing"):
        for attr in ("since", "until", "expires"):
            value = el.get(attr)
            if value is not None and (problem := _date_problem(value)):
                yield Finding(node=el, detail=f"{attr}: {problem}")
    for el in _sx(doc, "history"):
        value = el.get("when")
        if value is not None and (problem := _date_problem(value)):
            yield Finding(node=el, detail=f"when: {problem}")


#: Attributes each FeedSync element must carry.
_REQUIRED = {"related": ("link", "type"), "sync": ("id", "updates"), "history": ("sequence",)}


@rule("feedsync-missing-attribute", "error", "a FeedSync element lacks a required attribute",
      formats=EXT_FORMATS, w3c=("MissingAttribute",))
def missing_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:sync` needs its item's `id` and `updates` count, `sx:history` its
    `sequence`, `sx:related` its `link` and `type`, and `sx:sharing`
    gives `since` and `until` together or neither (W3C:
    MissingAttribute). Without them an endpoint cannot tell which item a
    change belongs to, which version is newer, or which window of changes
    the feed covers; FeedSync implementations refuse the feed or treat
    every item as new.

    ## How to fix
    Add the attribute: `<sx:sync id="item_1" updates="3">`, `<sx:history
    sequence="3" …>`, `<sx:related link="https://…" type="complete"/>`,
    and `since` with `until`.
    """
    for name, attrs in _REQUIRED.items():
        for el in _sx(doc, name):
            for attr in attrs:
                if el.get(attr) is None:
                    yield Finding(node=el, detail=f"sx:{name} has no {attr}")
    for el in _sx(doc, "sharing"):
        since, until = el.get("since"), el.get("until")
        if (since is None) != (until is None):
            missing = "since" if since is None else "until"
            yield Finding(node=el, detail=f"sx:sharing has no {missing}")


@rule("feedsync-since-after-until", "error", "<sx:sharing> since is later than until",
      formats=EXT_FORMATS, w3c=("SinceAfterUntil",))
def since_after_until(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `since` and `until` bound the changes the feed holds (W3C:
    SinceAfterUntil); a window that ends before it starts holds nothing,
    and an endpoint reading it applies no change at all.

    ## How to fix
    Swap the two, or correct the one that is wrong.
    """
    for el in _sx(doc, "sharing"):
        since, until = el.get("since"), el.get("until")
        if since is None or until is None:
            continue
        start, end = parse_rfc3339(since).value, parse_rfc3339(until).value
        if start is not None and end is not None and start > end:
            yield Finding(node=el, detail=f"{since} > {until}")


@rule("feedsync-invalid-related", "error", "<sx:related> has a bad link or type",
      formats=EXT_FORMATS, w3c=("InvalidFullLink", "InvalidUriChar", "InvalidSseType"))
def invalid_related(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:related` points to another feed of the same list: `link` is its
    absolute URI (W3C: InvalidFullLink, InvalidUriChar), `type` says
    whether it is the `complete` list or an `aggregated` copy, in lower
    case (InvalidSseType). An endpoint follows `link` to fetch what this
    feed leaves out; a relative or malformed link leads nowhere, and an
    unknown type leaves it unsure whether the other feed replaces or adds
    to this one.

    ## How to fix
    `<sx:related link="https://example.com/all.xml" type="complete"/>`.
    """
    for el in _sx(doc, "related"):
        link = el.get("link")
        if link is not None and (problem := absolute_uri_problem(link)):
            yield Finding(node=el, detail=f"link: {problem}")
        kind = el.get("type")
        if kind is not None and kind not in ("complete", "aggregated"):
            yield Finding(node=el, detail=f"type={kind!r} (complete or aggregated)")


# --- sx:sync and sx:history ------------------------------------------------


def _uint31_problem(value: str) -> str | None:
    number = whole_number(value)
    if number is None or number <= 0:
        return f"{value!r} is not a whole number above zero"
    if number > UINT31_MAX:
        return f"{value} is above {UINT31_MAX}"
    return None


@rule("feedsync-invalid-number", "error",
      "a FeedSync updates or sequence count is not a whole number from 1 to 2147483647",
      formats=EXT_FORMATS, w3c=("InvalidPositiveInteger", "IntegerOverflow"))
def invalid_number(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:sync`'s `updates` and `sx:history`'s `sequence` count an item's
    versions, from 1, and fit in 31 bits (W3C: InvalidPositiveInteger,
    IntegerOverflow). Endpoints compare them to find the newer version:
    zero, a negative or a blank count makes the comparison meaningless,
    and a count beyond 2147483647 overflows the integers implementations
    store it in.

    ## How to fix
    Start at 1 and add one per update.
    """
    for name, attr in (("sync", "updates"), ("history", "sequence")):
        for el in _sx(doc, name):
            value = el.get(attr)
            if value is not None and (problem := _uint31_problem(value)):
                yield Finding(node=el, detail=f"{attr}: {problem}")


@rule("feedsync-invalid-true-false", "error", "a FeedSync flag is not 'true' or 'false'",
      formats=EXT_FORMATS, w3c=("InvalidTrueFalse",))
def invalid_true_false(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:sync`'s `deleted` and `noconflicts` are `true` or `false`, in
    lower case (W3C: InvalidTrueFalse). An endpoint that does not read
    `True` or `maybe` as true keeps an item that was deleted, or stops
    tracking conflicts.

    ## How to fix
    Write `deleted="true"` or leave the attribute out (false).
    """
    for el in _sx(doc, "sync"):
        for attr in ("deleted", "noconflicts"):
            value = el.get(attr)
            if value is not None and value not in ("true", "false"):
                yield Finding(node=el, detail=f"{attr}={value!r}")


#: RFC 2141's namespace-specific string: what an id or ``by`` may hold.
_NSS = re.compile(r"([0-9a-zA-Z()+,\-.:=@;$_!*'/?#]|%[0-9a-fA-F]{2})+\Z")


@rule("feedsync-invalid-id", "error",
      "a FeedSync id or by attribute holds characters an id may not",
      formats=EXT_FORMATS, w3c=("InvalidNSS",))
def invalid_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:sync`'s `id` and `sx:history`'s `by` (the endpoint that made the
    change) are RFC 2141 namespace-specific strings: letters, digits and
    `()+,-.:=@;$_!*'/?#`, other characters %-encoded, never empty (W3C:
    InvalidNSS). Endpoints use them as keys and build URNs from them; a
    space or a raw non-ASCII character makes two endpoints spell the same
    id differently, and an item is duplicated instead of updated.

    ## How to fix
    Use ids like `item_1_myapp_2005-05-21T11:43:33Z`; %-encode anything
    else.
    """
    for name, attr in (("sync", "id"), ("history", "by")):
        for el in _sx(doc, name):
            value = el.get(attr)
            if value is not None and not _NSS.match(value):
                yield Finding(node=el, detail=f"{attr}={value!r}")


@rule("feedsync-duplicate-sync-id", "error", "two items share an <sx:sync> id",
      formats=EXT_FORMATS, w3c=("DuplicateValue",))
def duplicate_sync_id(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The `sx:sync` id names one item across every copy of the list (W3C:
    DuplicateValue). Two items with one id are one item to an endpoint:
    it merges them, and one of them is lost. The conflicting versions an
    item keeps in its `sx:conflicts` share its id by design, and are not
    compared with the feed's items.

    This compares items within the document, but stays a document rule:
    the build gate's cut-down feeds keep no `sx:sync`, and the feeds
    feedwright writes carry none.

    ## How to fix
    Give every item its own id.
    """
    seen: set[tuple[etree._Element | None, str]] = set()
    for el in _sx(doc, "sync"):
        value = el.get("id")
        item = el.getparent()
        if not value or item is None:
            continue
        # Items are compared with their siblings: the versions kept in an
        # item's sx:conflicts share its id on purpose.
        key = (item.getparent(), value)
        if key in seen:
            yield Finding(node=el, detail=repr(value))
        seen.add(key)


@rule("feedsync-missing-history", "error", "<sx:sync> has no <sx:history>",
      formats=EXT_FORMATS, w3c=("MissingElement",))
def missing_history(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Each `sx:sync` keeps at least its latest `sx:history` (W3C:
    MissingElement): when and by whom the item last changed. Without it
    an endpoint cannot detect conflicting edits, and the later of two
    edits may be overwritten by the earlier.

    ## How to fix
    Add `<sx:history sequence="1" when="…" by="…"/>` inside `sx:sync`.
    """
    for el in _sx(doc, "sync"):
        if el.find(SX + "history") is None:
            yield Finding(node=el)


@rule("feedsync-history-missing-by-and-when", "error",
      "<sx:history> has neither a by nor a when attribute",
      formats=EXT_FORMATS, w3c=("MissingByAndWhenAttrs",))
def history_missing_by_and_when(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A history entry says when the change was made, by whom, or both (W3C:
    MissingByAndWhenAttrs). With neither, an endpoint cannot order two
    edits of the same sequence number, and conflict resolution picks at
    random.

    ## How to fix
    Add `when="2005-05-21T11:43:33Z"` and `by="…"` (the endpoint's id).
    """
    for el in _sx(doc, "history"):
        if el.get("by") is None and el.get("when") is None:
            yield Finding(node=el)


@rule("feedsync-history-missing-by-or-when", "warning",
      "<sx:history> gives only one of by and when",
      formats=EXT_FORMATS, w3c=("MissingRecommendedAttribute",))
def history_missing_by_or_when(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    FeedSync recommends both `when` and `by` on each history entry (W3C:
    MissingRecommendedAttribute): two endpoints editing in the same second,
    or one endpoint with a wrong clock, are told apart by the other.

    ## How to fix
    Add the missing one.
    """
    for el in _sx(doc, "history"):
        by, when = el.get("by"), el.get("when")
        if (by is None) != (when is None):
            yield Finding(node=el, detail=f"no {'by' if by is None else 'when'}")


@rule("feedsync-text-attribute", "warning",
      "a FeedSync title or by attribute is empty or contains HTML",
      formats=EXT_FORMATS, w3c=("NotBlank", "ContainsHTML"))
def text_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `sx:related`'s `title` and `sx:history`'s `by` are plain text, shown
    to the user who resolves a conflict (W3C: NotBlank, ContainsHTML): an
    empty one tells them nothing, and markup is shown as it is.

    ## How to fix
    Give a short plain-text name, or leave the attribute out.
    """
    for name, attr in (("related", "title"), ("history", "by")):
        for el in _sx(doc, name):
            value = el.get(attr)
            if value is None:
                continue
            if not value.strip():
                yield Finding(node=el, detail=f"{attr} is empty")
            elif (found := html_in_plain(value)) is not None:
                yield Finding(node=el, detail=f"{found} in {attr}={value!r}")


_OBSOLETE = "http://www.microsoft.com/schemas/rss/sse"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (SX_NS, _OBSOLETE)


@rule("feedsync-obsolete-namespace", "warning",
      "FeedSync elements are in the obsolete SSE namespace",
      formats=EXT_FORMATS, w3c=("ReservedPrefix",))
def obsolete_namespace(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Before FeedSync 1.0 (SSE 0.93 and earlier) the vocabulary's namespace
    was `http://www.microsoft.com/schemas/rss/sse` (W3C: ReservedPrefix).
    Current implementations look for `http://feedsync.org/2007/feedsync`
    only, and ignore the old elements: the feed does not synchronise.

    ## How to fix
    Declare `xmlns:sx="http://feedsync.org/2007/feedsync"` and check the
    elements against FeedSync 1.0.
    """
    for el, prefix in declaring(doc, _OBSOLETE):
        yield Finding(node=el, detail=f"xmlns:{prefix}" if prefix else "xmlns")

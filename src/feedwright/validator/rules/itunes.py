"""iTunes podcast vocabulary (``http://www.itunes.com/dtds/podcast-1.0.dtd``).

Apple Podcasts reads these elements to list a show and its episodes; most
other podcast apps and directories (Overcast, Pocket Casts, Spotify, the
Podcast Index) read them too.  The checks follow Apple's current
"Podcast RSS feed requirements" and the W3C Feed Validation Service's
``itunes.py`` (message classes named in each rule's doc).

Speed: a document that never names the namespace costs one byte search
(``_uses``, memoised); the rules walk only the iTunes elements they judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import parse_rfc822
from feedwright.validator.rules._ext import declared
from feedwright.validator.rules._html import HTML_TAGS
from feedwright.validator.rules._syntax import bad_uri_char
from feedwright.validator.rules._syntax import full_uri_problem
from feedwright.validator.rules._syntax import is_email
from feedwright.validator.rules._xml import BOTH
from feedwright.validator.rules._xml import DC
from feedwright.validator.rules._xml import RSS
from feedwright.validator.rules._xml import XML_LANG
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import items

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
IT = f"{{{ITUNES_NS}}}"


def _uses(doc: Document) -> bool:
    """Whether the document names the iTunes namespace at all (one search, memoised)."""
    return ITUNES_NS in declared(doc)


def _show(doc: Document) -> etree._Element | None:
    """The show's element: the RSS ``<channel>``, or an Atom ``<feed>``."""
    if doc.root.tag == A + "feed":
        return doc.root
    return channel(doc.root)


def _episodes(doc: Document) -> Sequence[etree._Element]:
    """The episodes: RSS items or Atom entries."""
    if doc.root.tag == A + "feed":
        return entries(doc.root)
    return items(doc.root)


def _by_name(doc: Document) -> dict[str, list[etree._Element]]:
    """Every iTunes element, by local name, in document order: one walk, memoised."""
    def compute() -> dict[str, list[etree._Element]]:
        found: dict[str, list[etree._Element]] = {}
        if _uses(doc):
            cut = len(IT)
            for node in doc.root.iter(IT + "*"):
                found.setdefault(str(node.tag)[cut:], []).append(node)
        return found
    result: dict[str, list[etree._Element]] = doc.memo("itunes-by-name", compute)
    return result


def _all(doc: Document, local: str) -> list[etree._Element]:
    """Every ``itunes:<local>`` element in the document (none unless the namespace is used)."""
    return _by_name(doc).get(local, [])


#: Where an iTunes element sits: on the show, on an episode, in the show's owner, elsewhere.
Place = str


def _placed(doc: Document) -> list[tuple[etree._Element, str, Place]]:
    """Each iTunes element with its local name and place, in document order (memoised)."""
    def compute() -> list[tuple[etree._Element, str, Place]]:
        show = _show(doc)
        if show is None or not _uses(doc):
            return []
        episode_tag = A + "entry" if show is doc.root else "item"
        cut = len(IT)
        out: list[tuple[etree._Element, str, Place]] = []
        for node in doc.root.iter(IT + "*"):
            parent = node.getparent()
            if parent is None:
                continue
            grandparent = parent.getparent()
            if parent == show:
                place = "show"
            elif parent.tag == episode_tag and grandparent == show:
                place = "episode"
            elif parent.tag == IT + "owner" and grandparent == show:
                place = "owner"
            else:
                place = "other"
            out.append((node, str(node.tag)[cut:], place))
        return out
    result: list[tuple[etree._Element, str, Place]] = doc.memo("itunes-placed", compute)
    return result


def _show_uses_itunes(doc: Document) -> bool:
    """W3C's test: an iTunes element is a child of the channel or of an item."""
    return any(place in ("show", "episode") for _, _, place in _placed(doc))


# --- values ---------------------------------------------------------------


_LEGACY_EXPLICIT = ("yes", "no", "clean", "explicit")


@rule("itunes-invalid-explicit", "error", "<itunes:explicit> is not true or false",
      formats=BOTH, w3c=("InvalidTrueFalse",))
def invalid_explicit(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple's podcast specification defines `<itunes:explicit>` as `true`
    or `false` (W3C: InvalidTrueFalse). The older values `yes`, `no` and
    `clean` are gone from it, so apps and directories written to the
    current specification may not read them, and a show with explicit
    content that is not marked so can be removed from Apple Podcasts.
    W3C compares the exact text, so ` true ` with spaces fails as well.

    ## How to fix
    Write `<itunes:explicit>true</itunes:explicit>` for explicit content,
    `<itunes:explicit>false</itunes:explicit>` otherwise (replace `yes` by
    `true`, `no` and `clean` by `false`), with no spaces around the value.
    """
    for node in _all(doc, "explicit"):
        value = node.text or ""
        if value.lower() in ("true", "false"):
            continue
        if value.strip().lower() in _LEGACY_EXPLICIT:
            yield Finding(node=node, detail=f"{value!r} is the retired yes/no/clean vocabulary")
        else:
            yield Finding(node=node, detail=repr(value))


@rule("itunes-invalid-block", "error", "<itunes:block> is not yes or no", formats=BOTH,
      w3c=("InvalidYesNoClean",))
def invalid_block(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<itunes:block>Yes</itunes:block>` keeps a show or an episode out of
    Apple Podcasts (W3C: InvalidYesNoClean accepts yes, no or clean).
    Any other value is ignored, so a feed that meant to hide an episode
    with `true` or an empty element still publishes it.

    ## How to fix
    Write `<itunes:block>Yes</itunes:block>` to hide the show or episode;
    remove the element (or write `No`) otherwise.
    """
    for node in _all(doc, "block"):
        value = node.text or ""
        if value.lower() not in ("yes", "no", "clean"):
            yield Finding(node=node, detail=repr(value))


@rule("itunes-invalid-complete", "warning", "<itunes:complete> is not Yes", formats=BOTH)
def invalid_complete(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<itunes:complete>Yes</itunes:complete>` tells Apple Podcasts that no
    more episodes will come, and it stops checking the feed; Apple reads
    no other value, so `true` or `1` leaves the show open. (W3C reports
    the element itself as undefined (UndefinedElement); Apple's current
    specification defines it, so feedwright accepts it.)

    ## How to fix
    Write `<itunes:complete>Yes</itunes:complete>` when the show has ended;
    remove the element otherwise.
    """
    for node in _all(doc, "complete"):
        value = (node.text or "").strip()
        if value.lower() not in ("yes", "no"):
            yield Finding(node=node, detail=repr(value))


_DURATION = re.compile(r"\d+(:[0-5][0-9](:[0-5][0-9])?)?\Z")


@rule("itunes-invalid-duration", "error", "<itunes:duration> is not a length of time",
      formats=BOTH, w3c=("InvalidDuration",))
def invalid_duration(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Podcast apps show the episode's length from `<itunes:duration>`
    before the file is downloaded (W3C: InvalidDuration). A value such as
    `00:07:74`, `45 min` or `1h30` cannot be read, so apps show no length
    or a wrong one until the file has been fetched.

    ## How to fix
    Give the length in whole seconds (`2710`, what Apple recommends) or as
    `H:MM:SS` / `MM:SS` with minutes and seconds below 60 (`45:10`).
    """
    for node in _all(doc, "duration"):
        value = (node.text or "").strip()
        if not _DURATION.match(value):
            yield Finding(node=node, detail=repr(value))


@rule("itunes-invalid-number", "error",
      "<itunes:episode> or <itunes:season> is not a positive whole number", formats=BOTH,
      w3c=("InvalidPositiveInteger",))
def invalid_number(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple Podcasts numbers and groups episodes by `<itunes:episode>` and
    `<itunes:season>`, which must be positive whole numbers (W3C:
    InvalidPositiveInteger). A value like `A`, `1.5` or `0` is dropped:
    the episode is listed without a number, or out of its season.

    ## How to fix
    Write the number alone: `<itunes:episode>12</itunes:episode>`,
    `<itunes:season>2</itunes:season>`; put names in `<itunes:title>`.
    """
    for local in ("episode", "season"):
        for node in _all(doc, local):
            value = (node.text or "").strip()
            if not value.isdigit() or not value.isascii() or int(value) <= 0:
                yield Finding(node=node, detail=f"<itunes:{local}> {value!r}")


@rule("itunes-invalid-type", "error", "<itunes:type> is not episodic or serial",
      formats=BOTH, w3c=("InvalidItunesChannelType",))
def invalid_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<itunes:type>` tells Apple Podcasts how to order and present the
    show (W3C: InvalidItunesChannelType): `episodic` (newest first) or
    `serial` (oldest first, in seasons). Any other value is ignored and a
    serial story is shown newest first.

    ## How to fix
    Write `<itunes:type>episodic</itunes:type>` or
    `<itunes:type>serial</itunes:type>` (lower case).
    """
    for node in _all(doc, "type"):
        value = (node.text or "").strip()
        if value not in ("episodic", "serial"):
            yield Finding(node=node, detail=repr(value))


@rule("itunes-invalid-episode-type", "error",
      "<itunes:episodeType> is not full, trailer or bonus", formats=BOTH,
      w3c=("InvalidItunesEpisodeType",))
def invalid_episode_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple Podcasts sorts trailers and bonus episodes apart from regular
    ones by `<itunes:episodeType>` (W3C: InvalidItunesEpisodeType); any
    value but `full`, `trailer` or `bonus` is ignored, so a trailer is
    listed as an ordinary episode.

    ## How to fix
    Write `full`, `trailer` or `bonus` (lower case), or remove the element
    (`full` is the default).
    """
    for node in _all(doc, "episodeType"):
        value = (node.text or "").strip()
        if value not in ("full", "trailer", "bonus"):
            yield Finding(node=node, detail=repr(value))


_HTTP_URL = re.compile(r"https?://[^/?#:\s]+(:\d+)?(/|\Z)", re.I)


@rule("itunes-invalid-url", "error", "iTunes URL is missing or not a full http(s) URL",
      formats=BOTH, w3c=("MissingAttribute", "InvalidURLAttribute", "InvalidFullLink"))
def invalid_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<itunes:image href="…">` is the show's or episode's artwork, and
    Apple Podcasts fetches it over HTTP(S) only: without `href`, with a
    relative path or another scheme, the show has no cover art, and Apple
    does not list a show without one (W3C: MissingAttribute,
    InvalidURLAttribute). `<itunes:new-feed-url>` must be a full URL, or
    Apple cannot follow the feed to its new address.

    ## How to fix
    Write `<itunes:image href="https://example.org/cover.jpg"/>` (a JPEG
    or PNG of 1400 to 3000 pixels square, per Apple) and a full `https://`
    URL in `<itunes:new-feed-url>`.
    """
    for node in _all(doc, "image"):
        href = node.get("href")
        if href is None:
            yield Finding(node=node, detail="no href attribute")
        elif not _HTTP_URL.match(href) or bad_uri_char(href):
            yield Finding(node=node, detail=repr(href))
    for node in _all(doc, "new-feed-url"):
        problem = full_uri_problem(node.text or "")
        if problem is not None:
            yield Finding(node=node, detail=problem)


@rule("itunes-invalid-date", "error", "<itunes:pubDate> is not an RFC 822 date", formats=BOTH,
      w3c=("InvalidRFC2822Date",))
def invalid_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Some old feeds date the show with `<itunes:pubDate>`, which W3C
    reads as an RSS date (W3C: InvalidRFC2822Date). Apple Podcasts no
    longer defines the element and takes the date from `<pubDate>`, so a
    date only there, or an unreadable one, leaves the show undated.

    ## How to fix
    Date the channel with `<pubDate>Mon, 09 Jun 2025 09:30:00 +0000</pubDate>`
    and remove `<itunes:pubDate>`, or write it in the same format.
    """
    for node in _all(doc, "pubDate"):
        parsed = parse_rfc822(node.text or "")
        if parsed.status == "invalid":
            yield Finding(node=node, detail=parsed.detail)


# --- categories -----------------------------------------------------------

#: Apple's categories and their subcategories (Apple Podcasts, 2019 list;
#: W3C's ``valid_itunes_categories``).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing",
                 "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health",
                         "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
             "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
                                "Religion", "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
               "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball",
               "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews",
                  "TV Reviews"),
}

#: Categories Apple retired (the lists before 2019; W3C's ``old_itunes_categories``).
OBSOLETE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Literature",),
    "Arts & Entertainment": ("Architecture", "Design", "Entertainment", "Games",
                             "Performing Arts", "Photography", "Poetry", "Science Fiction"),
    "Audio Blogs": (),
    "Business": ("Careers", "Finance", "Investing", "Management & Marketing", "News",
                 "Shopping"),
    "Comedy": (),
    "Education": ("Education Technology", "Higher Education", "K-12", "Language Courses",
                  "Training"),
    "Family": (),
    "Food": (),
    "Games & Hobbies": ("Automotive", "Aviation", "Hobbies", "Other Games", "Video Games"),
    "Government & Organizations": ("Local", "National", "Non-Profit", "Regional"),
    "Health": ("Alternative Health", "Diet & Nutrition", "Fitness", "Fitness & Nutrition",
               "Relationships", "Self-Help", "Sexuality"),
    "International": ("Australian", "Belgian", "Brazilian", "Canadian", "Chinese", "Dutch",
                      "French", "German", "Hebrew", "Italian", "Japanese", "Norwegian",
                      "Polish", "Portuguese", "Spanish", "Swedish"),
    "Movies & Television": (),
    "News & Politics": (),
    "Politics": (),
    "Public Radio": (),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Islam", "Judaism", "New Age",
                                "Philosophy", "Other", "Spirituality"),
    "Science & Medicine": ("Medicine", "Natural Sciences", "Social Sciences"),
    "Society & Culture": ("History",),
    "Sports & Recreation": ("Amateur", "College & High School", "Outdoor", "Professional"),
    "Talk Radio": (),
    "Technology": ("Computers", "Developers", "Gadgets", "Information Technology", "News",
                   "Operating Systems", "Podcasting", "Smart Phones", "Software How-To",
                   "Tech News", "Text/Speech"),
    "Transportation": ("Automotive", "Aviation", "Bicycles", "Commuting"),
    "Travel": (),
}


def _categories(doc: Document) -> Iterator[tuple[etree._Element, str, str]]:
    """Each channel category as (node, verdict, text): verdict ``ok``, ``obsolete``,
    ``invalid`` or ``missing``; subcategories are judged within their parent's list."""
    if not _uses(doc):
        return
    show = _show(doc)
    for top in children(show, IT + "category"):
        name = top.get("text")
        if name is None:
            yield top, "missing", ""
            continue
        yield top, _verdict(name, tuple(CATEGORIES), tuple(OBSOLETE_CATEGORIES)), name
        for sub in children(top, IT + "category"):
            sub_name = sub.get("text")
            if sub_name is None:
                yield sub, "missing", ""
                continue
            yield sub, _verdict(sub_name, CATEGORIES.get(name, ()),
                                OBSOLETE_CATEGORIES.get(name, ())), f"{name} > {sub_name}"


def _verdict(name: str, current: tuple[str, ...], retired: tuple[str, ...]) -> str:
    if name in current:
        return "ok"
    return "obsolete" if name in retired else "invalid"


@rule("itunes-invalid-category", "error", "<itunes:category> is not one of Apple's categories",
      formats=BOTH, w3c=("InvalidItunesCategory", "MissingAttribute"))
def invalid_category(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple Podcasts files a show under the categories its
    `<itunes:category text="…">` elements name, from Apple's fixed list
    (W3C: InvalidItunesCategory); a name that is not on it (or a missing
    `text`) leaves the show out of every category, and Apple may refuse
    it. Subcategories must belong to their parent category. Names are
    compared exactly: `Technology`, not `technology`; `&` is written
    `&amp;` in XML.

    ## How to fix
    Pick a category (and optionally a subcategory) from Apple's list,
    e.g. `<itunes:category text="Society &amp; Culture"><itunes:category
    text="Documentary"/></itunes:category>`.
    """
    for node, verdict, name in _categories(doc):
        if verdict == "missing":
            yield Finding(node=node, detail="no text attribute")
        elif verdict == "invalid":
            yield Finding(node=node, detail=repr(name))


@rule("itunes-obsolete-category", "warning", "<itunes:category> is one Apple has retired",
      formats=BOTH, w3c=("ObsoleteItunesCategory",))
def obsolete_category(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple replaced its category list in 2019 (W3C: ObsoleteItunesCategory);
    retired names such as `Games & Hobbies` or `Technology > Gadgets` are
    mapped to a new category at Apple's discretion, or dropped, and other
    directories that use Apple's list may not know them at all.

    ## How to fix
    Replace the category with its current equivalent from Apple's list
    (`Games & Hobbies` → `Leisure`, `Technology > Podcasting` → `Technology`).
    """
    for node, verdict, name in _categories(doc):
        if verdict == "obsolete":
            yield Finding(node=node, detail=repr(name))


# --- owner ----------------------------------------------------------------


@rule("itunes-missing-owner-email", "error", "<itunes:owner> has no <itunes:email>",
      formats=BOTH, w3c=("MissingElement",))
def missing_owner_email(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Directories such as Spotify and Amazon Music send their ownership
    check to the owner's `<itunes:email>` when a show is submitted or
    moved (W3C: MissingElement); an owner without one cannot prove the
    show is theirs.

    ## How to fix
    Add `<itunes:email>podcast@example.org</itunes:email>` inside
    `<itunes:owner>`.
    """
    for node in _all(doc, "owner"):
        if first(node, IT + "email") is None:
            yield Finding(node=node)


@rule("itunes-invalid-email", "error", "<itunes:email> is not an e-mail address",
      formats=BOTH, w3c=("InvalidContact", "InvalidAddrSpec"))
def invalid_email(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<itunes:email>` is where directories send ownership checks (W3C:
    InvalidContact); a name or a URL there cannot receive them, and the
    show cannot be claimed or moved.

    ## How to fix
    Write a plain address: `<itunes:email>podcast@example.org</itunes:email>`.
    """
    for node in _all(doc, "email"):
        value = (node.text or "").strip()
        if value.lower().startswith("mailto:"):
            value = value[7:]
        if "<" in value and value.endswith(">"):
            value = value[value.rindex("<") + 1:-1]
        if not is_email(value):
            yield Finding(node=node, detail=repr((node.text or "").strip()))


# --- presence and placement -----------------------------------------------


@rule("itunes-missing-element", "warning",
      "a podcast feed lacks an element Apple Podcasts requires", formats=RSS,
      w3c=("MissingItunesElement", "MissingItunesEmail"))
def missing_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A feed that uses the iTunes vocabulary is a podcast, and Apple
    Podcasts requires each show to state its `<language>`,
    `<itunes:category>`, `<itunes:explicit>` and cover art
    (`<itunes:image>`); it refuses a show without them, and other
    directories file it under no category or language (W3C:
    MissingItunesElement). Without `<itunes:owner>` and its
    `<itunes:email>` (W3C: MissingItunesEmail) no one can verify
    ownership of the show.

    ## How to fix
    Add the missing elements to `<channel>`: `<language>en</language>`,
    `<itunes:category text="Technology"/>`,
    `<itunes:explicit>false</itunes:explicit>`,
    `<itunes:image href="https://example.org/cover.jpg"/>` and
    `<itunes:owner><itunes:email>podcast@example.org</itunes:email></itunes:owner>`.
    """
    if not _show_uses_itunes(doc):
        return
    ch = channel(doc.root)
    if ch is None:
        return
    if (first(ch, "language") is None and first(ch, DC + "language") is None
            and ch.get(XML_LANG) is None and doc.root.get(XML_LANG) is None):
        yield Finding(node=ch, detail="<language>")
    for local in ("category", "explicit", "image"):
        if first(ch, IT + local) is None:
            yield Finding(node=ch, detail=f"<itunes:{local}>")
    if first(ch, IT + "owner") is None:
        yield Finding(node=ch, detail="<itunes:owner> with <itunes:email>")


#: iTunes elements Apple defines for a show, and for an episode (Apple's current
#: specification and the older elements it still reads).  W3C knows all but
#: ``complete``, ``title``, ``applepodcastsverify`` (show), ``isClosedCaptioned``
#: and ``order`` (episode); it calls those undefined.
_TEXT = ("author", "block", "explicit", "keywords", "subtitle", "summary", "image", "title")
SHOW_ELEMENTS = frozenset((*_TEXT, "owner", "category", "pubDate", "new-feed-url", "type",
                           "complete", "applepodcastsverify"))
EPISODE_ELEMENTS = frozenset((*_TEXT, "duration", "episode", "season", "episodeType",
                              "isClosedCaptioned", "order"))


@rule("itunes-unknown-element", "error", "iTunes element not defined here", formats=BOTH,
      w3c=("UndefinedElement",))
def unknown_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple defines each iTunes element for the show (`<channel>`) or for
    an episode (`<item>`) (W3C: UndefinedElement). Apple Podcasts and
    other apps read it only there: `<itunes:duration>` on the channel or
    `<itunes:category>` on an item is ignored, and a misspelt name
    (`<itunes:explict>`) is ignored everywhere.

    ## How to fix
    Move the element to where Apple defines it, or correct its name
    (names are case-sensitive: `episodeType`, `new-feed-url`).
    """
    for node, local, place in _placed(doc):
        if place == "show" and local not in SHOW_ELEMENTS:
            yield Finding(node=node, detail=f"<itunes:{local}> in the show")
        elif place == "episode" and local not in EPISODE_ELEMENTS:
            yield Finding(node=node, detail=f"<itunes:{local}> in an episode")


_SINGLE = frozenset((*_TEXT, "owner", "pubDate", "new-feed-url", "type", "complete",
                     "duration", "episode", "season", "episodeType", "email", "name"))


@rule("itunes-duplicate-element", "error", "iTunes element may appear only once here",
      formats=BOTH, w3c=("DuplicateElement",))
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A show or an episode has one `<itunes:explicit>`, one
    `<itunes:image>`, one `<itunes:duration>`… (W3C: DuplicateElement);
    with two, apps keep either the first or the last, so the same feed
    shows differently from app to app. Only `<itunes:category>` may repeat.

    ## How to fix
    Keep one copy of the element and remove the others.
    """
    seen: set[tuple[etree._Element | None, str]] = set()
    for node, local, place in _placed(doc):
        if place == "other" or local not in _SINGLE:
            continue
        key = (node.getparent(), local)
        if key in seen:
            yield Finding(node=node, detail=f"<itunes:{local}> repeated")
        seen.add(key)


_LIMITS = {"author": 255, "keywords": 255, "subtitle": 255, "name": 255, "summary": 4000}


@rule("itunes-too-long", "error", "iTunes text is longer than Apple allows", formats=BOTH,
      w3c=("TooLong",))
def too_long(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple's specification limited `<itunes:subtitle>`, `<itunes:keywords>`,
    `<itunes:author>` and the owner's `<itunes:name>` to 255 characters
    and `<itunes:summary>` to 4000 (W3C: TooLong); directories cut longer
    text, so what is past the limit is lost.

    ## How to fix
    Shorten the text; put the full show notes in `<description>` (or
    `<content:encoded>`), which has no such limit.
    """
    for local, limit in _LIMITS.items():
        for node in _all(doc, local):
            length = len((node.text or "").strip())
            if length > limit:
                yield Finding(node=node,
                              detail=f"<itunes:{local}> has {length} characters, at most {limit}")


_END_TAG = re.compile(r"</(\w+)\s*>")


@rule("itunes-html-in-text", "warning", "HTML markup in an iTunes plain-text element",
      formats=BOTH, w3c=("ContainsHTML",))
def html_in_text(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<itunes:subtitle>`, `<itunes:summary>`, `<itunes:keywords>`,
    `<itunes:author>` and the owner's `<itunes:name>` are plain text
    (W3C: ContainsHTML): Apple Podcasts and most apps show `<b>` literally
    there, tags and all.

    ## How to fix
    Remove the markup; put formatted show notes in `<description>` or
    `<content:encoded>`, which may hold HTML.
    """
    for local in _LIMITS:
        for node in _all(doc, local):
            value = node.text or ""
            if "</" not in value:
                continue
            for m in _END_TAG.finditer(value):
                if m.group(1).lower() in HTML_TAGS:
                    yield Finding(node=node, detail=repr(m.group()))
                    break


@rule("itunes-invalid-keywords", "warning", "<itunes:keywords> is not comma-separated",
      formats=BOTH, w3c=("InvalidKeywords",))
def invalid_keywords(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Keywords are separated by commas (W3C: InvalidKeywords); a list
    separated by spaces is read as one long keyword, which matches no
    search. (Apple no longer uses keywords for search; other directories
    still read them.)

    ## How to fix
    Separate the keywords with commas: `science, space, astronomy`.
    """
    for node in _all(doc, "keywords"):
        value = (node.text or "").strip()
        if " " in value and "," not in value:
            yield Finding(node=node, detail=repr(value[:60]))


#: Media Apple Podcasts accepts, by file extension (W3C's list).
SUPPORTED_EXTENSIONS = frozenset(("m4a", "mp3", "mov", "mp4", "m4v", "pdf", "epub"))


@rule("itunes-unsupported-format", "warning",
      "enclosure is in a format Apple Podcasts does not play", formats=RSS,
      w3c=("UnsupportedItunesFormat",))
def unsupported_format(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple Podcasts plays M4A, MP3, MOV, MP4, M4V, PDF and EPUB episodes
    only (W3C: UnsupportedItunesFormat, judged by the URL's file
    extension, for episodes with iTunes elements of their own); an
    episode in Ogg, Opus, WAV or FLAC is not listed there, though other
    apps may play it.

    ## How to fix
    Publish an MP3 or M4A (AAC) version of audio episodes and an MP4 or
    M4V version of video ones; a Podcasting 2.0
    `<podcast:alternateEnclosure>` can offer the other format besides.
    """
    if not _show_uses_itunes(doc):
        return
    for it in items(doc.root):
        for enc in children(it, "enclosure"):
            url = enc.get("url")
            if not url:
                continue
            path = url.strip().split("#", 1)[0].split("?", 1)[0]
            if "://" in path:  # the authority is no file name: https://example.org
                path = path.split("://", 1)[1].partition("/")[2]
            name = path.rsplit("/", 1)[-1]
            if "." not in name:
                continue
            ext = name.rsplit(".", 1)[-1].lower()
            if ext not in SUPPORTED_EXTENSIONS:
                yield Finding(node=enc, detail=repr(ext))


@rule("itunes-not-utf8", "warning", "a podcast feed is not encoded in UTF-8", formats=BOTH,
      w3c=("NotUTF8",))
def not_utf8(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Apple Podcasts requires podcast feeds in UTF-8 (W3C: NotUTF8); a feed
    in ISO-8859-1 or UTF-16 may be refused, or its accented letters shown
    as garbage.

    ## How to fix
    Save the feed as UTF-8 and declare `<?xml version="1.0" encoding="UTF-8"?>`.
    """
    if not _show_uses_itunes(doc):
        return
    encoding = (doc.root.getroottree().docinfo.encoding or "utf-8").lower()
    if encoding not in ("utf-8", "utf8"):
        yield Finding(node=_show(doc), detail=encoding)


@rule("itunes-wrong-namespace", "warning", "the itunes prefix is bound to a misspelt namespace",
      formats=BOTH, w3c=("ReservedPrefix",))
def wrong_namespace(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    XML namespaces are compared character by character: elements under
    `xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"` (capitals)
    or any other URI are not iTunes elements to a namespace-aware reader,
    so apps built on such parsers see no artwork, category or explicit
    flag; Apple Podcasts guesses, others do not (W3C: ReservedPrefix).
    feedwright checks none of them as iTunes elements either.

    ## How to fix
    Declare `xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"`,
    exactly so, in lower case, on the root element.
    """
    # Declarations on the root and the channel, where feeds make them: their
    # namespace maps are at hand, where a search of the bytes would cost a pass.
    show = _show(doc)
    for node in (doc.root, show):
        if node is None:
            continue
        uri = node.nsmap.get("itunes")
        if uri is not None and uri != ITUNES_NS:
            yield Finding(node=node, detail=repr(uri))
            return

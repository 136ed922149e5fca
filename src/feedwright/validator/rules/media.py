"""Media RSS (``http://search.yahoo.com/mrss/``): namespace, structure and values.

Media RSS is how video sites, photo sites and many podcasts describe
attached media: YouTube, Vimeo and Flickr feeds carry it, and readers such
as feedparser (``media_content``, ``media_thumbnail``), Feedly, Inoreader
and podcast apps build players, thumbnails and galleries from it.  The
rules follow the checks of the W3C Feed Validation Service (its
``media.py``), whose message classes each rule names.

On a document that does not declare the namespace, every rule costs a look
into the set of declared namespaces (``_ext.declared``: one walk for the
declarations, shared by every vocabulary); otherwise the elements are gathered in
one walk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._ext import EXT_FORMATS
from feedwright.validator.rules._ext import absolute_uri_problem
from feedwright.validator.rules._ext import declaring
from feedwright.validator.rules._ext import elements
from feedwright.validator.rules._ext import html_in_plain
from feedwright.validator.rules._ext import non_negative_integer_problem
from feedwright.validator.rules._ext import positive_integer_problem
from feedwright.validator.rules._html_wellformed import html_problem
from feedwright.validator.rules._syntax import is_mime_type
from feedwright.validator.rules._syntax import language_problem

MRSS_NS = "http://search.yahoo.com/mrss/"
M = f"{{{MRSS_NS}}}"


def _media(doc: Document) -> dict[str, list[etree._Element]]:
    """Media RSS elements by local name ({} for a document that does not use it)."""
    return elements(doc, MRSS_NS)


def _all(doc: Document, *names: str) -> Iterator[etree._Element]:
    found = _media(doc)
    if not found:
        return
    if len(names) == 1:
        yield from found.get(names[0], ())
        return
    wanted = {M + name for name in names}
    yield from (el for el in found[""] if el.tag in wanted)


def _name(el: etree._Element) -> str:
    return f"media:{etree.QName(el).localname}"


# --- namespace -------------------------------------------------------------

_WRONG_NS = "http://search.yahoo.com/mrss"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (MRSS_NS, _WRONG_NS)


@rule("media-namespace", "error",
      "Media RSS namespace is not http://search.yahoo.com/mrss/ (the trailing slash is missing)",
      formats=EXT_FORMATS, w3c=("MediaRssNamespace",))
def media_namespace(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Namespaces are compared character by character. Media RSS's namespace
    is `http://search.yahoo.com/mrss/`, with the trailing slash; the
    versions before 1.1.2 printed it without, and feeds copied from them
    declare `http://search.yahoo.com/mrss` (W3C: MediaRssNamespace).
    feedparser and Firefox's and Thunderbird's feed code know both
    spellings; namespace-aware code written against the spec without that
    alias (XPath queries, ElementTree or lxml lookups) sees every `media:`
    element as unknown: no thumbnails, no players, no media.

    ## How to fix
    Declare `xmlns:media="http://search.yahoo.com/mrss/"`.
    """
    for el, prefix in declaring(doc, _WRONG_NS):
        yield Finding(node=el, detail=f"xmlns:{prefix}" if prefix else "xmlns")


# --- structure -------------------------------------------------------------

_ONCE = ("title", "description", "copyright")


@rule("media-duplicate-element", "error",
      "a Media RSS element that may appear once appears twice in the same place",
      formats=EXT_FORMATS, w3c=("DuplicateElement",))
def duplicate_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `media:title`, `media:description` and `media:copyright` describe the
    one item, group or media object they are in, once each (W3C:
    DuplicateElement). With two, readers keep one of them, and not all
    the same one: the title shown depends on the reader.

    ## How to fix
    Keep one of each per item, `media:group` or `media:content`.
    """
    seen: set[tuple[etree._Element, str]] = set()
    for el in _all(doc, *_ONCE):
        parent = el.getparent()
        if parent is None:
            continue
        key = (parent, el.tag)
        if key in seen:
            yield Finding(node=el, detail=_name(el))
        seen.add(key)


@rule("media-group-without-alternatives", "error",
      "<media:group> holds fewer than two <media:content>",
      formats=EXT_FORMATS, w3c=("MediaGroupWithoutAlternatives",))
def group_without_alternatives(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `media:group` gathers different versions of the same media (sizes,
    bitrates, formats) so a reader can pick one (W3C, which reports a group
    of one as an error: MediaGroupWithoutAlternatives). Readers that read
    through groups, as feedparser does, find the one `media:content`
    either way (YouTube's feeds wrap every video in a group of one); but
    a reader that offers a group as a choice of versions offers a choice
    of one, and the feed says something it does not mean.

    ## How to fix
    Put the single `media:content` directly in the item, or add its
    alternatives to the group.
    """
    for group in _all(doc, "group"):
        if len(list(group.iterchildren(M + "content"))) < 2:
            yield Finding(node=group)


# --- URLs and numbers ------------------------------------------------------

#: (element, attribute) pairs holding a URL or scheme URI.
_URI_ATTRS = {
    "content": ("url",), "player": ("url",), "thumbnail": ("url",), "copyright": ("url",),
    "category": ("scheme",),
}


def _uri_findings(doc: Document) -> Iterator[tuple[etree._Element, str]]:
    for el in _all(doc, *_URI_ATTRS, "credit", "rating", "restriction"):
        name = etree.QName(el).localname
        for attr in _URI_ATTRS.get(name, ()):
            value = el.get(attr)
            if value:
                problem = absolute_uri_problem(value)
                if problem:
                    yield el, f"{attr}: {problem}"
        if name == "credit":
            scheme = el.get("scheme") or "urn:ebu"
            if scheme != "urn:ebu" and (problem := absolute_uri_problem(scheme)):
                yield el, f"scheme: {problem}"
        elif name == "rating":
            scheme = el.get("scheme") or "urn:simple"
            if scheme not in _RATINGS and (problem := absolute_uri_problem(scheme)):
                yield el, f"scheme: {problem}"
        elif name == "restriction" and el.get("type") == "uri":
            problem = absolute_uri_problem((el.text or "").strip())
            if problem:
                yield el, problem


@rule("media-invalid-uri", "error", "a Media RSS URL or scheme is not an absolute URI",
      formats=EXT_FORMATS, w3c=("InvalidFullLink", "InvalidUriChar"))
def invalid_uri(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Media RSS's `url` attributes (`media:content`, `media:player`,
    `media:thumbnail`, `media:copyright`), its `scheme` attributes
    (`media:category`, `media:credit`, `media:rating`) and a
    `media:restriction type="uri"` are URIs (W3C: InvalidFullLink,
    InvalidUriChar). There is no base to resolve a relative one against
    that readers agree on, and a value like `insert url here` leaves the
    reader's player or thumbnail empty.

    ## How to fix
    Write absolute `http(s)://` URLs, percent-encoding spaces and other
    characters URIs do not allow (`%20`); a scheme is a URI such as
    `urn:mpaa` or `http://example.org/ratings`.
    """
    for el, detail in _uri_findings(doc):
        yield Finding(node=el, detail=detail)


@rule("media-missing-url", "error", "<media:player> or <media:thumbnail> has no url attribute",
      formats=EXT_FORMATS, w3c=("MissingAttribute",))
def missing_url(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A `media:player` or `media:thumbnail` is its `url` (W3C:
    MissingAttribute); without it readers have nothing to embed or show.

    ## How to fix
    Add `url="https://…"`, or remove the element.
    """
    for el in _all(doc, "player", "thumbnail"):
        if el.get("url") is None:
            yield Finding(node=el, detail=_name(el))


_FLOAT = re.compile(r"\s*[0-9]+(\.[0-9]*)?\s*\Z")
_FLOAT_ATTRS = ("bitrate", "duration", "framerate", "samplingrate")
_POSITIVE_ATTRS = {"content": ("fileSize", "height", "width"),
                   "player": ("height", "width"), "thumbnail": ("height", "width")}


@rule("media-invalid-number", "error", "a Media RSS size, rate or duration is not a number",
      formats=EXT_FORMATS,
      w3c=("InvalidFloat", "InvalidPositiveInteger", "InvalidNonNegativeInteger",
           "InvalidInteger"))
def invalid_number(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `fileSize`, `height` and `width` are whole numbers above zero (bytes,
    pixels), `channels` a whole number, and `bitrate` (kilobits per
    second), `duration` (seconds), `framerate` and `samplingrate` (kHz)
    plain decimal numbers (W3C: InvalidPositiveInteger,
    InvalidNonNegativeInteger, InvalidFloat). Readers parse them as
    numbers to size players and pick the best version; `high` or `185s`
    parses as nothing, and the reader falls back to guessing or skips the
    media. W3C accepts anything that merely starts with digits (`128k`);
    we ask for the whole value to be a number, as readers that parse it
    do.

    ## How to fix
    Write bare numbers in the units above: `fileSize="12216320"`,
    `duration="185"`, `bitrate="128"`, `samplingrate="44.1"`.
    """
    for el in _all(doc, "content", "player", "thumbnail"):
        name = etree.QName(el).localname
        for attr in _POSITIVE_ATTRS[name]:
            value = el.get(attr)
            if value and (problem := positive_integer_problem(value)):
                yield Finding(node=el, detail=f"{attr}: {problem}")
        if name != "content":
            continue
        value = el.get("channels")
        if value and (problem := non_negative_integer_problem(value)):
            yield Finding(node=el, detail=f"channels: {problem}")
        for attr in _FLOAT_ATTRS:
            value = el.get(attr)
            if value and not _FLOAT.match(value):
                yield Finding(node=el, detail=f"{attr}: {value!r} is not a number")


# --- media:content's other attributes ---------------------------------------

_MEDIUMS = ("image", "audio", "video", "document", "executable")
_EXPRESSIONS = ("sample", "full", "nonstop")


@rule("media-invalid-content-attribute", "error",
      "<media:content> has a medium, expression, isDefault or type Media RSS does not define",
      formats=EXT_FORMATS,
      w3c=("InvalidMediaMedium", "InvalidMediaExpression", "InvalidTrueFalse",
           "InvalidMIMEAttribute"))
def invalid_content_attribute(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `medium` is one of `image`, `audio`, `video`, `document`,
    `executable` (W3C: InvalidMediaMedium); `expression` one of `sample`,
    `full`, `nonstop` (InvalidMediaExpression); `isDefault` `true` or
    `false` (InvalidTrueFalse); `type` a MIME type such as `video/mp4`
    (InvalidMIMEAttribute). Readers choose a player, and whether to offer
    the media at all, from `medium` and `type`: with `medium="8-track"` or
    `type="video"` they fall back to guessing from the URL, and a
    `isDefault="maybe"` is read as false.

    ## How to fix
    Use the values above: `medium="video" type="video/mp4"
    isDefault="true" expression="full"`.
    """
    for el in _all(doc, "content"):
        medium = el.get("medium")
        if medium and medium not in _MEDIUMS:
            yield Finding(node=el, detail=f"medium={medium!r}")
        expression = el.get("expression")
        if expression and expression not in _EXPRESSIONS:
            yield Finding(node=el, detail=f"expression={expression!r}")
        default = el.get("isDefault")
        if default and default.lower() not in ("true", "false"):
            yield Finding(node=el, detail=f"isDefault={default!r}")
        mime = el.get("type")
        if mime and not is_mime_type(mime):
            yield Finding(node=el, detail=f"type={mime!r}")


@rule("media-invalid-language", "error", "a Media RSS lang attribute is not a language code",
      formats=EXT_FORMATS, w3c=("InvalidLanguage",))
def invalid_language(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `lang` on `media:content` and `media:text` is an RFC 3066 language tag
    whose first part is an ISO 639 code (W3C: InvalidLanguage). Readers
    use it to pick the audio or transcript in the user's language; a value
    like `klingon` matches no one's.

    ## How to fix
    Write a language code: `lang="en"`, `lang="pt-BR"`.
    """
    for el in _all(doc, "content", "text"):
        value = el.get("lang")
        if value and (problem := language_problem(value)):
            yield Finding(node=el, detail=problem)


# --- text ----------------------------------------------------------------------

_TEXT_TYPES = ("plain", "html")


@rule("media-invalid-text-type", "error",
      "a Media RSS title, description or text has a type other than plain or html",
      formats=EXT_FORMATS, w3c=("InvalidMediaTextType",))
def invalid_text_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The `type` of `media:title`, `media:description` and `media:text` is
    `plain` (the default) or `html` (W3C: InvalidMediaTextType); it is not
    a MIME type. Readers that see another value cannot tell whether to
    escape the text or render it, and show either markup as text or text
    as markup.

    ## How to fix
    Write `type="plain"` or `type="html"` (not `text/html`), or leave the
    attribute out for plain text.
    """
    for el in _all(doc, "title", "description", "text"):
        value = el.get("type")
        if value and value not in _TEXT_TYPES:
            yield Finding(node=el, detail=f"{_name(el)} type={value!r}")




@rule("media-html-in-plain-text", "warning", "a plain-text Media RSS field contains HTML",
      formats=EXT_FORMATS, w3c=("ContainsHTML", "ContainsUndeclaredHTML"))
def html_in_plain_text(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `media:title`, `media:description` and `media:text` are plain text
    unless `type="html"` says otherwise, and `media:category` (and its
    `label`) and `media:copyright` are always plain (W3C: ContainsHTML,
    ContainsUndeclaredHTML). Readers show plain text as it is: the tags
    appear on screen, or, in readers that render anything, plain text
    holding `<` is misread.

    ## How to fix
    Remove the markup, or declare it with `type="html"` where the element
    allows it.
    """
    for el in _all(doc, "title", "description", "text", "category", "copyright"):
        name = etree.QName(el).localname
        if name in ("title", "description", "text") and el.get("type") == "html":
            continue
        values = [("", el.text or "")]
        if name == "category":
            values.append((" label", el.get("label") or ""))
        for where, value in values:
            found = html_in_plain(value)
            if found is not None:
                yield Finding(node=el, detail=f"{found} in {_name(el)}{where}")


@rule("media-not-html", "warning", "a Media RSS field declared type=\"html\" is not valid HTML",
      formats=EXT_FORMATS, w3c=("NotHtml",))
def not_html(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    With `type="html"`, `media:title`, `media:description` and
    `media:text` are HTML, escaped into the XML, and readers render them
    (W3C: NotHtml). A tag cut off (`<a` at the end of a truncated
    description), an element left open or a stray `&` is rendered
    differently from reader to reader, or swallows the rest of the text.

    ## How to fix
    Close what you open and escape text into HTML before putting it in
    the feed (`<` as `&lt;`, `&` as `&amp;`, which in the XML are
    `&amp;lt;` and `&amp;amp;`); or drop `type="html"` and write plain text.
    """
    for el in _all(doc, "title", "description", "text"):
        if el.get("type") == "html":
            problem = html_problem(el.text or "")
            if problem is not None:
                yield Finding(node=el, detail=problem)


# --- times -------------------------------------------------------------------

#: RFC 2326 normal play time: ``now``, seconds, or h:mm:ss, with optional fractions.
_NPT = re.compile(r"now|[0-9]+(\.[0-9]*)?|[0-9]+:[0-5][0-9]:[0-5][0-9](\.[0-9]*)?\Z")


@rule("media-invalid-npt-time", "error", "a Media RSS time is not a normal play time",
      formats=EXT_FORMATS, w3c=("InvalidNPTTime",))
def invalid_npt_time(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `media:thumbnail`'s `time` and `media:text`'s `start` and `end` are
    offsets into the media in RFC 2326 normal play time: seconds (`42`,
    `22.9`) or `h:mm:ss(.fraction)` (W3C: InvalidNPTTime). Readers that
    sync transcripts or pick the thumbnail frame cannot place `+17sec` or a
    calendar date, and drop the text or the frame.

    ## How to fix
    Write seconds or `h:mm:ss`: `start="00:00:17"`, `time="12:05:01.123"`.
    """
    for el in _all(doc, "thumbnail", "text"):
        attrs = ("time",) if etree.QName(el).localname == "thumbnail" else ("start", "end")
        for attr in attrs:
            value = el.get(attr)
            if value and not _NPT.fullmatch(value):
                yield Finding(node=el, detail=f"{attr}={value!r}")


# --- credits, hashes, ratings, restrictions --------------------------------

#: EBU role codes (urn:ebu), as W3C lists them.
_EBU_ROLES = frozenset((
    "actor", "adaptor", "anchor person", "animal trainer", "animator",
    "announcer", "armourer", "art director", "artist/performer",
    "assistant camera", "assistant chief lighting technician",
    "assistant director", "assistant producer", "assistant visual editor",
    "author", "broadcast assistant", "broadcast journalist", "camera operator",
    "carpenter", "casting", "causeur", "chief lighting technician", "choir",
    "choreographer", "clapper loader", "commentary or commentator",
    "commissioning broadcaster", "composer", "computer programmer",
    "conductor", "consultant", "continuity checker", "correspondent",
    "costume designer", "dancer", "dialogue coach", "director",
    "director of photography", "distribution company", "draughtsman",
    "dresser", "dubber", "editor/producer", "editor", "ensemble",
    "executive producer", "expert", "fight director", "floor manager",
    "focus puller", "foley artist", "foley editor", "foley mixer",
    "graphic assistant", "graphic designer", "greensman", "grip",
    "hairdresser", "illustrator", "interviewed guest", "interviewer",
    "key character", "key grip", "key talents", "leadman", "librettist",
    "lighting director", "lighting technician", "location manager",
    "lyricist", "make up artist", "manufacturer", "matte artist",
    "music arranger", "music group", "musician", "news reader", "orchestra",
    "participant", "photographer", "post", "producer", "production assistant",
    "production company", "production department", "production manager",
    "production secretary", "programme production researcher",
    "property manager", "publishing company", "puppeteer", "pyrotechnician",
    "reporter", "rigger", "runner", "scenario", "scenic operative",
    "script supervisor", "second assistant camera",
    "second assistant director", "second unit director", "set designer",
    "set dresser", "sign language", "singer", "sound designer", "sound mixer",
    "sound recordist", "special effects", "stunts", "subtitles",
    "technical director", "term", "translation", "transportation manager",
    "treatment/programme proposal", "vision mixer", "visual editor",
    "visual effects", "wardrobe", "witness",
    "artist", "performer", "treatment", "treatment proposal", "programme proposal",
))


@rule("media-invalid-credit-role", "error", "<media:credit> has a role its scheme does not define",
      formats=EXT_FORMATS, w3c=("InvalidCreditRole",))
def invalid_credit_role(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A credit's `role` is a lower-case role from its `scheme`; with no
    scheme that is the European Broadcasting Union's list (`urn:ebu`:
    `actor`, `director`, `musician`, …) (W3C: InvalidCreditRole). Readers
    that show "Director: …" or group credits by role drop a role they do
    not know, and roles are compared case-sensitively.

    ## How to fix
    Use an EBU role in lower case (`role="musician"`), or name the scheme
    your roles come from with `scheme="…"`.
    """
    for el in _all(doc, "credit"):
        role = el.get("role")
        if not role:
            continue
        scheme = el.get("scheme") or "urn:ebu"
        if (scheme == "urn:ebu" and role not in _EBU_ROLES) or role != role.lower():
            yield Finding(node=el, detail=f"role={role!r}")


_HASH_LENGTHS = {"md5": 32, "sha-1": 40}


@rule("media-invalid-hash", "error", "<media:hash> is not an MD5 or SHA-1 digest in hex",
      formats=EXT_FORMATS, w3c=("InvalidMediaHash",))
def invalid_hash(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `media:hash` is the media file's MD5 (the default) or SHA-1 digest in
    hexadecimal, with `algo` `md5` or `sha-1` (W3C: InvalidMediaHash).
    Readers and download managers that verify what they fetched reject a
    correct file whose digest they cannot compare: another algorithm, a
    base64 digest, or a digest of the wrong length.

    ## How to fix
    Give the 32-digit MD5 or the 40-digit SHA-1 in hex, with
    `algo="sha-1"` for the latter.
    """
    for el in _all(doc, "hash"):
        algo = el.get("algo")
        if algo and algo not in _HASH_LENGTHS:
            yield Finding(node=el, detail=f"algo={algo!r}")
            continue
        value = (el.text or "").strip()
        want = _HASH_LENGTHS.get(algo or "md5", 32)
        if not re.fullmatch(r"[0-9A-Za-z]+", value):
            yield Finding(node=el, detail=f"{value!r} is not hexadecimal")
        elif len(value) != want:
            yield Finding(node=el, detail=f"{len(value)} digits; {algo or 'md5'} has {want}")


_ICRA_CODE = r"([nsvlocx]z [01]|(n[a-c]|s[a-f]|v[a-j]|l[a-c]|o[a-h]|c[a-b]|x[a-e]) 1)"
_RATINGS: dict[str, re.Pattern[str]] = {
    "urn:simple": re.compile(r"(adult|nonadult)\Z"),
    "urn:mpaa": re.compile(r"(g|m|nc-17|pg|pg-13|r|x)\Z"),
    "urn:v-chip": re.compile(r"(14\+|18\+|c|c8|g|pg|tv-14|tv-g|tv-ma|tv-pg|tv-y|tv-y7|tv-y7-fv)\Z"),
    "urn:icra": re.compile(rf"r \({_ICRA_CODE}( {_ICRA_CODE})*\)\Z"),
}


@rule("media-invalid-rating", "error", "<media:rating> is not a rating of its scheme",
      formats=EXT_FORMATS, w3c=("InvalidMediaRating",))
def invalid_rating(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A rating is one of its scheme's values: `adult` or `nonadult` for
    `urn:simple` (the default), the MPAA's `g`, `pg`, `pg-13`, `r`,
    `nc-17`… for `urn:mpaa`, the TV ratings (`tv-y`, `tv-pg`, …) for
    `urn:v-chip`, an ICRA label for `urn:icra` (W3C: InvalidMediaRating).
    Readers and parental filters compare the value to the scheme's list:
    anything else is unrated, which filters treat as adult or let through.

    ## How to fix
    Use the scheme's value in lower case (`<media:rating
    scheme="urn:mpaa">pg</media:rating>`), or name the scheme your value
    comes from.
    """
    for el in _all(doc, "rating"):
        scheme = el.get("scheme") or "urn:simple"
        pattern = _RATINGS.get(scheme)
        value = (el.text or "").strip()
        if pattern is not None and not pattern.match(value):
            yield Finding(node=el, detail=f"{value!r} under {scheme}")


# Upper-case ISO 3166-1 alpha-2 codes (W3C's list, with the ones assigned since).
_COUNTRIES = frozenset((
    "AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK "
    "DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR "
    "GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM "
    "KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP "
    "MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL "
    "PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST "
    "SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG "
    "VI VN VU WF WS YE YT ZA ZM ZW"
).split())


def _restriction_problems(el: etree._Element) -> Iterator[str]:
    relationship = el.get("relationship")
    if not relationship:
        yield "no relationship attribute (allow or deny)"
    elif relationship not in ("allow", "deny"):
        yield f"relationship={relationship!r}"
    kind = el.get("type")
    value = (el.text or "").strip()
    if not kind:
        if value and value not in ("all", "none"):
            yield f"{value!r} without a type (only 'all' or 'none')"
    elif kind == "country":
        for code in value.upper().split(" "):
            if code not in _COUNTRIES:
                yield f"{code!r} is not an ISO 3166 country code"
    elif kind != "uri":  # uri values: media-invalid-uri
        yield f"type={kind!r}"


@rule("media-invalid-restriction", "error",
      "<media:restriction> has a bad relationship, type or value",
      formats=EXT_FORMATS,
      w3c=("InvalidMediaRestriction", "InvalidMediaRestrictionRel",
           "InvalidMediaRestrictionType", "InvalidCountryCode", "MissingAttribute"))
def invalid_restriction(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `media:restriction` says where the media may be played:
    `relationship` is required, `allow` or `deny` (W3C: MissingAttribute,
    InvalidMediaRestrictionRel); `type` is `country` (space-separated ISO
    3166 codes: InvalidCountryCode) or `uri`; without a type the value is
    `all` or `none` (InvalidMediaRestriction, InvalidMediaRestrictionType).
    Players that honour restrictions read a malformed one as "deny
    everywhere", or ignore it and show the media where its rights do not
    allow it.

    ## How to fix
    Write e.g. `<media:restriction relationship="allow"
    type="country">au us</media:restriction>`.
    """
    for el in _all(doc, "restriction"):
        for problem in _restriction_problems(el):
            yield Finding(node=el, detail=problem)


@rule("media-adult-deprecated", "warning", "<media:adult> is deprecated",
      formats=EXT_FORMATS, w3c=("DeprecatedMediaAdult",))
def adult_deprecated(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Media RSS 1.5 replaced `media:adult` with `media:rating` (W3C:
    DeprecatedMediaAdult); readers and filters written since look for
    `media:rating` only, so the content is not marked for them.

    ## How to fix
    Write `<media:rating>adult</media:rating>` (or `nonadult`) instead.
    """
    for el in _all(doc, "adult"):
        yield Finding(node=el)

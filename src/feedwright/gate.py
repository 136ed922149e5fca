"""The build gate: every document checked at the strictest level, each entry once.

Nothing is written unless everything validates with warnings counted as
errors.  Per-tag feeds repeat entries many times over, so the gate does not
validate each document whole (docs/dev.md, "The build gate"):

1. each distinct entry once, in full, in documents per format that hold a
   batch of entries each (``render_union``), checked in the worker that
   renders them (``render_and_check``);
2. each real document for what it adds: its head in full, as a feed with no
   entries, and how its entries relate, with the rules of scope "relation"
   alone, over its entries cut down by their renderer (``skeleton``).

What passed an earlier build (``BuildCache.passed``) is not checked again.

The config may accept named warnings on purpose (``gate: {allow: [...]}``,
``allowed_codes``): such an issue is not a problem, and is reported once per
build (``Gate.notices``).  Errors can never be allowed.  What passed only
because a warning was allowed is not remembered as passed, nor its document
as fresh: it is checked again on every build, so each build reports it, and
a later build with a shorter allow list refuses it.  So "passed" in the cache
keeps meaning "no issue at all at the strictest level", whatever the allow
list says.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from lxml import etree

from feedwright import cycles
from feedwright.cache import BuildCache
from feedwright.cache import digest
from feedwright.config import ARCHIVED_FORMATS
from feedwright.config import Allowed
from feedwright.errors import ConfigError
from feedwright.errors import InvalidFeedError
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.parallel import Runner
from feedwright.render import FragmentCache
from feedwright.render import Rendered
from feedwright.render import distinct_entries
from feedwright.render import render_fragment
from feedwright.render import render_union
from feedwright.render import skeleton
from feedwright.render.site import VALIDATED
from feedwright.validator import RULES
from feedwright.validator import Report
from feedwright.validator import validate
from feedwright.validator.parse import READER_CAPS
from feedwright.validator.rules import EVERY_MODULE

#: What the build's workers import once, in the server process they fork
#: from (``parallel.Runner``'s preload), rather than each on its first
#: document: this module, whose functions they run, and every rule module,
#: as they check every format.  The build's main process imports rules only
#: as its own documents need them (with ``-j 1``, those of the formats it
#: writes): importing every one there cost ~40 ms before reading could begin.
WORKER_MODULES = (__name__, *EVERY_MODULE)

#: Our own bytes: the size cap guards against hostile input, not against us.
_NO_CAP = 1 << 62

#: Entries per piece of work when rendering, and per document when each
#: entry is validated once: bounded memory, and pieces to share among cores.
BATCH = 200

#: Heads and cut-down feeds per piece of work in the gate's second step.
_FEEDS_PER_PIECE = 50

#: Problems shown when the gate refuses (the rest are counted).
_SHOWN = 20

#: Told how far a long stage has come: (stage, pieces done, pieces in all).
Progress = Callable[[str, int, int], None]


def quiet(stage: str, done: int, total: int) -> None:
    """A Progress that says nothing."""


#: A reader's cap on what it downloads: (bytes, who refuses more, the cap as said).
Cap = tuple[int, str, str]


def size(doc: Rendered) -> int:
    """The document's length in bytes, from its chunks: a large feed is not
    joined into one more copy just to be measured."""
    return sum(map(len, doc.chunks))


def reader_cap_notices(docs: Iterable[Rendered],
                       caps: Sequence[Cap] | None = None) -> tuple[str, ...]:
    """One line per document larger than some reader accepts (``caps``: the
    validator's table, behind its ``feed-too-large-for-readers``): the gate
    checks entries in batches, so only here is a whole feed's size known."""
    caps = READER_CAPS if caps is None else caps
    out = []
    for doc in docs:
        length = size(doc)
        over = [f"{who} (over {said})" for limit, who, said in caps if length > limit]
        if over:
            out.append(
                f"{doc.output.path} is {length:,} bytes, larger than some readers accept: "
                f"refused by {', '.join(over)}, whose subscribers never see new posts; "
                "lower `limit`, publish summaries instead of full content "
                "(`content: summary`), or move older entries to archives")
    return tuple(out)


def check_budget(docs: Iterable[Rendered], budget: int | None) -> None:
    """Refuse the build when a document weighs more than the config's ``budget``.

    Raises:
        InvalidFeedError: Each document over budget, with its size; nothing written.
    """
    if budget is None:
        return
    over = [f"{doc.output.path}: {length:,} bytes" for doc in docs
            if (length := size(doc)) > budget]
    if over:
        more = len(over) - _SHOWN
        raise InvalidFeedError(
            f"refusing to write feeds over the budget of {budget:,} bytes; nothing was "
            "written:\n  " + "\n  ".join(over[:_SHOWN])
            + (f"\n… and {more} more" if more > 0 else "")
            + "\nlower `limit`, publish summaries instead of full content "
            "(`content: summary`), move older entries to archives, or raise `budget`")


@dataclass(frozen=True)
class CheckWork:
    """One document to validate, as shipped to a worker."""

    data: bytes
    #: Its path under the output folder (reports name it).
    name: str
    #: Where it is served: its self link must say so.
    url: str
    #: The build time ("no entry in the future").
    now: datetime
    #: Only the rules of scope "relation", not the schema (a cut-down document).
    relations_only: bool = False

    @classmethod
    def of(cls, doc: Rendered, now: datetime, relations_only: bool = False) -> CheckWork:
        return cls(doc.data, doc.output.path, doc.output.url, now, relations_only)


def check(work: CheckWork) -> Report:
    """Validate one of our documents at the strictest level (in a worker, maybe)."""
    return validate(work.data, name=work.name, strict=True, now=work.now, location=work.url,
                    relations_only=work.relations_only, max_bytes=_NO_CAP,
                    reader_caps=False)  # batches and cut-down feeds, not what readers fetch


def check_all(works: list[CheckWork]) -> list[Report]:
    return [check(work) for work in works]


@dataclass(frozen=True)
class EntryBatch:
    """Entries to render in the formats they lack, and to check there."""

    formats: tuple[str, ...]
    entries: tuple[Entry, ...]
    #: The main feed without entries: the head the fragments are checked under.
    main: Feed
    now: datetime


@dataclass(frozen=True)
class CheckedBatch:
    """Entries checked where they were rendered, in one format."""

    format: str
    entries: tuple[Entry, ...]
    report: Report


def render_and_check(batch: EntryBatch) -> tuple[list[tuple[bytes, ...]], list[Report]]:
    """Render each entry in the formats it lacks, then check the fragments where
    they were made, in one document per format holding them all
    (``render_union``): their bytes are not shipped back to a worker to be checked.

    Returns:
        Each entry's fragments (in ``batch.formats`` order), and a report per format.
    """
    made = [tuple(render_fragment(fmt, e) for fmt in batch.formats) for e in batch.entries]
    made_by_slot = {
        (fmt, entry.id): fragment
        for entry, fragments in zip(batch.entries, made, strict=True)
        for fmt, fragment in zip(batch.formats, fragments, strict=True)
    }
    entries = list(batch.entries)
    reports = [check(CheckWork.of(render_union(batch.main, made_by_slot, entries, fmt), batch.now))
               for fmt in batch.formats]
    return made, reports


@dataclass(frozen=True)
class Rendering:
    """Everything the render step made, and what the gate needs to know of it."""

    #: Every document, in build order.
    docs: list[Rendered]
    #: (format, entry id) → the entry's fragment.
    fragments: FragmentCache
    #: (format, entry id) → a key that names the fragment's bytes (render/keys.py).
    fragment_keys: dict[tuple[str, str], bytes]
    #: Reports on the entries checked where they were rendered.
    checked: list[CheckedBatch] = field(default_factory=list)


def allowed_codes(allow: Sequence[Allowed]) -> frozenset[str]:
    """The codes of ``gate.allow``, each checked to be a warning the validator has.

    Config cannot check them itself: it sits below the validator
    (docs/dev.md, "Import direction").  The build calls this first.

    Raises:
        ConfigError: An unknown code, or an error's code, at its config line.
    """
    for allowed in allow:
        rule = RULES.get(allowed.code)
        if rule is None:
            close = difflib.get_close_matches(allowed.code, list(RULES), n=1)
            hint = f"did you mean {close[0]}?" if close else "`feedwright explain` lists them"
            raise ConfigError(f"gate.allow: unknown rule code {allowed.code!r}; {hint}",
                              allowed.at)
        if rule.severity != "warning":
            raise ConfigError(
                f"gate.allow: {allowed.code} is an error, not a warning, and errors can never "
                "be allowed; fix what it reports (`feedwright explain "
                f"{allowed.code}`) and remove it from gate.allow",
                allowed.at,
            )
    return frozenset(allowed.code for allowed in allow)


def _place_order(place: str) -> tuple[str, int]:
    """``file:line`` by file, then line as a number; a document path first in its file."""
    file, _, line = place.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (place, 0)


def _allowed(code: str, allow: Collection[str]) -> bool:
    """Whether an issue of ``code`` is accepted: named in the allow list and
    a warning before the gate's strictness made it an error (an issue carries
    its rule's severity: tests/test_gate.py checks it)."""
    if code not in allow:
        return False
    rule = RULES.get(code)
    return rule is not None and rule.severity == "warning"


def pieces(
    pending: Iterable[tuple[Rendered, bool]], most: int | None,
) -> Iterator[list[tuple[Rendered, bool]]]:
    """``pending`` in pieces of several documents, so a piece is worth shipping to
    a worker (and few pieces start no pool), and of at most ``most`` entries
    (when given): the main feeds' long cut-down documents go to workers of their own."""
    piece: list[tuple[Rendered, bool]] = []
    weight = 0
    for doc, relations in pending:
        if piece and (len(piece) == _FEEDS_PER_PIECE
                      or (most is not None and weight + len(doc.fragments) > most)):
            yield piece
            piece, weight = [], 0
        piece.append((doc, relations))
        weight += len(doc.fragments)
    if piece:
        yield piece


@dataclass
class Gate:
    """The gate of one build, with what it needs to run."""

    #: The build time ("no entry in the future").
    now: datetime
    #: What passed earlier builds, and cut-down fragments made by them.
    memory: BuildCache
    runner: Runner
    progress: Progress = quiet
    #: Warning codes accepted on purpose (``allowed_codes``).
    allow: frozenset[str] = frozenset()
    #: Accepted code → where it was found (entry ``file:line`` or document path), in order.
    accepted: dict[str, dict[str, None]] = field(default_factory=dict)
    #: Documents with an accepted issue in what step 2 checks: they get no
    #: file record, so they are never "fresh" and are checked on every build.
    unrecorded: set[str] = field(default_factory=set)

    def _problems(self, doc: Rendered, report: Report) -> tuple[list[str], list[Entry | None]]:
        """One line per issue, naming the entry behind it when there is one;
        and, for each accepted issue, the entry it is in (None: not in an entry).
        """
        out: list[str] = []
        accepted: list[Entry | None] = []
        for issue in report.issues:
            entry = doc.entry_at(issue.line)
            if _allowed(issue.code, self.allow):
                place = entry.source if entry else doc.output.path
                self.accepted.setdefault(issue.code, {})[place] = None
                accepted.append(entry)
                continue
            where = f" (entry at {entry.source})" if entry else ""
            out.append(f"{doc.output.path}: {issue.code}: {issue.message}{where}")
        return out, accepted

    def check_files(self, files: Mapping[str, bytes]) -> None:
        """Check, in full and at the strictest level, the files written beside
        the feeds that the validator judges (``render.site.VALIDATED``: the
        OPML list); the rest (stylesheet, index page) it has no format for.

        Raises:
            InvalidFeedError: Any issue not allowed; nothing has been written.
        """
        problems: list[str] = []
        for path, data in files.items():
            if path not in VALIDATED:
                continue
            report = validate(data, name=path, strict=True, now=self.now)
            for issue in report.issues:
                if _allowed(issue.code, self.allow):
                    self.accepted.setdefault(issue.code, {})[path] = None
                    self.unrecorded.add(path)  # so checked (and reported) every build
                    continue
                where = f" (line {issue.line})" if issue.line else ""
                problems.append(f"{path}: {issue.code}: {issue.message}{where}")
        if problems:
            raise InvalidFeedError("refusing to write invalid files; nothing was written:\n  "
                                   + "\n  ".join(problems[:_SHOWN]))

    def _entry_problems(self, union: Rendered, report: Report,
                        keys: Mapping[tuple[str, str], bytes], unclean: set[bytes]) -> list[str]:
        """A union document's problems; the keys of entries with an accepted
        issue go to ``unclean`` (every entry's, when the issue is in none)."""
        problems, accepted = self._problems(union, report)
        fmt = union.output.format
        for entry in accepted:
            for e in union.feed.entries if entry is None else (entry,):
                unclean.add(keys[(fmt, e.id)])
        return problems

    def notices(self) -> tuple[str, ...]:
        """One line per accepted warning code: how many places, the first few."""
        out = []
        for code in sorted(self.accepted):
            places = sorted(self.accepted[code], key=_place_order)
            shown = ", ".join(places[:3]) + (", …" if len(places) > 3 else "")
            noun = "place" if len(places) == 1 else "places"
            out.append(f"gate.allow accepted the warning {code} "
                       f"({RULES[code].message}) in {len(places)} {noun}: {shown}")
        return tuple(out)

    def _cut_down(self, doc: Rendered, keys: Mapping[tuple[str, str], bytes],
                  cut_of: dict[str, dict[str, bytes]]) -> Rendered:
        """``doc`` with each fragment cut down by its renderer, each cut made once
        (``cut_of``: format → entry id → cut, then the cache) and remembered.

        Within a build an entry's fragment in a format is one (its key names
        it), so the cuts made are looked up by entry id: the long documents
        of a site with every entry in every feed hold tens of thousands.
        """
        fmt = doc.output.format
        made = cut_of.setdefault(fmt, {})
        get = made.get
        cuts = []
        for fragment, entry in zip(doc.fragments, doc.feed.entries, strict=True):
            cut = get(entry.id)
            if cut is None:
                key = b"cut" + keys[(fmt, entry.id)]
                cut = self.memory.fragments.get(key)
                if cut is None:
                    cut = skeleton(fmt, fragment)
                    self.memory.remember_fragment(key, cut)
                made[entry.id] = cut
            cuts.append(cut)
        return doc.with_fragments(cuts)

    def _entries(self, rendering: Rendering, feedset: FeedSet, passed: set[bytes]) -> list[str]:
        """Step 1: every distinct entry checked once, in full."""
        problems: list[str] = []
        unclean: set[bytes] = set()
        main = feedset.feeds[0]
        keys_of = rendering.fragment_keys
        for batch in rendering.checked:
            if batch.report.issues:
                union = render_union(main, rendering.fragments, list(batch.entries),
                                     batch.format)
                problems.extend(self._entry_problems(union, batch.report, keys_of, unclean))
        entries = distinct_entries(feedset)
        unions: list[Rendered] = []
        for fmt in sorted({o.format for o in main.outputs}):
            # A fragment's key names its bytes: what passed is remembered by
            # key, without digesting every fragment again.
            keys = [rendering.fragment_keys[(fmt, e.id)] for e in entries]
            passed.update(keys)
            seen = {e.id for b in rendering.checked if b.format == fmt for e in b.entries}
            todo = [e for e, key in zip(entries, keys, strict=True)
                    if key not in self.memory.passed and e.id not in seen]
            # In chunks, so memory stays bounded and the chunks can run side by side.
            unions.extend(
                render_union(main, rendering.fragments, todo[start : start + BATCH], fmt)
                for start in range(0, len(todo), BATCH)
            )
        reports = self.runner.map(check, (CheckWork.of(u, self.now) for u in unions),
                                  size=len(unions))
        for done, (union, report) in enumerate(zip(unions, reports, strict=True), 1):
            self.progress("checking entries", done, len(unions))
            problems.extend(self._entry_problems(union, report, keys_of, unclean))
        passed -= unclean
        return problems

    def _feeds(self, rendering: Rendering, recipes: Mapping[str, bytes],
               fresh: Collection[str], passed: set[bytes]) -> list[str]:
        """Step 2: what each document adds, its head and how its entries relate.

        The cut-down document's bytes follow from the document's, so its
        recipe names them: what is due is known before any is cut down.
        """
        problems: list[str] = []
        # Each document with its head (None: passed before) and whether its
        # relations are due, and the keys they pass under.
        due: list[tuple[Rendered, Rendered | None, bool]] = []
        keys: dict[str, tuple[bytes, bytes]] = {}
        for doc in rendering.docs:
            if doc.output.path in fresh:
                continue
            head = doc.without_entries()
            head_key = digest(head.data)
            relations_key = b"relations" + recipes[doc.output.path]
            passed.update((head_key, relations_key))
            keys[doc.output.path] = (head_key, relations_key)
            due.append((doc, head if head_key not in self.memory.passed else None,
                        relations_key not in self.memory.passed))
        count = sum((head is not None) + relations for _, head, relations in due)
        # Made, not yet reported on: each with the key it passes under.
        parts: deque[tuple[Rendered, bytes]] = deque()

        def pending() -> Iterator[tuple[Rendered, bool]]:
            # Made as the workers ask for them: cutting down runs beside the checks.
            cut_of: dict[str, dict[str, bytes]] = {}
            for doc, head, relations in due:
                if head is not None:
                    parts.append((head, keys[doc.output.path][0]))
                    yield head, False
                if relations:
                    parts.append((self._cut_down(doc, rendering.fragment_keys, cut_of),
                                  keys[doc.output.path][1]))
                    yield parts[-1][0], True

        # Long documents are split off only for workers already running: more
        # pieces must not be what starts a pool for a small site (so without
        # workers, the pieces are counted first).
        most = BATCH * 10 if self.runner.started else None
        works: Iterator[list[CheckWork]] | list[list[CheckWork]] = (
            [CheckWork.of(d, self.now, relations) for d, relations in piece]
            for piece in pieces(pending(), most))
        if not self.runner.started:
            works = list(works)
        reports = (r for piece in self.runner.map(check_all, works, size=count) for r in piece)
        for done, report in enumerate(reports, 1):
            self.progress("checking feeds", done, count)
            part, key = parts.popleft()
            found, accepted = self._problems(part, report)
            problems.extend(found)
            if accepted:
                passed.discard(key)
                self.unrecorded.add(part.output.path)
        return problems

    def run(self, rendering: Rendering, feedset: FeedSet, recipes: Mapping[str, bytes],
            fresh: Collection[str]) -> set[bytes]:
        """Validate everything at the strictest level, each entry once; refuse on any
        issue but the warnings ``allow`` accepts (those are in ``notices()`` after).

        Args:
            rendering: What the render step made.
            feedset: The feeds the documents are of.
            recipes: Each document's recipe, by path (render/keys.py): a
                cut-down document is known by its document's recipe.
            fresh: Paths of documents an earlier build checked and wrote
                exactly so, still untouched on disk: not checked again.

        Returns:
            The keys of everything that passed (for the cache): fragment keys,
            digests of heads, and recipes of cut-down documents.

        Raises:
            InvalidFeedError: Any issue not allowed; nothing has been written.
        """
        passed: set[bytes] = set()
        with cycles.held():
            problems = self._entries(rendering, feedset, passed)
            problems += self._feeds(rendering, recipes, fresh, passed)
        if problems:
            problems = list(dict.fromkeys(problems))
            more = len(problems) - _SHOWN
            raise InvalidFeedError(
                "refusing to write invalid feeds; nothing was written:\n  "
                + "\n  ".join(problems[:_SHOWN])
                + (f"\n… and {more} more" if more > 0 else "")
            )
        return passed


_FH_ARCHIVE = "{http://purl.org/syndication/history/1.0}archive"
_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"


@dataclass(frozen=True, eq=False)  # one per document: compared by identity
class _HistoryHead:
    """What a document's head says of its place in an archived feed."""

    doc: Rendered
    archive: bool
    #: relation → URL, as its head writes them.
    links: dict[str, str]


def _history_head(doc: Rendered) -> _HistoryHead:
    root = etree.fromstring(doc.without_entries().data)
    feed = root if doc.output.format == "atom" else root.find("channel")
    links = {li.get("rel", ""): li.get("href", "")
             for li in (feed.iterchildren(_ATOM_LINK, "link") if feed is not None else ())}
    return _HistoryHead(doc, feed is not None and feed.find(_FH_ARCHIVE) is not None, links)


def check_archive_walks(docs: Sequence[Rendered]) -> None:
    """Walk every archived feed as an RFC 5005 reader does, over the bytes of
    the heads written: from the subscription document through ``prev-archive``
    to the oldest archive page.

    The validator judges one document at a time; a walk needs them all.  Each
    step must reach a document this build writes, marked ``fh:archive``, whose
    ``current`` is the subscription document and whose ``next-archive`` is the
    document the step came from (none after the subscription document); no
    page twice, every archive page of the feed reached, and no entry in two
    documents of the walk.

    Raises:
        InvalidFeedError: A walk that breaks, loops, misses a page or repeats
            an entry; nothing has been written.
    """
    heads = {doc.output.url: _history_head(doc) for doc in docs
             if doc.feed.history is not None and doc.output.format in ARCHIVED_FORMATS}
    problems: list[str] = []
    for start in heads.values():
        if start.archive:
            continue
        name = start.doc.output.path
        seen_ids: set[str] = set()
        visited = [start]
        here = start
        while "prev-archive" in here.links:
            url = here.links["prev-archive"]
            page = heads.get(url)
            where = f"{here.doc.output.path}: prev-archive {url}"
            if page is None or not page.archive:
                problems.append(f"{where} is not an archive page this build writes")
                break
            if page in visited:
                problems.append(f"{where} loops back to a page already walked")
                break
            if page.links.get("current") != start.doc.output.url:
                problems.append(f"{page.doc.output.path}: its current link is not {name}")
            back = page.links.get("next-archive")
            if back != (None if here is start else here.doc.output.url):
                problems.append(f"{page.doc.output.path}: next-archive {back} does not lead "
                                f"back to {here.doc.output.path}")
            visited.append(page)
            here = page
        for head in visited:
            for entry in head.doc.feed.entries:
                if entry.id in seen_ids:
                    problems.append(f"{head.doc.output.path}: entry {entry.id} is in two "
                                    f"documents of {name}'s archive walk ({entry.source})")
                seen_ids.add(entry.id)
        missed = [h.doc.output.path for h in heads.values() if h.archive and h not in visited
                  and h.links.get("current") == start.doc.output.url]
        if missed:
            problems.append(f"{name}: archive pages not reached by its prev-archive walk: "
                            + ", ".join(missed[:_SHOWN]))
    if problems:
        raise InvalidFeedError("refusing to write a broken archive (RFC 5005); nothing was "
                               "written:\n  " + "\n  ".join(problems[:_SHOWN]))

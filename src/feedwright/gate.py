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
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from feedwright.cache import BuildCache
from feedwright.cache import digest
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
from feedwright.validator import Report
from feedwright.validator import validate

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
                    relations_only=work.relations_only, max_bytes=_NO_CAP)


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


def _problems(doc: Rendered, report: Report) -> list[str]:
    """One line per issue, naming the entry behind it when there is one."""
    out = []
    for issue in report.issues:
        entry = doc.entry_at(issue.line)
        where = f" (entry at {entry.source})" if entry else ""
        out.append(f"{doc.output.path}: {issue.code}: {issue.message}{where}")
    return out


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

    def _cut_down(self, doc: Rendered, keys: Mapping[tuple[str, str], bytes],
                  cut_of: dict[bytes, bytes]) -> Rendered:
        """``doc`` with each fragment cut down by its renderer, each cut made once
        (``cut_of``, then the cache) and remembered."""
        cuts = []
        fmt = doc.output.format
        for fragment, entry in zip(doc.fragments, doc.feed.entries, strict=True):
            key = b"cut" + keys[(fmt, entry.id)]
            cut = cut_of.get(key)
            if cut is None:
                cut = self.memory.fragments.get(key)
                if cut is None:
                    cut = skeleton(fmt, fragment)
                    self.memory.remember_fragment(key, cut)
                cut_of[key] = cut
            cuts.append(cut)
        return doc.with_fragments(cuts)

    def _entries(self, rendering: Rendering, feedset: FeedSet, passed: set[bytes]) -> list[str]:
        """Step 1: every distinct entry checked once, in full."""
        problems: list[str] = []
        main = feedset.feeds[0]
        for batch in rendering.checked:
            if batch.report.issues:
                union = render_union(main, rendering.fragments, list(batch.entries),
                                     batch.format)
                problems.extend(_problems(union, batch.report))
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
            problems.extend(_problems(union, report))
        return problems

    def _feeds(self, rendering: Rendering, recipes: Mapping[str, bytes],
               fresh: Collection[str], passed: set[bytes]) -> list[str]:
        """Step 2: what each document adds, its head and how its entries relate.

        The cut-down document's bytes follow from the document's, so its
        recipe names them: what is due is known before any is cut down.
        """
        problems: list[str] = []
        due: list[tuple[Rendered, bool, bool]] = []
        for doc in rendering.docs:
            if doc.output.path in fresh:
                continue
            head_key = digest(doc.without_entries().data)
            relations_key = b"relations" + recipes[doc.output.path]
            passed.update((head_key, relations_key))
            due.append((doc, head_key not in self.memory.passed,
                        relations_key not in self.memory.passed))
        count = sum(head + relations for _, head, relations in due)
        parts: deque[Rendered] = deque()  # made, not yet reported on

        def pending() -> Iterator[tuple[Rendered, bool]]:
            # Made as the workers ask for them: cutting down runs beside the checks.
            cut_of: dict[bytes, bytes] = {}
            for doc, head, relations in due:
                if head:
                    parts.append(doc.without_entries())
                    yield parts[-1], False
                if relations:
                    parts.append(self._cut_down(doc, rendering.fragment_keys, cut_of))
                    yield parts[-1], True

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
            problems.extend(_problems(parts.popleft(), report))
        return problems

    def run(self, rendering: Rendering, feedset: FeedSet, recipes: Mapping[str, bytes],
            fresh: Collection[str]) -> set[bytes]:
        """Validate everything at the strictest level, each entry once; refuse on any issue.

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
            InvalidFeedError: Any issue at all; nothing has been written.
        """
        passed: set[bytes] = set()
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

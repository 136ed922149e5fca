"""The ``build`` pipeline: config → read → feedset → render → validate(strict) → write.

All-or-nothing: every document is rendered and validated before anything is
written, so a bad entry leaves the published feeds exactly as they were.
"""

from __future__ import annotations

import pickle
import re
from collections import deque
from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import fields
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from functools import partial
from operator import attrgetter
from pathlib import Path

from feedwright.cache import BuildCache
from feedwright.cache import FileRecord
from feedwright.cache import code_fingerprint
from feedwright.cache import digest
from feedwright.cache import file_record
from feedwright.config import Config
from feedwright.config import load_config
from feedwright.errors import InputError
from feedwright.errors import InvalidFeedError
from feedwright.errors import StaleFeedsError
from feedwright.feedset import FILE_NAMES
from feedwright.feedset import build_feedset
from feedwright.io import Staged
from feedwright.io import changed_files
from feedwright.io import stage_changed
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.model import Output
from feedwright.parallel import Runner
from feedwright.parallel import default_jobs
from feedwright.readers import read_entries
from feedwright.render import FragmentCache
from feedwright.render import HeadCache
from feedwright.render import Rendered
from feedwright.render import distinct_entries
from feedwright.render import render
from feedwright.render import render_fragment
from feedwright.render import render_union
from feedwright.validator import Report
from feedwright.validator import validate


@dataclass(frozen=True)
class BuildResult:
    """What a build did (or, with ``check``, would do)."""

    #: The output directory.
    output: Path
    #: Every document's path relative to ``output``, in build order.
    documents: tuple[str, ...]
    #: Paths rewritten because their bytes changed (with ``check``: that differ).
    changed: tuple[str, ...]
    #: Feed files under ``output`` that this build no longer makes (tags that
    #: are gone); reported, never deleted.
    orphans: tuple[str, ...]


# The lines of a fragment that say how entries relate: ids, links, dates.
# Our fragments are pretty-printed, one such element per line, never the
# first.  Found after a newline (a literal first byte is searched for at
# memchr speed; a MULTILINE '^' is tried at every byte), in a lookahead so
# that consecutive lines are all found.
_RELATING = re.compile(
    rb"\n(?=([ \t]*<(?:guid|link|pubDate|id|updated|published)\b[^\n]*\n))"
)


_NO_CAP = 1 << 62

#: Entries per piece of work when rendering, and per document when each
#: entry is validated once: bounded memory, and pieces to share among cores.
_BATCH = 200

#: Heads and cut-down feeds per piece of work in the gate's second step.
_FEEDS_PER_PIECE = 50

#: Archives this large (bytes of input files) make enough work for a process
#: pool (about 1,200 entries of 6.5 kB), so its workers are started while
#: the archive is read.
_LARGE_ARCHIVE = 8_000_000

#: Told how far a long stage has come: (stage, pieces done, pieces in all).
Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    pass


#: The cache folder's name, beside the config (keep it out of version control).
CACHE_FOLDER = ".feedwright-cache"



def _skeleton(fragment: bytes) -> bytes:
    """The fragment cut down to its first and last line and what relates entries."""
    first = fragment[: fragment.index(b"\n") + 1]
    last = fragment[fragment.rindex(b"\n", 0, len(fragment) - 1) + 1 :]
    return first + b"".join(_RELATING.findall(fragment)) + last


def _problems(doc: Rendered, report: Report) -> list[str]:
    """One line per issue, naming the entry behind it when there is one."""
    out = []
    for issue in report.issues:
        entry = doc.entry_at(issue.line)
        where = f" (entry at {entry.source})" if entry else ""
        out.append(f"{doc.output.path}: {issue.code}: {issue.message}{where}")
    return out


#: One document for the gate: its bytes, name, URL, the build time, and the
#: rules to run alone (None: every rule and the schema).
_Check = tuple[bytes, str, str, datetime, bool]


def _check(work: _Check) -> Report:
    """Validate one of our documents at the strictest level (in a worker, maybe)."""
    data, name, url, now, relations_only = work
    # The size cap guards against hostile input; these are our own bytes.
    return validate(data, name=name, strict=True, now=now, location=url,
                    relations_only=relations_only, max_bytes=_NO_CAP)


def _check_all(works: list[_Check]) -> list[Report]:
    return [_check(work) for work in works]


def _work(doc: Rendered, now: datetime, relations_only: bool = False) -> _Check:
    return (doc.data, doc.output.path, doc.output.url, now, relations_only)


def _pieces(
    pending: Iterable[tuple[Rendered, bool]], most: int | None,
) -> Iterator[list[tuple[Rendered, bool]]]:
    """``pending`` in pieces of several documents, so a piece is worth shipping to
    a worker (and few pieces start no pool), and of at most ``most`` entries
    (when given): the main feeds' long cut-down documents go to workers of their own."""
    piece: list[tuple[Rendered, bool]] = []
    weight = 0
    for doc, only in pending:
        if piece and (len(piece) == _FEEDS_PER_PIECE
                      or (most is not None and weight + len(doc.fragments) > most)):
            yield piece
            piece, weight = [], 0
        piece.append((doc, only))
        weight += len(doc.fragments)
    if piece:
        yield piece


def _cut_down(
    doc: Rendered, fragment_keys: Mapping[tuple[str, str], bytes], memory: BuildCache,
    cut_of: dict[bytes, bytes],
) -> Rendered:
    """``doc`` with each fragment cut down (``_skeleton``), each cut made once
    (``cut_of``, then ``memory``) and remembered."""
    cuts = []
    fmt = doc.output.format
    for fragment, entry in zip(doc.fragments, doc.feed.entries, strict=True):
        key = b"cut" + fragment_keys[(fmt, entry.id)]
        cut = cut_of.get(key)
        if cut is None:
            cut = memory.fragments.get(key)
            if cut is None:
                cut = _skeleton(fragment)
                memory.remember_fragment(key, cut)
            cut_of[key] = cut
        cuts.append(cut)
    return doc.with_fragments(cuts)


def _gate(
    docs: list[Rendered], feedset: FeedSet, fragments: FragmentCache, now: datetime,
    memory: BuildCache, runner: Runner, progress: Progress,
    fragment_keys: Mapping[tuple[str, str], bytes], recipes: Mapping[str, bytes],
    fresh: Collection[str], checked: list[_Checked],
) -> set[bytes]:
    """Validate everything at the strictest level, each entry once; refuse on any issue.

    Every distinct entry is checked once, in full (schema and every rule), in
    documents per format that hold them all (``checked``: those checked where
    they were rendered, see _render_batch); then each real document is
    checked for what it adds: its head in full, as a feed with no entries,
    and how its entries relate (order, duplicate ids, dates) with
    RELATION_RULES alone, over its entries cut down to ids, links and dates.
    Bytes that passed an earlier build (``memory``) are not checked again,
    nor are the ``fresh`` documents (paths): an earlier build checked and
    wrote exactly these bytes, and the files are still the ones it wrote.
    A cut-down document is known by its document's recipe (``recipes``, by
    path): the one names the other's bytes.

    Returns:
        The keys of everything that passed (for the cache): fragment keys,
        digests of heads, and recipes of cut-down documents.

    Raises:
        InvalidFeedError: Any issue at all; nothing has been written.
    """
    problems: list[str] = []
    passed: set[bytes] = set()
    main = feedset.feeds[0]
    for fmt, batch, report in checked:
        if report.issues:
            problems.extend(_problems(render_union(main, fragments, list(batch), fmt), report))
    entries = distinct_entries(feedset)
    unions: list[Rendered] = []
    for fmt in sorted({o.format for o in main.outputs}):
        # A fragment's key names its bytes (see _render): what passed is
        # remembered by key, without digesting every fragment again.
        keys = [fragment_keys[(fmt, e.id)] for e in entries]
        passed.update(keys)
        seen = {e.id for f, batch, _ in checked if f == fmt for e in batch}
        todo = [e for e, key in zip(entries, keys, strict=True)
                if key not in memory.passed and e.id not in seen]
        # In chunks, so memory stays bounded and the chunks can run side by side.
        unions.extend(
            render_union(main, fragments, todo[start : start + _BATCH], fmt)
            for start in range(0, len(todo), _BATCH)
        )
    reports = runner.map(_check, (_work(u, now) for u in unions), size=len(unions))
    for done, (union, report) in enumerate(zip(unions, reports, strict=True), 1):
        progress("checking entries", done, len(unions))
        problems.extend(_problems(union, report))
    # What each document adds: its head in full (schema and every rule), as a
    # feed with no entries, and how its entries relate, over the entries cut
    # down. The cut-down document's bytes follow from the document's, so its
    # recipe names them: what is due is known before any is cut down.
    due: list[tuple[Rendered, bool, bool]] = []
    for doc in docs:
        if doc.output.path in fresh:
            continue
        head_key = digest(doc.without_entries().data)
        relations_key = b"relations" + recipes[doc.output.path]
        passed.update((head_key, relations_key))
        due.append((doc, head_key not in memory.passed, relations_key not in memory.passed))
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
                parts.append(_cut_down(doc, fragment_keys, memory, cut_of))
                yield parts[-1], True

    # Long documents are split off only for workers already running: more
    # pieces must not be what starts a pool for a small site (so without
    # workers, the pieces are counted first).
    most = _BATCH * 10 if runner.started else None
    pieces: Iterator[list[_Check]] | list[list[_Check]] = (
        [_work(d, now, only) for d, only in piece] for piece in _pieces(pending(), most))
    if not runner.started:
        pieces = list(pieces)
    reports = (r for piece in runner.map(_check_all, pieces, size=count) for r in piece)
    for done, report in enumerate(reports, 1):
        progress("checking feeds", done, count)
        problems.extend(_problems(parts.popleft(), report))
    if problems:
        problems = list(dict.fromkeys(problems))
        shown = problems[:20]
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InvalidFeedError(
            "refusing to write invalid feeds; nothing was written:\n  "
            + "\n  ".join(shown) + more
        )
    return passed


#: The Entry fields a fragment is made of: all but where the entry was read.
_RENDERED = [f for f in fields(Entry) if f.name != "source"]
_RENDERED_FIELDS = attrgetter(*(f.name for f in _RENDERED))
#: Where among them the dates and the authors are (see _plain).
_DATES_AT = [i for i, f in enumerate(_RENDERED) if "datetime" in str(f.type)]
_AUTHORS_AT = [i for i, f in enumerate(_RENDERED) if "Author" in str(f.type)]


def _plain(value: datetime) -> tuple[str, str | None]:
    """A date as what a fragment can show of it, in types that pickle fast.

    A datetime is pickled with its tzinfo (a third of an entry's key time);
    a fragment shows its wall time and offset (``isoformat``) and at most its
    zone's name.
    """
    return value.isoformat(), value.tzname()


#: The Feed fields its head is made of: all but its entries (of which only
#: the newest dates count, see _head_key).
_HEAD_FIELDS = tuple(f.name for f in fields(Feed) if f.name != "entries")


def _head_key(feed: Feed, output: Output) -> bytes:
    """What the head of ``feed`` in ``output`` depends on: the output, the feed
    but its entries, and the entries' newest dates (RSS lastBuildDate, Atom
    updated).  Its two parts are kept under this key + ``<`` and ``>``."""
    newest = (max(e.published for e in feed.entries),
              max(e.last_modified for e in feed.entries))
    shown = (output, *(getattr(feed, name) for name in _HEAD_FIELDS), *map(_plain, newest))
    return b"head" + digest(pickle.dumps(shown, protocol=5))


def _entry_key(entry: Entry) -> bytes:
    """What an entry's fragments depend on: every field but its source, its
    dates as _plain says and its authors as their fields.

    Pickled rather than repr'd: three times faster on long contents.  Equal
    entries may pickle differently (pickle shares repeated objects); that
    costs a cache miss, never a wrong hit.
    """
    shown = list(_RENDERED_FIELDS(entry))
    for i in _DATES_AT:
        if shown[i] is not None:
            shown[i] = _plain(shown[i])
    for i in _AUTHORS_AT:
        shown[i] = tuple([(a.name, a.email, a.uri) for a in shown[i]])
    return digest(pickle.dumps(tuple(shown), protocol=5))


#: Entries to render: the formats they lack, the entries, the main feed
#: (without entries) to check them under, and the build time.
_RenderWork = tuple[tuple[str, ...], list[Entry], Feed, datetime]

#: Entries checked where they were rendered: format, the entries, the report.
_Checked = tuple[str, tuple[Entry, ...], Report]


def _render_batch(work: _RenderWork) -> tuple[list[tuple[bytes, ...]], list[Report]]:
    """Render each entry in the formats it lacks, then check the fragments where
    they were made, in one document per format holding them all
    (``render_union``): their bytes are not shipped back to a worker to be checked.

    Returns:
        Each entry's fragments (in ``formats`` order), and a report per format.
    """
    formats, entries, main, now = work
    made = [tuple(render_fragment(fmt, e) for fmt in formats) for e in entries]
    made_by_slot = {
        (fmt, entry.id): fragment
        for entry, fragments in zip(entries, made, strict=True)
        for fmt, fragment in zip(formats, fragments, strict=True)
    }
    reports = [_check(_work(render_union(main, made_by_slot, entries, fmt), now))
               for fmt in formats]
    return made, reports


def _render(
    feedset: FeedSet, memory: BuildCache, runner: Runner, progress: Progress, now: datetime
) -> tuple[list[Rendered], FragmentCache, dict[tuple[str, str], bytes], list[_Checked],
           set[bytes]]:
    """Render every document, taking fragments of unchanged entries and heads of
    unchanged feeds from ``memory``.

    Returns:
        The documents, their fragments, each fragment's key: (format, entry
        id) → a key that names the fragment's bytes (the format and what the
        entry's fields are), the reports on the fragments rendered here, and
        the keys the documents' heads are kept under.
    """
    fragments: FragmentCache = {}
    keys: dict[tuple[str, str], bytes] = {}
    main = feedset.feeds[0]
    formats = [o.format for o in main.outputs]
    # Entries by the formats they lack, so each is shipped to a worker once.
    missing: dict[tuple[str, ...], list[Entry]] = {}
    for entry in distinct_entries(feedset):
        base = _entry_key(entry)
        lacking = []
        for fmt in formats:
            key = keys[(fmt, entry.id)] = fmt.encode() + base
            known = memory.fragments.get(key)
            if known is not None:
                fragments[(fmt, entry.id)] = known
            else:
                lacking.append(fmt)
        if lacking:
            missing.setdefault(tuple(lacking), []).append(entry)
    # Pieces of about _BATCH fragments: each entry in every format it lacks.
    size = max(1, _BATCH // len(formats))
    bare = replace(main, entries=())
    batches: list[_RenderWork] = [
        (needed, todo[i : i + size], bare, now) for needed, todo in missing.items()
        for i in range(0, len(todo), size)
    ]
    checked: list[_Checked] = []
    made_batches = runner.map(_render_batch, batches)
    for done, ((needed, batch, _, _), (made, reports)) in enumerate(
        zip(batches, made_batches, strict=True), 1
    ):
        progress("rendering and checking entries", done, len(batches))
        for entry, rendered in zip(batch, made, strict=True):
            for fmt, fragment in zip(needed, rendered, strict=True):
                fragments[(fmt, entry.id)] = fragment
        checked.extend(zip(needed, [tuple(batch)] * len(needed), reports, strict=True))
    heads: HeadCache = {}
    head_keys = {(o.format, feed.tag): _head_key(feed, o)
                 for feed in feedset.feeds for o in feed.outputs}
    for slot, key in head_keys.items():
        before, after = memory.fragments.get(key + b"<"), memory.fragments.get(key + b">")
        if before is not None and after is not None:
            heads[slot] = (before, after)
    docs = render(feedset, fragments, heads)
    for slot, key in keys.items():
        memory.remember_fragment(key, fragments[slot])
    for slot, key in head_keys.items():
        memory.remember_fragment(key + b"<", heads[slot][0])
        memory.remember_fragment(key + b">", heads[slot][1])
    kept = {key + part for key in head_keys.values() for part in (b"<", b">")}
    return docs, fragments, keys, checked, kept


def _recipe(doc: Rendered, keys: Mapping[tuple[str, str], bytes]) -> bytes:
    """A digest of what ``doc`` is made of: its head, its tail and its fragments'
    keys; equal recipes make equal bytes, and it costs no join of the document."""
    fmt = doc.output.format
    return digest(b"".join([digest(doc.head), digest(doc.tail),
                            *(keys[(fmt, e.id)] for e in doc.feed.entries)]))


def _records(
    output: Path, recipes: Mapping[str, bytes], keep: Mapping[str, FileRecord],
    left_out: Collection[str] = (),
) -> dict[str, FileRecord]:
    """What each file under ``output`` now holds and how to tell it has not
    been touched since, by absolute path; records in ``keep`` (by path under
    ``output``) stand, ``left_out`` paths get none."""
    records = {}
    for path, recipe in recipes.items():
        record = keep.get(path)
        if record is None and path not in left_out:
            record = file_record(recipe, output / path)
        if record is not None:
            records[str(output / path)] = record
    return records


def _throw_away(staging: Future[tuple[list[str], Staged]]) -> None:
    """Wait for the staging of a build that failed, then remove what it wrote."""
    try:
        _, staged = staging.result()
    except Exception:  # noqa: BLE001 - the gate's error is the one to report
        return
    staged.discard()


class _Documents(Mapping[str, tuple[bytes, ...]]):
    """Path → the document's chunks, compared and written without being joined."""

    def __init__(self, docs: list[Rendered]) -> None:
        self._docs = {d.output.path: d for d in docs}

    def __getitem__(self, path: str) -> tuple[bytes, ...]:
        return self._docs[path].chunks

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


def _input_bytes(config: Config) -> int:
    """The size of the archive on disk (a file that cannot be read counts 0:
    reading it reports the problem properly)."""
    total = 0
    for path in config.inputs:
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def _orphans(output: Path, documents: set[str]) -> tuple[str, ...]:
    if not output.is_dir():
        return ()
    names = set(FILE_NAMES.values())
    found = sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*.xml")
        if p.name in names
    )
    return tuple(p for p in found if p not in documents)


def build(
    config: Config | str | Path,
    *,
    out: Path | None = None,
    check: bool = False,
    now: datetime | None = None,
    cache: Path | None | bool = True,
    jobs: int | None = None,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build every feed the config describes.

    Args:
        config: A loaded Config or the path of a config file.
        out: Write here instead of the config's output directory.
        check: Write nothing; raise StaleFeedsError when files on disk differ.
        now: The build time ("no entry in the future"); defaults to the clock.
        cache: Where to remember fragments and what passed the gate between
            builds: True for ``.feedwright-cache/`` beside the config, a folder,
            or False to remember nothing.
        jobs: Processes to render and validate with; default all cores (large
            builds only: small ones run in one process, which is faster).
        progress: Called as long stages advance, e.g. to draw a progress bar.

    Returns:
        What was written (or would be).

    Raises:
        ConfigError, InputError: Could not run (exit 2).
        InvalidFeedError: A document failed validation; nothing written (exit 1).
        StaleFeedsError: With ``check``, files differ (exit 1).
    """
    if not isinstance(config, Config):
        config = load_config(config)
    output = (out or config.output).absolute()
    now = now or datetime.now(UTC)
    with Runner(default_jobs() if jobs is None else jobs) as runner:
        if _input_bytes(config) >= _LARGE_ARCHIVE:
            runner.start()
        entries = read_entries(config)
        if not entries:
            raise InputError("no entries to publish: the inputs hold no entry (or only drafts)",
                             str(config.path))
        feedset = build_feedset(entries, config)
        folder = config.path.parent / CACHE_FOLDER if cache is True else (cache or None)
        memory = BuildCache.load(folder, code_fingerprint())
        docs, fragments, fragment_keys, checked, head_keys = _render(
            feedset, memory, runner, progress, now)
        documents = _Documents(docs)
        orphans = _orphans(output, set(documents))
        # Files an earlier build wrote from the same recipe, untouched since,
        # are neither checked nor read back to be compared.
        recipes = {d.output.path: _recipe(d, fragment_keys) for d in docs}
        fresh = {
            path: record for path, recipe in recipes.items()
            if (record := memory.files.get(str(output / path))) is not None
            and record == file_record(recipe, output / path)
        }
        compare = _Documents([d for d in docs if d.output.path not in fresh])
        gate = partial(_gate, docs, feedset, fragments, now, memory, runner, progress,
                       fragment_keys, recipes, fresh, checked)
        if check:
            passed = gate()
        else:
            # Changed files are staged (written beside their targets, fsynced)
            # while the gate runs; they are put in place only if it passes.
            with ThreadPoolExecutor(max_workers=1) as writer:
                staging = writer.submit(stage_changed, output, compare)
                try:
                    passed = gate()
                except BaseException:
                    _throw_away(staging)
                    raise
            changed, staged = staging.result()  # WriteError: nothing was left behind
    # A cut-down fragment is kept as long as its fragment is used, whether or
    # not this build needed it (fresh documents are not cut down).
    used = set(fragment_keys.values())
    used |= {b"cut" + key for key in used} | head_keys
    if check:
        stale = changed_files(output, compare)
        memory.save(used, passed, _records(output, recipes, fresh, stale))
        if stale:
            raise StaleFeedsError(
                f"{len(stale)} of {len(documents)} feed files in {output} are not what the "
                "config builds; run `feedwright build` and commit the result:\n  "
                + "\n  ".join(stale)
            )
        return BuildResult(output, tuple(documents), (), orphans)
    staged.commit()
    memory.save(used, passed, _records(output, recipes, fresh))
    return BuildResult(output, tuple(documents), tuple(changed), orphans)

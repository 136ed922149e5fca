"""The ``build`` pipeline: config → read → feedset → render → gate → write.

All-or-nothing: every document is rendered and validated before anything is
written, so a bad entry leaves the published feeds exactly as they were.
Each stage lives in its own module; this one only runs them in order and
keeps the build cache (what was rendered, checked and written) between runs.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Collection
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from pathlib import Path

import feedwright.gate
from feedwright import cycles
from feedwright.cache import BuildCache
from feedwright.cache import FileRecord
from feedwright.cache import code_fingerprint
from feedwright.cache import digest
from feedwright.cache import file_record
from feedwright.config import Config
from feedwright.config import load_config
from feedwright.errors import ConfigError
from feedwright.errors import InputError
from feedwright.errors import StaleFeedsError
from feedwright.feedset import build_feedset
from feedwright.feedset import is_archive_path
from feedwright.formats import FORMATS
from feedwright.gate import WORKER_MODULES
from feedwright.gate import CheckedBatch
from feedwright.gate import EntryBatch
from feedwright.gate import Gate
from feedwright.gate import Progress
from feedwright.gate import Rendering
from feedwright.gate import allowed_codes
from feedwright.gate import check_archive_walks
from feedwright.gate import check_budget
from feedwright.gate import quiet
from feedwright.gate import reader_cap_notices
from feedwright.gate import render_and_check
from feedwright.idguard import check_ids
from feedwright.idguard import let_through
from feedwright.idguard import refusal
from feedwright.io import Identity
from feedwright.io import Staged
from feedwright.io import compare as compare_files
from feedwright.io import journal_path
from feedwright.io import output_lock
from feedwright.io import recover
from feedwright.io import stage_changed
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.parallel import Runner
from feedwright.parallel import default_jobs
from feedwright.readers import Notices
from feedwright.readers import read_entries
from feedwright.render import FragmentCache
from feedwright.render import HeadCache
from feedwright.render import Rendered
from feedwright.render import distinct_entries
from feedwright.render import render
from feedwright.render.keys import entry_key
from feedwright.render.keys import fragment_key
from feedwright.render.keys import head_key
from feedwright.render.keys import recipe
from feedwright.render.site import MARKS
from feedwright.render.site import OWN_NAMES
from feedwright.render.site import site_files
from feedwright.validator.report import Report
from feedwright.validator.report import counted


@dataclass(frozen=True)
class BuildResult:
    """What a build did (or, with ``check``, would do)."""

    #: The output directory.
    output: Path
    #: Every feed document's path relative to ``output``, in build order.
    documents: tuple[str, ...]
    #: Paths rewritten because their bytes changed (with ``check``: that differ).
    changed: tuple[str, ...]
    #: Feed files under ``output`` that this build no longer makes (tags that
    #: are gone, formats dropped from the config); reported, never deleted.
    orphans: tuple[str, ...]
    #: Lines to tell the user once per build: what the readers went past
    #: (shortcodes removed…) and the warnings ``gate.allow`` accepted; the
    #: CLI prints them on stderr.
    notices: tuple[str, ...] = ()
    #: The files written beside the feeds (browser stylesheet, ``index.html``,
    #: ``feeds.opml``: render/site.py), relative to ``output``; written,
    #: compared and reported stale as the feeds are (``changed`` holds both).
    files: tuple[str, ...] = ()
    #: The archive pages among ``documents`` (RFC 5005: ``archives``); readers
    #: subscribe to the other documents, and WebSub hubs hear only of those.
    archive_pages: tuple[str, ...] = ()


#: Archives this large (bytes of input files) make enough work for a process
#: pool, so its workers are started while the archive is read
#: (benchmarks/README.md has the figures behind it).
_LARGE_ARCHIVE = 8_000_000

#: The cache folder's name, beside the config (keep it out of version control).
CACHE_FOLDER = ".feedwright-cache"


def _render(
    feedset: FeedSet, memory: BuildCache, runner: Runner, progress: Progress, now: datetime
) -> tuple[Rendering, set[bytes], FeedSet]:
    """Render every document, taking fragments of unchanged entries and heads of
    unchanged feeds from ``memory``; the entries rendered here are checked
    where they are rendered (``gate.render_and_check``).

    Returns:
        What was rendered, the keys the documents' heads are kept under, and
        the feed set without its entries' contents (``_without_contents``),
        which the rest of the build uses in its place.
    """
    with cycles.held():
        return _render_all(feedset, memory, runner, progress, now)


def _render_all(
    feedset: FeedSet, memory: BuildCache, runner: Runner, progress: Progress, now: datetime
) -> tuple[Rendering, set[bytes], FeedSet]:
    fragments: FragmentCache = {}
    keys: dict[tuple[str, str], bytes] = {}
    main = feedset.feeds[0]
    formats = [o.format for o in main.outputs]
    # Entries by the formats they lack, so each is shipped to a worker once.
    missing: dict[tuple[str, ...], list[Entry]] = {}
    for entry in distinct_entries(feedset):
        base = entry_key(entry)
        lacking = []
        for fmt in formats:
            key = keys[(fmt, entry.id)] = fragment_key(fmt, base)
            known = memory.fragments.get(key)
            if known is not None:
                fragments[(fmt, entry.id)] = known
            else:
                lacking.append(fmt)
        if lacking:
            missing.setdefault(tuple(lacking), []).append(entry)
    # Pieces of about gate.BATCH fragments: each entry in every format it lacks.
    size = max(1, feedwright.gate.BATCH // len(formats))
    bare = replace(main, entries=())
    batches = [
        EntryBatch(needed, tuple(todo[i : i + size]), bare, now)
        for needed, todo in missing.items() for i in range(0, len(todo), size)
    ]
    reported: list[tuple[str, tuple[str, ...], Report]] = []
    made_batches = runner.map(render_and_check, batches)
    for done, (batch, (made, reports)) in enumerate(zip(batches, made_batches, strict=True), 1):
        progress("rendering and checking entries", done, len(batches))
        for entry, rendered in zip(batch.entries, made, strict=True):
            for fmt, fragment in zip(batch.formats, rendered, strict=True):
                fragments[(fmt, entry.id)] = fragment
        ids = tuple(entry.id for entry in batch.entries)
        reported.extend(zip(batch.formats, (ids,) * len(reports), reports, strict=True))
    del batches, missing
    feedset, lean = _without_contents(feedset)
    checked = [CheckedBatch(fmt, tuple(lean[i] for i in ids), report)
               for fmt, ids, report in reported]
    heads: HeadCache = {}
    head_keys = {(o.format, o.path): head_key(feed, o)
                 for feed in feedset.documents for o in feed.outputs}
    for slot, key in head_keys.items():
        before, after = memory.fragments.get(key + b"<"), memory.fragments.get(key + b">")
        if before is not None and after is not None:
            heads[slot] = (before, after)
    rendered_before = len(fragments)
    docs = render(feedset, fragments, heads)
    if len(fragments) != rendered_before:  # render made one, from an entry without its content
        raise AssertionError("a fragment was rendered after the contents were let go")
    for slot, key in keys.items():
        memory.remember_fragment(key, fragments[slot])
    for slot, key in head_keys.items():
        memory.remember_fragment(key + b"<", heads[slot][0])
        memory.remember_fragment(key + b">", heads[slot][1])
    kept = {key + part for key in head_keys.values() for part in (b"<", b">")}
    return Rendering(docs, fragments, keys, checked), kept, feedset


def _without_contents(feedset: FeedSet) -> tuple[FeedSet, dict[str, Entry]]:
    """``feedset`` with every entry's content let go, and its entries by id.

    Once every fragment is made, the build needs its entries for their ids,
    dates and sources only: no stage after the fragment renderers reads a
    content, and the contents are most of the archive's text (50k entries,
    every one shown: ~330 MB of the main process's ~1.35 GB).  A stage
    added after rendering that needs an entry's content must take it
    before this.
    """
    lean: dict[str, Entry] = {}
    for feed in feedset.documents:
        for entry in feed.entries:
            if entry.id not in lean:
                lean[entry.id] = entry.without_content() if entry.content else entry

    def without(feed: Feed) -> Feed:
        return replace(feed, entries=tuple(lean[e.id] for e in feed.entries))

    return (replace(feedset, feeds=tuple(map(without, feedset.feeds)),
                    archives=tuple(map(without, feedset.archives))), lean)


def _give_back_freed_memory() -> None:
    """Return the memory freed so far to the system (glibc's ``malloc_trim``).

    The main thread reuses what it freed, but the process pool's results
    (the fragments the workers render, ~40 MB at 10k entries) are unpickled
    by the executor's own thread, which glibc gives an arena of its own:
    without this, the entries let go before rendering stay counted beside
    the fragments that come back (10k/20: main process 176 MB against 131).
    A few milliseconds; a C library without ``malloc_trim`` (or Windows, where
    ``CDLL(None)`` is refused) is left as it is.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # pragma: no cover - not glibc
        pass


def _records(
    output: Path, recipes: Mapping[str, bytes], keep: Mapping[str, FileRecord],
    left_out: Collection[str] = (), written: Mapping[Path, Identity] | None = None,
) -> dict[str, FileRecord]:
    """What each file under ``output`` now holds and how to tell it has not
    been touched since, by absolute path; records in ``keep`` (by path under
    ``output``) stand, ``left_out`` paths get none.

    A file this build wrote is recorded as it wrote it (``written``, from
    the staged file's own descriptor, ``Staged.commit``), never by looking at
    the path again: a file another process put there since would be taken
    for ours, and never checked or rewritten again.  So is a file left as it
    was because its bytes compared equal: as it was read (``io.compare``).
    A path in neither (none today) is looked at where it is.
    """
    written = written or {}
    records = {}
    for path, made_of in recipes.items():
        record = keep.get(path)
        if record is None and path not in left_out:
            identity = written.get(output / path)
            record = (file_record(made_of, output / path) if identity is None
                      else (made_of, *identity))
        if record is not None:
            records[str(output / path)] = record
    return records


def _fresh(output: Path, recipes: Mapping[str, bytes],
           memory: BuildCache) -> dict[str, FileRecord]:
    """The files an earlier build wrote from the same recipe, untouched since
    (by path under ``output``): neither checked nor read back to be compared."""
    return {
        path: record for path, made_of in recipes.items()
        if (record := memory.files.get(str(output / path))) is not None
        and record == file_record(made_of, output / path)
    }


class _Documents(Mapping[str, tuple[bytes, ...]]):
    """Path → the document's chunks, compared and written without being joined;
    the files written beside the feeds (``files``: stylesheet, index page,
    OPML list) follow the feeds, whole."""

    def __init__(self, docs: list[Rendered], files: Mapping[str, bytes] | None = None) -> None:
        self._docs = {d.output.path: d for d in docs}
        self._files = {path: data for path, data in (files or {}).items()
                       if path not in self._docs}

    def __getitem__(self, path: str) -> tuple[bytes, ...]:
        doc = self._docs.get(path)
        return (self._files[path],) if doc is None else doc.chunks

    def __iter__(self) -> Iterator[str]:
        yield from self._docs
        yield from self._files

    def __len__(self) -> int:
        return len(self._docs) + len(self._files)


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


def _refuse_foreign(output: Path, files: Mapping[str, bytes], config: Config) -> None:
    """Refuse to replace a file beside the feeds that feedwright did not write
    (the site's own ``index.html`` when the output folder is its root)."""
    for path, mark in MARKS.items():
        if path not in files:
            continue
        try:
            with open(output / path, "rb") as handle:
                start = handle.read(4096)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue
        except OSError as exc:
            raise InputError(f"cannot read {output / path}: {exc.strerror}",
                             str(config.path)) from None
        if mark not in start:
            raise ConfigError(
                f"{output / path} exists and feedwright did not write it; refusing to replace "
                f"it with the list of feeds: set index_page: false, or move it away",
                str(config.path))


def _orphans(output: Path, documents: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Feed files under ``output`` this build does not make, and files named as
    feedwright named its temp files before it kept a publish journal
    (``.rss.xml.k3j_x9qa.tmp``): a build of those killed mid-publish left
    them, and no journal says they are not someone's, so they are named,
    never removed."""
    if not output.is_dir():
        return (), ()
    names = {f.file_name for f in FORMATS.values()} | OWN_NAMES
    old_temp = re.compile(
        rf"\.(?:{'|'.join(map(re.escape, sorted(names)))})\.[a-z0-9_]{{8}}\.tmp")
    found, temps = [], []
    for path in output.rglob("*"):
        rel = path.relative_to(output).as_posix()
        if (path.name in names or is_archive_path(rel)) and path.is_file():
            found.append(rel)
        elif old_temp.fullmatch(path.name):
            temps.append(path.relative_to(output).as_posix())
    return tuple(p for p in sorted(found) if p not in documents), tuple(sorted(temps))


def _edited_archives(output: Path, docs: list[Rendered], changed: Collection[str],
                     recipes: Mapping[str, bytes], memory: BuildCache) -> tuple[str, ...]:
    """One line per archive page rewritten although the build makes it as the
    last build did (its file record's recipe is this build's): the file was
    edited, replaced or removed by hand since.  Readers that fetched the
    edited copy keep it (archive pages are meant not to change, RFC 5005
    section 4)."""
    pages = set(_archive_pages(docs))
    edited = [path for path in changed if path in pages
              and (record := memory.files.get(str(output / path))) is not None
              and record[0] == recipes[path]]
    if not edited:
        return ()
    shown = ", ".join(edited[:3]) + (f" and {len(edited) - 3} more" if len(edited) > 3 else "")
    return (f"{counted(len(edited), 'archive page')} in {output} had been changed or removed "
            f"since the last build ({shown}); rewritten to what the archive holds",)


def _old_temps_notice(output: Path, temps: tuple[str, ...]) -> tuple[str, ...]:
    if not temps:
        return ()
    shown = ", ".join(temps[:3]) + (f" and {len(temps) - 3} more" if len(temps) > 3 else "")
    one = len(temps) == 1
    return (f"{len(temps)} file{'' if one else 's'} in {output} look{'s' if one else ''} like "
            f"temp files an older feedwright left when killed ({shown}); delete "
            f"{'it' if one else 'them'} unless {'it is' if one else 'they are'} yours",)


def build(
    config: Config | str | Path,
    *,
    out: Path | None = None,
    check: bool = False,
    now: datetime | None = None,
    cache: Path | None | bool = True,
    jobs: int | None = None,
    progress: Progress = quiet,
    drafts: bool = False,
    future: bool = False,
    wait: bool = True,
    allow_id_change: bool = False,
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
        drafts: Publish drafts too (a preview; they are left out by default).
        future: Publish posts dated after ``now`` too (a preview; the gate
            then takes the newest of them as the build time).
        wait: When another build holds the output folder's lock, wait for it
            (saying so on stderr) rather than raise BusyError.
        allow_id_change: Write feeds that change or move the id of a post
            already published (``idguard``); the result's notices name each.

    One build at a time per output folder (``io.output_lock``): a build holds
    the folder's lock from before it reads the cache, so before anything is
    staged, until the cache is saved; two builds would otherwise interleave
    their renames and each record the other's files as its own.  A check
    takes it shared: checks run side by side, and wait only for a build.

    The folder changes as a set (``io.Staged(root)``): under the lock, a build
    or a check first finishes or undoes a publish that a killed build left
    (``io.recover``; a check takes the lock alone for that), and says so in
    the result's notices.

    Returns:
        What was written (or would be).

    Raises:
        ConfigError, InputError: Could not run (exit 2).
        BusyError: ``wait`` is False and the output folder is locked (exit 2).
        InvalidFeedError: A document failed validation; nothing written (exit 1).
        IdChangedError: A rewritten feed would change a published post's id,
            and ``allow_id_change`` is False; nothing written (exit 1).
        StaleFeedsError: With ``check``, files differ (exit 1).
    """
    if not isinstance(config, Config):
        config = load_config(config)
    allow = allowed_codes(config.allow)
    output = (out or config.output).absolute()
    now = now or datetime.now(UTC)
    jobs = default_jobs() if jobs is None else jobs
    recovered = None
    if check and journal_path(output).exists():  # a check that finds one takes the lock alone
        with output_lock(output, wait=wait):
            recovered = recover(output)
    with output_lock(output, shared=check, wait=wait):
        if not check:
            recovered = recover(output)
        elif journal_path(output).exists():  # a build killed since the lines above
            raise StaleFeedsError(
                f"a build of {output} was cut short while publishing and left it half "
                "done; run `feedwright build` (or this check again) to finish or undo it",
                str(journal_path(output)))
        result = _build(config, output, check, now, cache, jobs, progress, drafts, future, allow,
                        allow_id_change)
    if recovered:
        result = replace(result, notices=(recovered, *result.notices))
    return result


def _build(
    config: Config, output: Path, check: bool, now: datetime, cache: Path | None | bool,
    jobs: int, progress: Progress, drafts: bool, future: bool, allow: frozenset[str],
    allow_id_change: bool = False,
) -> BuildResult:
    """``build`` with the output folder locked."""
    with Runner(jobs, preload=WORKER_MODULES) as runner:
        if _input_bytes(config) >= _LARGE_ARCHIVE:
            runner.start()
        notices = Notices()
        entries = read_entries(config, notices, now=now, drafts=drafts, future=future)
        if not entries:
            raise InputError("no entries to publish: the inputs hold no entry, or only posts "
                             "left out (drafts, scheduled, expired)", str(config.path))
        if future:  # asked for: scheduled posts are not "in the future" for the gate
            now = max(now, *(e.last_modified for e in entries))
        feedset = build_feedset(entries, config)
        # Entries no feed holds (past every limit) are let go before rendering:
        # at 10k entries and limit 20 that is two thirds of the archive's text.
        del entries
        _give_back_freed_memory()
        folder = config.path.parent / CACHE_FOLDER if cache is True else (cache or None)
        # Without a cache folder no fingerprint is needed (hashing the package costs).
        memory = BuildCache.load(folder, code_fingerprint() if folder is not None else "")
        # A build that writes makes the folders and temp files of new feeds
        # while its workers render (Staged.reserve); the changed files are
        # staged (written beside their targets, fsynced) while the gate runs.
        # They are put in place only if it passes.
        staged = None if check else Staged(output)
        with ThreadPoolExecutor(max_workers=1) as writer:
            ahead = None if staged is None else writer.submit(
                staged.reserve, [output / o.path for feed in feedset.documents
                                 for o in feed.outputs])
            try:
                rendering, head_keys, feedset = _render(feedset, memory, runner, progress, now)
                _give_back_freed_memory()  # the contents _render let go
                docs = rendering.docs
                # The files beside the feeds (render/site.py) are made every build;
                # their recipe is their bytes' digest, so they are "fresh" as feeds are.
                files = site_files(feedset, config)
                _refuse_foreign(output, files, config)
                documents = _Documents(docs, files)
                orphans, old_temps = _orphans(output, set(documents))
                recipes = {d.output.path: recipe(d, rendering.fragment_keys) for d in docs}
                recipes.update((path, digest(data)) for path, data in files.items())
                fresh = _fresh(output, recipes, memory)
                compare = _Documents([d for d in docs if d.output.path not in fresh],
                                     {p: data for p, data in files.items() if p not in fresh})
                check_budget(docs, config.budget)  # before anything is staged
                check_archive_walks(docs)  # RFC 5005: the walk a reader makes across documents
                too_large = reader_cap_notices(docs)
                gate = Gate(now, memory, runner, progress, allow=allow)
                gate.check_files({p: data for p, data in files.items() if p not in fresh})
                if staged is not None:
                    staging = writer.submit(stage_changed, output, compare, staged)
                passed = gate.run(rendering, feedset, recipes, fresh)
                if ahead is not None:
                    ahead.result()
            except BaseException:
                if staged is not None:
                    writer.shutdown(wait=True)  # what it made is known only when it is done
                    staged.discard()
                raise
        if staged is not None:
            changed, _ = staging.result()  # WriteError: nothing was left behind
            # Only the feeds being rewritten are read back (idguard).
            ids = check_ids(output, docs, changed)
            if ids.problems and not allow_id_change:
                staged.discard()
                raise refusal(ids)
    # A cut-down fragment is kept as long as its fragment is used, whether or
    # not this build needed it (fresh documents are not cut down).
    used = set(rendering.fragment_keys.values())
    used |= {b"cut" + key for key in used} | head_keys
    if check:
        stale, same = compare_files(output, compare)
        memory.save(used, passed,
                    _records(output, recipes, fresh, {*stale, *gate.unrecorded}, same))
        if stale:
            raise StaleFeedsError(
                f"{len(stale)} of {counted(len(documents), 'file')} in {output} "
                f"{'is' if len(stale) == 1 else 'are'} not what the config builds; run "
                "`feedwright build` and commit the result:\n  "
                + "\n  ".join(stale)
            )
        return BuildResult(output, tuple(d.output.path for d in docs), (), orphans,
                           (*notices.lines(), *too_large, *gate.notices(),
                            *_old_temps_notice(output, old_temps)), tuple(files),
                           _archive_pages(docs))
    assert staged is not None  # a build that writes
    written = staged.commit()
    edited = _edited_archives(output, docs, changed, recipes, memory)
    memory.save(used, passed, _records(output, recipes, fresh, gate.unrecorded, written))
    return BuildResult(output, tuple(d.output.path for d in docs), tuple(changed), orphans,
                       (*notices.lines(), *too_large, *gate.notices(), *edited,
                        *ids.notices, *let_through(ids),
                        *_old_temps_notice(output, old_temps)), tuple(files),
                       _archive_pages(docs))


def _archive_pages(docs: Sequence[Rendered]) -> tuple[str, ...]:
    return tuple(d.output.path for d in docs
                 if d.feed.history is not None and d.feed.history.archive)

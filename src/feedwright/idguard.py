"""The build's id guard: a published post's id never changes by accident.

Readers key each post on its id; a feed rewritten with another id for a post
they already have makes every reader show it again as new (miniflux/v2#2358,
NetNewsWire#3835), and an id moved to another post hides that post.  Our ids
are made from the entry (``model.tag_uri``: host, date, path), so editing an
entry's date, or its pinned ``id:``, changes them.

Before a build writes, each feed whose bytes change is compared with the
file already published in its place (``validator.compare``, the comparison
``feedwright diff`` prints).  Only rewritten feeds are read, so an unchanged
or empty output folder costs nothing; a published file that is not a feed
feedwright can read is passed over with a notice.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from feedwright.errors import InputError
from feedwright.errors import RefusedError
from feedwright.fetch import read_source
from feedwright.render import Rendered
from feedwright.validator.parse import DEFAULT_MAX_BYTES

#: Problems listed in one refusal; the rest are counted.
SHOWN = 10


class IdChangedError(RefusedError):
    """A feed about to be written would change or move a published post's id."""


@dataclass(frozen=True)
class Guarded:
    """What the guard found over one build's rewritten feeds."""

    #: The output folder the feeds are published in.
    output: Path
    #: One line per id that would change or move: the entry's link and
    #: file:line, both ids, and the feed files (under ``output``) it is in.
    problems: tuple[str, ...]
    #: Published files the guard could not read (not a feed, cut off…).
    notices: tuple[str, ...]


#: What one problem is, whatever feed file it is found in.
_Key = tuple[str, str | None, str | None, str | None, str, str | None]


def _problem(key: _Key, paths: list[str]) -> str:
    code, link, old_id, new_id, source, old_link = key
    where = f" ({source})" if source else ""
    files = ", ".join(paths)
    if code == "id-changed":
        return (f"{link}{where}: its id would change from {old_id!r} to {new_id!r} in "
                f"{files}; readers would show it again as a new post")
    if code == "link-and-id-changed":
        return (f"{link}{where}: was {old_link} (same title and date) and its id would change "
                f"from {old_id!r} to {new_id!r} in {files}; readers would show it again as a "
                "new post")
    return (f"{link}{where}: would take id {new_id!r} from another post in {files}; "
            "readers would take it for that post and never show it")


def check_ids(output: Path, docs: Sequence[Rendered], changed: Collection[str]) -> Guarded:
    """Compare each document in ``changed`` with the file published at its path.

    A path with no file yet (a cold build, a new tag) is not read at all.
    """
    rewritten = set(changed)
    published = [doc for doc in docs
                 if doc.output.path in rewritten and (output / doc.output.path).is_file()]
    if not published:
        return Guarded(output, (), ())
    # Imported only now (email.utils, socket: ~8 ms a cold build never needs).
    from feedwright.validator.compare import compare
    from feedwright.validator.compare import read_snapshot

    found: dict[_Key, list[str]] = {}
    notices: list[str] = []
    for doc in published:
        path = doc.output.path
        try:
            source = read_source(str(output / path), max_bytes=DEFAULT_MAX_BYTES)
            old = read_snapshot(source.data, name=path)
        except InputError as exc:
            notices.append(f"{output / path} is not a feed feedwright can read ({exc.message}); "
                           "the ids of its posts were not compared before it was replaced")
            continue
        data = b"".join(doc.chunks)  # ours, in memory already: no cap
        new = read_snapshot(data, name=path, max_bytes=max(len(data), DEFAULT_MAX_BYTES))
        for change in compare(old, new).problems:
            entry = doc.entry_at(change.line)
            key = (change.code, change.link, change.old_id, change.new_id,
                   entry.source if entry is not None else "", change.old_link)
            found.setdefault(key, []).append(path)
    problems = tuple(_problem(key, paths) for key, paths in found.items())
    return Guarded(output, problems, tuple(notices))


def refusal(found: Guarded) -> IdChangedError:
    """The one error a build refuses with, listing the first problems."""
    shown = list(found.problems[:SHOWN])
    more = len(found.problems) - len(shown)
    if more:
        shown.append(f"… and {more} more")
    return IdChangedError(
        f"refusing to change the id of a published post in {found.output}; nothing was "
        "written:\n  " + "\n  ".join(shown) + "\n"
        "To keep an id, undo what changed it (an id is made of the entry's date and URL) "
        "or pin the old one in the entry: `id:` for the Atom and JSON Feed id (it becomes "
        "the RSS guid too) and `guid:` for the RSS guid when that one was another value, "
        "such as the permalink (README, \"Ids never change\"); if the change is meant, "
        "build with --allow-id-change")


def let_through(found: Guarded) -> tuple[str, ...]:
    """The notices of a build that was allowed to change ids."""
    return tuple(f"--allow-id-change let this through: {line}" for line in found.problems)

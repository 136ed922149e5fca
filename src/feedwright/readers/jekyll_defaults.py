"""Jekyll's front matter defaults: which ``defaults`` sets of ``_config.yml`` a post takes.

Jekyll 4.3's ``FrontmatterDefaults#all``, for the keys a feed needs: a set
applies when its ``scope.type`` is the post's (or not given) and its
``scope.path`` is empty, a prefix of the post's path from the site's
source (compared as written: Jekyll does not drop a leading ``/`` here),
or a glob matching a folder or file the post is in.  Sets are merged in
the order written; a set whose path is longer than the last merged one's
(or as long, with a ``type``) wins over it, any other is merged under it.
The post's own front matter then wins over the result.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from feedwright.located import LocatedDict
from feedwright.readers.jekyll_config import FrontMatterDefault
from feedwright.readers.jekyll_config import JekyllSite


def _sanitized(path: str) -> str:
    return path.removeprefix("/")


def _has_precedence(old: FrontMatterDefault | None, new: FrontMatterDefault) -> bool:
    """Jekyll's ``has_precedence?``: the more specific scope wins."""
    if old is None:
        return True
    new_path, old_path = _sanitized(new.path), _sanitized(old.path)
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    if new.type is not None:
        return True
    return old.type is None


def _applies(site: JekyllSite, scope: FrontMatterDefault, relative: str, kind: str) -> bool:
    if scope.type is not None and scope.type != kind:
        return False
    if not scope.path:
        return True
    if "*" in scope.path:
        return any(
            relative.startswith(match.relative_to(site.root).as_posix())
            for match in site.root.glob(_sanitized(scope.path))
        )
    return relative.startswith(scope.path)


def _merged(base: LocatedDict, over: LocatedDict, keys: Collection[str] | None) -> LocatedDict:
    """Jekyll's ``deep_merge_hashes``: over's values win, mappings are merged key by key;
    the line of each key is the line of the value kept."""
    out = LocatedDict(base)
    out.line = base.line or over.line
    out.key_lines = dict(getattr(base, "key_lines", {}))
    over_lines = getattr(over, "key_lines", {})
    for key, value in over.items():
        if keys is not None and key not in keys:
            continue
        mine: Any = out.get(key)
        if isinstance(mine, LocatedDict) and isinstance(value, LocatedDict):
            value = _merged(mine, value, None)
        out[key] = value
        if key in over_lines:
            out.key_lines[key] = over_lines[key]
    return out


def defaults_for(
    site: JekyllSite, relative: str, kind: str, keys: Collection[str]
) -> LocatedDict:
    """The defaults a document takes, restricted to keys, with their config lines.

    Args:
        site: The site.
        relative: The document's path from the site's source (``_posts/2026-03-10-x.md``).
        kind: Its collection's label (``posts``).
        keys: The keys wanted; the others are left out.
    """
    empty = LocatedDict()
    empty.key_lines = {}
    found = empty
    last: FrontMatterDefault | None = None
    for scope in site.defaults:
        if not _applies(site, scope, relative, kind):
            continue
        if _has_precedence(last, scope):
            found = _merged(found, scope.values, keys)
            last = scope
        else:
            found = _merged(_merged(empty, scope.values, keys), found, keys)
    return found

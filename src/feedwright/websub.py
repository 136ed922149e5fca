"""WebSub: tell the config's hubs which feeds a build changed (``build --ping``).

Every feed names its hubs (``rel="hub"`` links, JSON Feed ``hubs``) beside
its self URL, which is the WebSub topic (render/).  After a build has
published its files, ``ping`` posts one publish notification to each hub,
naming every feed whose file changed; or ``remember`` keeps them, for
``feedwright ping`` to tell once the files are uploaded.

WebSub (W3C Recommendation, section 6) leaves how a publisher tells its hub
to the hub; the common form is PubSubHubbub 0.3's (section 7.1), which
Google's hub (pubsubhubbub.appspot.com) documents: a form-encoded POST of
``hub.mode=publish`` and ``hub.url=<topic>``, ``hub.url`` repeated for
several topics.  So one request per hub, whatever
the number of feeds.  A hub answers 2xx (Google's: 204 No Content); anything
else, a redirect included (a POST redirected becomes a GET that loses its
form), is a failure.

The feeds are already published when hubs are told, so a hub that cannot be
told does not undo the build: ``HubNotNotifiedError`` (exit 1) names each
hub and what went wrong.  What it missed is kept (``PENDING`` in the cache
folder beside the config) and told at the next ping, changed feeds or
not: a CI job run again after a hub's outage tells it, where a
rebuild that changes nothing would otherwise tell nobody.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import BadStatusLine
from http.client import HTTPException
from http.client import RemoteDisconnected
from pathlib import Path
from typing import ClassVar

from feedwright.config import Config
from feedwright.errors import FeedwrightError
from feedwright.errors import UsageError
from feedwright.errors import WriteError
from feedwright.fetch import connection_problem
from feedwright.fetch import http_opener
from feedwright.fetch import user_agent
from feedwright.io import atomic_write
from feedwright.pipeline import CACHE_FOLDER
from feedwright.pipeline import BuildResult

#: Seconds each hub may take to answer (``build --ping-timeout``'s default).
DEFAULT_TIMEOUT = 10.0
#: Bytes of a hub's answer read (and thrown away) before the connection is closed.
_ANSWER_BYTES = 64 * 1024
#: What hubs missed, in the cache folder beside the config: ``{hub: [topic, ...]}``.
PENDING = "websub-pending.json"


class HubNotNotifiedError(FeedwrightError):
    """The build published its feeds, but a WebSub hub could not be told.

    Exit 1 (as a refusal): the run did not do all it was asked, yet nothing
    is to be undone; the feeds stay written.
    """

    exit_code: ClassVar[int] = 1


@dataclass(frozen=True)
class Pinged:
    """What ``ping`` told: the hubs, and the feeds' URLs (topics) they were told of."""

    hubs: tuple[str, ...]
    #: The self URLs of the feeds whose files changed; empty: nothing to tell.
    topics: tuple[str, ...]


def check_ping(config: Config, *, check: bool = False, flag: str = "--ping") -> None:
    """Refuse a ping that cannot happen, before anything is built.

    Raises:
        UsageError: ``check`` is set (a check publishes nothing to tell a hub
            of), or the config names no hub.
    """
    if check:
        raise UsageError(f"{flag} tells WebSub hubs what a build published; --check publishes "
                         "nothing: use one or the other")
    if not config.hubs:
        raise UsageError(f"{flag}: the config names no WebSub hub; add "
                         "websub: {hubs: [https://…]} (README, \"WebSub\")", str(config.path))


def changed_topics(config: Config, result: BuildResult) -> tuple[str, ...]:
    """The self URLs of the feeds ``result`` rewrote, in build order: the topics
    to tell hubs of (the files beside the feeds, index page and OPML list, are
    no topics).  ``feeds_url`` + path is the self URL every renderer writes
    (``feedset``: ``Output.url``), whatever folder ``--out`` wrote to."""
    changed = set(result.changed) - set(result.archive_pages)
    return tuple(config.feeds_url + path for path in result.documents if path in changed)


def publish_body(topics: Sequence[str]) -> bytes:
    """The form a hub is posted: ``hub.mode=publish`` and one ``hub.url`` per topic."""
    fields = [("hub.mode", "publish"), *(("hub.url", topic) for topic in topics)]
    return urllib.parse.urlencode(fields).encode("ascii")


def _failure(exc: BaseException, timeout: float) -> str:
    """What went wrong with a hub, in the words of HTTP, not of Python."""
    if isinstance(exc, urllib.error.HTTPError):
        exc.close()
        status = f"HTTP {exc.code} {str(exc.reason)[:100]}".rstrip()
        if 300 <= exc.code < 400:
            where = exc.headers.get("Location") if exc.headers else None
            return (f"{status} (a hub takes the POST at its own URL"
                    + (f"; it points to {where[:100]}" if where else "") + ")")
        return status
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    known = connection_problem(reason)
    if known is not None:
        return known
    if isinstance(reason, RemoteDisconnected):
        return "the hub closed the connection without answering"
    if isinstance(reason, BadStatusLine):
        return "the hub's answer is not HTTP"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    return f"connection failed: {reason}"


def notify(hub: str, topics: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """Post one publish notification for ``topics`` to ``hub``.

    Returns:
        None when the hub took it (any 2xx), else what went wrong, in one line.
    """
    request = urllib.request.Request(hub, data=publish_body(topics), method="POST", headers={
        "User-Agent": user_agent(),
        "Content-Type": "application/x-www-form-urlencoded",
    })
    try:
        with http_opener(redirects=False).open(request, timeout=timeout) as response:
            response.read(_ANSWER_BYTES)
            status = response.status
    except (urllib.error.URLError, HTTPException, OSError) as exc:
        return _failure(exc, timeout)
    if not 200 <= status < 300:  # a 1xx final status, in theory
        return f"HTTP {status}"
    return None


def pending_path(config: Config) -> Path:
    """Where the topics hubs missed are kept (``PENDING``)."""
    return config.path.parent / CACHE_FOLDER / PENDING


def _load_pending(path: Path) -> dict[str, list[str]]:
    """What hubs missed; a file that is missing or not ours reads as nothing
    missed (it is only ever a reminder, rewritten after every ping)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {hub: [t for t in topics if isinstance(t, str)]
            for hub, topics in data.items() if isinstance(topics, list)}


def _save_pending(path: Path, pending: dict[str, list[str]]) -> None:
    if not pending:
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):
            pass
        except OSError as exc:
            raise WriteError(f"cannot remove what hubs missed: {exc.strerror}", str(path)) from None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot make the folder: {exc.strerror}", str(path.parent)) from None
    atomic_write(path, json.dumps(pending, indent=2, sort_keys=True).encode() + b"\n")


def _owed(missed: dict[str, list[str]], hub: str, changed: Sequence[str]) -> list[str]:
    """What ``hub`` is to be told: what it missed, then ``changed``, each once."""
    return list(dict.fromkeys([*missed.get(hub, ()), *changed]))


def remember(config: Config, result: BuildResult) -> tuple[str, ...]:
    """Keep the feeds ``result`` changed for every hub, to be told by a later
    ``ping`` (``build --ping-later``, then ``feedwright ping`` once the files
    are uploaded: a hub fetches a feed when told, so telling it before the
    upload would show it the old feed).

    Returns:
        The topics kept (those ``result`` changed).

    Raises:
        UsageError: The config names no hub.
        WriteError: They cannot be kept.
    """
    check_ping(config)
    changed = changed_topics(config, result)
    if changed:
        where = pending_path(config)
        missed = _load_pending(where)
        _save_pending(where, {hub: _owed(missed, hub, changed) for hub in config.hubs})
    return changed


def ping(config: Config, result: BuildResult | None = None, *,
         timeout: float = DEFAULT_TIMEOUT) -> Pinged:
    """Tell each of the config's hubs which feeds ``result`` changed, and what
    it has not been told yet (``PENDING``: an earlier ping it missed, or
    ``remember``); with no ``result``, only the latter (``feedwright ping``).

    Nothing is sent to a hub with nothing to be told.  Every hub is tried,
    whatever the others answer; what a hub misses is kept for the next ping.

    Returns:
        The hubs told and the topics they were told of.

    Raises:
        UsageError: The config names no hub.
        HubNotNotifiedError: A hub could not be told (each one named, with why).
        WriteError: What a hub missed cannot be kept.
    """
    check_ping(config)
    changed = () if result is None else changed_topics(config, result)
    where = pending_path(config)
    missed = _load_pending(where)
    told: list[str] = []
    topics_told: dict[str, None] = {}
    failed: list[tuple[str, str]] = []
    pending: dict[str, list[str]] = {}
    for hub in config.hubs:  # a hub gone from the config is told nothing more
        topics = _owed(missed, hub, changed)
        if not topics:
            continue
        why = notify(hub, topics, timeout=timeout)
        if why is None:
            told.append(hub)
            topics_told.update(dict.fromkeys(topics))
        else:
            failed.append((hub, why))
            pending[hub] = topics
    _save_pending(where, pending)
    again = "; it is told again at the next ping"
    if len(failed) == 1:
        hub, why = failed[0]
        raise HubNotNotifiedError(
            f"the feeds are published, but WebSub hub {hub} was not notified: {why}{again}")
    if failed:
        raise HubNotNotifiedError(
            f"the feeds are published, but {len(failed)} of {len(config.hubs)} WebSub hubs "
            f"were not notified{again.replace('it is', 'each is')}:\n  "
            + "\n  ".join(f"{hub}: {why}" for hub, why in failed))
    return Pinged(tuple(told), tuple(topics_told))

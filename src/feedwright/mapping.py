"""The one checker of the mappings people write: config.yaml's sections and each entry.

Both are mappings typed by hand into YAML (or JSON), so both get the same
treatment from the same code, and the two cannot drift apart: a key that is
not known is an error (a misspelt ``tgas:`` must not publish an untagged
post, a misspelt ``limt:`` must not silently keep the default), a value of
the wrong type is an error, and a key whose value is null counts as not
given.  Every error is ``"<key>: <what is wrong and what is expected>"`` at
a ``file:line``, where ``<key>`` is the key's dotted path from the top of its
mapping as the user wrote it (``site.author.email`` in the config,
``author.email`` in an entry).  ``parse_author`` is the one reading of an
author, for the site's and each entry's alike.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Collection
from collections.abc import Sequence
from typing import Any
from typing import Literal
from typing import overload

from feedwright.errors import FeedwrightError
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.model import Author

#: The keys of an author written as a mapping.
AUTHOR_KEYS = ("name", "email", "uri")

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60


#: Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; U+FFFE, U+FFFF;
#: lone surrogates, which JSON's \\ud800 escapes can produce): a feed holding one
#: is not well-formed, so a text holding one is refused where it is read.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


#: The C0 controls XML 1.0 does not allow (all but tab, LF and CR), as UTF-8 bytes.
_C0 = bytes(c for c in range(32) if c not in (9, 10, 13))


def _carried(text: str) -> bool:
    """True when XML can carry every character of text: a C-speed test of the
    common case (a character class searched in Python's ``re`` costs ~35 us
    per 6 kB of content), so only a text that fails it is searched."""
    try:
        data = text.encode("utf-8")  # lone surrogates cannot be encoded
    except UnicodeEncodeError:
        return False
    if len(data.translate(None, _C0)) != len(data):
        return False
    # U+FFFE and U+FFFF: only non-ASCII text can hold them, and only after
    # the bytes EF BF, which most non-ASCII text never has either.
    return (text.isascii() or b"\xef\xbf" not in data
            or (b"\xef\xbf\xbe" not in data and b"\xef\xbf\xbf" not in data))


def bad_character(text: str) -> str | None:
    """What is wrong with text's first character XML cannot carry, or None if none.

    The one check for every text that can reach a feed (config values via
    ``Fields.text``, entries via ``readers.resolve``), so the problem is
    named at its ``file:line`` instead of failing validation after rendering.
    """
    if _carried(text):
        return None
    found = _NOT_XML.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    name = " (NUL)" if code == "U+0000" else ""
    return (f"holds the character {code}{name} at position {found.start() + 1:,}, which a "
            "feed (XML) cannot carry; remove it")


def _kind(value: Any) -> str:
    """The value's type as the file wrote it: ``list``, not the loader's ``LocatedList``."""
    return next(c for c in type(value).__mro__ if c.__module__ == "builtins").__name__


class Fields:
    """One mapping under check: unknown keys refused up front, then typed reads.

    Where an error points: when the mapping was loaded with its lines
    (``located.load_yaml``: config.yaml, a YAML entries file) and ``file``
    is given, at the line of the key concerned; otherwise at ``where`` (a
    JSON entry: its line in JSON Lines, ``entry N`` in a JSON file, the
    place the entry is known by everywhere else).
    """

    __slots__ = ("data", "known", "name", "where", "file", "key_lines", "error")

    def __init__(
        self,
        data: Any,
        known: Collection[str],
        *,
        where: str,
        name: str = "",
        what: str | None = None,
        file: str | None = None,
        error: type[FeedwrightError] = InputError,
    ) -> None:
        """Check that data is a mapping of known keys only.

        Args:
            data: The value read from the file.
            known: Every key this mapping may have.
            where: Where the mapping stands (``file:line``), for errors about
                the mapping as a whole and, without ``file``, about its keys.
            name: The mapping's dotted key path ("" at the top).
            what: How to call the mapping in "must be a mapping" (default: name).
            file: The file, to point errors at each key's own line.
            error: The error class to raise (ConfigError for the config).

        Raises:
            FeedwrightError: ``error``: data is not a mapping, or has an unknown key.
        """
        self.known = known
        self.name = name
        self.file = file
        self.error = error
        line = getattr(data, "line", 0)
        self.where = f"{file}:{line}" if file and line else where
        if not isinstance(data, dict):
            got = f"{_kind(data)} {quoted(data)}"
            raise error(f"{what or name} must be a mapping, got {got}", self.where)
        self.data: dict[Any, Any] = data
        self.key_lines: dict[Any, int] = getattr(data, "key_lines", {}) if file else {}
        if not all(key in known for key in data):
            unknown = str(next(key for key in data if key not in known))
            listed = ", ".join(sorted(known))
            raise self.fail(unknown if len(unknown) <= 80 else quoted(unknown),
                            f"unknown key (known keys here: {listed})")

    def key(self, key: str) -> str:
        """The key's dotted path, as error messages name it."""
        return f"{self.name}.{key}" if self.name else key

    def at(self, key: str) -> str:
        """Where errors about this key point."""
        line = self.key_lines.get(key)
        return f"{self.file}:{line}" if line else self.where

    def item_places(self, items: Sequence[Any], fallback: str) -> list[str]:
        """Where each item of a list is: its own line, when the YAML loader
        kept it (``located``), else ``fallback`` (a list written inline as
        one text, JSON)."""
        lines = getattr(items, "item_lines", None)
        return [f"{self.file}:{line}" for line in lines] if lines else [fallback] * len(items)

    def fail(self, key: str, message: str) -> FeedwrightError:
        """The error to raise about this key: ``"<key path>: <message>"`` at its place."""
        return self.error(f"{self.key(key)}: {message}", self.at(key))

    def get(self, key: str, default: Any = None, *, required: bool = False) -> Any:
        """The raw value of key; null counts as not given.

        Raises:
            FeedwrightError: The key is required and not given.
        """
        if key not in self.known:  # a reader asking for a key it forgot to declare
            raise KeyError(f"{key!r} is not among the known keys of {self.name or 'this mapping'}")
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(f"{self.key(key)} is required", self.where)
            return default
        return value

    @overload
    def text(self, key: str, default: str, *, required: bool = False) -> str: ...
    @overload
    def text(self, key: str, default: None = None, *, required: Literal[True]) -> str: ...
    @overload
    def text(
        self, key: str, default: None = None, *, required: Literal[False] = False
    ) -> str | None: ...

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        """A string, or the default; required text must not be blank."""
        value = self.get(key, default, required=required)
        if value is None:
            return None
        if isinstance(value, str):
            if required and not value.strip():
                raise self.fail(key, "must not be empty")
            problem = bad_character(value)
            if problem:
                raise self.fail(key, problem)
            return value
        raise self.fail(key, f"expected text, got {_kind(value)} {quoted(value)}")

    @overload
    def count(self, key: str, default: int) -> int: ...
    @overload
    def count(self, key: str, default: None = None) -> int | None: ...

    def count(self, key: str, default: int | None = None) -> int | None:
        """A whole number >= 0, or the default; a boolean is not a number."""
        value = self.get(key)
        if value is None:
            return default
        if type(value) is int and value >= 0:  # type(): bool is a subclass of int
            return value
        raise self.fail(key, f"expected a whole number >= 0, got {quoted(value)}")

    def flag(self, key: str, default: bool = False) -> bool:
        """True or false, nothing else ("no" is a string, 1 a number)."""
        value = self.get(key, default)
        if isinstance(value, bool):
            return value
        raise self.fail(key, f"expected true or false, got {quoted(value)}")

    def section(self, key: str, known: Collection[str], value: Any = None) -> Fields:
        """The mapping under key (an empty one if not given), checked the same way.

        Args:
            key: The key.
            known: The keys it may have.
            value: Its value, if already read (e.g. one author of a list).
        """
        if value is None:
            value = self.get(key, {})
        return Fields(
            value, known, where=self.at(key), name=self.key(key), file=self.file,
            error=self.error,
        )


def parse_author(owner: Fields, key: str, value: Any) -> Author:
    """An author as written under key: a name, or a ``{name, email, uri}`` mapping.

    The one reading of an author, for config.yaml's ``site.author`` and an
    entry's ``author`` / ``authors`` alike, so the same value gets the same
    verdict and message wherever it is written.

    Args:
        owner: The mapping holding key.
        key: The key the author is written under (for messages).
        value: The value: one author (an item, for a list of authors).

    Returns:
        The author, name stripped of surrounding spaces.

    Raises:
        FeedwrightError: ``owner.error``: not a name or mapping, no name, unknown key,
            an e-mail address or URI that is not text.
    """
    if isinstance(value, str):
        name = value.strip()
        problem = bad_character(name)
        if problem:
            raise owner.fail(key, problem)
        if name:
            return Author(name)
    elif isinstance(value, dict):
        fields = owner.section(key, AUTHOR_KEYS, value)
        return Author(
            fields.text("name", required=True).strip(), fields.text("email"), fields.text("uri")
        )
    raise owner.fail(key, f"expected a name or {{name, email, uri}}, got {quoted(value)}")

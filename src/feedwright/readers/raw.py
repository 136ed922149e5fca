"""RawEntry: what a reader found, before the site's defaults are applied."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any
from typing import TypeVar

from feedwright.errors import InputError
from feedwright.model import Author

T = TypeVar("T")


@dataclass(frozen=True)
class RawEntry:
    """An entry as written in its input file; ``resolve`` turns it into an Entry."""

    title: str
    #: A date (takes the site's timezone and time of day) or an aware datetime.
    published: date | datetime
    #: ``file:line`` of the entry's first line.
    source: str
    summary: str = ""
    updated: datetime | None = None
    slug: str | None = None
    url: str | None = None
    id: str | None = None
    guid: str | None = None
    content: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    reading_time: int | None = None
    word_count: int | None = None
    draft: bool = False
    #: When the generator stops publishing it (Hugo's ``expiryDate``); None: never.
    expires: datetime | None = None
    #: Whether the reader found every text of the entry free of characters XML
    #: cannot carry (a JSON Lines line with no escape that could make one), so
    #: ``resolve`` need not look again.  Not part of what the entry is: equal
    #: entries are equal whether checked or not.  ``dataclasses.replace`` keeps
    #: it: give a replaced text ``checked=False``.
    checked: bool = field(default=False, compare=False, repr=False)


def frozen_builder(cls: type[T]) -> Callable[..., T]:
    """``cls(**fields)`` for a frozen dataclass, without a call per field (benchmarks/README.md).

    A frozen dataclass's ``__init__`` stores each field with a call to
    ``object.__setattr__``; readers make thousands of entries, so this fills
    the instance's ``__dict__`` in one step instead.  Given every field by
    keyword in declaration order, the instance is the one ``__init__`` makes
    (same ``__dict__``, same order); any other call, and any class whose
    ``__init__`` does more (``__post_init__``, ``InitVar``, ``init=False``
    fields, slots), goes through ``cls(**fields)``.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in fields)
    plain = (
        getattr(getattr(cls, "__dataclass_params__", None), "frozen", False)
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in vars(cls)
        and all(f.init for f in fields)
        # no InitVar, ClassVar or inherited fields: __init__ takes exactly these
        and tuple(getattr(cls, "__annotations__", {})) == names
    )
    if not plain:
        return cls
    new = object.__new__

    def build(**values: Any) -> T:
        if tuple(values) != names:
            return cls(**values)
        instance = new(cls)
        # items(), not the dict: keeps the class's shared-key __dict__ layout
        instance.__dict__.update(values.items())
        return instance

    return build


def read_text(path: Path) -> str:
    """A text input file's text: UTF-8, or an InputError naming the file."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None

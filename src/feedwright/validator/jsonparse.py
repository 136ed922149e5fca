"""The JSON side of the safe-parse layer: decode, read with ``json.loads``, name the format.

JSON has no entities and no DTDs; its hostile inputs are nesting deeper than
a parser's stack, numbers too long to convert, huge strings (the size cap in
parse.py), bytes that are not UTF-8, and ``NaN``/``Infinity``, which Python
reads but JSON forbids.  Each becomes an Issue at a line and column, never
an exception.  Values are read at C speed by ``json.loads``; positions are
found afterwards, only for what is reported (json_position.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from feedwright.validator.encoding import BadBytes
from feedwright.validator.encoding import byte_order_mark
from feedwright.validator.encoding import decoded
from feedwright.validator.json_position import JsonLocator
from feedwright.validator.json_position import deepest_point
from feedwright.validator.json_position import first_outside_strings
from feedwright.validator.parse_rules import JSON_BYTE_ORDER_MARK
from feedwright.validator.parse_rules import JSON_INVALID_ENCODING
from feedwright.validator.parse_rules import JSON_NOT_WELL_FORMED
from feedwright.validator.parse_rules import JSON_TOO_LARGE
from feedwright.validator.parse_rules import UNKNOWN_FORMAT
from feedwright.validator.parse_rules import _issue
from feedwright.validator.parse_rules import _line_col
from feedwright.validator.report import Issue

#: What every JSON Feed ``version`` URL holds (``https://jsonfeed.org/version/1.1``).
JSONFEED_MARK = "jsonfeed.org/version/"
#: Longest integer read (CPython's own default limit for int(str), fixed here
#: so that a process that lifted it cannot be made to convert a huge number).
MAX_DIGITS = 4300
#: Nesting deeper than this is named in the issue when ``json.loads`` gives up
#: (a JSON Feed needs five levels; libxml2 stops XML at 256 as well).
DEPTH_SHOWN = 256

_SPACE = " \t\r\n"
#: First characters of a JSON text that is not an object or an array.
_SCALAR_START = '"-0123456789tfn'


@dataclass(frozen=True)
class JsonParsed:
    """A JSON Feed as read: its text (positions are offsets into it) and its value."""

    #: The decoded text, without a byte order mark.
    text: str
    #: The top-level object.
    value: dict[str, Any]


@dataclass(frozen=True)
class JsonResult:
    """What the JSON parse found: the format, issues, and the feed when it could be read."""

    format: str
    issues: tuple[Issue, ...]
    json: JsonParsed | None
    #: The encoding the bytes are in (``utf-8`` unless a byte order mark says otherwise).
    encoding: str


class _Refused(ValueError):
    """A value ``json.loads`` would read but the validator will not."""

    def __init__(self, kind: str, token: str) -> None:
        super().__init__(token[:40])
        self.kind = kind
        self.token = token


def _int(token: str) -> int:
    if len(token) - token.startswith("-") > MAX_DIGITS:
        raise _Refused("digits", token)
    return int(token)


def _constant(token: str) -> float:
    raise _Refused("constant", token)


def _load(text: str) -> Any:
    return json.loads(text, parse_int=_int, parse_constant=_constant)


def starts_like_json(data: bytes, first: int) -> bool:
    """True when ``data`` opens an object or an array (after any byte order mark).

    ``first`` is the offset of its first byte that is not white space.
    """
    bom = byte_order_mark(data)
    if bom is not None:
        head = data[len(bom[0]) : len(bom[0]) + 64].decode(bom[1], "ignore").lstrip(_SPACE)
        return head[:1] in ("{", "[")
    return data[first : first + 1] in (b"{", b"[")


def looks_like_json(data: bytes, first: int) -> bool:
    """True when ``data`` should be read as JSON.

    Objects and arrays are recognised by their first character; other JSON
    values only when the whole input is one (``null``, ``"text"``, ``42``),
    so that ``not found`` stays "not XML or JSON".
    """
    if starts_like_json(data, first):
        return True
    start = data[first : first + 1].decode("latin-1")
    if byte_order_mark(data) is not None or start not in _SCALAR_START:
        return False
    try:
        _load(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return False
    return True


def parse_json(data: bytes) -> JsonResult:
    """Read ``data`` as JSON and say whether it is a JSON Feed; never raises."""
    head_says_feed = JSONFEED_MARK.encode() in data[:4096]
    guess = "jsonfeed1" if head_says_feed else "unknown"
    issues: list[Issue] = []
    bom = byte_order_mark(data)
    encoding = "utf-8"
    body = data
    if bom is not None:
        mark, encoding = bom
        body = data[len(mark) :]
        detail = "JSON must not start with one (RFC 8259, 8.1)"
        if encoding != "utf-8":
            detail += f"; the text is {encoding.upper()}, and readers expect UTF-8"
        issues.append(_issue(JSON_BYTE_ORDER_MARK, detail, 1, 1))
    text = decoded(body, encoding)
    if isinstance(text, BadBytes):
        issues.append(_issue(JSON_INVALID_ENCODING,
                             f"bytes {text.bytes} are not valid {encoding.upper()}",
                             text.line, text.column))
        return JsonResult(guess, tuple(issues), None, encoding)
    try:
        value = _load(text)
    except json.JSONDecodeError as exc:
        detail = exc.msg
        if text[exc.pos : exc.pos + 1] == "\x00":
            detail = ("a NUL character (U+0000), never allowed in JSON; inside a string "
                      "write \\u0000")
        issues.append(_issue(JSON_NOT_WELL_FORMED, detail, exc.lineno, exc.colno))
        return JsonResult(guess, tuple(issues), None, encoding)
    except _Refused as exc:
        issues.append(_refusal(text, exc))
        return JsonResult(guess, tuple(issues), None, encoding)
    except RecursionError:
        at = deepest_point(text, DEPTH_SHOWN)
        line, col = _line_col(text, at) if at is not None else (1, 1)
        issues.append(_issue(JSON_TOO_LARGE, f"arrays and objects nest more than {DEPTH_SHOWN} "
                             "levels deep here", line, col))
        return JsonResult(guess, tuple(issues), None, encoding)
    except ValueError:  # int() limits and the like: still an issue, never Python's words
        issues.append(_issue(JSON_NOT_WELL_FORMED, "it holds a value JSON readers cannot "
                             "read (a number or constant out of range)", 1, 1))
        return JsonResult(guess, tuple(issues), None, encoding)
    return _name_format(text, value, issues, encoding)


def _refusal(text: str, exc: _Refused) -> Issue:
    if exc.kind == "digits":
        at = first_outside_strings(text, rf"-?\d{{{MAX_DIGITS + 1},}}")
        line, col = _line_col(text, at) if at is not None else (None, None)
        digits = len(exc.token.lstrip("-"))
        return _issue(JSON_TOO_LARGE, f"a number of {digits:,} digits (at most {MAX_DIGITS:,} "
                      "are read)", line, col)
    at = first_outside_strings(text, r"NaN|-?Infinity")
    line, col = _line_col(text, at) if at is not None else (None, None)
    return _issue(JSON_NOT_WELL_FORMED, f"{exc.token} is not a JSON value (JavaScript's "
                  "JSON.parse refuses it); write null or a number", line, col)


_KINDS = {list: "an array", str: "a string", bool: "a boolean", int: "a number",
          float: "a number", type(None): "null"}


def _name_format(text: str, value: Any, issues: list[Issue], encoding: str) -> JsonResult:
    version = value.get("version") if isinstance(value, dict) else None
    if isinstance(version, str) and JSONFEED_MARK in version:
        return JsonResult("jsonfeed1", tuple(issues), JsonParsed(text, value), encoding)
    where = _line_col(text, JsonLocator(text).offset(()))
    if not isinstance(value, dict):
        kind = _KINDS.get(type(value), "not an object")
        issues.append(_issue(UNKNOWN_FORMAT, f"JSON, but not a JSON Feed: the top level is {kind}, "
                             "and a JSON Feed is an object", *where))
        return JsonResult("unknown", tuple(issues), None, encoding)
    issues.append(_issue(UNKNOWN_FORMAT, "JSON, but not a JSON Feed (no \"version\": "
                         "\"https://jsonfeed.org/version/1.1\")", *where))
    return JsonResult("unknown", tuple(issues), None, encoding)

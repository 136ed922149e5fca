"""The JSON Feed schema (our own, from the 1.0 and 1.1 specifications) applied to a feed.

fastjsonschema compiles the schema to Python once per process: a valid
feed costs one call of the compiled check, about what ``json.loads`` cost
to read it (schemas/README.md says why it was chosen and what it measured
against).  Only a feed that fails is checked again, part by part (the feed
without its items, then each item), collecting every error of a part that
fails, and each error becomes an issue at the value it is about.  Where a
rule already reported an error at that value, the rule's words win.

Part by part, and within limits, because collecting errors costs far more
than finding the first: an exception object per error, each holding its
schema, so that a 1 MB feed of 300,000 wrong tags would take seconds and
hundreds of megabytes.  A part with huge arrays is reported at its first
fault; past ``MAX_LISTED`` issues, one more counts the items left.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING
from typing import Any

from feedwright.validator.document import JsonDocument
from feedwright.validator.json_position import Path
from feedwright.validator.json_position import Step
from feedwright.validator.json_position import show_path
from feedwright.validator.report import Issue
from feedwright.validator.rules import RULES
from feedwright.validator.rules import layer_rule
from feedwright.validator.rules._json import show

if TYPE_CHECKING:
    import fastjsonschema

JSONFEED_SCHEMA = layer_rule(
    "jsonfeed-schema",
    "error",
    "the feed does not match the JSON Feed structure",
    """
    ## Why it matters
    JSON Feed 1.0 and 1.1 fix which keys a feed, an item, an author, an
    attachment and a hub hold, and what kind of value each is: `title` a
    string, `tags` an array of strings, an attachment's `url` and
    `mime_type` required. Readers skip or misread a value of the wrong
    kind, and ignore keys they do not know, so a misspelt key
    (`date_updated`, `content`) silently loses its value.

    ## How to fix
    Look at the value named in the message: rename the key to the one the
    specification defines, give the value the right kind, or add what is
    missing. Data of your own goes in an extension, a key that starts with
    `_` and a letter (`"_example": {"reading_time": 4}`), never in a
    plain key.
    """,
)

_SCHEMA_FILE = "jsonfeed.schema.json"
#: Schema issues listed per document; one more issue counts the items left.
MAX_LISTED = 200
#: Array elements a part may hold in all and still have every error listed.
_SMALL = 1000
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
               int: "a number", float: "a number", type(None): "null"}
_EXTENSION = "extension names start with \"_\" and a letter and hold no \".\""


@functools.cache
def load_json_schema() -> dict[str, Any]:
    """The shipped JSON Feed schema, read once per process."""
    source = resources.files("feedwright.validator").joinpath("schemas", _SCHEMA_FILE)
    schema: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return schema


def _part_schema(part: str) -> dict[str, Any]:
    schema = load_json_schema()
    if part == "feed":
        return schema
    if part == "head":  # the feed without its items: they are checked one by one
        return {**schema, "properties": {**schema["properties"], "items": {"type": "array"}}}
    return {"$schema": schema["$schema"], "definitions": schema["definitions"],
            "$ref": f"#/definitions/{part}"}


@functools.cache
def compiled(part: str = "feed", *, every_error: bool) -> Callable[[Any], Any]:
    """The check of ``part`` (``feed``, ``head`` or ``item``), compiled once per process.

    It stops at the first error, or (``every_error``) collects them all.
    """
    import fastjsonschema  # only when a JSON Feed is checked: ~5 ms of every start
    check: Callable[[Any], Any] = fastjsonschema.compile(
        _part_schema(part), use_formats=False, fast_fail=not every_error)
    return check


def check_json_schema(doc: JsonDocument, *, already: Iterable[Issue] = ()) -> Iterator[Issue]:
    """Schema issues of a JSON Feed not already explained by a rule.

    Args:
        doc: A parsed JSON Feed.
        already: Issues found so far; a schema issue at the place of a rule's
            error is dropped (the rule explains it better).

    Yields:
        One ``jsonfeed-schema`` issue per fault, at the value it is about (the
        object, for a missing key), in the order the schema meets them.
    """
    import fastjsonschema  # only when a JSON Feed is checked: ~5 ms of every start
    try:
        compiled(every_error=False)(doc.feed)
        return
    except fastjsonschema.JsonSchemaValueException:
        pass
    taken = _rule_errors(already)
    rule = JSONFEED_SCHEMA
    listed = 0
    left: list[Path] = []
    for at, part, value in _parts(doc.feed):
        try:
            compiled(part, every_error=False)(value)
            continue
        except fastjsonschema.JsonSchemaValueException as exc:
            first = exc
        if listed >= MAX_LISTED:
            left.append(at)
            continue
        for path, detail in _part_errors(part, value, first):
            line, column = doc.where((*at, *path))
            if (line, column) in taken:
                continue
            listed += 1
            yield Issue(rule.severity, rule.code,
                        f"{rule.message}: {show_path((*at, *path))}: {detail}", line, column)
    if left:
        line, column = doc.where(left[0])
        yield Issue(rule.severity, rule.code,
                    f"{rule.message}: {show_path(left[0])} and {len(left) - 1:,} more items do "
                    f"not match it either (only the first {MAX_LISTED} faults are listed)",
                    line, column)


def _parts(feed: dict[str, Any]) -> Iterator[tuple[Path, str, Any]]:
    """(where, which schema, value): the feed without its items, then each item."""
    items = feed.get("items")
    if not isinstance(items, list):
        yield (), "feed", feed
        return
    yield (), "head", {**feed, "items": []}
    for i, item in enumerate(items):
        yield ("items", i), "item", item


def _part_errors(part: str, value: Any,
                 first: fastjsonschema.JsonSchemaValueException) -> Iterator[tuple[Path, str]]:
    """Every error of a part that failed; only the first when its arrays are huge."""
    import fastjsonschema  # only when a JSON Feed is checked: ~5 ms of every start
    errors = [first]
    if _elements(value) <= _SMALL:
        try:
            compiled(part, every_error=True)(value)
        except fastjsonschema.JsonSchemaValuesException as exc:
            errors = list(exc.errors)
        except fastjsonschema.JsonSchemaValueException as exc:
            errors = [exc]
    for err in errors:
        yield from _explain(err, value)


def _elements(value: Any) -> int:
    # What can make a part's error list long: elements of its arrays (tags,
    # authors, attachments, hubs), each of which may fail on its own.
    if not isinstance(value, dict):
        return 0
    return sum(len(v) for v in value.values() if isinstance(v, list))


def _rule_errors(already: Iterable[Issue]) -> set[tuple[int | None, int | None]]:
    # As schema.py: only errors raised by rules count, so that a rule's
    # warning never hides a schema error (the report's validity would change).
    # Positions, not lines: a JSON Feed may hold every value on one line.
    places = set()
    for issue in already:
        r = RULES.get(issue.code)
        if issue.severity == "error" and r is not None and r.check is not None:
            places.add((issue.line, issue.column))
    return places


def _path(err: fastjsonschema.JsonSchemaValueException, root: Any) -> Path:
    """The error's path as keys and indices, as far as it leads in the value.

    fastjsonschema names a value ``data.items[3].id`` and splits that name at
    dots and brackets; walking the value tells indices from keys that look
    like numbers, and stops where a key with a dot in it was split apart.
    """
    steps: list[Step] = []
    value = root
    for raw in err.path[1:]:  # the first step is "data", the top level
        if isinstance(value, list) and raw.isdigit() and int(raw) < len(value):
            steps.append(int(raw))
            value = value[int(raw)]
        elif isinstance(value, dict) and raw in value:
            steps.append(raw)
            value = value[raw]
        else:
            break
    return tuple(steps)


def _explain(err: fastjsonschema.JsonSchemaValueException, root: Any) -> Iterator[tuple[Path, str]]:
    """(where, what) for one schema error, said as a feed author thinks of it."""
    path = _path(err, root)
    value = err.value
    definition = err.definition if isinstance(err.definition, dict) else {}
    if err.rule == "type":
        wanted = err.rule_definition
        names = [wanted] if isinstance(wanted, str) else list(wanted or [])
        found = _JSON_TYPES.get(type(value), "something else")
        yield path, f"expected {' or '.join(_a(n) for n in names)}, found {found}"
    elif err.rule == "required" and isinstance(value, dict):
        for key in err.rule_definition or []:
            if key not in value:
                yield path, f"\"{key}\" is missing"
    elif err.rule == "additionalProperties" and isinstance(value, dict):
        for key in _unknown_keys(value, definition):
            hint = _EXTENSION if key.startswith("_") else "not a key JSON Feed defines here"
            yield (*path, key), f"unknown key {show(key, 40)}: {hint}"
    elif err.rule == "propertyNames" and isinstance(value, dict):
        for key in value:
            if "." in key:
                yield (*path, key), f"key {show(key, 40)} holds a \".\" ({_EXTENSION})"
    elif err.rule == "anyOf" and "description" in definition:
        yield path, str(definition["description"])
    else:
        yield path, err.message.replace(err.name or "data", show_path(path), 1)


def _a(type_name: str) -> str:
    return "an " + type_name if type_name[0] in "aeiou" else "a " + type_name


def _unknown_keys(value: dict[str, Any], definition: dict[str, Any]) -> list[str]:
    known = definition.get("properties", {})
    patterns = [re.compile(p) for p in definition.get("patternProperties", {})]
    return [k for k in value if k not in known and not any(p.search(k) for p in patterns)]

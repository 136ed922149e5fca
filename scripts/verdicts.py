"""Snapshot every verdict of the validator over a corpus, to prove a speed change kept them.

    python scripts/verdicts.py --out /tmp/before.jsonl [PATHS…]
    python scripts/verdicts.py --out /tmp/after.jsonl  [PATHS…]
    python scripts/verdicts.py --diff /tmp/before.jsonl /tmp/after.jsonl

PATHS are files or folders (searched for ``*.xml``, ``*.json``, ``*.rss``,
``*.atom``, ``*.rdf``, ``*.txt``); the default is ``tests/data``.  Each file is
validated twice, plain and ``strict``, with a fixed ``now`` and the file's
``file://`` URL as location, and every issue (severity, code, line, column,
message) is written as one JSON line per file and mode.  ``--diff`` prints each
file whose verdicts differ and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from pathlib import Path

from feedwright.validator import validate

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SUFFIXES = {".xml", ".json", ".rss", ".atom", ".rdf", ".txt"}


def files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        else:
            yield path


def snapshot(paths: list[Path], out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        for path in files(paths):
            data = path.read_bytes()
            for strict in (False, True):
                report = validate(data, name=str(path), strict=strict, now=NOW,
                                  location=path.resolve().as_uri())
                issues = [i.to_dict() for i in report.issues]
                sink.write(json.dumps({"file": str(path), "strict": strict,
                                       "format": report.format, "issues": issues}) + "\n")
                count += 1
    return count


def load(path: Path) -> dict[tuple[str, bool], dict[str, object]]:
    with path.open(encoding="utf-8") as source:
        rows = (json.loads(line) for line in source)
        return {(r["file"], r["strict"]): r for r in rows}


def diff(before: Path, after: Path) -> int:
    old, new = load(before), load(after)
    differ = 0
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            differ += 1
            if differ <= 50:
                print(f"DIFF {key[0]} strict={key[1]}\n  before: {old.get(key)}\n"
                      f"  after:  {new.get(key)}")
    print(f"{len(old)} before, {len(new)} after, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("tests/data")])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--diff", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.diff:
        return diff(*args.diff)
    if args.out is None:
        parser.error("give --out FILE or --diff BEFORE AFTER")
    print(f"{snapshot(args.paths, args.out)} verdicts written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The registry imports a rule module only for documents it may judge (rules/__init__.py).

What is found must not depend on it: a vocabulary's rules judge only a
document that declares one of its ``NAMESPACES`` (the registry holds them
to it, loaded or not), and on any other document they find nothing anyway;
a fresh process that imports only what one document needs finds what this
one, with every module imported, finds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC
from datetime import datetime
from importlib import import_module
from pathlib import Path

import pytest

from feedwright.validator import validate
from feedwright.validator.document import Document
from feedwright.validator.parse import parse
from feedwright.validator.rules import MODULES
from feedwright.validator.rules import RULES
from feedwright.validator.rules import Rule
from feedwright.validator.rules._ext import declared
from feedwright.validator.rules._index import SERVES

DATA = Path(__file__).resolve().parent.parent / "data"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
XML = sorted({*DATA.glob("validate/*/*.xml"), *DATA.glob("validate-valid/*.xml"),
              *DATA.glob("hostile/*.xml")})
_PACKAGE = "feedwright.validator.rules."


def _documents() -> list[Document]:
    docs = []
    for path in XML:
        data = path.read_bytes()
        parsed = parse(data, name=path.name)
        if parsed.root is not None:
            docs.append(Document(path.name, data, parsed.root, parsed.format, NOW,
                                 "https://example.org/feed.xml"))
    return docs


def _rules_of(module: str) -> list[Rule]:
    assert len(RULES) > 0  # read whole: every module imported
    return [r for r in RULES.values()
            if r.check is not None and r.check.__module__ == _PACKAGE + module]


@pytest.mark.parametrize("module", sorted(SERVES))
def test_a_vocabulary_finds_nothing_where_its_namespaces_are_not_declared(module: str) -> None:
    # The registry's gate (and the import it saves) changes nothing: run
    # directly, past the gate, the rules find nothing in any fixture that
    # does not declare the vocabulary, and do find something in one that does.
    rules = _rules_of(module)
    assert rules
    without = with_ = 0
    for doc in _documents():
        judged = [r for r in rules if doc.format in r.formats]
        if not judged:
            continue
        if SERVES[module].isdisjoint(declared(doc)):
            without += 1
            found = [(r.code, doc.name) for r in judged for _ in r.check(doc)]  # type: ignore[arg-type]
            assert found == []
        else:
            with_ += any(True for r in judged for _ in r.check(doc))  # type: ignore[arg-type]
    assert without > 100 and with_ > 0


def test_each_vocabulary_declares_what_the_index_says() -> None:
    declared_here = {name: frozenset(import_module(_PACKAGE + name).NAMESPACES)
                     for name in MODULES
                     if hasattr(import_module(_PACKAGE + name), "NAMESPACES")}
    assert declared_here == SERVES, "run python scripts/gen_rules_doc.py"


def test_reading_the_registry_whole_imports_every_module() -> None:
    code = ("import sys\nfrom feedwright.validator.rules import RULES, MODULES\n"
            "before = [m for m in MODULES if 'feedwright.validator.rules.' + m in sys.modules]\n"
            "n = len(RULES)\n"
            "after = [m for m in MODULES if 'feedwright.validator.rules.' + m in sys.modules]\n"
            "print(len(before) < len(MODULES), after == list(MODULES), n)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "True", str(len(RULES))]
    # a code not registered yet is found too (`feedwright explain media-invalid-hash`)
    code = ("from feedwright.validator.rules import RULES\n"
            "print(RULES['media-invalid-hash'].code, 'geo-invalid-latitude' in RULES)\n")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.split() == ["media-invalid-hash", "True"]


#: Fixtures of several vocabularies and formats, checked one after another.
MIXED = [DATA / "validate" / name for name in (
    "media-invalid-hash/fail_hashes.xml", "geo-invalid-latitude/fail_oversize.xml",
    "rss-missing-guid/fail_no_guid.xml", "thr-invalid-ref/fail_relative_ref.xml",
    "dc-invalid-date/fail_no_time_zone.xml", "itunes-invalid-explicit/fail_clean.xml",
)]


def test_a_fresh_process_finds_what_one_with_every_rule_loaded_finds() -> None:
    paths = MIXED
    code = ("import json, sys\nfrom datetime import datetime, UTC\n"
            "from feedwright.validator import validate\n"
            "now = datetime(2026, 1, 1, tzinfo=UTC)\n"
            "print(json.dumps([validate(open(p, 'rb').read(), name=p, now=now).to_dict()"
            " for p in sys.argv[1:]]))\n")
    fresh = json.loads(subprocess.run(
        [sys.executable, "-c", code, *map(str, paths)], capture_output=True, text=True,
        check=True).stdout)
    assert len(RULES) > 0
    here = [validate(p.read_bytes(), name=str(p), now=NOW).to_dict() for p in paths]
    assert fresh == here
    assert all(r["issues"] for r in here)



def test_every_rule_module_of_the_package_is_in_modules() -> None:
    # MODULES is what the registry imports: a module left out would never run.
    import feedwright.validator.rules as package

    found = {p.stem for p in Path(package.__file__).parent.glob("*.py")
             if not p.stem.startswith("_")}
    assert found == set(MODULES)

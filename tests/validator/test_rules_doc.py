"""docs/rules.md is generated from the registry and must never drift from it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "scripts" / "gen_rules_doc.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rules_doc", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_rules_page_matches_the_registry() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == _script().render(), (
        "docs/rules.md is stale: run python scripts/gen_rules_doc.py"
    )


def test_every_rule_has_a_section() -> None:
    from feedwright.validator.rules import RULES

    text = _script().render()
    for code in RULES:
        assert f"### `{code}`" in text


def test_committed_rule_module_index_matches_the_modules() -> None:
    # The registry imports a rule module only for the formats (and declared
    # vocabularies) the index names: a stale index would skip a module's rules.
    committed = (ROOT / "src" / "feedwright" / "validator" / "rules" / "_index.py").read_text(
        encoding="utf-8")
    assert committed == _script().render_index(), (
        "rules/_index.py is stale: run python scripts/gen_rules_doc.py"
    )

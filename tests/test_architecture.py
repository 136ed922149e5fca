"""The import direction of docs/dev.md: data flows one way, the validator judges bytes.

A small stand-in for import-linter's layers contract, so the rule is checked
on every test run without another dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from tests.helpers import fresh_python

SRC = Path(__file__).parent.parent / "src" / "feedwright"

#: Highest first; a module may import only modules of its own or lower layers
#: (siblings within one layer may not import each other across the layer).
LAYERS: list[set[str]] = [
    {"cli", "__init__", "__main__"},
    {"websub"},
    {"pipeline", "scaffold"},
    {"gate", "idguard"},
    {"render", "validator"},
    {"feedset", "readers"},
    {"config"},
    {"mapping"},
    {"model", "located", "dates", "fetch", "parallel", "formats", "links"},
    {"io", "cache"},
    {"errors", "cycles"},
]


def top_module(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def is_module(name: str) -> bool:
    return (SRC / f"{name}.py").is_file() or (SRC / name / "__init__.py").is_file()


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("feedwright"):
            parts = node.module.split(".")
            if len(parts) > 1:
                out.add(parts[1])
            else:  # `from feedwright import x`: a module only if x is one
                out.update(alias.name for alias in node.names if is_module(alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "feedwright" and len(parts) > 1:
                    out.add(parts[1])
    return out


def layer_of(module: str) -> int:
    for index, layer in enumerate(LAYERS):
        if module in layer:
            return index
    raise AssertionError(f"module {module!r} is in no layer; add it to LAYERS")


MODULES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down(path: Path) -> None:
    me = top_module(path)
    mine = layer_of(me)
    for other in imported(path) - {me, "__version__"}:
        theirs = layer_of(other)
        assert theirs > mine or me in LAYERS[0], (
            f"{path.relative_to(SRC)} imports feedwright.{other}, which is not below it"
        )


@pytest.mark.parametrize(
    "path", [p for p in MODULES if top_module(p) == "validator"], ids=lambda p: p.name
)
def test_validator_knows_nothing_of_the_model(path: Path) -> None:
    forbidden = {"model", "config", "readers", "feedset", "render", "pipeline", "cli"}
    assert not imported(path) & forbidden


def test_every_public_name_is_there_when_asked_for() -> None:
    import feedwright  # the package's names, some imported on first use

    assert set(feedwright.__all__) <= set(dir(feedwright))
    for name in feedwright.__all__:
        assert getattr(feedwright, name).__name__ == name


def test_public_functions_and_modules_have_names_of_their_own() -> None:
    # A fresh interpreter: whatever is imported first, `feedwright.build` and
    # `feedwright.validate` are the functions and the modules keep their names.
    code = (
        "import feedwright.validator.report, feedwright.pipeline, feedwright\n"
        "print(feedwright.validator.report.Report is feedwright.Report,"
        " callable(feedwright.build), feedwright.build is feedwright.pipeline.build,"
        " feedwright.validate is feedwright.validator.validate)\n"
    )
    assert fresh_python(code) == ["True True True True"]

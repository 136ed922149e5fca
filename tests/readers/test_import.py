"""`feedwright import PAGE... [-o FILE]`: listing pages to an editable YAML entries file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tests.helpers import DATA
from tests.helpers import REPO
from tests.helpers import SEEDS

from feedwright.cli import cli
from feedwright.config import load_config
from feedwright.model import slugify
from feedwright.readers import dump_yaml
from feedwright.readers import read_file
from feedwright.readers import resolve
from feedwright.readers.pages import read_page
from feedwright.readers.raw import RawEntry
from feedwright.readers.structured import pin_slugs

PAGES = sorted(SEEDS.glob("*.txt"))
FIELDS = ("title", "published", "summary", "reading_time", "word_count", "authors")


def _fields(entries: list) -> list[tuple]:
    return [tuple(getattr(e, f) for f in FIELDS) for e in entries]


@pytest.fixture(scope="module")
def from_pages() -> list:
    return [e for p in PAGES for e in read_page(p)]


def test_import_to_file_round_trips(runner: CliRunner, tmp_path: Path, from_pages: list) -> None:
    out = tmp_path / "entries.yaml"
    result = runner.invoke(cli, ["import", *map(str, PAGES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote 10 entries to {out}\n"
    back = read_file(out)
    assert len(back) == 10
    assert _fields(back) == _fields(from_pages)
    lines = out.read_text(encoding="utf-8").splitlines()
    for entry in back:  # each entry's source is its own "- title:" line in the new file
        file, _, line = entry.source.rpartition(":")
        assert file == str(out)
        head = lines[int(line) - 1]
        assert head.startswith("- title: ")
        assert head[len("- title: "):].lstrip("'\"").startswith(entry.title[:40])
    assert all(not e.draft and e.tags == () and e.url is None for e in back)
    assert [e.slug for e in back] == [slugify(e.title) for e in from_pages]


def test_import_file_is_hand_editable_yaml(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "entries.yaml"
    assert runner.invoke(cli, ["import", str(PAGES[0]), "--output", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # exact Unicode kept, not \u escapes; published as a plain date string
    assert "Zero\u2011to\u2011Hero" in text and "\\u2011" not in text
    data = yaml.safe_load(text)
    assert list(data[0]) == ["title", "published", "slug", "summary", "authors",
                             "reading_time", "word_count"]
    assert data[0]["authors"] == ["martinuke0"]
    assert str(data[0]["published"]) == "2026-04-02"


def test_imported_file_keeps_urls_and_ids_when_a_title_is_fixed(
    runner: CliRunner, tmp_path: Path, from_pages: list
) -> None:
    config = load_config(REPO / "config.yaml")
    out = tmp_path / "entries.yaml"
    assert runner.invoke(cli, ["import", *map(str, PAGES), "-o", str(out)]).exit_code == 0
    before = [(e.url, e.id) for e in resolve(from_pages, config)]
    assert [(e.url, e.id) for e in resolve(read_file(out), config)] == before
    # fix a "typo" in every title by hand: the URLs and ids stay those of the listing pages
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    for item in data:
        item["title"] = "Fixed: " + item["title"]
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = resolve(read_file(out), config)
    assert all(e.title.startswith("Fixed: ") for e in after)
    assert [(e.url, e.id) for e in after] == before


def test_import_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "entries.yaml"
    out.write_text("# tags added by hand\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(PAGES[0]), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"feedwright: error: {out}: already exists; pass --force to overwrite it\n")
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "# tags added by hand\n"
    result = runner.invoke(cli, ["import", str(PAGES[0]), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert len(read_file(out)) == 5


def test_import_keeps_a_given_slug_or_url() -> None:
    day = date(2026, 3, 31)
    raws = [RawEntry(title="A Title", published=day, source="p:1"),
            RawEntry(title="B", published=day, source="p:2", slug="own"),
            RawEntry(title="C", published=day, source="p:3", url="https://x.org/c"),
            RawEntry(title="日本", published=day, source="p:4")]
    assert [r.slug for r in pin_slugs(raws)] == ["a-title", "own", None, None]


def test_import_to_stdout(runner: CliRunner, tmp_path: Path, from_pages: list) -> None:
    result = runner.invoke(cli, ["import", *map(str, PAGES)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = tmp_path / "stdout.yaml"
    out.write_text(result.stdout, encoding="utf-8")
    assert _fields(read_file(out)) == _fields(from_pages)


def test_import_keeps_argument_order(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", str(PAGES[1]), str(PAGES[0])])
    assert result.exit_code == 0
    titles = [e["title"] for e in yaml.safe_load(result.stdout)]
    assert titles[0].startswith("Securing Distributed Systems")
    assert titles[5].startswith("Scaling Federated Learning")


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("bad-meta-line.txt", 11, "cannot read the meta line"),
        ("impossible-date.txt", 5, "impossible date in the meta line"),
        ("no-meta-at-end.txt", 7, "text with no meta line after it"),
    ],
    ids=["bad-meta", "impossible-date", "no-meta-at-end"],
)
def test_bad_page_exits_2_with_file_line(
    runner: CliRunner, tmp_path: Path, name: str, line: int, message: str
) -> None:
    page = DATA / "pages" / name
    out = tmp_path / "entries.yaml"
    result = runner.invoke(cli, ["import", str(PAGES[0]), str(page), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"feedwright: error: {page}:{line}: {message}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()  # nothing half-written


def test_missing_page_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_import_needs_a_page(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["import"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


@pytest.mark.parametrize(
    "title",
    ["yes", "null", "12:30", "23:59:59", "2026-03-31", "- dash", "#hash", "key: value", " lead",
     "trail ", "a  b", "\u00a0nbsp\u00a0", "quote ' and \"", "Zero\u2011to\u2011Hero \u2014 " * 8],
    ids=["yes", "null", "sexagesimal", "hms", "date", "dash", "hash", "colon", "leading-space",
         "trailing-space", "double-space", "nbsp", "quotes", "long-unicode"],
)
def test_dump_yaml_round_trips_awkward_titles(tmp_path: Path, title: str) -> None:
    raw = RawEntry(title=title, published=date(2026, 3, 31), source="p:1", summary=title + " ...")
    path = tmp_path / "e.yaml"
    path.write_text(dump_yaml([raw]), encoding="utf-8")
    [back] = read_file(path)
    assert (back.title, back.summary, back.published) == (title, title + " ...", date(2026, 3, 31))

"""The archive listing-page reader: the real pages, and every way a page can be wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.helpers import DATA
from tests.helpers import SEEDS

from feedwright.errors import InputError
from feedwright.model import Author
from feedwright.readers import read_file
from feedwright.readers.pages import parse_page
from feedwright.readers.pages import read_page

PAGES = DATA / "pages"
PAGE0 = SEEDS / "000_c3e0ca055b8300cb.txt"
PAGE3 = SEEDS / "003_712d61e5a37ea785.txt"
NBH = "\u2011"  # NON-BREAKING HYPHEN
EM = "\u2014"  # EM DASH

#: (page, title line, title, date, minutes, words), in page order.
ARCHIVE = [
    (PAGE0, 1, "Scaling Federated Learning Systems for Privacy Preserving Intelligence in "
     "Distributed Cloud Environments", date(2026, 4, 2), 13, 2681),
    (PAGE0, 7, "Architecting Real-Time Feature Stores for Scalable Machine Learning and Large "
     "Language Model Pipelines", date(2026, 4, 2), 14, 2774),
    (PAGE0, 13, "Designing Robust Payment Systems: Architecture, Scalability, and Security",
     date(2026, 4, 1), 10, 2063),
    (PAGE0, 19, f"Distributed Vector Database Architecture: Zero{NBH}to{NBH}Hero Guide for "
     f"Building Scalable High{NBH}Performance Semantic Search Engines",
     date(2026, 3, 31), 15, 3073),
    (PAGE0, 25, "Building Scalable Vector Search Engines with Rust and Distributed Database "
     "Systems", date(2026, 3, 31), 13, 2737),
    (PAGE3, 1, "Securing Distributed Systems with Zero Trust Architecture and Real Time "
     "Monitoring Strategies", date(2026, 3, 16), 12, 2427),
    (PAGE3, 7, f"Optimizing Real{NBH}Time Token Management for Globally Distributed Large "
     "Language Model Inference Architectures", date(2026, 3, 16), 13, 2571),
    (PAGE3, 13, f"Architecting Distributed Vector Databases for Scalable Retrieval{NBH}Augmented "
     f"Generation and Real{NBH}Time AI Systems", date(2026, 3, 16), 12, 2460),
    (PAGE3, 19, "Scaling Production RAG Systems with Distributed Vector Quantization and "
     "Multi-Stage Re-Ranking Strategies", date(2026, 3, 15), 16, 3311),
    (PAGE3, 25, "Designing Low-Latency Message Brokers for Real-Time Communication in "
     "Distributed Machine Learning Clusters", date(2026, 3, 15), 9, 1849),
]


@pytest.fixture(scope="module")
def archive() -> list:
    return read_page(PAGE0) + read_page(PAGE3)


def test_seed_pages_have_the_bytes_the_reader_must_cope_with() -> None:
    raw = PAGE0.read_text(encoding="utf-8")
    assert "\u00a0·\u00a0" in raw
    assert NBH in raw and EM in raw
    assert raw.endswith("martinuke0\nFeedback")  # footer, no trailing newline


def test_archive_reads_to_exactly_ten_entries(archive: list) -> None:
    assert len(archive) == 10
    assert [len(read_page(PAGE0)), len(read_page(PAGE3))] == [5, 5]


@pytest.mark.parametrize(
    "index, expected", list(enumerate(ARCHIVE)), ids=[f"{a[0].name[:3]}:{a[1]}" for a in ARCHIVE]
)
def test_archive_entry_fields(archive: list, index: int, expected: tuple) -> None:
    page, line, title, day, minutes, words = expected
    entry = archive[index]
    assert entry.title == title
    assert entry.published == day
    assert type(entry.published) is date
    assert entry.reading_time == minutes
    assert entry.word_count == words
    assert entry.authors == (Author("martinuke0"),)
    assert entry.source == f"{page}:{line}"
    assert entry.summary.endswith(" ...")
    assert "\n" not in entry.summary and "\u00a0" not in entry.summary
    assert entry.url is None and entry.slug is None and entry.tags == ()
    assert entry.draft is False


def test_archive_summaries_keep_exact_unicode(archive: list) -> None:
    first = archive[0].summary
    assert first.startswith("Introduction Federated Learning (FL) has emerged")
    assert f"production{NBH}grade system" in first
    assert first.endswith("and efficient resource management. ...")
    assert f"applications{EM}think product recommendation" in archive[3].summary
    assert archive[9].summary.endswith("in distributed ML clusters. We will: ...")


def test_footer_is_not_an_entry(archive: list) -> None:
    assert all("Feedback" not in e.title for e in archive)
    assert not archive[4].summary.endswith("Feedback")
    assert archive[4].summary.endswith("horizontal scalability. ...")


def test_read_file_dispatches_txt_to_the_page_reader() -> None:
    assert read_file(PAGE3) == read_page(PAGE3)


# --- small pages: what is accepted ------------------------------------------------

TWO = [
    (1, f"Zero{NBH}to{NBH}Hero Vector Search", f"Vectors {EM} fast and small. ...",
     date(2026, 3, 31), 3, 600),
    (7, "Plain Old Title", "A short summary of a second post. ...", date(2026, 3, 30), 5, 1020),
]


@pytest.mark.parametrize("name", ["no-footer.txt", "crlf.txt"], ids=["footer-absent", "crlf"])
def test_small_pages_read_two_entries(name: str) -> None:
    path = PAGES / name
    entries = read_page(path)
    got = [(e.source, e.title, e.summary, e.published, e.reading_time, e.word_count)
           for e in entries]
    assert got == [(f"{path}:{ln}", t, s, d, m, w) for ln, t, s, d, m, w in TWO]
    assert all("\r" not in e.title + e.summary for e in entries)


def test_crlf_file_really_has_crlf() -> None:
    assert b"\r\n" in (PAGES / "crlf.txt").read_bytes()


def test_plain_spaces_instead_of_nbsp_are_accepted() -> None:
    path = PAGES / "plain-spaces.txt"
    assert "\u00a0".encode() not in path.read_bytes()
    [entry] = read_page(path)
    assert (entry.title, entry.published, entry.reading_time, entry.word_count, entry.authors) == (
        "Plain Spaces", date(2026, 4, 2), 3, 600, (Author("martinuke0"),))
    assert entry.source == f"{path}:1"


@pytest.mark.parametrize("name", ["empty.txt", "footer-only.txt"], ids=["empty", "footer-only"])
def test_page_without_entries_reads_to_nothing(name: str) -> None:
    assert read_page(PAGES / name) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("T\n\nS ...\n\nMarch 1, 2026 · 1 min · 1 word · Ann Lee  \n", (1, 1, "Ann Lee")),
        ("T\n\nS ...\n\nMarch 1, 2026 · 7 min · 12,345 words · bob\n", (7, 12345, "bob")),
        ("T\n\nS\nwrapped ...\n\nMarch 1, 2026 · 1 min · 2 words · x\n\n\nFeedback\n\n",
         (1, 2, "x")),
    ],
    ids=["one-word-trailing-space", "thousands-comma", "wrapped-summary-blank-footer"],
)
def test_meta_line_variants(text: str, expected: tuple) -> None:
    [entry] = parse_page(text, "mem.txt")
    assert (entry.reading_time, entry.word_count, entry.authors[0].name) == expected
    assert entry.published == date(2026, 3, 1)


def test_wrapped_summary_lines_are_joined_with_a_space() -> None:
    [entry] = parse_page("T\n\nline one\nline two ...\n\nMarch 1, 2026 · 1 min · 2 words · x",
                         "m.txt")
    assert entry.summary == "line one line two ..."


# --- small pages: what is refused, with file:line ---------------------------------

META_SHAPE = "'Month D, YYYY · N min · N words · author'"
REFUSED = [
    ("bad-meta-line.txt", 11,
     "cannot read the meta line 'March 30 2026\\xa0·\\xa03 min\\xa0·\\xa0600 words\\xa0·\\xa0"
     f"martinuke0'; expected {META_SHAPE}"),
    ("impossible-date.txt", 5,
     "impossible date in the meta line 'February 30, 2026\\xa0·\\xa03 min\\xa0·\\xa0600 words"
     "\\xa0·\\xa0martinuke0': day is out of range for month"),
    ("unknown-month.txt", 11,
     "unknown month 'Mar' in the meta line; expected an English month name such as 'March'"),
    ("missing-summary.txt", 7,
     "the entry ending here has 1 paragraph(s) before its meta line; expected a title line, "
     "a blank line, a summary paragraph and a blank line"),
    ("two-summaries.txt", 7,
     "the entry ending here has 3 paragraph(s) before its meta line; expected a title line, "
     "a blank line, a summary paragraph and a blank line"),
    ("no-meta-at-end.txt", 7,
     "text with no meta line after it ('Trailing Title Without Meta'…); every entry ends "
     f"with a line like {META_SHAPE}"),
]


@pytest.mark.parametrize("name, line, message", REFUSED, ids=[r[0][:-4] for r in REFUSED])
def test_bad_page_is_refused_at_file_line(name: str, line: int, message: str) -> None:
    path = PAGES / name
    with pytest.raises(InputError) as info:
        read_page(path)
    assert info.value.message == message
    assert info.value.source == f"{path}:{line}"
    assert str(info.value) == f"{path}:{line}: {message}"
    assert info.value.exit_code == 2


def test_meta_line_with_nothing_before_it_points_at_the_meta_line() -> None:
    with pytest.raises(InputError) as info:
        parse_page("\n\nMarch 1, 2026 · 1 min · 2 words · x\n", "m.txt")
    assert info.value.source == "m.txt:3"
    assert info.value.message.startswith("the entry ending here has nothing before its meta line")


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_page(tmp_path / "absent.txt")
    assert info.value.message == "cannot read: No such file or directory"
    assert info.value.source == str(tmp_path / "absent.txt")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        read_page(latin)
    assert info.value.message == "not UTF-8 text: invalid continuation byte at byte 3"


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("x")
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.message == (
        "no reader for '.html' (known: .json, .jsonl, .markdown, .md, .txt, .yaml, .yml)"
    )
    assert info.value.source == str(path)

"""Comparing two snapshots of a feed: ids that changed, moved, repeat; items come and go."""

from __future__ import annotations

import json

import pytest

from feedwright.errors import InputError
from feedwright.validator.compare import compare
from feedwright.validator.compare import read_snapshot
from feedwright.validator.compare import to_text
from feedwright.validator.compare import unrelated

MON = "Mon, 02 Mar 2026 00:00:00 +0000"
TUE = "Tue, 03 Mar 2026 00:00:00 +0000"


def rss(*items: tuple[str | None, str, str, str], home: str = "https://e.org/") -> bytes:
    """An RSS 2.0 feed, one item a line: (guid or None, link, title, pubDate)."""
    lines = []
    for guid, link, title, date in items:
        g = f'<guid isPermaLink="false">{guid}</guid>' if guid else ""
        lines.append(f"<item><title>{title}</title><link>{link}</link>{g}"
                     f"<pubDate>{date}</pubDate></item>")
    return ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>'
            f"<link>{home}</link><description>d</description>\n"
            + "\n".join(lines) + "\n</channel></rss>\n").encode()


def atom(*entries: tuple[str, str, str, str]) -> bytes:
    """An Atom feed, one entry a line: (id, link, title, published)."""
    lines = [f"<entry><id>{i}</id><link href=\"{link}\"/><title>{t}</title>"
             f"<published>{p}</published><updated>{p}</updated></entry>"
             for i, link, t, p in entries]
    return ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            '<id>urn:x</id><title>x</title><link rel="self" href="https://e.org/atom.xml"/>\n'
            + "\n".join(lines) + "\n</feed>\n").encode()


def jsonfeed(*items: dict[str, object]) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x",
                       "home_page_url": "https://e.org/", "items": list(items)},
                      indent=1).encode()


def codes(old: bytes, new: bytes) -> list[tuple[str, int | None]]:
    result = compare(read_snapshot(old, name="old"), read_snapshot(new, name="new"))
    return sorted((c.code, c.line) for c in result.changes)


A = ("a", "https://e.org/a", "A", MON)
B = ("b", "https://e.org/b", "B", MON)
C = ("c", "https://e.org/c", "C", MON)


def test_same_feed_twice_finds_nothing() -> None:
    assert codes(rss(A, B, C), rss(A, B, C)) == []


def test_new_items_pushing_old_ones_off_the_end_is_no_problem() -> None:
    new = ("n", "https://e.org/n", "N", TUE)
    result = compare(read_snapshot(rss(A, B, C), name="old"),
                     read_snapshot(rss(new, A, B), name="new"))
    assert sorted(c.code for c in result.changes) == ["item-added", "item-fell-off"]
    assert not result.problems
    fell = next(c for c in result.changes if c.code == "item-fell-off")
    assert fell.in_old and fell.line == 5 and fell.old_id == "c"


def test_an_item_removed_from_the_middle_is_a_warning() -> None:
    result = compare(read_snapshot(rss(A, B, C), name="old"),
                     read_snapshot(rss(A, C), name="new"))
    assert [(c.code, c.severity) for c in result.changes] == [("item-removed", "warning")]


def test_same_link_new_id_is_id_changed_at_its_line_in_new() -> None:
    changed = ("a-2", "https://e.org/a", "A", MON)
    result = compare(read_snapshot(rss(A, B), name="old"),
                     read_snapshot(rss(B, changed), name="new"))
    [change] = result.changes
    assert (change.code, change.severity, change.line) == ("id-changed", "error", 4)
    assert (change.old_id, change.new_id, change.link) == ("a", "a-2", "https://e.org/a")
    assert "show it again as a new post" in to_text(result)


def test_a_guid_lost_is_an_id_change_too() -> None:
    assert codes(rss(A), rss((None, "https://e.org/a", "A", MON))) == [("id-changed", 3)]


def test_id_moved_to_another_post_while_the_old_one_stays_is_reissued() -> None:
    # b's id now names a new post; post b is still there under a new id
    stolen = ("b", "https://e.org/new", "New", TUE)
    renamed = ("b-old", "https://e.org/b", "B", MON)
    assert codes(rss(A, B), rss(stolen, A, renamed)) == [("id-changed", 5), ("id-reissued", 3)]


def test_id_on_a_different_link_title_and_date_is_reissued() -> None:
    assert codes(rss(A, B), rss(("b", "https://e.org/z", "Z", TUE), A)) == [("id-reissued", 3)]


def test_a_pinned_id_lets_a_post_move() -> None:
    moved = ("b", "https://e.org/posts/b", "B", MON)
    assert codes(rss(A, B), rss(A, moved)) == []


def test_a_new_slug_is_found_by_title_and_date() -> None:
    renamed = ("b-new", "https://e.org/b-new", "B", "Mon, 02 Mar 2026 01:00:00 +0100")
    result = compare(read_snapshot(rss(A, B, C), name="o"),
                     read_snapshot(rss(A, renamed, C), name="n"))
    [change] = result.changes
    assert (change.code, change.severity, change.line) == ("link-and-id-changed", "error", 4)
    assert (change.old_link, change.link, change.old_id, change.new_id) == (
        "https://e.org/b", "https://e.org/b-new", "b", "b-new")


def test_title_and_date_pair_only_when_unique() -> None:
    twin_a = ("x", "https://e.org/x", "Notes", MON)
    twin_b = ("y", "https://e.org/y", "Notes", MON)
    new_a = ("x2", "https://e.org/x2", "Notes", MON)
    result = compare(read_snapshot(rss(twin_a, twin_b), name="o"),
                     read_snapshot(rss(new_a), name="n"))
    assert sorted(c.code for c in result.changes) == ["item-added", "item-fell-off",
                                                      "item-fell-off"]
    other_day = ("z", "https://e.org/z", "Notes", TUE)
    assert codes(rss(twin_a), rss(other_day)) == [("item-added", 3), ("item-fell-off", 3)]


def test_redated_items_are_told_dates_compared_as_dates() -> None:
    same_instant = ("a", "https://e.org/a", "A", "Mon, 02 Mar 2026 01:00:00 +0100")
    assert codes(rss(A), rss(same_instant)) == []
    later = ("a", "https://e.org/a", "A", TUE)
    assert codes(rss(A), rss(later)) == [("item-redated", 3)]


def test_duplicate_ids_in_new() -> None:
    twin = ("a", "https://e.org/a2", "A2", MON)
    assert codes(rss(A), rss(A, twin)) == [("duplicate-id", 4)]


def test_items_without_ids_pair_by_link() -> None:
    old = rss((None, "https://e.org/a", "A", MON), (None, "https://e.org/b", "B", MON))
    new = rss((None, "https://e.org/a", "A", MON), (None, "https://e.org/b", "B", TUE))
    assert codes(old, new) == [("item-redated", 4)]


def test_atom_ids_and_lines() -> None:
    old = atom(("tag:e.org,2026-03-02:/a", "https://e.org/a", "A", "2026-03-02T00:00:00Z"))
    new = atom(("tag:e.org,2026-03-01:/a", "https://e.org/a", "A", "2026-03-01T00:00:00Z"))
    result = compare(read_snapshot(old, name="o"), read_snapshot(new, name="n"))
    [change] = result.changes
    assert (change.code, change.line) == ("id-changed", 3)
    assert change.old_id == "tag:e.org,2026-03-02:/a"


def test_json_feed_ids_numbers_and_lines() -> None:
    old = jsonfeed({"id": 1, "url": "https://e.org/a"}, {"id": "b", "url": "https://e.org/b"})
    new = jsonfeed({"id": "1", "url": "https://e.org/a"}, {"id": "b2", "url": "https://e.org/b"})
    result = compare(read_snapshot(old, name="o"), read_snapshot(new, name="n"))
    [change] = result.changes
    assert change.code == "id-changed" and change.old_id == "b" and change.new_id == "b2"
    text = new.decode()
    assert text.splitlines()[change.line - 1].strip() == '"id": "b2",'


@pytest.mark.parametrize(("data", "why"), [
    (b"", "empty"),
    (b"<rss version='2.0'><channel>", "not a feed that can be compared"),
    (b"<html><body>hi</body></html>", "HTML page"),
    (b'{"a": 1}', "not a JSON Feed"),
    (b"<opml version='2.0'><head/><body/></opml>", "OPML"),
])
def test_what_is_not_a_feed_is_an_input_error(data: bytes, why: str) -> None:
    with pytest.raises(InputError) as caught:
        read_snapshot(data, name="x.xml")
    assert why.lower() in str(caught.value).lower()
    assert str(caught.value).startswith("x.xml")


def test_external_entities_are_never_read() -> None:
    data = (b"<!DOCTYPE rss [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><rss version='2.0'>"
            b"<channel><item><title>&x;</title><guid>g</guid></item></channel></rss>")
    [item] = read_snapshot(data, name="x.xml").items
    assert item.id == "g" and item.title is None


def test_rss1_items_are_known_by_rdf_about() -> None:
    def rdf(about: str) -> bytes:
        return ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                '22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">\n<channel rdf:about="'
                'https://e.org/"><title>x</title><link>https://e.org/</link></channel>\n'
                f'<item rdf:about="{about}"><title>A</title><link>https://e.org/a</link></item>'
                "\n</rdf:RDF>").encode()
    old = read_snapshot(rdf("https://e.org/a"), name="o")
    new = read_snapshot(rdf("urn:a"), name="n")
    assert (old.format, old.home_link) == ("rss1", "https://e.org/")
    [change] = compare(old, new).changes
    assert (change.code, change.line, change.new_id) == ("id-changed", 4, "urn:a")


def test_unrelated_feeds() -> None:
    other = rss(("z", "https://o.org/z", "Z", MON), home="https://o.org/")
    assert unrelated(read_snapshot(rss(A), name="o"), read_snapshot(other, name="n"))
    same_home = rss(("z", "https://e.org/z", "Z", MON))
    assert not unrelated(read_snapshot(rss(A), name="o"), read_snapshot(same_home, name="n"))
    assert not unrelated(read_snapshot(rss(A), name="o"), read_snapshot(rss(), name="n"))
    entry_b = ("urn:b", "https://o.org/b", "B", "2026-03-02T00:00:00Z")
    entry_c = ("urn:c", "https://p.org/c", "C", "2026-03-02T00:00:00Z")
    # same self link, nothing else in common: one feed whose every post is new
    assert not unrelated(read_snapshot(atom(entry_b), name="o"),
                         read_snapshot(atom(entry_c), name="n"))

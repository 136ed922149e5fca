"""io: atomic writes that never leave half a file, and no rewrite of unchanged files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import feedwright.io as fio
from feedwright.errors import FeedwrightError
from feedwright.errors import WriteError


def test_atomic_write_creates_folders_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "feed.xml"
    fio.atomic_write(target, b"<rss/>")
    assert target.read_bytes() == b"<rss/>"
    assert [p.name for p in target.parent.iterdir()] == ["feed.xml"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_failure_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(WriteError, match="Input/output error"):
        fio.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(WriteError) as info:
        fio.atomic_write(blocker / "feed.xml", b"x")
    assert info.value.source == str(blocker / "feed.xml")
    assert info.value.exit_code == 2
    assert isinstance(info.value, FeedwrightError)  # the CLI's one catch sees it


def test_write_changed_skips_identical_bytes(tmp_path: Path) -> None:
    (tmp_path / "same.xml").write_bytes(b"same")
    os.utime(tmp_path / "same.xml", ns=(10**9, 10**9))
    written = fio.write_changed(tmp_path, {"same.xml": b"same", "new/x.xml": b"x"})
    assert written == ["new/x.xml"]
    assert (tmp_path / "same.xml").stat().st_mtime_ns == 10**9
    assert (tmp_path / "new" / "x.xml").read_bytes() == b"x"


def test_write_all_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "one.xml").write_bytes(b"old one")
    real = fio._stage

    def stage(path: Path, data: bytes, *name: Path | None) -> tuple[str, int, fio.Identity]:
        if path.name == "two.xml":
            raise OSError(28, "No space left on device")
        return real(path, data, *name)

    monkeypatch.setattr(fio, "_stage", stage)
    with pytest.raises(WriteError):
        fio.write_all({tmp_path / "one.xml": b"new one", tmp_path / "two.xml": b"two"})
    assert (tmp_path / "one.xml").read_bytes() == b"old one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.xml"]


def test_discarded_staging_leaves_no_file_and_no_new_folder(tmp_path: Path) -> None:
    (tmp_path / "kept").mkdir()
    changed, staged = fio.stage_changed(
        tmp_path, {"kept/a.xml": b"a", "new/deep/b.xml": b"b", "c.xml": b"c"})
    assert changed == ["kept/a.xml", "new/deep/b.xml", "c.xml"]
    assert not (tmp_path / "c.xml").exists()  # staged, not in place
    staged.discard()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["kept"]


def test_committed_staging_puts_every_file_in_place(tmp_path: Path) -> None:
    _, staged = fio.stage_changed(tmp_path, {"new/b.xml": b"b", "c.xml": b"c"})
    staged.commit()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "c.xml", "new", "new/b.xml"]
    assert (tmp_path / "new" / "b.xml").read_bytes() == b"b"


def test_reserved_files_are_made_empty_ahead_and_filled_by_staging(tmp_path: Path) -> None:
    (tmp_path / "same.xml").write_bytes(b"same")
    staged = fio.Staged(tmp_path)
    staged.reserve([tmp_path / "same.xml", tmp_path / "new" / "a.xml", tmp_path / "b.xml"])
    token = staged_token(tmp_path)
    # empty temp files named by the journal; a path with a file gets none:
    # its bytes may turn out unchanged
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        f".b.xml.{token}.tmp", "new", f"new/.a.xml.{token}.tmp", "same.xml"]
    assert all(p.stat().st_size == 0 for p in tmp_path.rglob("*.tmp"))
    changed, _ = fio.stage_changed(tmp_path, {"same.xml": b"same", "new/a.xml": b"a"}, staged)
    assert changed == ["new/a.xml"]  # b.xml was reserved, never filled
    written = staged.commit()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "new", "new/a.xml", "same.xml"]
    assert (tmp_path / "new" / "a.xml").read_bytes() == b"a"
    assert (tmp_path / "new" / "a.xml").stat().st_mode & 0o777 == 0o644
    assert written[tmp_path / "new" / "a.xml"][0] == 1  # its identity: one byte
    assert not fio.journal_path(tmp_path).exists()


def staged_token(root: Path) -> str:
    """The token of the publish under way into ``root``, from its journal."""
    import json

    return str(json.loads(fio.journal_path(root).read_text().splitlines()[0])["token"])


def test_reserved_files_and_their_folders_go_with_a_discarded_staging(tmp_path: Path) -> None:
    staged = fio.Staged(tmp_path / "out")
    staged.reserve([tmp_path / "out" / "tags" / "x" / "rss.xml", tmp_path / "out" / "rss.xml"])
    assert len(list(tmp_path.rglob("*.tmp"))) == 2
    fio.stage_changed(tmp_path / "out", {"rss.xml": b"r"}, staged)
    staged.discard()
    assert list(tmp_path.iterdir()) == []  # the folders it made, the journal beside them


def test_chunks_are_compared_and_written_as_the_bytes_they_join_to(tmp_path: Path) -> None:
    (tmp_path / "same.xml").write_bytes(b"<rss><item/></rss>")
    (tmp_path / "moved.xml").write_bytes(b"<rss><item/></rss>")
    (tmp_path / "longer.xml").write_bytes(b"<rss><item/></rss>")
    documents = {
        "same.xml": (b"<rss>", b"<item/>", b"</rss>"),
        "moved.xml": (b"<rss><", b"item/>", b"</rss>"),  # same bytes, other cuts
        "longer.xml": (b"<rss>", b"<item/>", b"<item/>", b"</rss>"),
        "new.xml": (b"<feed>", b"", b"</feed>"),
    }
    assert fio.write_changed(tmp_path, documents) == ["longer.xml", "new.xml"]
    assert (tmp_path / "longer.xml").read_bytes() == b"<rss><item/><item/></rss>"
    assert (tmp_path / "new.xml").read_bytes() == b"<feed></feed>"


def test_same_size_different_bytes_is_changed(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(b"<rss><item/></rss>")
    assert not fio.holds(tmp_path / "feed.xml", (b"<rss>", b"<ITEM/>", b"</rss>"))
    assert fio.holds(tmp_path / "feed.xml", (b"<rss>", b"<item/>", b"</rss>"))
    assert not fio.holds(tmp_path / "missing.xml", (b"",))


def test_a_target_that_cannot_be_read_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").mkdir()
    with pytest.raises(WriteError, match="cannot read") as info:
        fio.changed_files(tmp_path, {"feed.xml": (b"<rss/>",)})
    assert info.value.source == str(tmp_path / "feed.xml")


def test_every_file_is_synced_before_any_is_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("sync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace",
                        lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    count = fio._OPEN * 2 + 3  # more than are kept open at once
    documents = {f"tags/t{i}/rss.xml": (b"<rss>", str(i).encode(), b"</rss>")
                 for i in range(count)}
    assert fio.write_changed(tmp_path, documents) == list(documents)
    # one sync more: the journal's list of renames (Staged(root)), none per file
    assert events == ["sync"] * (count + 1) + ["replace"] * count
    assert not fio.journal_path(tmp_path).exists()
    for rel, chunks in documents.items():
        assert (tmp_path / rel).read_bytes() == b"".join(chunks)
    assert not list(tmp_path.rglob("*.tmp"))


def test_short_writes_are_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.writev

    def short(fd: int, buffers: list[bytes]) -> int:  # writes at most 3 bytes a call
        return real(fd, [b"".join(buffers)[:3]])

    monkeypatch.setattr(os, "writev", short)
    chunks = tuple(f"<item>{i}</item>".encode() for i in range(fio._IOV + 5))
    fio.write_changed(tmp_path, {"feed.xml": chunks})
    assert (tmp_path / "feed.xml").read_bytes() == b"".join(chunks)


def test_a_file_that_cannot_be_synced_is_named_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.fsync
    synced: list[int] = []

    def failing_first(fd: int) -> None:
        synced.append(fd)
        if len(synced) == 1:
            raise OSError(5, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", failing_first)
    documents = {f"t{i:03d}.xml": b"<rss/>" for i in range(fio._OPEN + 2)}
    with pytest.raises(WriteError, match="Input/output error") as info:
        fio.write_changed(tmp_path, documents)
    assert info.value.source == str(tmp_path / "t000.xml")  # the first one staged
    assert list(tmp_path.iterdir()) == []


def test_commit_returns_what_it_wrote_as_the_rename_keeps_it(tmp_path: Path) -> None:
    from feedwright.io import Staged

    staged = Staged()
    target = tmp_path / "sub" / "a.xml"
    staged.add(target, (b"<a>", b"</a>"))
    written = staged.commit()
    st = target.stat()
    assert written == {target: (st.st_size, st.st_mtime_ns, st.st_ino)}
    assert st.st_size == len(b"<a></a>")
    assert staged.commit() == {}  # nothing staged any more


def _journal(root: Path, *lines: str) -> Path:
    path = fio.journal_path(root)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_a_journal_cut_short_in_its_list_of_renames_is_rolled_back(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    (root / "tags" / "a").mkdir(parents=True)
    (root / "rss.xml").write_bytes(b"old")
    token = "fw0123456789ab"
    (root / f".rss.xml.{token}.tmp").write_bytes(b"new")
    (root / "tags" / "b").mkdir()
    (root / "tags" / "b" / f".rss.xml.{token}.tmp").write_bytes(b"new b")
    journal = _journal(root, json.dumps({"feedwright": "publish", "token": token}),
                       '{"in": "."}', '{"made": "tags/b"}',
                       '{"publish": ["rss.xml", "tags/b/rss.')  # the kill came here
    said = fio.recover(root)
    assert said is not None and "undid" in said
    assert (root / "rss.xml").read_bytes() == b"old"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "rss.xml", "tags", "tags/a"]  # its temp files and the folder it made are gone
    assert not journal.exists()
    assert fio.recover(root) is None


def test_a_sealed_journal_is_rolled_forward_whatever_was_renamed_already(
    tmp_path: Path,
) -> None:
    root = tmp_path / "feeds"
    (root / "tags" / "a").mkdir(parents=True)
    token = "fw0123456789ab"
    (root / "rss.xml").write_bytes(b"new, renamed before the kill")
    (root / "tags" / "a" / "rss.xml").write_bytes(b"old a")
    (root / "tags" / "a" / f".rss.xml.{token}.tmp").write_bytes(b"new a")
    _journal(root, json.dumps({"feedwright": "publish", "token": token}), '{"in": "."}',
             '{"in": "tags/a"}', '{"publish": ["rss.xml", "tags/a/rss.xml"]}')
    said = fio.recover(root)
    assert said is not None and "finished" in said and "2 files" in said
    assert (root / "rss.xml").read_bytes() == b"new, renamed before the kill"
    assert (root / "tags" / "a" / "rss.xml").read_bytes() == b"new a"
    assert not list(root.rglob("*.tmp")) and not fio.journal_path(root).exists()


def test_a_journal_touches_nothing_outside_the_folder_or_not_its_own(tmp_path: Path) -> None:
    root = tmp_path / "feeds"
    root.mkdir()
    token = "fw0123456789ab"
    (tmp_path / f".x.{token}.tmp").write_bytes(b"outside")
    (root / ".x.fwffffffffffff.tmp").write_bytes(b"another token")
    (tmp_path / "empty").mkdir()
    _journal(root, json.dumps({"feedwright": "publish", "token": token}), '{"in": ".."}',
             '{"made": "../empty"}', '{"in": "/etc"}')
    fio.recover(root)
    assert (tmp_path / f".x.{token}.tmp").exists() and (tmp_path / "empty").is_dir()
    assert (root / ".x.fwffffffffffff.tmp").exists()
    # a journal whose first line was cut: nothing was staged yet
    _journal(root, '{"feedwright": "pub')
    assert fio.recover(root) is not None and not fio.journal_path(root).exists()

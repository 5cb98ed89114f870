"""Atomic outputs: the one place capexgraph writes a file or a folder a user will read.

Why one module: a reader (or a killed run) must never see half a file, a refused or failed
command must leave the user's files as they were, and a folder output must never delete files
capexgraph did not write. Those rules live here, in the lowest layer, so that ingest, graph and
viz all get them the same way.

- `atomic_file(target)`: yields a temporary path beside `target`; it is moved into place only if
  the block succeeds (a file the user named is simply replaced: that is what naming it means).
- `atomic_dir(target)`: yields an empty temporary folder beside `target`; on success it gets a
  manifest (`.capexgraph-output`) and replaces `target`. An existing `target` is replaced only if
  it is empty, holds exactly what an earlier run wrote (per its manifest), or the caller passes
  `force=True` (or runs inside `replace_anyway(target)`); otherwise `OutputError`.
- `all_or_nothing()`: inside it, every atomic_file/atomic_dir is staged and all of them move into
  place together at the end of the block, or none does (already moved ones are rolled back).
- Temporary names start with `.capexgraph-tmp-`; each write sweeps that folder of ours older than
  an hour (`STALE_AFTER`), left by killed runs, and never touches any other name.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

__all__ = ["MANIFEST", "STALE_AFTER", "TMP_PREFIX", "NotOurFolder", "OutputError", "after_commit",
           "all_or_nothing", "atomic_dir", "atomic_file", "check_dir_target", "replace_anyway", "sweep_stale",
           "write_bytes", "write_text"]

TMP_PREFIX = ".capexgraph-tmp-"
MANIFEST = ".capexgraph-output"
STALE_AFTER = 3600.0  # seconds: a temp of ours this old belongs to a run that died
_NAME_KEEP = 120      # characters of the target's name kept in a temp name (file names max 255)


class OutputError(Exception):
    """An output that was refused or could not be put in place: one line naming the path."""


class NotOurFolder(OutputError):
    """A folder output refused because the folder holds files capexgraph did not write
    (the one refusal that `force` lifts)."""


# --- housekeeping -----------------------------------------------------------------------------
def _parent(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def sweep_stale(folder: Path | str, max_age: float = STALE_AFTER) -> list[Path]:
    """Remove our temporaries (names starting with TMP_PREFIX) older than `max_age` seconds.

    Why: a killed run cannot clean up after itself; the next write into the same folder does.
    Only our prefix is ever touched, and a failure to remove one is not an error."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for e in entries:
        if not e.name.startswith(TMP_PREFIX):
            continue
        try:
            if now - e.stat(follow_symlinks=False).st_mtime < max_age:
                continue
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path)
            else:
                os.unlink(e.path)
            removed.append(Path(e.path))
        except OSError:
            continue
    return removed


def _prefix(tag: str = "") -> str:
    return f"{TMP_PREFIX}{tag}"  # mkstemp/mkdtemp add a random part; the suffix keeps the name


def _suffix(target: Path) -> str:
    return "-" + target.name[-_NAME_KEEP:]


def _default_mode(kind: int) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return kind & ~umask


def _remove(path: Path) -> None:
    """Best effort: a temporary that cannot be removed now is swept by a later run, and the
    error that led here must not be hidden by this one."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        pass


# --- folder manifests -------------------------------------------------------------------------
def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_manifest(folder: Path) -> None:
    files = {p.relative_to(folder).as_posix(): _digest(p)
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}
    text = json.dumps({"written_by": "capexgraph", "files": files}, indent=1)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _foreign(folder: Path) -> list[str]:
    """What in `folder` capexgraph did not write (or that changed since): relative names."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        ok = isinstance(data, dict) and data.get("written_by") == "capexgraph"
        listed = data.get("files") if ok else None
    except (OSError, ValueError):
        listed = None
    has_manifest = isinstance(listed, dict)
    listed = listed if isinstance(listed, dict) else {}
    ours_dirs = {Path(name).parent.as_posix() for name in listed}
    ours_dirs |= {p.as_posix() for name in listed for p in Path(name).parents}
    odd: list[str] = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if rel == MANIFEST and has_manifest:
            continue
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            odd.append(rel)
        elif p.is_dir():
            if rel not in ours_dirs:
                odd.append(rel)
        elif rel not in listed:
            odd.append(rel)
        else:
            try:
                if _digest(p) != listed[rel]:
                    odd.append(f"{rel} (changed since capexgraph wrote it)")
            except OSError:
                odd.append(rel)
    return odd


_FORCED: contextvars.ContextVar[frozenset[Path]] = contextvars.ContextVar("capexgraph_forced",
                                                                          default=frozenset())


@contextmanager
def replace_anyway(*targets: Path | str) -> Iterator[None]:
    """Within this block, atomic_dir may replace these folders even if they hold foreign files.

    Why: the CLI's --force reaches writers that do not take a `force` argument."""
    token = _FORCED.set(_FORCED.get() | {Path(t).resolve() for t in targets})
    try:
        yield
    finally:
        _FORCED.reset(token)


def check_dir_target(target: Path | str, force: bool = False) -> None:
    """Raise OutputError unless a folder output may be written at `target`.

    Allowed: a missing path, an empty folder, a folder holding only what capexgraph wrote there
    (checked against its manifest, file by file), or anything when forced. Refused: a file, or
    a folder with anything else in it."""
    target = Path(target)
    if not (target.exists() or target.is_symlink()):
        return
    if target.is_symlink():
        raise OutputError(f"{target}: is a symbolic link; refusing to replace it")
    if not target.is_dir():
        raise OutputError(f"{target}: is not a folder; refusing to replace it")
    if force or target.resolve() in _FORCED.get():
        where, cwd = target.resolve(), Path.cwd().resolve()
        if where == cwd or where in cwd.parents or where == Path.home().resolve():
            raise OutputError(f"{target}: holds the current or home folder; refusing to replace it "
                              f"even when forced")
        return
    odd = _foreign(target)
    if odd:
        more = f" and {len(odd) - 3} more" if len(odd) > 3 else ""
        raise NotOurFolder(f"{target}: the folder holds files capexgraph did not write "
                          f"({', '.join(odd[:3])}{more}); refusing to replace it")


# --- staging and commit -----------------------------------------------------------------------
@dataclass
class _Move:
    tmp: Path
    target: Path
    is_dir: bool
    force: bool = False


def _backup(target: Path, is_dir: bool) -> Path:
    """Keep what is at `target` under a temp name of ours, to roll back to (a folder is moved
    away, a file hard-linked or copied so that it stays in place until replaced)."""
    if is_dir:
        backup = Path(tempfile.mkdtemp(prefix=_prefix("old-"), suffix=_suffix(target), dir=_parent(target)))
        try:
            os.replace(target, backup)  # onto the empty temp folder
        except BaseException:
            _remove(backup)
            raise
        return backup
    fd, name = tempfile.mkstemp(prefix=_prefix("old-"), suffix=_suffix(target), dir=_parent(target))
    os.close(fd)
    backup = Path(name)
    try:
        os.unlink(backup)
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def _restore(m: _Move, backup: Path | None) -> None:
    """Undo one move: put the backup back, or remove what was not there before."""
    if backup is None:
        _remove(m.target)
    elif m.is_dir:
        trash = Path(tempfile.mkdtemp(prefix=_prefix("undo-"), suffix=_suffix(m.target), dir=_parent(m.target)))
        os.replace(m.target, trash)
        os.replace(backup, m.target)
        _remove(trash)
    else:
        os.replace(backup, m.target)


def _commit(moves: list[_Move]) -> None:
    """Move every staged temporary into place, or, if one fails, put every target back.

    A single file needs no backup (os.replace is atomic); a folder cannot be replaced in one
    step, so the old one is moved aside first and removed only once the new one is in place."""
    for m in moves:  # re-check folders: something may have appeared in them meanwhile
        if m.is_dir:
            check_dir_target(m.target, m.force)
    done: list[tuple[_Move, Path | None]] = []
    current: _Move | None = None
    backup: Path | None = None
    try:
        for current in moves:
            backup = None
            if current.target.exists() and (current.is_dir or len(moves) > 1):
                backup = _backup(current.target, current.is_dir)
            try:
                os.replace(current.tmp, current.target)
            except BaseException:
                if backup is not None:
                    if current.is_dir:
                        os.replace(backup, current.target)
                    else:
                        _remove(backup)
                raise
            done.append((current, backup))
    except BaseException as exc:
        for m, old in reversed(done):
            try:
                _restore(m, old)
            except OSError:
                pass
        if isinstance(exc, OSError) and current is not None:
            raise OutputError(f"cannot write {current.target}: {exc.strerror or exc}") from exc
        raise
    for _, old in done:
        if old is not None:
            _remove(old)


@dataclass
class _Batch:
    moves: list[_Move] = field(default_factory=list)
    callbacks: list[Callable[[], None]] = field(default_factory=list)


_BATCH: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("capexgraph_batch", default=None)


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """Stage every atomic output written inside the block; at its end move them all into place
    (and run `after_commit` callbacks), or, on any error, none of them.

    Why: a command with several outputs (page, chart, RDF) must not leave some written when a
    later one fails. Nested blocks join the outermost one."""
    if _BATCH.get() is not None:
        yield
        return
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield
    except BaseException:
        _BATCH.reset(token)
        for m in batch.moves:
            _remove(m.tmp)
        raise
    _BATCH.reset(token)
    try:
        _commit(batch.moves)
    finally:
        for m in batch.moves:
            if m.tmp.exists() or m.tmp.is_symlink():
                _remove(m.tmp)
    for fn in batch.callbacks:
        fn()


def after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` once the outputs are in place: now, or at the end of the current all_or_nothing.

    Why: "wrote FILE" must not be printed for a file a later failure keeps from being written."""
    batch = _BATCH.get()
    if batch is None:
        fn()
    else:
        batch.callbacks.append(fn)


def _finish(move: _Move) -> None:
    batch = _BATCH.get()
    if batch is not None:
        batch.moves.append(move)
        return
    try:
        _commit([move])
    finally:
        if move.tmp.exists() or move.tmp.is_symlink():
            _remove(move.tmp)


# --- the two context managers -----------------------------------------------------------------
@contextmanager
def atomic_file(target: Path | str, parents: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target` (same folder, same name ending); on success it
    replaces `target` (or is staged, inside all_or_nothing); on failure it is removed.

    The folder must exist (OutputError otherwise) unless `parents` asks to create it.
    The temporary exists (empty) when yielded; write to it by name."""
    target = Path(target)
    parent = _parent(target)
    if parents:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if not parent.is_dir():
        raise OutputError(f"cannot write {target}: folder {parent} does not exist")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: is a folder")
    sweep_stale(parent)
    try:
        fd, name = tempfile.mkstemp(prefix=_prefix(), suffix=_suffix(target), dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, _default_mode(0o666))
        fd = os.open(tmp, os.O_RDONLY)  # on disk before the rename: a crash leaves old or new
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _remove(tmp)
        raise
    _finish(_Move(tmp, target, is_dir=False))


@contextmanager
def atomic_dir(target: Path | str, force: bool = False) -> Iterator[Path]:
    """Yield an empty temporary folder beside `target`; on success write its manifest and swap it
    in for `target` (or stage it, inside all_or_nothing); on failure remove it.

    Refuses (OutputError, before any work) a `target` that check_dir_target refuses."""
    target = Path(target)
    parent = _parent(target)
    force = force or (target.exists() and target.resolve() in _FORCED.get())
    check_dir_target(target, force)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(parent)
        tmp = Path(tempfile.mkdtemp(prefix=_prefix(), suffix=_suffix(target), dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        yield tmp
        if not tmp.is_dir():
            raise OutputError(f"cannot write {target}: nothing was written")
        os.chmod(tmp, _default_mode(0o777))
        _write_manifest(tmp)
    except BaseException:
        _remove(tmp)
        raise
    _finish(_Move(tmp, target, is_dir=True, force=force))


def write_bytes(target: Path | str, data: bytes) -> Path:
    """Write `data` to `target` atomically; returns the target path."""
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `target` atomically; returns the target path."""
    return write_bytes(target, text.encode(encoding))

"""Saving to a path: temporary file beside the target, removed on any failure, stale ones from killed saves
cleaned; symlinks written through; modes from the umask; PyTorch's error for a missing directory."""

import os
import stat
import subprocess
import sys
import textwrap

import pytest
from ser_helpers import expected

import ember
import ember.safetensors as est
from ember import _serialization_pickle as P
from ember import serialization as S

SAVES = {"zip": ember.save, "pickle_free": S.save_pickle_free,
         "safetensors": lambda obj, path: est.save_file(obj, path)}
LOADS = {"zip": ember.load, "pickle_free": ember.load, "safetensors": est.load_file}


def temporaries(directory):
    return sorted(n for n in os.listdir(directory) if n.endswith(".ember-tmp"))


@pytest.mark.parametrize("fmt", sorted(SAVES))
def test_symlink_is_written_through(fmt, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    real = tmp_path / "b" / "real.pt"
    SAVES[fmt]({"v": ember.zeros(2)}, real)
    link = tmp_path / "a" / "link.pt"
    link.symlink_to(os.path.join("..", "b", "real.pt"))
    SAVES[fmt]({"v": ember.ones(3)}, link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "b", "real.pt")
    assert LOADS[fmt](real)["v"].tolist() == [1.0, 1.0, 1.0]
    dangling = tmp_path / "a" / "dangling.pt"
    dangling.symlink_to(tmp_path / "b" / "new.pt")
    SAVES[fmt]({"v": ember.ones(1)}, dangling)  # PyTorch creates the target too
    assert dangling.is_symlink() and LOADS[fmt](tmp_path / "b" / "new.pt")["v"].tolist() == [1.0]
    assert temporaries(tmp_path / "a") == temporaries(tmp_path / "b") == []


def test_symlink_like_torch(tmp_path):
    torch = pytest.importorskip("torch")
    for lib in (torch, ember):
        real, link = tmp_path / f"{lib.__name__}.pt", tmp_path / f"{lib.__name__}-link.pt"
        lib.save({"v": lib.zeros(1)}, real)
        link.symlink_to(real)
        lib.save({"v": lib.ones(1)}, link)
        assert link.is_symlink() and lib.load(real)["v"].tolist() == [1.0]


@pytest.mark.parametrize("fmt", sorted(SAVES))
def test_modes_follow_the_umask(fmt, tmp_path):
    old = os.umask(0o022)
    try:
        for umask, mode in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
            os.umask(umask)
            path = tmp_path / f"new-{umask:o}.pt"
            SAVES[fmt]({"v": ember.ones(1)}, path)
            assert stat.S_IMODE(os.stat(path).st_mode) == mode
        path = tmp_path / "existing.pt"
        SAVES[fmt]({"v": ember.ones(1)}, path)
        os.chmod(path, 0o640)
        SAVES[fmt]({"v": ember.ones(2)}, path)  # an existing file keeps its mode, as PyTorch's in-place write
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    finally:
        os.umask(old)


def test_modes_like_torch(tmp_path):
    torch = pytest.importorskip("torch")
    old = os.umask(0o027)
    try:
        torch.save({}, tmp_path / "t.pt")
        ember.save({}, tmp_path / "e.pt")
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "t.pt").st_mode == os.stat(tmp_path / "e.pt").st_mode


@pytest.mark.parametrize("fmt", sorted(SAVES))
def test_missing_directory_is_pytorchs_error(fmt, tmp_path):
    want = expected()["messages"]["missing_dir"]["message"]
    with pytest.raises(RuntimeError) as info:
        SAVES[fmt]({"v": ember.ones(1)}, "/nonexistent_ember_dir/x.pt")
    assert str(info.value) == want
    with pytest.raises(RuntimeError, match=r"^Parent directory .*missing/deeper does not exist\.$"):
        SAVES[fmt]({"v": ember.ones(1)}, tmp_path / "missing" / "deeper" / "x.pt")
    (tmp_path / "file").write_text("x")
    with pytest.raises(RuntimeError, match=r"^Parent directory .*file does not exist\.$"):
        SAVES[fmt]({"v": ember.ones(1)}, tmp_path / "file" / "x.pt")
    assert os.listdir(tmp_path) == ["file"]


def failing_writes(monkeypatch, fmt, seen, exc):
    """Make the next save of ``fmt`` die after its first chunk of tensor data, noting the directory then."""
    def die(directory):
        seen.append(temporaries(directory))
        raise exc
    if fmt == "zip":
        real = P.SavedStorage.chunks

        def chunks(self, size=1 << 24):
            yield next(real(self, size))
            die(seen[0])
        monkeypatch.setattr(P.SavedStorage, "chunks", chunks)
    elif fmt == "safetensors":
        real = est._chunks

        def chunks(arr, size=1 << 24):
            yield next(real(arr, size))
            die(seen[0])
        monkeypatch.setattr(est, "_chunks", chunks)
    else:
        real_write = S._Encoder.write

        def write(self, root, f):
            f.write(b"EMBERSV1")
            die(seen[0])
            real_write(self, root, f)
        monkeypatch.setattr(S._Encoder, "write", write)


@pytest.mark.parametrize("exc", [KeyboardInterrupt("^C"), OSError(28, "No space left on device")],
                         ids=["KeyboardInterrupt", "OSError"])
@pytest.mark.parametrize("fmt", sorted(SAVES))
def test_failure_mid_write_keeps_the_old_file_and_removes_the_temporary(fmt, exc, tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    SAVES[fmt]({"v": ember.tensor([1.0, 2.0])}, path)
    before = path.read_bytes()
    seen = [tmp_path]
    failing_writes(monkeypatch, fmt, seen, exc)
    with pytest.raises(type(exc)):
        SAVES[fmt]({"v": ember.zeros(1000)}, path)
    tmp = seen[1]
    assert len(tmp) == 1 and tmp[0].startswith(f".ckpt.pt.{os.getpid()}.")  # it lived beside the target
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["ckpt.pt"]
    monkeypatch.undo()
    assert LOADS[fmt](path)["v"].tolist() == [1.0, 2.0]


CHILD = textwrap.dedent("""
    import os, sys
    sys.path[:0] = [{src!r}]
    import numpy as np, ember
    from ember import _serialization_pickle as P
    real = P.SavedStorage.chunks
    def chunks(self, size=1 << 20):
        it = real(self, size)
        yield next(it)
        os.write(1, b"x")    # half the data is on disk: tell the parent, then wait to be killed
        sys.stdin.read()
        yield from it
    P.SavedStorage.chunks = chunks
    ember.save({{"v": ember.from_numpy(np.ones(1 << 20, dtype=np.float32))}}, {path!r})
""")


def test_killed_save_leaves_the_old_file_and_a_stale_temporary_the_next_save_removes(tmp_path):
    path = tmp_path / "ckpt.pt"
    ember.save({"v": ember.tensor([1.0, 2.0])}, path)
    before = path.read_bytes()
    src = os.path.dirname(os.path.dirname(ember.__file__))
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(src=src, path=str(path))], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
    try:
        assert child.stdout.read(1) == b"x"
    finally:
        child.kill()  # SIGKILL: no cleanup code runs in the child
        child.wait()
    assert child.returncode == -9
    stale = temporaries(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(f".ckpt.pt.{child.pid}.")
    assert os.path.getsize(tmp_path / stale[0]) >= 1 << 20  # the child had written a megabyte
    assert path.read_bytes() == before and ember.load(path)["v"].tolist() == [1.0, 2.0]  # harmless meanwhile
    alive = tmp_path / f".ckpt.pt.{os.getppid()}.00000000.ember-tmp"  # a save of a live process is not touched
    alive.write_bytes(b"")
    other = tmp_path / f".other.pt.{child.pid}.00000000.ember-tmp"  # nor one belonging to another file
    other.write_bytes(b"")
    ember.save({"v": ember.ones(3)}, path)
    assert temporaries(tmp_path) == sorted([alive.name, other.name])
    assert ember.load(path)["v"].tolist() == [1.0, 1.0, 1.0]

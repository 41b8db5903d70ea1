"""A hub in a folder: a network share, a synced folder or a USB stick. No server needed.

Publishing writes a temp file in ``.tmp/`` (fsynced), then hard-links it to its final name — a link
fails if the name exists, so publishing is atomic and never overwrites. Filesystems without hard
links (FAT/exFAT sticks, some SMB shares) fall back to "check, then rename": atomic for readers, and
the only race (two stations publishing the same name at once) cannot happen because a station only
publishes names under its own station id.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import mmap
import os
import stat
import sys
import threading
import uuid
from pathlib import Path

from store.sync.errors import HubError, HubUnreachable, os_error
from store.sync.hub import CHUNK, BlobTooLarge, ByteProgress, HashingWriter, Hub, MediaMismatch, media_name

TMP = ".tmp"
BIG = 1 << 20      # media at least this big are fsynced as they are written; smaller ones together


class FolderHub(Hub):
    def __init__(self, root: Path, fsync: bool = True):
        self.root = Path(root)
        self.location = str(self.root)
        self.fsync = fsync
        self._links = True
        self._swept = False
        self._dirty: list[tuple[Path, bool]] = []
        self._lock = threading.Lock()

    # -- helpers -----------------------------------------------------------------------------------
    def _path(self, name: str) -> Path:
        parts = name.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"bad hub name {name!r}")
        return self.root.joinpath(*parts)

    def _check_root(self) -> None:
        if not self.root.is_dir():
            raise HubUnreachable(f"The hub folder {self.root} is not there. Connect the drive or "
                                 "share, or choose another hub in Settings.")

    def _tmp(self) -> Path:
        tmp = self.root / TMP
        try:
            tmp.mkdir(exist_ok=True)
        except OSError as exc:
            raise os_error(exc, f"creating {tmp}") from exc
        if not self._swept:
            self._swept = True
            _sweep(tmp)
        return tmp / f"{uuid.uuid4().hex}.part"

    def _write_tmp(self, data: bytes) -> Path:
        tmp = self._tmp()
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                if self.fsync:
                    os.fsync(fh.fileno())
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise os_error(exc, f"writing to {self.root}") from exc
        return tmp

    def _publish(self, tmp: Path, final: Path) -> bool:
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            if self._links:
                try:
                    os.link(tmp, final)
                    return True
                except FileExistsError:
                    return False
                except OSError as exc:
                    if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                         errno.EMLINK, errno.ENOSYS):
                        raise
                    self._links = False
            if final.exists():
                return False
            os.rename(tmp, final)
            return True
        except OSError as exc:
            raise os_error(exc, f"publishing {final.name}") from exc
        finally:
            tmp.unlink(missing_ok=True)

    # -- blobs -------------------------------------------------------------------------------------
    def list(self, prefix: str) -> list[str]:
        self._check_root()
        base = self._path(prefix.rstrip("/"))
        out: list[str] = []
        try:
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = [d for d in dirnames if d != TMP]
                rel = Path(dirpath).relative_to(self.root).as_posix()
                # regular files only: a FIFO or device someone left there would block or never end
                out.extend(f"{rel}/{f}" for f in filenames if os.path.isfile(os.path.join(dirpath, f)))
        except OSError as exc:
            raise os_error(exc, f"listing {base}") from exc
        return sorted(out)

    def get(self, name: str, max_bytes: int | None = None) -> bytes:
        self._check_root()
        try:
            fd = os.open(self._path(name), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise HubError(f"{name} on the hub {self.root} is not a regular file; remove it.")
                if max_bytes is not None:
                    size = os.fstat(fh.fileno()).st_size
                    if size > max_bytes:
                        raise BlobTooLarge(name, size)
                    return fh.read(max_bytes + 1)
                return fh.read()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise os_error(exc, f"reading {name}") from exc

    def exists(self, name: str) -> bool:
        self._check_root()
        return self._path(name).exists()

    def put_if_absent(self, name: str, data: bytes) -> bool:
        self._check_root()
        final = self._path(name)
        if final.exists():
            return False
        return self._publish(self._write_tmp(data), final)

    # -- media -------------------------------------------------------------------------------------
    def media_size(self, sha256: str) -> int | None:
        self._check_root()
        try:
            return self._path(media_name(sha256)).stat().st_size
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise os_error(exc, "checking media") from exc

    def put_media(self, sha256: str, source: Path, size: int, progress: ByteProgress | None = None) -> None:
        """Hash the file (mapped, no copy into Python) and only if it is what the record says, copy
        it in the kernel from the same open file (copy_file_range/sendfile) to a temp file, check the
        size, and publish it. Big files are fsynced here, small ones together by :meth:`flush`;
        either way before any batch that refers to them is published."""
        self._check_root()
        final = self._path(media_name(sha256))
        tmp = self._tmp()
        try:
            try:
                src_file = open(source, "rb", buffering=0)
            except FileNotFoundError as exc:
                raise MediaMismatch(f"{source} is missing on this station") from exc
            with src_file as src:
                if os.fstat(src.fileno()).st_size != size or _sha256_fd(src.fileno(), size, progress) != sha256:
                    raise MediaMismatch(f"{source} does not match its recorded hash (damaged or changed "
                                        "since it was recorded)")
                with open(tmp, "wb", buffering=0) as dst:
                    _copy_fd(src.fileno(), dst.fileno(), size)
                    if self.fsync and size >= BIG:
                        os.fsync(dst.fileno())   # now: overlaps the other upload's hashing
            if tmp.stat().st_size != size:
                raise MediaMismatch(f"copying {source} to the hub came out short")
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists() and final.stat().st_size != size:
                os.replace(tmp, final)     # a damaged copy of the same content: repair it
            else:
                self._publish(tmp, final)
            with self._lock:
                self._dirty.append((final, size >= BIG))
        except OSError as exc:
            raise os_error(exc, f"copying media to {self.root}") from exc
        finally:
            tmp.unlink(missing_ok=True)

    def flush(self) -> None:
        """Make the media written so far durable before a batch refers to them: one ``syncfs`` of
        the hub's filesystem on Linux (one journal commit, however many files), else an fsync of
        each file and folder."""
        if not self.fsync:
            return
        with self._lock:
            dirty, self._dirty = self._dirty, []
        if not dirty:
            return
        small = [p for p, synced in dirty if not synced]
        try:
            if len(small) > 16 and _syncfs(self.root):
                return
            folders = list({p.parent for p, _ in dirty}) if os.name == "posix" else []
            for path in [*small, *folders]:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            raise os_error(exc, f"saving media on {self.root}") from exc

    def fetch_media(self, sha256: str, dest: Path, progress: ByteProgress | None = None) -> None:
        self._check_root()
        src_path = self._path(media_name(sha256))
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".sync-part")
        try:
            fd = os.open(src_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                os.close(fd)
                raise MediaMismatch(f"the hub's media {sha256[:12]}… is not a regular file")
            with open(fd, "rb") as src, open(tmp, "wb") as dst:
                writer = HashingWriter(dst, progress)
                while chunk := src.read(CHUNK * 4):
                    writer.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            if writer.hash.hexdigest() != sha256:
                raise MediaMismatch(f"the hub's copy of media {sha256[:12]}… is damaged or truncated")
            os.replace(tmp, dest)
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise os_error(exc, f"copying media from {self.root}") from exc
        finally:
            tmp.unlink(missing_ok=True)


def _syncfs(path: Path) -> bool:
    """syncfs(2) on the filesystem holding ``path``; False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
    finally:
        os.close(fd)
    return True


def _sha256_fd(fd: int, size: int, progress: ByteProgress | None) -> str:
    digest = hashlib.sha256()
    if size:
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as mm:
            view = memoryview(mm)
            try:
                for offset in range(0, size, CHUNK):
                    with view[offset:offset + CHUNK] as part:
                        digest.update(part)
                        n = len(part)
                    if progress:
                        progress(n)
            finally:
                view.release()
    return digest.hexdigest()


def _copy_fd(src: int, dst: int, size: int) -> None:
    """Copy ``size`` bytes from the start of ``src`` in the kernel where the platform can."""
    offset = 0
    for call in ("copy_file_range", "sendfile"):
        fn = getattr(os, call, None)
        if fn is None:
            continue
        try:
            while offset < size:
                if call == "copy_file_range":
                    n = fn(src, dst, size - offset, offset, offset)
                else:
                    n = fn(dst, src, offset, size - offset)
                if n == 0:
                    break
                offset += n
            return
        except OSError as exc:
            if offset or exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.ENOTSUP,
                                           errno.EOPNOTSUPP, errno.EBADF):
                raise
    os.lseek(src, 0, os.SEEK_SET)
    while chunk := os.read(src, CHUNK):
        os.write(dst, chunk)


def _sweep(tmp: Path, older_than_s: float = 24 * 3600) -> None:
    """Remove temp files a killed sync left behind (a day old: no live writer can still own them)."""
    import time  # noqa: PLC0415

    cutoff = time.time() - older_than_s
    try:
        for leftover in tmp.glob("*.part"):
            try:
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
            except OSError:
                pass
    except OSError:
        pass

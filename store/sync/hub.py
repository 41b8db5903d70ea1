"""The hub interface: where stations leave batches and media for each other.

A hub is a flat namespace of named blobs ("batches/<station>/<seq>.json.gz", "media/ab/<sha256>"):
list, get, put-if-absent (publishing never overwrites) and media by content hash. A new kind of hub
(WebDAV, SFTP ...) is one new subclass; nothing else changes.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

ByteProgress = Callable[[int], None]   # called with the number of bytes just moved
CHUNK = 1 << 20
HUB_FILE = "rolecall-hub.json"


def media_name(sha256: str) -> str:
    return f"media/{sha256[:2]}/{sha256}"


class MediaMismatch(Exception):
    """The bytes moved do not hash to what the record says (truncated or damaged file)."""


class BlobTooLarge(Exception):
    """A blob bigger than the reader's limit (never read into memory)."""

    def __init__(self, name: str, size: int):
        super().__init__(f"{name} is {size} bytes")
        self.size = size


class Hub:
    """Base class of hubs. Names use '/' whatever the platform."""

    location: str = ""

    def describe(self) -> str:
        return self.location

    # -- blobs -----------------------------------------------------------------------------------
    def list(self, prefix: str) -> list[str]:
        raise NotImplementedError

    def get(self, name: str, max_bytes: int | None = None) -> bytes:
        """The blob's bytes; FileNotFoundError when it is not there; BlobTooLarge (nothing read) when
        it is bigger than ``max_bytes``."""
        raise NotImplementedError

    def put_if_absent(self, name: str, data: bytes) -> bool:
        """Publish atomically; True if created, False if something was already there (never
        overwritten)."""
        raise NotImplementedError

    def exists(self, name: str) -> bool:
        raise NotImplementedError

    # -- media by content hash -------------------------------------------------------------------
    def media_size(self, sha256: str) -> int | None:
        """Size of the stored media, or None when the hub does not have it."""
        raise NotImplementedError

    def put_media(self, sha256: str, source: Path, size: int, progress: ByteProgress | None = None) -> None:
        """Upload ``source`` as media ``sha256``, verified: raises MediaMismatch (nothing left on the
        hub) when the file does not hash to ``sha256``. Replaces a damaged copy of the same hash."""
        raise NotImplementedError

    def fetch_media(self, sha256: str, dest: Path, progress: ByteProgress | None = None) -> None:
        """Download media to ``dest`` (via a temp file beside it), verified: raises MediaMismatch
        and leaves ``dest`` untouched when the hub's copy is damaged."""
        raise NotImplementedError

    def flush(self) -> None:
        """Make every media file put so far durable; called before a batch is published."""

    def close(self) -> None:
        pass


class HashingWriter:
    """Hashes bytes on their way to a file, so a copy is verified without reading it twice."""

    def __init__(self, fh, progress: ByteProgress | None):
        self.fh, self.progress = fh, progress
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.hash.update(chunk)
        self.fh.write(chunk)
        self.size += len(chunk)
        if self.progress:
            self.progress(len(chunk))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()

"""Which hub a location names: a folder, or an S3 bucket (s3://bucket/prefix). The factory sits above
the hub interface (hub.py) and both hubs (folder_hub.py, s3_hub.py), which import only the interface."""
from __future__ import annotations

from pathlib import Path

from store.sync.errors import SyncError
from store.sync.folder_hub import FolderHub
from store.sync.hub import Hub


def open_hub(location: str, endpoint_url: str | None = None) -> Hub:
    """A hub from what the person typed: a folder path, or s3://bucket/prefix."""
    location = (location or "").strip()
    if not location:
        raise SyncError("No hub is set. Choose a hub folder or s3://bucket/prefix in Settings, "
                        "or pass --hub.")
    if location.startswith("s3://"):
        from store.sync.s3_hub import S3Hub  # noqa: PLC0415 - boto3 only when used
        return S3Hub.from_url(location, endpoint_url=endpoint_url)
    return FolderHub(Path(location).expanduser())

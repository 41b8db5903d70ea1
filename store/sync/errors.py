"""What can go wrong in a sync, phrased for the person at the station."""
from __future__ import annotations

import errno


class SyncError(Exception):
    """A sync that could not be done; the message says why and what to do."""


class HubUnreachable(SyncError):
    pass


class HubError(SyncError):
    pass


class KeyMismatch(SyncError):
    pass


class NoKey(SyncError):
    pass


class DiskFull(SyncError):
    pass


class SyncCancelled(SyncError):
    def __init__(self, message: str = "Sync cancelled; what was already sent or received is kept."):
        super().__init__(message)


def os_error(exc: OSError, where: str) -> SyncError:
    """Turn an OSError into the plain error a person can act on."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"The disk is full ({where}). Free some space and sync again.")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EHOSTDOWN, errno.ENETUNREACH,
                     errno.EHOSTUNREACH, errno.ESTALE, errno.ENODEV, errno.EIO):
        return HubUnreachable(f"The hub is not reachable ({where}: {exc.strerror or exc}). "
                              "Check that the drive or share is connected.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return HubError(f"No permission to write to the hub ({where}: {exc.strerror or exc}).")
    return HubError(f"The hub failed ({where}: {exc.strerror or exc}).")

"""Run Ralph's LRS API (uvicorn) on an inherited listening socket: `python ralph_server.py FD`.

One fix to Ralph 5.1.0 for the file-system backend: its LRS backend inherits the data backend's
default write mode, CREATE, so the first POST creates the statements file and every later POST fails
with HTTP 500 ("already exists"). An LRS appends; so does this launcher (APPEND). Nothing else of
Ralph is changed."""
from __future__ import annotations

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", fd=int(sys.argv[1]), log_level="warning", access_log=False)

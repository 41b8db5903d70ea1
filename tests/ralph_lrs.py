"""A real learning record store for the tests and the benchmark: Ralph (ralph-malph[lrs], the test
extras) serving its xAPI API from a child process on 127.0.0.1, file-system backend, in a temp folder.

    lrs = RalphLrs(tmp_path).start()     # users "rolecall-1" … "rolecall-N", each with its own store
    lrs.endpoint                          # http://127.0.0.1:PORT/xAPI/
    lrs.kill()                            # SIGKILL, as a crash would; start() again on the same port
    lrs.stop()

Each user writes to its own target folder, so tests sharing one server never see each other's
statements. The credentials file is read once at start (Ralph caches it), hence the fixed user list.
"""
from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

SECRET = "s3cret-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RalphLrs:
    def __init__(self, folder: Path, users: int = 40, port: int | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.users = [f"rolecall-{i}" for i in range(1, users + 1)]
        self.process: subprocess.Popen | None = None
        self.log = self.folder / "ralph.log"
        self._next_user = 0
        self._write_auth()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def _write_auth(self) -> None:
        import bcrypt

        hashed = bcrypt.hashpw(SECRET.encode(), bcrypt.gensalt(4)).decode()
        entries = []
        for user in self.users:
            (self.folder / "lrs" / user).mkdir(parents=True, exist_ok=True)
            entries.append({"username": user, "hash": hashed, "scopes": ["all"],
                            "agent": {"mbox": f"mailto:{user}@lrs.example.com"}, "target": user})
        (self.folder / "auth.json").write_text(json.dumps(entries))

    def take_user(self) -> str:
        """A user no test has used yet (its statements are its own)."""
        user = self.users[self._next_user]
        self._next_user += 1
        return user

    def start(self, timeout: float = 60.0) -> "RalphLrs":
        """Start Ralph on a socket bound here first, so a request made at once waits in the listen
        queue until Ralph is ready (no polling); the parent closes its copy, so once Ralph dies the
        port refuses connections, as a crashed LRS does."""
        env = {**os.environ, "RALPH_AUTH_FILE": str(self.folder / "auth.json"), "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "lrs"),
               "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "100000", "RALPH_LRS_PARTIAL_SUCCESS_DEFAULT": "false"}
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("ralph_server.py")), str(listener.fileno())],
                cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                pass_fds=[listener.fileno()])
        listener.close()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=timeout):
                pass
        except (urllib.error.URLError, OSError) as exc:
            self.kill()
            raise RuntimeError(f"Ralph did not start ({exc}): {self.log.read_text()[-2000:]}") from exc
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    # -- reading back through the xAPI ------------------------------------------------------------
    def statements(self, user: str) -> list[dict]:
        """Every statement the LRS holds for ``user``, through GET /xAPI/statements (following 'more')."""
        token = base64.b64encode(f"{user}:{SECRET}".encode()).decode()
        url = f"{self.endpoint}statements?limit=100000"
        found: list[dict] = []
        while url:
            request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}",
                                                           "X-Experience-API-Version": "1.0.3"})
            with urllib.request.urlopen(request, timeout=120) as response:
                page = json.load(response)
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found

    def stored_lines(self, user: str) -> int:
        """Statements in the backend's file (what a push wrote, even if its answer was lost)."""
        path = self.folder / "lrs" / user / "fs_lrs.jsonl"
        return sum(1 for _ in open(path, "rb")) if path.exists() else 0



def ralph_fixture(tmp_path_factory):
    """One Ralph for a test module (each test takes its own user); stopped at the end."""
    lrs = RalphLrs(tmp_path_factory.mktemp("ralph")).start()
    try:
        yield lrs
    finally:
        lrs.stop()

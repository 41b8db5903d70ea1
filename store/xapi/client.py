"""HTTP to a learning record store: POST and GET on ``{endpoint}statements`` with basic auth and
``X-Experience-API-Version: 1.0.3``, over one kept-alive connection (http.client; TLS checked against
the system's certificates, or SSL_CERT_FILE). No proxy support yet."""
from __future__ import annotations

import base64
import http.client
import json
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from store.xapi.profile import VERSION_HEADER


class LrsUnreachable(ConnectionError):
    """No answer: the network, DNS, TLS, a refused connection or a time-out."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def message(self, limit: int = 300) -> str:
        """What the LRS said, in one line: its JSON 'detail'/'message'/'error' or its text."""
        data = self.json()
        if isinstance(data, dict):
            for key in ("message", "detail", "error", "errors"):
                if data.get(key):
                    text = data[key] if isinstance(data[key], str) else json.dumps(data[key], ensure_ascii=False)
                    return " ".join(text.split())[:limit]
        text = self.body.decode("utf-8", "replace")
        return " ".join(text.split())[:limit] or http.client.responses.get(self.status, "")


class LrsClient:
    def __init__(self, endpoint: str, key: str, secret: str, timeout: float = 30.0):
        self.endpoint = endpoint
        parts = urlsplit(endpoint)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._path = parts.path if parts.path.endswith("/") else parts.path + "/"
        token = base64.b64encode(f"{key}:{secret}".encode("utf-8")).decode("ascii")
        self._headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": VERSION_HEADER,
                         "Accept": "application/json", "User-Agent": "Rolecall xAPI"}
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self._https:
                self._conn = http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout,
                                                         context=ssl.create_default_context())
            else:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, resource: str, body: bytes | None = None, query: dict | None = None) -> Reply:
        path = self._path + resource + (f"?{urlencode(query)}" if query else "")
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):          # a kept-alive connection the server closed: reconnect once
            try:
                conn = self._connection()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return Reply(response.status, data)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self.close()
                if attempt == 2:
                    raise LrsUnreachable(f"the connection was closed ({exc.__class__.__name__})") from exc
            except (socket.timeout, TimeoutError) as exc:
                self.close()
                raise LrsUnreachable(f"no answer within {self.timeout:g} s") from exc
            except ssl.SSLError as exc:
                self.close()
                raise LrsUnreachable(f"TLS failed ({exc.reason or exc})") from exc
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                raise LrsUnreachable(str(getattr(exc, "strerror", None) or exc)) from exc
        raise AssertionError("unreachable")

    def post_statements(self, statements: list[dict]) -> Reply:
        body = json.dumps(statements, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.request("POST", "statements", body)

    def get_statements(self, **query) -> Reply:
        return self.request("GET", "statements", query={k: v for k, v in query.items() if v is not None})

    def get_more(self, more: str) -> Reply:
        """Follow a StatementResult's ``more`` (a path on the same host)."""
        parts = urlsplit(more)
        conn_path = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            try:
                conn = self._connection()
                conn.request("GET", conn_path, headers=self._headers)
                response = conn.getresponse()
                return Reply(response.status, response.read())
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self.close()
                if attempt == 2:
                    raise LrsUnreachable(str(exc)) from exc
            except OSError as exc:
                self.close()
                raise LrsUnreachable(str(exc)) from exc
        raise AssertionError("unreachable")

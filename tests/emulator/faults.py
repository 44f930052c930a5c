"""Lost responses, on request: a WSGI layer in front of the emulator.

A network can lose the answer to a request that AWS carried out; the AWS SDK
then sends it again, and a create meets its own resource ("already exists"),
or, for a call whose names are not unique (CreateRestApi), makes a second
one. Tests ask for that here:

    POST /_photosky/drop?action=CreateRole[&count=N]

makes the next N calls of that operation (as latency.py names operations:
the JSON target, the query `Action`, or the REST method and path) be
carried out and then answered with nothing: the connection is closed. `GET
/_photosky/drop` says what is still armed and what was dropped.

It also counts what it is asked, so a test can see work done twice:
`GET /_photosky/requests` answers {"PUT /bucket/key": n, ...} (method and
path as sent, path-style S3 included) for every request since the start.
"""

import io
import json
import socket
import threading
from urllib.parse import parse_qs

from latency import _action, _service


class Middleware:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.armed: dict[str, int] = {}
        self.dropped: dict[str, int] = {}
        self.requests: dict[str, int] = {}

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/_photosky/drop":
            return self.control(environ, start_response)
        if environ.get("PATH_INFO") == "/_photosky/requests":
            with self.lock:
                body = json.dumps(self.requests).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        seen = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}"
        with self.lock:
            self.requests[seen] = self.requests.get(seen, 0) + 1
        with self.lock:
            armed = bool(self.armed)
        if not armed:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        action = _action(_service(environ), environ, body)
        with self.lock:
            drop = self.armed.get(action, 0) > 0
            if drop:
                self.armed[action] -= 1
                if not self.armed[action]:
                    del self.armed[action]
                self.dropped[action] = self.dropped.get(action, 0) + 1
        if not drop:
            return self.app(environ, start_response)
        # Carried out in full, then the answer is lost.
        result = self.app(environ, lambda status, headers, exc_info=None: (lambda data: None))
        b"".join(result)
        if hasattr(result, "close"):
            result.close()
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # werkzeug takes this as the client having gone: it sends nothing.
        raise ConnectionResetError(f"dropped the response to {action}")

    def control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            q = parse_qs(environ.get("QUERY_STRING", ""))
            action = (q.get("action") or [""])[0]
            count = int((q.get("count") or ["1"])[0])
            with self.lock:
                if action:
                    self.armed[action] = self.armed.get(action, 0) + count
                else:
                    self.armed.clear()
        with self.lock:
            body = json.dumps({"armed": self.armed, "dropped": self.dropped}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

"""A loopback HTTP proxy in front of the relay that can lose answers: the request reaches
the relay, the relay acts, and the agent's connection is closed before the answer arrives."""

from __future__ import annotations

import re
import socket
import threading
from typing import List
from urllib.parse import urlparse


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    # One request per upstream connection, so the relay closes it after answering.
    head = re.sub(rb"(?im)^connection:[^\r\n]*\r\n", b"", head + b"\r\n") + b"Connection: close"
    return head + b"\r\n\r\n" + body


class LossyProxy:
    """``drop`` answers are lost (the first ones); every request line is kept in ``seen``."""

    def __init__(self, upstream: str, drop: int) -> None:
        target = urlparse(upstream)
        self.upstream = (target.hostname or "127.0.0.1", target.port or 80)
        self.drop = drop
        self.seen: List[str] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                request = _read_request(connection)
                if not request:
                    continue
                self.seen.append(request.split(b"\r\n", 1)[0].decode())
                with socket.create_connection(self.upstream, timeout=30) as upstream:
                    upstream.sendall(request)
                    response = b""
                    while chunk := upstream.recv(65536):
                        response += chunk
                if self.drop > 0:
                    self.drop -= 1
                    connection.shutdown(socket.SHUT_RDWR)
                    continue
                connection.sendall(response)

    def close(self) -> None:
        self.server.close()

"""A TCP proxy that can stop forwarding without closing anything: a frozen server, as the
network sees it.

A stopped database process (SIGSTOP), a hung machine or disk: the connection stays open,
the kernel accepts new connections and acknowledges every byte sent, and no answer ever
comes. Frozen, this proxy reads nothing and forwards nothing, in either direction, and
still accepts connections; thawed, it forwards what waited, in order.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class FreezableProxy:
    """Forward 127.0.0.1:<port> to a target address; freeze() and thaw() the flow."""

    def __init__(self, target: tuple[str, int], max_freeze_seconds: float = 90.0) -> None:
        self.target = target
        # A test that waited for the thaw would otherwise hang: it fails on its time bounds.
        self.max_freeze_seconds = max_freeze_seconds
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port: int = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._closed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._auto_thaw: threading.Timer | None = None
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def freeze(self) -> None:
        """Stop forwarding: what is sent stays unread, nothing is answered, nothing closes."""
        self._flowing.clear()
        self._auto_thaw = threading.Timer(self.max_freeze_seconds, self.thaw)
        self._auto_thaw.daemon = True
        self._auto_thaw.start()

    def thaw(self) -> None:
        """Forward again, starting with whatever waited."""
        if self._auto_thaw is not None:
            self._auto_thaw.cancel()
        self._flowing.set()

    def close(self) -> None:
        self._closed = True
        self.thaw()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            # The server's own kernel would take the connection while frozen as well; only
            # the startup exchange then waits, like everything else.
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), name="proxy-pump", daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            self._flowing.wait()  # frozen: bytes stay in the kernel's buffers, unread
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            self._flowing.wait()  # frozen since: hold them
            if not data:
                break
            try:
                sink.sendall(data)
            except OSError:
                break
        # One side closed: pass it on, as the kernel would.
        for sock in (sink, source):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

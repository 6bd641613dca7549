"""The base of every loopback fake server: threaded, and with Nagle off on accepted sockets.

A handler that writes headers and body in two sends otherwise waits ~40 ms a call (Nagle plus delayed
ACK), and latency figures would measure the fake instead of the code under test.
"""
from __future__ import annotations

import socket
from http.server import ThreadingHTTPServer
from typing import Any


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address

"""The server's listening socket hands asyncio connections it will send on without Nagle's delay."""

from __future__ import annotations

import socket

from bookdesk.serve.server import listening_socket


def test_connections_accepted_are_tcp_so_asyncio_turns_nagle_off():
    # asyncio sets TCP_NODELAY only on a socket whose proto is IPPROTO_TCP (base_events._set_nodelay);
    # with proto 0 every second answer on a kept-alive connection waited for a delayed ACK.
    server = listening_socket("127.0.0.1", 0)
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    try:
        assert accepted.proto == socket.IPPROTO_TCP
    finally:
        for sock in (accepted, client, server):
            sock.close()

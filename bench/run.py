"""`make bench`: the app under gunicorn on PostgreSQL, loaded by wrk, against a bare Flask.

For each data set (the generated large one, then the demo) the run creates a
fresh database, migrates it as the owner, grants the non-owning app role (as
tests/conftest.py does), loads the data, counts the SQL queries of each page
in a test-client request, serves the app with gunicorn as the app role and
loads each page with wrk. A bare Flask "hello" under the same gunicorn
settings is measured at the start and at the end: the ceiling. The table goes
to stdout and to bench/RESULTS.md; every database it made is dropped.

Environment: BENCH_DATABASE_URL (a superuser on the server, default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres), BENCH_DURATION
(seconds per page, 10), BENCH_CONNECTIONS (16), BENCH_SCALE (1; smaller for a
quick try of the harness itself).

A later issue adds a page with one `Page(...)` line below, and its table with
one function in bench/generate.py (plus a demo target in `demo_targets`).
"""
from __future__ import annotations

import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

from bench import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "RESULTS.md"

SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
APP_ROLE = "samklima_app_bench"
SECRET_KEY = "samklima-bench-fixed-secret-key-not-for-production"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = 2
WARMUP_SECONDS = 2
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
GUNICORN_ARGS = ["-w", "2", "-k", "gthread", "--threads", "8"]
SLOW_SHARE = 0.25  # a page under this share of the hello ceiling gets a note


@dataclass
class Page:
    name: str
    path: str                 # format string over the data set's targets
    persona: str | None       # None: anonymous


PAGES = [
    Page("login (anonymous)", "/login", None),
    Page("dashboard", "/{slug}/", "admin"),
    Page("members", "/{slug}/members", "admin"),
    Page("invitations", "/{slug}/invitations", "admin"),
    Page("audit log", "/{slug}/audit", "admin"),
    Page(f"dashboard, user in {generate.MULTI_WORKSPACE_USERS[0]} workspaces", "/{slug}/", "multi"),
    Page("groups (list + matrix)", "/{slug}/bodies", "admin"),
    Page("group page (largest group)", "/{slug}/bodies/{body_id}", "admin"),
    Page("organisations", "/{slug}/organisations", "admin"),
    Page("meeting page (agenda of the largest meeting)", "/{slug}/meetings/{meeting_id}", "admin"),
    Page("coming meetings", "/{slug}/meetings", "admin"),
    # Later: the personal calendar feed (issue 16), Page("measures", ...)
]


@dataclass
class Result:
    dataset: str
    page: str
    path: str = ""
    rps: float | None = None
    p50: float | None = None      # milliseconds
    p99: float | None = None
    requests: int = 0
    bad_responses: int = 0
    socket_errors: int = 0
    queries: int | None = None
    server_ms: float | None = None  # one request in the test client, no concurrent load
    body_bytes: int | None = None
    table_rows: int | None = None  # <tr> in the HTML: how much the page lists
    rss_mib: list = field(default_factory=list)
    problem: str = ""


def log(message: str = "") -> None:
    print(message, flush=True)


# --- databases -------------------------------------------------------------

def server_url() -> sa.engine.URL:
    url = sa.engine.make_url(SERVER_URL)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.set(database=url.database or "postgres")


def libpq(url: str) -> str:
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(admin: sa.Engine, label: str) -> tuple[str, str, str]:
    name = f"samklima_bench_{label}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        if not connection.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}):
            connection.execute(
                sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
            )
    owner = server_url().set(database=name)
    app_role = owner.set(username=APP_ROLE, password=None)
    return name, owner.render_as_string(hide_password=False), app_role.render_as_string(hide_password=False)


def drop_database(admin: sa.Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def migrate_and_grant(owner_url: str) -> str:
    """Migrate as the owner, grant the app role; returns a password hash made by the app."""
    from flask_migrate import upgrade

    from samklima import create_app
    from samklima.extensions import db
    from samklima.platform.accounts.passwords import hash_password

    app = create_app({"SQLALCHEMY_DATABASE_URI": owner_url, "APP_DATABASE_URL": None, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["roles", "grant", APP_ROLE])
        if result.exit_code != 0:
            raise RuntimeError(f"flask roles grant failed: {result.output}")
        password_hash = hash_password(generate.PASSWORD)  # production argon2 parameters
        db.engine.dispose()
    return password_hash


def row_counts(owner_url: str) -> dict[str, int]:
    from samklima.extensions import db

    engine = sa.create_engine(owner_url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.scalar(sa.text(f"SELECT count(*) FROM {table.name}"))
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


# --- data sets ---------------------------------------------------------------

def load_large(owner_url: str, password_hash: str) -> dict:
    log(f"Generating the large data set (COPY, scale {SCALE:g}):")
    plan = generate.generate(libpq(owner_url), password_hash, scale=SCALE, log=log)
    return plan.targets


def load_demo(owner_url: str, password_hash: str) -> dict:
    from samklima.platform import demo

    env = {**os.environ, "DATABASE_URL": owner_url, "SECRET_KEY": SECRET_KEY, "SAMKLIMA_ENV": "development"}
    env.pop("APP_DATABASE_URL", None)
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "demo", "load"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask demo load failed:\n{done.stdout}\n{done.stderr}")
    engine = sa.create_engine(owner_url)
    with engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))
        targets = demo_targets(demo)
        # The demo workspace's group with the most memberships (ids come from the sequences).
        targets["body_id"] = connection.scalar(sa.text(
            "SELECT b.id FROM bodies b JOIN tenants t ON t.id = b.tenant_id "
            "LEFT JOIN body_memberships m ON m.tenant_id = b.tenant_id AND m.body_id = b.id "
            "WHERE t.slug = :slug GROUP BY b.id ORDER BY count(m.id) DESC, b.id LIMIT 1"
        ), {"slug": targets["slug"]})
        # Its meeting with the longest agenda.
        targets["meeting_id"] = connection.scalar(sa.text(
            "SELECT m.id FROM meetings m JOIN tenants t ON t.id = m.tenant_id "
            "LEFT JOIN agenda_items a ON a.tenant_id = m.tenant_id AND a.meeting_id = m.id "
            "WHERE t.slug = :slug GROUP BY m.id ORDER BY count(a.id) DESC, m.id LIMIT 1"
        ), {"slug": targets["slug"]})
    engine.dispose()
    return targets


def demo_targets(demo) -> dict:
    # Trollhättan: its admin is one of the printed demo logins.
    return {
        "slug": "trollhattan-hallbarhet",
        "personas": {"admin": ("strateg@trollhattan.example", demo.DEMO_PASSWORD)},
    }


DATASETS = [("large", load_large), ("demo", load_demo)]


# --- SQL queries per page (test client, same database, app role) -------------

def _form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def count_queries(owner_url: str, app_url: str, targets: dict, pages: list[Page]) -> tuple[dict, dict]:
    """Per page: queries (the second request), median time of three more, status, size; sign-in POST queries."""
    from samklima import create_app
    from samklima.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": owner_url, "APP_DATABASE_URL": app_url, "SECRET_KEY": SECRET_KEY})
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
    clients, sign_in = {}, {}

    def request(client, method, path, **kwargs):
        # An app context per request, as tests/conftest.py's Browser does (g must not leak).
        with app.app_context():
            return client.open(path, method=method, **kwargs)

    def client_for(persona):
        if persona in clients:
            return clients[persona]
        client = app.test_client()
        if persona is not None:
            email, password = targets["personas"][persona]
            token = _form_token(request(client, "GET", "/login").get_data(as_text=True))
            statements.clear()
            response = request(client, "POST", "/login",
                               data={"email": email, "password": password, "csrf_token": token})
            sign_in[persona] = len(statements)
            if response.status_code != 302:
                raise RuntimeError(f"test-client sign-in as {email} failed ({response.status_code})")
        clients[persona] = client
        return client

    counts = {}
    try:
        for page in pages:
            path = page.path.format(**targets)
            client = app.test_client() if page.persona is None else client_for(page.persona)
            for _ in range(2):
                statements.clear()
                response = request(client, "GET", path)
            queries, times = len(statements), []
            for _ in range(3):
                started = time.perf_counter()
                request(client, "GET", path)
                times.append((time.perf_counter() - started) * 1000)
            counts[page.name] = (queries, statistics.median(times), response.status_code, len(response.get_data()))
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return counts, sign_in


# --- gunicorn ------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port, method, path, cookie=None, body=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        body = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _session_cookie(headers, current):
    for value in headers.get_all("Set-Cookie") or []:
        match = re.match(r"(session=[^;]*)", value)
        if match:
            current = match.group(1)
    return current


class Gunicorn:
    def __init__(self, app_spec: str, env: dict, workdir: Path):
        self.port = free_port()
        self.log_path = workdir / f"gunicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), *GUNICORN_ARGS, "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "5",
             "--error-logfile", str(self.log_path), app_spec],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {app_spec} exited:\n{self.log_tail()}")
            try:
                fetch(self.port, "GET", "/login" if app_spec == "wsgi:app" else "/", timeout=5)
                if len(self.workers()) >= 2:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn {app_spec} did not answer within 60 s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-20:])
        except OSError:
            return ""

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_rss_mib(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def sign_in_over_http(port: int, email: str, password: str, landing: str) -> str:
    """A session cookie for wrk: GET /login, POST it, then one GET so the cookie holds the CSRF token."""
    status, headers, body = fetch(port, "GET", "/login")
    cookie = _session_cookie(headers, None)
    token = _form_token(body.decode())
    status, headers, _ = fetch(port, "POST", "/login", cookie,
                               {"email": email, "password": password, "csrf_token": token})
    if status != 302:
        raise RuntimeError(f"sign-in as {email} answered {status}, not 302")
    cookie = _session_cookie(headers, cookie)
    status, headers, _ = fetch(port, "GET", landing, cookie)
    return _session_cookie(headers, cookie)


# --- load ------------------------------------------------------------------------

def ensure_wrk() -> str | None:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk is missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, timeout=300)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], capture_output=True, timeout=300)
            subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, timeout=300)
    return shutil.which("wrk")


def _milliseconds(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk: str, url: str, cookie: str | None, duration: int, connections: int) -> dict:
    command = [wrk, f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=duration + 30).stdout
    found = {}
    for percentile in ("50", "99"):
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        found[f"p{percentile}"] = _milliseconds(*match.groups()) if match else None
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        **found,
        "rps": float(rps.group(1)) if rps else None,
        "requests": int(requests.group(1)) if requests else 0,
        "bad_responses": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
    }


def run_python_client(url: str, cookie: str | None, duration: int, connections: int) -> dict:
    """The fallback when wrk cannot be had: threads with keep-alive connections, bounded in time."""
    host_port = url.split("/")[2]
    host, port = host_port.split(":")
    path = "/" + url.split("/", 3)[3]
    headers = {"Cookie": cookie} if cookie else {}
    deadline = time.monotonic() + duration
    latencies, failures, lock = [], [0], threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                bad += response.status >= 400
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=5)
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 30)
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]) if latencies else (lambda q: None)
    return {"rps": len(latencies) / elapsed, "p50": pick(0.50), "p99": pick(0.99), "requests": len(latencies),
            "bad_responses": failures[0], "socket_errors": 0}


class Load:
    def __init__(self):
        self.wrk = ensure_wrk()
        self.tool = (f"wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}s --latency" if self.wrk else
                     f"a bounded Python client ({CONNECTIONS} threads, keep-alive, {DURATION} s): "
                     "wrk was not available")

    def __call__(self, url: str, cookie: str | None, duration: int = DURATION, connections: int = CONNECTIONS):
        if self.wrk:
            return run_wrk(self.wrk, url, cookie, duration, connections)
        return run_python_client(url, cookie, duration, connections)


def measure(load: Load, server: Gunicorn, result: Result, cookie: str | None) -> Result:
    url = f"http://127.0.0.1:{server.port}{result.path}"
    status, _headers, body = fetch(server.port, "GET", result.path, cookie)
    if status != 200:
        result.problem = f"answered {status} before the load; not measured"
        return result
    load(url, cookie, duration=WARMUP_SECONDS, connections=min(4, CONNECTIONS))
    figures = load(url, cookie)
    for key, value in figures.items():
        setattr(result, key, value)
    result.rss_mib = server.worker_rss_mib()
    status, _headers, _body = fetch(server.port, "GET", result.path, cookie)
    if status != 200:
        result.problem = f"answered {status} after the load (the session ended?)"
    if result.body_bytes is None:
        result.body_bytes = len(body)
    result.table_rows = body.count(b"<tr")
    return result


# --- the run -------------------------------------------------------------------------

def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine(admin: sa.Engine) -> dict:
    cpu = "unknown"
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else platform.processor() or "unknown"
        memory = int(re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M).group(1))
        memory_text = f"{memory / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        memory_text = "unknown"
    with admin.connect() as connection:
        postgres = connection.scalar(sa.text("SHOW server_version"))
    try:
        import gunicorn
        gunicorn_version = gunicorn.__version__
    except ImportError:
        gunicorn_version = "?"
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory": memory_text,
        "cpu": cpu,
        "python": platform.python_version(),
        "postgres": postgres,
        "gunicorn": gunicorn_version,
        "kernel": platform.release(),
    }


def server_env(owner_url: str | None = None, app_url: str | None = None) -> dict:
    dropped = ("FLASK_", "DATABASE_URL", "APP_DATABASE_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.update({
        "SECRET_KEY": SECRET_KEY,
        "SAMKLIMA_ENV": "development",
        # Only sign-in, sign-up and password POSTs are limited (nothing the load sends);
        # memory:// keeps the counters in each worker, away from any shared store.
        "RATELIMIT_STORAGE_URI": "memory://",
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    })
    if owner_url:
        env["DATABASE_URL"] = owner_url
        env["APP_DATABASE_URL"] = app_url
    return env


def measure_hello(load: Load, workdir: Path, label: str) -> Result:
    server = Gunicorn("bench.hello:app", server_env(), workdir)
    try:
        result = measure(load, server, Result("bare Flask", f"hello ({label})", path="/"), None)
        result.queries = 0
        log(f"  hello ({label}): {result.rps:,.0f} req/s, p50 {result.p50:.2f} ms, p99 {result.p99:.2f} ms")
        return result
    finally:
        server.stop()


def bench_dataset(load, admin, workdir, label, loader, timings, info) -> list[Result]:
    name, owner_url, app_url = create_database(admin, label)
    log(f"\n== data set: {label} (database {name})")
    try:
        started = time.perf_counter()
        password_hash = migrate_and_grant(owner_url)
        timings[f"{label}: migrate and grant"] = time.perf_counter() - started
        started = time.perf_counter()
        targets = loader(owner_url, password_hash)
        timings[f"{label}: load data"] = time.perf_counter() - started
        log(f"  loaded in {timings[f'{label}: load data']:.1f} s")
        info[label] = {"rows": row_counts(owner_url), "targets": targets}
        pages = [p for p in PAGES if _page_fits(p, targets)]
        started = time.perf_counter()
        counts, sign_in = count_queries(owner_url, app_url, targets, pages)
        timings[f"{label}: count queries"] = time.perf_counter() - started
        info[label]["sign_in_queries"] = sign_in
        server = Gunicorn("wsgi:app", server_env(owner_url, app_url), workdir)
        try:
            info[label]["idle_rss"] = server.worker_rss_mib()
            cookies = {}
            for persona, (email, password) in targets["personas"].items():
                cookies[persona] = sign_in_over_http(server.port, email, password, f"/{targets['slug']}/")
            results = []
            started = time.perf_counter()
            for page in pages:
                result = Result(label, page.name, path=page.path.format(**targets))
                result.queries, result.server_ms, status, result.body_bytes = counts[page.name]
                if status != 200:
                    result.problem = f"test client got {status}"
                measure(load, server, result, cookies.get(page.persona))
                results.append(result)
                log(f"  {page.name:<36} " + (
                    f"{result.rps:8,.0f} req/s  p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms  "
                    f"{result.queries} queries" if result.rps else result.problem))
            timings[f"{label}: load pages"] = time.perf_counter() - started
            return results
        finally:
            server.stop()
    finally:
        drop_database(admin, name)
        log(f"  dropped {name}")


def _page_fits(page: Page, targets: dict) -> bool:
    if page.persona is not None and page.persona not in targets.get("personas", {}):
        return False
    try:
        page.path.format(**targets)
    except KeyError:
        return False
    return True


# --- the report ----------------------------------------------------------------------

def _ms(value):
    return "–" if value is None else (f"{value:.2f}" if value < 10 else f"{value:.1f}")


def _share(value: float) -> str:
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def table(results: list[Result], ceiling: dict) -> list[str]:
    lines = [
        "| data set | page | req/s | of hello | p50 ms | × hello | p99 ms | × hello | SQL queries "
        "| ms in-process | KB | RSS/worker MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        queries = "–" if r.queries is None else r.queries
        in_process = "–" if r.server_ms is None else _ms(r.server_ms)
        if r.rps is None:
            lines.append(f"| {r.dataset} | {r.page} | – | – | – | – | – | – | {queries} | {in_process} | – | – |")
            continue
        p50x = r.p50 / ceiling["p50"] if r.p50 and ceiling["p50"] else None
        p99x = r.p99 / ceiling["p99"] if r.p99 and ceiling["p99"] else None
        rss = " / ".join(f"{m:.0f}" for m in r.rss_mib) or "–"
        lines.append(
            f"| {r.dataset} | {r.page} | {r.rps:,.0f} | {_share(r.rps / ceiling['rps'])} | {_ms(r.p50)} | "
            f"{'–' if p50x is None else f'{p50x:.1f}'} | {_ms(r.p99)} | {'–' if p99x is None else f'{p99x:.1f}'} | "
            f"{queries} | {in_process} | {'–' if r.body_bytes is None else f'{r.body_bytes / 1024:.1f}'} | {rss} |"
        )
    return lines


def notes(results: list[Result], ceiling: dict) -> list[str]:
    lines = []
    for r in results:
        if r.dataset == "bare Flask":
            continue
        if r.problem:
            lines.append(f"- {r.dataset}, {r.page}: {r.problem}.")
        if r.bad_responses or r.socket_errors:
            lines.append(f"- {r.dataset}, {r.page}: {r.bad_responses} error responses, "
                         f"{r.socket_errors} socket errors during the load.")
        if r.rps is not None and r.rps < SLOW_SHARE * ceiling["rps"]:
            lines.append(
                f"- {r.dataset}, {r.page} (`{r.path}`): {_share(r.rps / ceiling['rps'])} of the ceiling, "
                f"under {SLOW_SHARE:.0%}: {r.queries} SQL queries, {_ms(r.server_ms)} ms in-process, "
                f"{r.table_rows:,} table rows, {(r.body_bytes or 0) / 1024:,.0f} KB."
            )
    by_page = {}
    for r in results:
        if r.queries is not None and r.dataset != "bare Flask":
            by_page.setdefault(r.page, {})[r.dataset] = r.queries
    for page, counts in by_page.items():
        if len(set(counts.values())) > 1:
            shown = ", ".join(f"{d} {n}" for d, n in counts.items())
            lines.append(f"- {page}: the query count differs between data sets ({shown}): look for an N+1.")
    return lines


def _busy(m) -> bool:
    try:
        return max(float(m["load_start"].split()[0]), float(m["load_end"].split()[0])) > m["nproc"]
    except (ValueError, IndexError):
        return False


def write_report(machine_info, load, results, hellos, ceiling, info, timings, total, started_at) -> str:
    m = machine_info
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m bench.run`) on {started_at:%Y-%m-%d %H:%M} UTC. "
        "Numbers from one run on one machine: compare ratios, not absolute figures.",
        "",
        "## Machine",
        "",
        f"- {m['nproc']} CPUs (nproc), {m['cpu']}",
        f"- memory {m['memory']}, Linux {m['kernel']}",
        f"- Python {m['python']}, PostgreSQL {m['postgres']}, gunicorn {m['gunicorn']}",
        f"- load average (1, 5, 15 min) at the start {m['load_start']}, at the end {m['load_end']}"
        + (" — other work shared the CPUs during the run, so absolute figures are low and noisy"
           if _busy(m) else ""),
        "",
        "## How",
        "",
        f"- Server: `gunicorn {' '.join(GUNICORN_ARGS)} -b 127.0.0.1:PORT wsgi:app` as the non-owning app role "
        f"(`{APP_ROLE}`: row-level security applies), `SAMKLIMA_ENV=development`, fixed `SECRET_KEY`, "
        "`RATELIMIT_STORAGE_URI=memory://` (only sign-in and other POSTs are rate-limited; the load sends GETs).",
        f"- Ceiling: `bench/hello.py` (a bare Flask \"hello\") under the same gunicorn settings, measured at the "
        f"start and the end of the run; the ratios use their mean ({ceiling['rps']:,.0f} req/s, "
        f"p50 {_ms(ceiling['p50'])} ms, p99 {_ms(ceiling['p99'])} ms).",
        f"- Load: {load.tool}, on 127.0.0.1, after a {WARMUP_SECONDS} s warm-up; client and server share the CPUs. "
        "Signed-in pages send the session cookie of one sign-in (`-H \"Cookie: ...\"`).",
        "- SQL queries: a test-client request (the second of two) against the same database as the app role, "
        "counted with a `before_cursor_execute` listener; `set_config('app.tenant_id')` counts as one.",
        "- ms in-process: the median of three more such requests, one at a time, without the load.",
        "- RSS/worker: VmRSS of each gunicorn worker from /proc right after that page's load.",
        "- \"of hello\" is req/s as a share of the ceiling; \"× hello\" is latency as a multiple of the ceiling's.",
        "",
        "## Data sets",
        "",
    ]
    for label, data in info.items():
        rows = ", ".join(f"{table} {count:,}" for table, count in data["rows"].items() if count)
        out.append(f"- **{label}**: {rows}. Pages under `/{data['targets']['slug']}/`.")
        personas = ", ".join(f"{p} `{e}`" for p, (e, _pw) in data["targets"]["personas"].items())
        out.append(f"  Signed in as {personas}; idle worker RSS after start "
                   f"{' / '.join(f'{x:.0f}' for x in data.get('idle_rss', [])) or '–'} MiB.")
        if data.get("sign_in_queries"):
            shown = ", ".join(f"{p} {n}" for p, n in data["sign_in_queries"].items())
            out.append(f"  Sign-in POST (not loaded): SQL queries {shown}.")
    out += ["", "## Results", ""]
    out += table(hellos + results, ceiling)
    lines = notes(results, ceiling)
    out += ["", "## Notes", ""]
    out += lines or [f"- Every page is above {SLOW_SHARE:.0%} of the ceiling and its query count does not grow."]
    out += ["", "## Time", ""]
    for step, seconds in timings.items():
        out.append(f"- {step}: {seconds:.1f} s")
    out.append(f"- whole run (`python -m bench.run`): {total:.0f} s")
    return "\n".join(out) + "\n"


def main() -> int:
    run_started = time.perf_counter()
    started_at = datetime.now(UTC)
    admin = sa.create_engine(server_url(), isolation_level="AUTOCOMMIT")
    load = Load()
    log(f"Load tool: {load.tool}")
    machine_info = machine(admin)
    machine_info["load_start"] = load_average()
    log("Machine: " + ", ".join(f"{k} {v}" for k, v in machine_info.items()))
    timings, info, results, hellos = {}, {}, [], []
    with tempfile.TemporaryDirectory(prefix="samklima-bench-") as workdir:
        workdir = Path(workdir)
        log("\n== bare Flask ceiling")
        hellos.append(measure_hello(load, workdir, "start"))
        for label, loader in DATASETS:
            results += bench_dataset(load, admin, workdir, label, loader, timings, info)
        log("\n== bare Flask ceiling again")
        hellos.append(measure_hello(load, workdir, "end"))
    admin.dispose()
    machine_info["load_end"] = load_average()
    ceiling = {key: statistics.mean(getattr(h, key) for h in hellos) for key in ("rps", "p50", "p99")}
    total = time.perf_counter() - run_started
    report = write_report(machine_info, load, results, hellos, ceiling, info, timings, total, started_at)
    RESULTS.write_text(report)
    log("\n" + report)
    log(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fault and soak tests (issue 16 item 7), run by `make soak` (not by `make check`).

usage: python3 tests/soak/soak.py BUILD_DIR [kill|pgrestart|soak ...]   (default: all three)

  kill       SIGKILL the server during writes 20 times (SQLite; and PostgreSQL when
             SHOUHOU_TEST_PG is set): every acknowledged unit and ticket is there afterwards,
             and the database passes its integrity check.
  pgrestart  a private PostgreSQL cluster (scripts/pg.sh on port 55447) restarted under load:
             requests fail cleanly (503 JSON, never a hang or a crash), the pool reconnects,
             nothing acknowledged is lost.
  soak       SOAK_SECONDS (600) of mixed load at SOAK_RATE (40) requests/s on a database of
             100,000 tickets (larger than SQLite's page caches, which would otherwise grow
             with it): no error, and RSS after the warm-up (the first fifth) grows by less
             than 5 %.

Prints one line per check and `N passed, N failed`; exit status 1 on a failure."""
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
from harness import Fail, Server  # noqa: E402

PASSWORD = "soak-Passw0rd-1"
METRICS_TOKEN = "soak-metrics-token-0123456789"
RESULTS = [0, 0]


def report(ok, what, detail=""):
    RESULTS[0 if ok else 1] += 1
    print("%s - %s%s" % ("ok" if ok else "FAIL", what, (": " + detail) if detail else ""),
          flush=True)


class Box:
    """A database with an admin and a token, and a server on it."""

    def __init__(self, build, db_url, work, prefill=0):
        self.work = work
        os.makedirs(work, exist_ok=True)
        binary = os.path.join(work, "shouhou")
        shutil.copy2(os.path.join(build, "shouhou"), binary)
        self.srv = Server(binary, db_url, work, os.path.join(ROOT, "web"))
        self.srv.env["SHOUHOU_METRICS_TOKEN"] = METRICS_TOKEN
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        self.srv.cli("init", "--db", db_url, "--admin", "admin", "--password-file", pw)
        p = self.srv.cli("token", "create", "--user", "admin", "--db", db_url)
        self.token = p.stdout.decode().strip().splitlines()[-1].strip()
        if prefill:  # a database larger than the page caches, written straight in
            subprocess.run([os.path.join(build, "bench_tickets_load"), "--sqlite",
                            db_url[len("sqlite:"):], "--customers", "1000", "--tickets",
                            str(prefill)], check=True,
                           capture_output=True, timeout=600)
        self.srv.start()
        r = self.req("POST", "/api/v1/customers", {"name": "浙江恒瑞机械", "type": "company"})
        self.customer = json.loads(r[1])["id"]
        r = self.req("POST", "/api/v1/models", {"code": "SOAK-1", "name": "数控机床 S1",
                                                "category": "equipment"})
        self.model = json.loads(r[1])["id"]

    def req(self, method, path, body=None, headers=None, timeout=30):
        h = {"Authorization": "Bearer " + self.token}
        h.update(headers or {})
        r = self.srv.request(method, path, body=body, headers=h, timeout=timeout)
        return r.status, r.body

    def rss_kb(self):
        return self.memory()["VmRSS"]

    def memory(self):
        """VmRSS and its parts (KB) from /proc, and the SQLite page caches in use (KB, the
        server's gauge)."""
        out = {}
        with open("/proc/%d/status" % self.srv.proc.pid) as f:
            for ln in f:
                k = ln.split(":")[0]
                if k in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                    out[k] = int(ln.split()[1])
        r = self.srv.request("GET", "/metrics",
                             headers={"Authorization": "Bearer " + METRICS_TOKEN})
        for ln in r.body.decode().splitlines():
            if ln.startswith("shouhou_sqlite_cache_bytes "):
                out["sqlite_cache"] = int(float(ln.split()[1])) // 1024
            elif ln.startswith("shouhou_sqlite_connections "):
                out["sqlite_conns"] = int(float(ln.split()[1]))
            elif ln.startswith("shouhou_sqlite_statements "):
                out["sqlite_stmts"] = int(float(ln.split()[1]))
        return out


def writer(box, acked, stop, lock):
    """Units and tickets, each with an Idempotency-Key; what got 201 is acknowledged."""
    while not stop.is_set():
        key = uuid.uuid4().hex
        if random.random() < 0.5:
            path, body = "/api/v1/units", {"serial_no": "K" + key[:16], "customer_id": box.customer,
                                           "model_id": box.model}
        else:
            path, body = "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                             "customer_id": box.customer, "description": key}
        try:
            st, b = box.req("POST", path, body, {"Idempotency-Key": key}, timeout=5)
        except (OSError, Fail):
            continue
        if st == 201:
            with lock:
                acked.append((path, key, json.loads(b)["id"]))


def sql_rows(db_url, stmt):
    if db_url.startswith("sqlite:"):
        con = sqlite3.connect(db_url[len("sqlite:"):], timeout=30)
        try:
            return con.execute(stmt).fetchall()
        finally:
            con.close()
    p = subprocess.run(["psql", db_url, "-qAt", "-F", "\t", "-c", stmt], capture_output=True,
                       timeout=60, check=True)
    return [tuple(ln.split("\t")) for ln in p.stdout.decode().splitlines() if ln]


def missing_of(db_url, acked):
    units = {str(r[0]) for r in sql_rows(db_url, "SELECT id FROM units")}
    tickets = {str(r[0]) for r in sql_rows(db_url, "SELECT id FROM tickets")}
    return [a for a in acked if str(a[2]) not in (units if a[0].endswith("units") else tickets)]


def kill_20(build, db_url, work, label):
    box = Box(build, db_url, work)
    acked, lock = [], threading.Lock()
    for i in range(20):
        stop = threading.Event()
        ts = [threading.Thread(target=writer, args=(box, acked, stop, lock)) for _ in range(4)]
        for t in ts:
            t.start()
        time.sleep(random.uniform(0.3, 1.0))
        box.srv.stop(signal.SIGKILL)
        stop.set()
        for t in ts:
            t.join(30)
        box.srv.start()
    box.srv.stop()
    missing = missing_of(db_url, acked)
    detail = "%d acknowledged writes over 20 kills, %d missing" % (len(acked), len(missing))
    ok = not missing and len(acked) >= 20  # a loaded machine writes fewer
    if db_url.startswith("sqlite:"):
        integ = sql_rows(db_url, "PRAGMA integrity_check")
        ok = ok and integ == [("ok",)]
        detail += ", integrity %s" % integ[:1]
    report(ok, "kill: SIGKILL during writes 20 times, nothing acknowledged lost (%s)" % label,
           detail)


def case_kill(build, base):
    kill_20(build, "sqlite:" + os.path.join(base, "kill", "k.db"), os.path.join(base, "kill"),
            "SQLite")
    dsn = os.environ.get("SHOUHOU_TEST_PG", "").strip()
    if dsn:
        name = "shouhou_soak_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", dsn, "-qc", "CREATE DATABASE %s" % name], check=True,
                       capture_output=True)
        try:
            kill_20(build, dsn.rsplit("/", 1)[0] + "/" + name, os.path.join(base, "killpg"),
                    "PostgreSQL")
        finally:
            subprocess.run(["psql", dsn, "-qc", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name],
                           capture_output=True)


def case_pgrestart(build, base):
    env = {**os.environ, "SHOUHOU_PG_DIR": os.path.join(base, "pgr"), "SHOUHOU_PG_PORT": "55447"}
    pg = os.path.join(ROOT, "scripts", "pg.sh")
    subprocess.run(["bash", pg, "start"], env=env, check=True, capture_output=True)
    box = None
    try:
        box = Box(build, "postgresql://postgres@127.0.0.1:55447/postgres",
                  os.path.join(base, "pgrestart"))
        acked, lock, stop = [], threading.Lock(), threading.Event()
        codes, hung = {}, []

        def reader():
            while not stop.is_set():
                t0 = time.time()
                try:
                    st, b = box.req("GET", "/api/v1/tickets?limit=5", timeout=20)
                    codes[st] = codes.get(st, 0) + 1
                    if st >= 500 and not json.loads(b).get("error"):
                        hung.append("%d without an error body" % st)
                except OSError as ex:
                    hung.append("%s after %.1f s" % (type(ex).__name__, time.time() - t0))
        ts = [threading.Thread(target=writer, args=(box, acked, stop, lock)) for _ in range(3)]
        ts.append(threading.Thread(target=reader))
        for t in ts:
            t.start()
        time.sleep(2)
        subprocess.run(["bash", pg, "stop"], env=env, check=True, capture_output=True)
        time.sleep(1)
        # the health check says so while the database is away (docs/operations.md)
        hz_down = box.req("GET", "/healthz", timeout=20)
        time.sleep(1)
        subprocess.run(["bash", pg, "start"], env=env, check=True, capture_output=True)
        time.sleep(3)
        hz_up = box.req("GET", "/healthz", timeout=20)
        down_ok = hz_down[0] == 503 and json.loads(hz_down[1]) == {"status": "unavailable",
                                                                   "database": "error"}
        n0 = len(acked)
        time.sleep(2)
        stop.set()
        for t in ts:
            t.join(60)
        alive = box.srv.proc.poll() is None
        after = len(acked) - n0
        missing = missing_of(box.srv.db_url, acked)
        report(alive and not hung and after > 0 and not missing and codes.get(503, 0) > 0 and
               down_ok and hz_up[0] == 200,
               "pgrestart: PostgreSQL restarted under load: clean 503s, /healthz 503 while it "
               "is down, the pool reconnects, nothing acknowledged lost",
               "answers %s, %d acknowledged (%d after the restart), %d missing, %s; /healthz "
               "down %s %s, up %s" % (codes, len(acked), after, len(missing),
                                      hung[:3] or "no hang", hz_down[0], hz_down[1][:80],
                                      hz_up[0]))
    finally:
        if box:
            box.srv.stop()
        subprocess.run(["bash", pg, "stop"], env=env, capture_output=True)


def case_soak(build, base):
    seconds = int(os.environ.get("SOAK_SECONDS", "600"))
    rate = float(os.environ.get("SOAK_RATE", "40"))
    box = Box(build, "sqlite:" + os.path.join(base, "soak", "s.db"), os.path.join(base, "soak"),
              prefill=100000)
    errors, samples, ids = [], [], []
    t0 = time.time()
    n = 0
    next_sample = t0
    while time.time() - t0 < seconds:
        n += 1
        op = n % 6
        try:
            if op == 0 or not ids:
                st, b = box.req("POST", "/api/v1/tickets", {
                    "channel": "phone", "type": "repair", "customer_id": box.customer,
                    "description": "巡检 %d 设备漏水" % n})
                if st == 201:
                    ids.append(json.loads(b)["id"])
                    ids[:] = ids[-500:]
            elif op == 1:
                st, b = box.req("POST", "/api/v1/tickets/%d/comments" % random.choice(ids),
                                {"body": "已电话联系客户 %d" % n})
            elif op == 2:  # any ticket, the prefilled ones too
                st, b = box.req("GET", "/api/v1/tickets/%d" % random.randint(1, ids[-1]))
            elif op == 3:
                st, b = box.req("GET", "/api/v1/tickets?limit=20&q=" +
                                urllib.parse.quote("设备漏水"))
            elif op == 4:
                st, b = box.req("GET", "/api/v1/units?limit=20")
            else:
                st, b = box.req("GET", "/api/v1/tickets/%d/events" % random.choice(ids))
            if st >= 400:
                errors.append("%d %s" % (st, b[:120]))
        except OSError as ex:
            errors.append(repr(ex))
        now = time.time()
        if now >= next_sample:
            samples.append((now - t0, box.memory()))
            next_sample = now + max(1.0, seconds / 100)
        time.sleep(max(0.0, t0 + n / rate - time.time()))
    box.srv.stop()
    out = os.environ.get("SOAK_SAMPLES")
    if out:  # every sample, KB: for a closer look at what grew
        with open(out, "w") as f:
            f.write("t_s,rss,anon,file,shmem,sqlite_cache,sqlite_conns,sqlite_stmts\n")
            for t, m in samples:
                f.write("%.0f,%d,%d,%d,%d,%d,%d,%d\n" % (
                    t, m["VmRSS"], m.get("RssAnon", 0), m.get("RssFile", 0),
                    m.get("RssShmem", 0), m.get("sqlite_cache", 0), m.get("sqlite_conns", 0),
                    m.get("sqlite_stmts", 0)))
    warm = [m["VmRSS"] for t, m in samples if t >= seconds / 5]
    growth = (warm[-1] - warm[0]) / warm[0] * 100 if len(warm) > 1 else 0.0
    curve = " ".join("%d" % (m["VmRSS"] // 1024)
                     for _, m in samples[:: max(1, len(samples) // 10)])
    last = samples[-1][1] if samples else {}
    report(not errors and growth < 5.0,
           "soak: %d s of mixed load at %.0f/s, no error, RSS flat after warm-up" %
           (seconds, rate),
           "%d requests, %d errors %s, RSS %d -> %d KB after warm-up (%+.1f %%), peak %d KB; "
           "RSS MB over time: %s; at the end anon %d file %d shmem %d KB, SQLite page "
           "caches %d KB in %d connections" %
           (n, len(errors), errors[:2], warm[0] if warm else 0, warm[-1] if warm else 0,
            growth, max(m["VmRSS"] for _, m in samples), curve, last.get("RssAnon", 0),
            last.get("RssFile", 0), last.get("RssShmem", 0), last.get("sqlite_cache", 0),
            last.get("sqlite_conns", 0)))


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = os.path.abspath(sys.argv[1])
    which = sys.argv[2:] or ["kill", "pgrestart", "soak"]
    base = tempfile.mkdtemp(prefix="shouhou-soak-")
    os.chmod(base, 0o755)  # the private PostgreSQL cluster (user postgres) lives below it
    cases = {"kill": case_kill, "pgrestart": case_pgrestart, "soak": case_soak}
    for w in which:
        t0 = time.time()
        try:
            cases[w](build, base)
        except Exception as ex:  # noqa: BLE001 — a crash of a case is its failure
            report(False, w, repr(ex))
        print("# %s took %.0f s" % (w, time.time() - t0), flush=True)
    shutil.rmtree(base, ignore_errors=True)
    print("%d passed, %d failed" % tuple(RESULTS))
    return 1 if RESULTS[1] else 0


if __name__ == "__main__":
    sys.exit(main())

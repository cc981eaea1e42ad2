"""Running it for real (issue 16 item 6): `shouhou doctor` says ok, warn or fail for each
thing a server needs, and the systemd unit in dist/ keeps its hardening."""
import os
import re
import shutil
import sqlite3
import subprocess

from harness import PASSWORD, Server, check, expect

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def doctor(ctx, db, **env):
    e = {**os.environ, "SHOUHOU_WEB_ROOT": os.path.join(ROOT, "web"),
         "SHOUHOU_DATA_DIR": os.path.join(ctx.srv.workdir, "data"), **env}
    p = subprocess.run([ctx.srv.binary, "doctor", "--db", db], capture_output=True, text=True,
                       timeout=120, env=e)
    lines = {m.group(2): m.group(1) for m in
             re.finditer(r"^(ok|warn|fail)\s+(\S+)", p.stdout, re.M)}
    return p.returncode, lines, p.stdout + p.stderr


def case_doctor(ctx):
    rc, lines, out = doctor(ctx, ctx.srv.db_url)
    check(rc == 0 and all(v == "ok" for v in lines.values()), "the suite's database: %s" % out)
    check(set(lines) == {"config", "schema", "data_dir", "web_root", "fonts", "clock"},
          "the checks: %s" % sorted(lines))
    if ctx.srv.db_url.startswith("postgres"):
        check("PostgreSQL's clock" in out, "the clock compared with PostgreSQL's: %s" % out)
    # a database of a newer schema fails, an older one warns; a missing one fails
    work = os.path.join(ctx.srv.workdir, "doctor")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "d.db")
    pw = os.path.join(work, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD + "\n")
    ctx.srv.cli("init", "--db", "sqlite:" + db, "--admin", "admin", "--password-file", pw)
    newer, older = os.path.join(work, "newer.db"), os.path.join(work, "older.db")
    shutil.copy(db, newer)
    shutil.copy(db, older)
    c = sqlite3.connect(newer)
    c.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'x')")
    c.commit()
    c.close()
    c = sqlite3.connect(older)
    c.execute("DELETE FROM schema_migrations WHERE version = "
              "(SELECT MAX(version) FROM schema_migrations)")
    c.commit()
    c.close()
    rc, lines, out = doctor(ctx, "sqlite:" + newer)
    check(rc == 1 and lines.get("schema") == "fail" and "newer" in out, "newer: %s" % out)
    rc, lines, out = doctor(ctx, "sqlite:" + older)
    check(rc == 0 and lines.get("schema") == "warn" and "shouhou migrate" in out,
          "older: %s" % out)
    c = sqlite3.connect(older)
    n = c.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    c.close()
    check(n > 0 and "9999" not in out, "doctor changed nothing")
    rc, lines, out = doctor(ctx, "sqlite:" + os.path.join(work, "missing.db"))
    check(rc == 1 and lines.get("database") == "fail" and
          not os.path.exists(os.path.join(work, "missing.db")), "missing: %s" % out)
    rc, lines, out = doctor(ctx, "sqlite:" + db, SHOUHOU_WEB_ROOT=work)
    check(rc == 1 and lines.get("web_root") == "fail", "no web UI: %s" % out)


def case_unit_file(ctx):
    unit = os.path.join(ROOT, "dist", "shouhou.service")
    with open(unit) as f:
        text = f.read()
    for opt in ("DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes",
                "ReadWritePaths=/var/lib/shouhou", "KillSignal=SIGTERM"):
        check(opt in text, "the unit has %s" % opt)
    p = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", p.stdout + p.stderr)
    check(m and float(m.group(1)) <= 2.0, "systemd-analyze security: %s" %
          (m.group(0) if m else (p.stdout + p.stderr)[-300:]))


def case_demo_without_users(ctx):
    """`shouhou demo` without --password-file (its usage says: no users) loads and says so."""
    work = os.path.join(ctx.srv.workdir, "demo-nousers")
    os.makedirs(work, exist_ok=True)
    pw = os.path.join(work, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD + "\n")
    db = "sqlite:" + os.path.join(work, "d.db")
    ctx.srv.cli("init", "--db", db, "--admin", "admin", "--password-file", pw)
    p = ctx.srv.cli("demo", "--db", db, "--units", "50", check_rc=False)
    check(p.returncode == 0 and b"no users" in p.stdout, "demo without users: rc %d %s %s" %
          (p.returncode, p.stdout[-200:], p.stderr[-300:]))


def metric(text, name, **labels):
    """The value of one sample, or None."""
    want = ",".join('%s="%s"' % kv for kv in labels.items())
    for line in text.splitlines():
        if line.startswith(name + ("{" + want + "}" if labels else " ")):
            return float(line.rsplit(" ", 1)[1])
    return None


def case_metrics(ctx):
    s = ctx.srv
    # the suite's server has no metrics_token: /metrics is off
    r = s.request("GET", "/metrics", token=ctx.tok["admin"])
    check(r.status == 404, "no token configured: %d" % r.status)
    work = os.path.join(s.workdir, "metrics")
    os.makedirs(work, exist_ok=True)
    s2 = Server(s.binary, s.db_url, work, s.web_root)
    s2.env = {"SHOUHOU_METRICS_TOKEN": "m-secret-7f3a9c"}
    s2.start()
    try:
        for tok in (None, "wrong-token-000000", ctx.tok["admin"]):
            r = s2.request("GET", "/metrics", token=tok)
            check(r.status == 401, "token %r: %d" % (tok, r.status))
        unit = ctx.fx.get("U") or expect(ctx.api().get("/api/v1/units?limit=1"), 200,
                                         "units").json["items"][0]["id"]
        for _ in range(7):
            expect(s2.request("GET", "/api/v1/units/%d" % unit, token=ctx.tok["admin"]), 200,
                   "unit")
        expect(s2.request("GET", "/api/v1/units/999999999", token=ctx.tok["admin"]), 404, "none")
        r = s2.request("GET", "/metrics", token="m-secret-7f3a9c")
        check(r.status == 200 and (r.header("Content-Type") or "").startswith("text/plain"),
              "scrape: %d %s" % (r.status, r.header("Content-Type")))
        t = r.body.decode()
        route = "GET /api/v1/units/{id}"
        n2 = metric(t, "shouhou_http_requests_total", route=route, code="2xx")
        n4 = metric(t, "shouhou_http_requests_total", route=route, code="4xx")
        check(n2 == 7 and n4 == 1, "requests by route and class: %s %s" % (n2, n4))
        cnt = metric(t, "shouhou_http_request_duration_seconds_count", route=route)
        inf = metric(t, "shouhou_http_request_duration_seconds_bucket", route=route, le="+Inf")
        buckets = [float(x) for x in re.findall(
            r'shouhou_http_request_duration_seconds_bucket\{route="GET /api/v1/units/\{id\}",'
            r'le="[^"]+"\} (\d+)', t)]
        check(cnt == 8 and inf == 8 and buckets == sorted(buckets) and len(buckets) == 13,
              "histogram: count %s +Inf %s buckets %s" % (cnt, inf, buckets))
        check((metric(t, "shouhou_db_statements_total") or 0) > 0 and
              metric(t, "shouhou_up_database") == 1, "database counters")
        for g in ("shouhou_sla_breached_tickets", "shouhou_outbox_pending",
                  "shouhou_outbox_lag_seconds", "shouhou_group_commit_batch_size_count",
                  "shouhou_http_queue_depth"):
            check(metric(t, g) is not None, "%s missing" % g)
        check(metric(t, "shouhou_http_inflight") >= 1, "the scrape itself is in flight")
        # request ids: made here, or the client's own when it is well-formed
        r = s2.request("GET", "/healthz")
        rid = r.header("X-Request-Id") or ""
        check(re.fullmatch(r"[0-9a-f]{16}", rid), "a request id: %r" % rid)
        r = s2.request("GET", "/healthz", headers={"X-Request-Id": "trace-Ab_9.x"})
        check(r.header("X-Request-Id") == "trace-Ab_9.x", "the client's id kept")
        r = s2.request("GET", "/healthz", headers={"X-Request-Id": "bad id\"<x>"})
        check(re.fullmatch(r"[0-9a-f]{16}", r.header("X-Request-Id") or ""),
              "a malformed id replaced: %r" % r.header("X-Request-Id"))
    finally:
        s2.stop()
    with open(s2.log.name, "rb") as f:
        log = f.read().decode("utf-8", "replace")
    check('"rid":"trace-Ab_9.x"' in log, "the access log carries the request id")


def run(ctx, runner):
    runner.run("ops: shouhou doctor — ok, warn, fail per check", case_doctor, ctx)
    runner.run("ops: /metrics (token, routes, histogram, gauges) and request ids", case_metrics,
               ctx)
    runner.run("ops: shouhou demo loads without demo users", case_demo_without_users, ctx)
    runner.run("ops: the systemd unit's hardening (systemd-analyze security ≤ 2.0)",
               case_unit_file, ctx)

"""Running it for real (issue 16 item 6): `shouhou doctor` says ok, warn or fail for each
thing a server needs, and the systemd unit in dist/ keeps its hardening."""
import os
import re
import shutil
import http.client
import socket
import ssl
import sqlite3
import subprocess
import tempfile
import time

import test_notify
from harness import PASSWORD, Server, check, expect, free_port

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
    check(set(lines) == {"config", "schema", "data_dir", "web_root", "fonts", "mail", "clock"},
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
    doctor_mail(ctx, db)


def doctor_mail(ctx, db):
    """The e-mail channel: off is fine; on, its SMTP server must answer a connection."""
    rc, lines, out = doctor(ctx, "sqlite:" + db)
    check(rc == 0 and lines.get("mail") == "ok" and "off" in out, "mail off: %s" % out)
    box = os.path.join(ctx.srv.workdir, "doctor", "smtp")
    os.makedirs(box, exist_ok=True)
    sink = subprocess.Popen([test_notify.smtp_python(),
                             os.path.join(os.path.dirname(__file__), "smtp_sink.py"), box],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def channel(p):
        c = sqlite3.connect(db)
        c.execute("UPDATE notify_channels SET enabled = 1, config = ? WHERE channel = 'email'",
                  ('{"host":"127.0.0.1","port":%d,"tls":"none"}' % p,))
        c.commit()
        c.close()
    try:
        port = int(sink.stdout.readline())
        channel(port)
        rc, lines, out = doctor(ctx, "sqlite:" + db)
        check(rc == 0 and lines.get("mail") == "ok" and "127.0.0.1:%d" % port in out,
              "mail server answering: %s" % out)
    finally:
        sink.stdin.close()
        sink.wait(timeout=30)
    channel(port)  # nobody listens there any more
    rc, lines, out = doctor(ctx, "sqlite:" + db)
    check(rc == 1 and lines.get("mail") == "fail" and "outbox" in out,
          "mail server gone: %s" % out)


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
        # 1 to 64 characters: 64 kept, 65 replaced
        r = s2.request("GET", "/healthz", headers={"X-Request-Id": "r" * 64})
        check(r.header("X-Request-Id") == "r" * 64, "a 64-character id kept")
        r = s2.request("GET", "/healthz", headers={"X-Request-Id": "r" * 65})
        check(re.fullmatch(r"[0-9a-f]{16}", r.header("X-Request-Id") or ""),
              "a 65-character id replaced: %r" % r.header("X-Request-Id"))
    finally:
        s2.stop()
    with open(s2.log.name, "rb") as f:
        log = f.read().decode("utf-8", "replace")
    check('"rid":"trace-Ab_9.x"' in log, "the access log carries the request id")


def case_tls(ctx):
    """HTTPS served directly: a certificate the client checks, HSTS, keep-alive kept, and no
    plain HTTP on the TLS port; a half TLS configuration refused at start."""
    s = ctx.srv
    work = os.path.join(s.workdir, "tls")
    os.makedirs(work, exist_ok=True)
    cert, key = make_cert(work)
    pf = os.path.join(work, "port")
    env = {**os.environ, "SHOUHOU_TLS_CERT": cert, "SHOUHOU_TLS_KEY": key}
    p = subprocess.run([s.binary, "serve", "--db", s.db_url, "--listen", "127.0.0.1:0",
                        "--web-root", s.web_root], env={**os.environ, "SHOUHOU_TLS_CERT": cert},
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "tls_key" in p.stderr, "half a TLS configuration: %d %s" %
          (p.returncode, p.stderr[-200:]))
    log = open(os.path.join(work, "serve.log"), "wb")
    proc = subprocess.Popen([s.binary, "serve", "--db", s.db_url, "--listen", "127.0.0.1:0",
                             "--port-file", pf, "--web-root", s.web_root], env=env, cwd=work,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 30
        port = None
        while time.time() < deadline and not port:
            check(proc.poll() is None, "the TLS server exited %s" % proc.returncode)
            try:
                with open(pf) as f:
                    port = int(f.read().strip() or 0)
            except (OSError, ValueError):
                time.sleep(0.05)
        check(port, "no port file")
        tls = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=20)
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        r.read()
        sock = conn.sock
        check(r.status == 200 and r.getheader("Strict-Transport-Security"),
              "HTTPS /healthz: %d HSTS %s" % (r.status, r.getheader("Strict-Transport-Security")))
        conn.request("GET", "/api/v1/units?limit=1",
                     headers={"Authorization": "Bearer " + ctx.tok["admin"]})
        r = conn.getresponse()
        r.read()
        check(r.status == 200 and conn.sock is sock, "keep-alive over TLS: %d, same socket %s" %
              (r.status, conn.sock is sock))
        conn.close()
        # plain HTTP on the TLS port gets no HTTP answer
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                got = raw.recv(100)
            except OSError:
                got = b""
        check(not got.startswith(b"HTTP/1.1 200"), "plain HTTP answered: %r" % got[:40])
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()


def case_disk_full(ctx):
    """SQLite on a small file system that fills: writes answer 503 disk_full naming nothing
    saved, reads go on, nothing acknowledged is lost or corrupted, and writing resumes once
    space returns (a tmpfs mounted for the test: needs root, as CI runs)."""
    s = ctx.srv
    mnt = os.path.join(s.workdir, "small-fs")
    os.makedirs(mnt, exist_ok=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "mount a small tmpfs (root needed): %s" % p.stderr)
    s3 = None
    try:
        db = "sqlite:" + os.path.join(mnt, "full.db")
        pw = os.path.join(mnt, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        s3 = Server(s.binary, db, mnt, s.web_root)
        s3.cli("init", "--db", db, "--admin", "admin", "--password-file", pw)
        tok = s3.cli("token", "create", "--user", "admin", "--db", db).stdout.decode() \
            .strip().splitlines()[-1].strip()
        s3.env = {"SHOUHOU_DATA_DIR": os.path.join(mnt, "data")}
        s3.start()
        # leave about 1.5 MB free
        free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
        filler = os.path.join(mnt, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, free - 1536 * 1024))
        made, refused = [], None
        note = "满" * 1500
        for i in range(4000):
            r = s3.request("POST", "/api/v1/customers", token=tok,
                           body={"name": "磁盘满测试%05d" % i, "type": "company", "notes": note})
            if r.status == 201:
                made.append(r.json["id"])
                continue
            refused = r
            break
        check(refused is not None, "the disk never filled (%d made)" % len(made))
        err = refused.json.get("error", {}) if refused.json else {}
        check(refused.status == 503 and err.get("reason") == "disk_full" and
              "nothing was saved" in err.get("message", ""),
              "a full disk: %d %s" % (refused.status, short_body(refused)))
        r = s3.request("GET", "/api/v1/customers?limit=5", token=tok)
        check(r.status == 200, "reads go on: %d" % r.status)
        os.unlink(filler)
        r = s3.request("POST", "/api/v1/customers", token=tok,
                       body={"name": "空间恢复后", "type": "company"})
        check(r.status == 201, "writes resume once space returns: %d %s" % (r.status,
                                                                          short_body(r)))
        made.append(r.json["id"])
        s3.stop()
        c = sqlite3.connect(db[7:])
        ok = c.execute("PRAGMA integrity_check").fetchone()[0]
        have = {row[0] for row in c.execute("SELECT id FROM customers")}
        c.close()
        check(ok == "ok", "integrity after the full disk: %s" % ok)
        check(set(made) <= have, "acknowledged customers lost: %s" % sorted(set(made) - have)[:5])
    finally:
        if s3:
            s3.stop()
        subprocess.run(["umount", "-l", mnt], capture_output=True, timeout=30)


def case_doctor_disk(ctx):
    """doctor's data_dir check (docs/operations.md): warn below 1024 MB free, fail below
    100 MB (tmpfs file systems mounted for the test: needs root, as CI runs)."""
    for size, want, rc_want in (("50m", "fail", 1), ("300m", "warn", 0)):
        mnt = os.path.join(ctx.srv.workdir, "doctor-" + size)
        os.makedirs(mnt, exist_ok=True)
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 0, "mount a small tmpfs (root needed): %s" % p.stderr)
        try:
            rc, lines, out = doctor(ctx, ctx.srv.db_url, SHOUHOU_DATA_DIR=mnt)
        finally:
            subprocess.run(["umount", "-l", mnt], capture_output=True, timeout=30)
        check(lines.get("data_dir") == want and rc == rc_want,
              "data_dir on %s: %s, exit %d: %s" % (size, lines.get("data_dir"), rc, out))


def make_cert(work):
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1", "-days", "2"], check=True,
                   capture_output=True, timeout=60)
    return cert, key


def case_nginx(ctx):
    """The nginx configuration of docs/operations.md, run as written (port, certificate and
    upstream replaced): HTTPS with HSTS, keep-alive to the client, a 2 MB upload, and nginx's
    request id carried into the server's answer."""
    s = ctx.srv
    work = os.path.join(s.workdir, "nginx")
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    # nginx's workers run as another user: their body buffer outside the private work dir
    ntmp = tempfile.mkdtemp(prefix="shouhou-nginx-")
    os.chmod(ntmp, 0o777)
    with open(os.path.join(ROOT, "docs", "operations.md")) as f:
        doc = f.read()
    m = re.search(r"<!-- nginx-begin -->\s*```nginx\n(.*?)```\s*<!-- nginx-end -->", doc, re.S)
    check(m, "the nginx block of docs/operations.md")
    cert, key = make_cert(work)
    port = free_port()
    conf = m.group(1)
    for old, new in (("127.0.0.1:8080", "127.0.0.1:%d" % s.port),
                     ("listen 443", "listen 127.0.0.1:%d" % port),
                     ("/etc/ssl/shouhou/fullchain.pem", cert),
                     ("/etc/ssl/shouhou/privkey.pem", key)):
        check(old in conf, "the documented configuration has %s" % old)
        conf = conf.replace(old, new)
    full = ("pid %s/nginx.pid;\nerror_log %s/logs/error.log;\nevents {}\nhttp {\n"
            "access_log off;\nclient_body_temp_path %s;\nproxy_temp_path %s;\n%s}\n"
            % (work, work, ntmp, ntmp, conf))
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(full)
    proc = subprocess.Popen(["nginx", "-p", work, "-c", os.path.join(work, "nginx.conf"), "-g",
                             "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        tls = ssl.create_default_context(cafile=cert)
        deadline, conn = time.time() + 20, None
        while time.time() < deadline:
            if proc.poll() is not None:
                check(False, "nginx exited: %s" % proc.stdout.read()[-400:])
            try:
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=20)
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                r.read()
                break
            except OSError:
                conn = None
                time.sleep(0.1)
        check(conn and r.status == 200 and r.getheader("Strict-Transport-Security"),
              "through nginx: HSTS %s" % (r.getheader("Strict-Transport-Security") if conn else None))
        check(re.fullmatch(r"[0-9a-f]{32}", r.getheader("X-Request-Id") or ""),
              "nginx's $request_id kept: %r" % r.getheader("X-Request-Id"))
        sock = conn.sock
        tid = expect(ctx.api("agent").post("/api/v1/tickets", {
            "channel": "phone", "type": "repair", "customer_id": ctx.fx["A"],
            "description": "经代理上传"}), 201, "ticket").json["id"]
        png = b"\x89PNG\r\n\x1a\n" + os.urandom(2 << 20)
        conn.request("POST", "/api/v1/tickets/%d/attachments?filename=big.png" % tid, body=png,
                     headers={"Authorization": "Bearer " + ctx.tok["agent"],
                              "Content-Type": "image/png"})
        r = conn.getresponse()
        r.read()
        check(r.status == 201 and conn.sock is sock, "a 2 MB upload on the same connection: %d"
              % r.status)
        conn.close()
    finally:
        proc.terminate()
        proc.wait(20)
        shutil.rmtree(ntmp, ignore_errors=True)


def short_body(r):
    return (r.body or b"")[:200].decode("utf-8", "replace")


def doc_settings():
    """The settings table of docs/operations.md (section 1.2): (keys, variables, range)."""
    rows = []
    with open(os.path.join(ROOT, "docs", "operations.md"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("| `"):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            envs = re.findall(r"`(SHOUHOU_[A-Z0-9_]+)`", cells[1])
            if not envs:
                continue
            m = re.search(r"(?:\(|, |; )(\d+)–(\d+)(?=[),;.])", cells[3])
            rows.append((re.findall(r"`([a-z0-9_]+)`", cells[0]), envs,
                         (int(m.group(1)), int(m.group(2))) if m else None))
    return rows


def case_config_doc(ctx):
    """docs/operations.md's settings are the program's: every SHOUHOU_* variable the code
    reads is in the table and each one there is read; each documented range is the one
    enforced (both ends accepted; one beyond, or not a number, refused with exit 2 and
    file:line, or the variable's name); an unknown key is refused the same way."""
    work = os.path.join(ctx.srv.workdir, "cfgdoc")
    os.makedirs(work, exist_ok=True)
    db = "sqlite:" + os.path.join(work, "c.db")
    pw = os.path.join(work, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD + "\n")
    ctx.srv.cli("init", "--db", db, "--admin", "admin", "--password-file", pw)
    rows = doc_settings()
    with open(os.path.join(ROOT, "src", "base", "config.c"), encoding="utf-8") as f:
        read = set(re.findall(r'"(SHOUHOU_[A-Z0-9_]+)"', f.read()))
    documented = {v for _, envs, _ in rows for v in envs}
    check(read == documented, "read, not documented: %s; documented, not read: %s"
          % (sorted(read - documented), sorted(documented - read)))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOUHOU_")}
    cfg = os.path.join(work, "shouhou.conf")

    def migrate(line=None, **env):
        args = [ctx.srv.binary, "migrate", "--db", db]
        if line is not None:
            with open(cfg, "w") as f:
                f.write("# a comment\n%s\n" % line)
            args += ["--config", cfg]
        return subprocess.run(args, capture_output=True, text=True, timeout=60,
                              env={**clean, **env})

    ranged = [(keys[0], envs[0], r) for keys, envs, r in rows if r]
    check(len(ranged) >= 25, "ranges found in the table: %d" % len(ranged))
    # both ends of every range, all in one file each
    for end in (0, 1):
        p = migrate("\n".join("%s = %d" % (key, r[end]) for key, _, r in ranged))
        check(p.returncode == 0, "every %s end of the documented ranges: %d %s"
              % (("lower", "upper")[end], p.returncode, p.stderr[-200:]))
    for i, (key, env, (lo, hi)) in enumerate(ranged):
        for v in (lo - 1, hi + 1) + (("x",) if i == 0 else ()):
            p = migrate("%s = %s" % (key, v))
            check(p.returncode == 2 and "%s:2:" % cfg in p.stderr,
                  "%s = %s (documented %d–%d): %d %s" % (key, v, lo, hi, p.returncode,
                                                        p.stderr[-200:]))
        p = migrate(**{env: str(hi + 1)})
        check(p.returncode == 2 and env in p.stderr, "%s=%d: %d %s"
              % (env, hi + 1, p.returncode, p.stderr[-200:]))
    p = migrate("no_such_setting = 1")
    check(p.returncode == 2 and "%s:2:" % cfg in p.stderr and "no_such_setting" in p.stderr,
          "an unknown key: %d %s" % (p.returncode, p.stderr[-200:]))
    p = migrate()
    check(p.returncode == 0, "no configuration: %d %s" % (p.returncode, p.stderr[-200:]))


def run(ctx, runner):
    runner.single("ops: shouhou doctor — ok, warn, fail per check", case_doctor, ctx)
    runner.single("ops: shouhou doctor — data_dir warns below 1 GB free, fails below 100 MB",
                  case_doctor_disk, ctx)
    runner.single("ops: the settings of docs/operations.md: every variable read, every range "
                  "enforced (exit 2)", case_config_doc, ctx)
    runner.run("ops: /metrics (token, routes, histogram, gauges) and request ids", case_metrics,
               ctx)
    runner.run("ops: HTTPS served directly (certificate, HSTS, keep-alive)", case_tls, ctx)
    runner.run("ops: the documented nginx configuration in front (HTTPS, upload, request id)",
               case_nginx, ctx)
    if not ctx.srv.db_url.startswith("postgres"):
        runner.run("ops: a full disk answers 503 disk_full, loses nothing, resumes", case_disk_full,
                   ctx)
    runner.single("ops: shouhou demo loads without demo users", case_demo_without_users, ctx)
    runner.single("ops: the systemd unit's hardening (systemd-analyze security ≤ 2.0)",
                  case_unit_file, ctx)

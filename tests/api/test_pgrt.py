"""PostgreSQL round trips, the per-day ticket counter under concurrency and PgBouncer in
transaction pooling mode (issue 16 item 1).

Round trips are counted by the server itself (`shouhou_db_round_trips_total` in /metrics:
one per wait for the PostgreSQL server's answers, however many statements it carried), on a
second instance with a metrics token. SQLite has no round trips: the counter stays 0."""
import os
import re
import subprocess
import threading

from harness import Fail, Server, check, concurrently, expect
import pooler

METRICS_TOKEN = "m-pgrt-5d1c2b"
# round trips per write request on PostgreSQL (docs/operations.md, "Round trips")
TICK_MAX = 3.0
UNITS_MAX = 3.0


def metric(text, name):
    m = re.search(r"^%s (\S+)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else None


def trips(s):
    r = s.request("GET", "/metrics", token=METRICS_TOKEN)
    check(r.status == 200, "metrics: %d" % r.status)
    v = metric(r.body.decode(), "shouhou_db_round_trips_total")
    check(v is not None, "no shouhou_db_round_trips_total in /metrics")
    return v


def per_request(s, n, fn):
    """Round trips of n calls of fn, averaged (the scrape's own, measured apart, subtracted).
    The server's background jobs (outbox, retention, SLA) also talk to the database now and
    then: the least of three tries is the requests' own count."""
    best = None
    for _ in range(3):
        a = trips(s)
        b = trips(s)
        scrape = b - a
        for _ in range(n):
            fn()
        c = trips(s)
        v = (c - b - scrape) / n
        best = v if best is None else min(best, v)
    return best


def second_server(ctx, name, env):
    work = os.path.join(ctx.srv.workdir, name)
    os.makedirs(work, exist_ok=True)
    s = Server(ctx.srv.binary, ctx.srv.db_url, work, ctx.srv.web_root)
    s.env = env
    s.start()
    return s


def ticket_body(cust, i):
    return {"channel": "phone", "type": "repair", "customer_id": cust,
            "caller_name": "往返测试%d" % i, "caller_phone": "1390000%04d" % i,
            "description": "往返测试设备无法开机 %d" % i}


def case_round_trips(ctx):
    pg = ctx.srv.db_url.startswith("postgres")
    s = second_server(ctx, "pgrt-trips", {"SHOUHOU_METRICS_TOKEN": METRICS_TOKEN,
                                          "SHOUHOU_SLA_SCAN_SECONDS": "3600",
                                          "SHOUHOU_NOTIFY_POLL_SECONDS": "3600"})
    tok = ctx.tok["admin"]
    try:
        cust = ctx.create("customers", {"name": "往返客户", "type": "company"})["id"]
        model = ctx.fx["M"]
        unit = ctx.create("units", {"serial_no": "RT-%d" % cust, "model_id": model,
                                    "customer_id": cust})["id"]
        # warm the pool: every connection has had its first use
        for _ in range(10):
            expect(s.request("GET", "/api/v1/units/%d" % unit, token=tok), 200, "warm")
        get = per_request(s, 10, lambda: expect(
            s.request("GET", "/api/v1/units/%d" % unit, token=tok), 200, "unit"))
        seq = [0]

        def post_ticket():
            seq[0] += 1
            expect(s.request("POST", "/api/v1/tickets", ticket_body(cust, seq[0]), token=tok),
                   201, "ticket")

        tick = per_request(s, 3, post_ticket)
        seq2 = [0]

        def post_unit():
            seq2[0] += 1
            expect(s.request("POST", "/api/v1/units",
                             {"serial_no": "RT-%d-%d" % (cust, seq2[0]), "model_id": model,
                              "customer_id": cust}, token=tok), 201, "unit")

        units = per_request(s, 3, post_unit)
        print("# round trips per request: GET /units/{id} %.1f, POST /tickets %.1f, "
              "POST /units %.1f" % (get, tick, units))
        if not pg:
            check(get == 0 and tick == 0 and units == 0, "SQLite counts no round trips")
            return
        # the bearer token's read and the unit's read in one round trip: the token's row is
        # read again with the unit's and judged before the unit is used (test_pgget), no
        # BEGIN or COMMIT for a read of one statement (issue 16 item 1; 6, then 2 before)
        check(get <= 1.0, "GET /units/{id}: %.1f round trips (at most 1)" % get)
        # 22 when pgrt landed (23 with the unit's contract requirements, issue 18 item 6);
        # 12 since the application runs fewer statements (test_pgw: the references in one
        # statement, no read-back, no UPDATE right after the INSERT); fewer still since the
        # statements nobody waits for (events, the outbox row, SLA clocks, audit) ride with
        # the next one (test_pgdrv); 9 -> 4 since the reads intake needs whatever the
        # references say (the day's number, the SLA policies and calendars) are sent ahead of
        # the references' statement, the notice's recipient ahead of the INSERT, and the SLA
        # clocks are not waited for (test_db_ahead): token, references, INSERT, COMMIT;
        # 4 -> 3 since a write may start for the caller foreseen, the token's row read with
        # the write's first statement and judged before COMMIT (test_pgget)
        check(tick <= TICK_MAX, "POST /tickets: %.1f round trips (25, then 22, 9, 4 before)" % tick)
        check(units <= UNITS_MAX, "POST /units: %.1f round trips (12, then 9, 4 before)" % units)
    finally:
        s.stop()


def case_numbers_concurrent(ctx):
    """16 intakes at once: every number unique, of today's series."""
    cust = ctx.create("customers", {"name": "并发编号客户", "type": "company"})["id"]
    out, errs = [], []

    def one(i):
        try:
            r = ctx.srv.request("POST", "/api/v1/tickets", ticket_body(cust, 100 + i),
                                token=ctx.tok["admin"])
            if r.status != 201:
                errs.append("%d %s" % (r.status, r.body[:200]))
            else:
                out.append(r.json["number"])
        except Exception as e:  # noqa: BLE001 - reported below
            errs.append(repr(e))

    concurrently(one, 16)
    check(not errs, "intakes failed: %s" % errs[:3])
    check(len(out) == 16 and len(set(out)) == 16, "numbers not unique: %s" % sorted(out))
    days = {n.rsplit("-", 1)[0] for n in out}
    check(len(days) == 1, "one day's series: %s" % days)
    # a later intake continues the series above every one of them
    r = expect(ctx.srv.request("POST", "/api/v1/tickets", ticket_body(cust, 999),
                               token=ctx.tok["admin"]), 201, "after")
    last = int(r.json["number"].rsplit("-", 1)[1])
    check(last > max(int(n.rsplit("-", 1)[1]) for n in out), "the series goes on: %d" % last)


def psql(db, stmt):
    p = subprocess.run(["psql", db, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", stmt],
                       capture_output=True, timeout=60)
    if p.returncode:
        raise Fail("psql: %s" % p.stderr.decode()[:300])
    return p.stdout.decode().split()


def case_total_capped(ctx):
    """q= on PostgreSQL counts at most 1000 matches (total 1000, total_capped true); below the
    cap the total is exact, and SQLite always counts them all. Paging goes on past the cap."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "封顶计数客户", "type": "company"})["id"]
    body = ticket_body(cust, 1)
    body["description"] = "封顶计数蠕虫齿轮 故障"
    tid = expect(ctx.srv.request("POST", "/api/v1/tickets", body, token=tok), 201,
                 "ticket").json["id"]
    r = expect(ctx.srv.request("GET", "/api/v1/tickets?q=%E8%A0%95%E8%99%AB%E9%BD%BF&limit=5",
                               token=tok), 200, "search one")
    check(r.json["total"] == 1 and "total_capped" not in r.json, "one match: %s" % r.json)
    if not ctx.srv.db_url.startswith("postgres"):
        return
    # 1,005 more matching tickets, copied in SQL (the API would take minutes)
    cols = [c for c in psql(ctx.srv.db_url, "SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'tickets' ORDER BY ordinal_position")
            if c not in ("id", "number", "public_token")]
    psql(ctx.srv.db_url, "INSERT INTO tickets (number, %s) SELECT 'CAP-' || g, %s FROM tickets, "
         "generate_series(1, 1005) g WHERE id = %d" % (", ".join(cols), ", ".join(cols), tid))
    for q in ("%E8%A0%95%E8%99%AB%E9%BD%BF", "%E8%A0%95%E8%99%AB"):  # 3 and 2 characters
        r = expect(ctx.srv.request("GET", "/api/v1/tickets?q=%s&limit=400" % q, token=tok), 200,
                   "search many")
        # the 1,006 are the newest tickets: the walk of the newest ids fills the page and
        # estimates the total (test_pgs covers the capped count from the index)
        check((r.json["total"] == 1000 and r.json.get("total_capped") is True)
              or (r.json.get("total_estimated") is True and r.json["total"] >= 1000),
              "capped or estimated total: %s" % r.json)
        seen, cur = len(r.json["items"]), r.json["next_cursor"]
        while cur:
            r = expect(ctx.srv.request("GET", "/api/v1/tickets?q=%s&limit=400&cursor=%s" % (q, cur),
                                       token=tok), 200, "next page")
            seen += len(r.json["items"])
            cur = r.json["next_cursor"]
        check(seen == 1006, "keyset paging past the cap: %d" % seen)
    psql(ctx.srv.db_url, "DELETE FROM tickets WHERE number LIKE 'CAP-%'")


def pooled_load(ctx, s):
    """Intake, comments and reads from 6 threads through the server s."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "连接池客户", "type": "company"})["id"]
    unit = ctx.create("units", {"serial_no": "PGB-%d" % cust, "model_id": ctx.fx["M"],
                                "customer_id": cust})["id"]
    numbers, errs, lock = [], [], threading.Lock()

    def worker(k):
        try:
            for i in range(5):
                r = s.request("POST", "/api/v1/tickets", ticket_body(cust, k * 100 + i),
                              token=tok)
                if r.status != 201:
                    raise Fail("intake %d %s" % (r.status, r.body[:200]))
                tid = r.json["id"]
                with lock:
                    numbers.append(r.json["number"])
                for m_, p_, b_, want in (
                        ("POST", "/api/v1/tickets/%d/comments" % tid,
                         {"body": "连接池备注 %d" % i}, 201),
                        ("GET", "/api/v1/tickets/%d" % tid, None, 200),
                        ("GET", "/api/v1/units/%d" % unit, None, 200),
                        ("GET", "/api/v1/tickets?limit=5&q=%E5%BE%80%E8%BF%94", None, 200)):
                    r = s.request(m_, p_, b_, token=tok)
                    if r.status != want:
                        raise Fail("%s %s: %d %s" % (m_, p_, r.status, r.body[:200]))
        except Exception as e:  # noqa: BLE001 - reported below
            with lock:
                errs.append(str(e))

    concurrently(worker, 6, 120)
    check(not errs, "through PgBouncer: %s" % errs[:3])
    check(len(numbers) == 30 and len(set(numbers)) == 30,
          "ticket numbers unique: %d of %d" % (len(set(numbers)), len(numbers)))
    expect(s.request("GET", "/healthz"), 200, "healthz through pgbouncer")


def case_pgbouncer(ctx):
    """shouhou serve through PgBouncer in transaction pooling mode: 6 pooled connections of
    the server share 2 PostgreSQL connections, so consecutive transactions of one client
    connection run on different server connections. Mixed requests from 6 threads all
    succeed; ticket numbers stay unique."""
    with pooler.pgbouncer(ctx, "pgbouncer") as url:
        work = os.path.join(ctx.srv.workdir, "pgrt-pgb")
        os.makedirs(work, exist_ok=True)
        s = Server(ctx.srv.binary, url, work, ctx.srv.web_root)
        s.env = {"SHOUHOU_PG_POOL": "6", "SHOUHOU_SLA_SCAN_SECONDS": "3600"}
        try:
            s.start()
            pooled_load(ctx, s)
        finally:
            if s.proc:
                s.stop()


def run(ctx, runner):
    runner.run("pgrt: round trips per request (GET /units/{id}, POST /tickets, POST /units)",
               case_round_trips, ctx)
    runner.run("pgrt: 16 concurrent intakes get unique numbers of one day's series",
               case_numbers_concurrent, ctx)
    runner.run("pgrt: q= total capped at 1000 on PostgreSQL (total_capped), paging past it",
               case_total_capped, ctx)
    if ctx.srv.db_url.startswith("postgres"):
        runner.run("pgrt: shouhou serve through PgBouncer (transaction pooling), mixed requests "
                   "from 6 connections", case_pgbouncer, ctx)

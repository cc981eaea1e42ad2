"""The PostgreSQL driver's statements not waited for and its named prepared statements
(issue 16 item 1; src/store/db_pg.c).

- A statement whose answer nobody reads (a timeline event, an audit row) is queued without a
  round trip; when it fails, the whole request fails with its error and nothing of it stays.
- pg_prepared_statements: auto uses named statements when connected to PostgreSQL directly
  and unnamed ones behind PgBouncer (1.18 here); off never uses them; a migration that
  changes a cached statement's result does not break a running server (reads and intake:
  the request runs again whole, and builds the same statements again); after a SET LOCAL
  (a q= page's index step) a transaction's statements stay unnamed, so no plan made under
  it is kept for later requests; with pg_test_rerun every transaction runs twice (the first
  rolled back) and answers as if run once.
Counted by the server itself in /metrics (shouhou_db_prepares_total,
shouhou_db_prepared_runs_total)."""
import csv
import io
import os

from harness import Server, check, expect, uniq
import pooler
import test_pgrt

TOKEN = "m-pgdrv-7e3a91"


def metric(s, name):
    r = s.request("GET", "/metrics", token=TOKEN)
    check(r.status == 200, "metrics: %d" % r.status)
    v = test_pgrt.metric(r.body.decode(), name)
    check(v is not None, "no %s in /metrics" % name)
    return v


def server(ctx, name, env, url=None):
    work = os.path.join(ctx.srv.workdir, name)
    os.makedirs(work, exist_ok=True)
    s = Server(ctx.srv.binary, url or ctx.srv.db_url, work, ctx.srv.web_root)
    s.env = {"SHOUHOU_METRICS_TOKEN": TOKEN, "SHOUHOU_SLA_SCAN_SECONDS": "3600",
             "SHOUHOU_NOTIFY_POLL_SECONDS": "3600", **env}
    s.start()
    return s


def psql(ctx, stmt):
    return test_pgrt.psql(ctx.srv.db_url, stmt)


def case_late_failure(ctx):
    """A constraint violated by a statement not waited for (the intake's timeline event, a
    unit's audit row) fails the request with that constraint's error; neither the ticket nor
    the unit is stored, and the server's connections serve the next requests."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "延迟失败客户", "type": "company"})["id"]
    psql(ctx, "ALTER TABLE ticket_events ADD CONSTRAINT pgdrv_late CHECK "
              "(body NOT LIKE '%PGDRV-LATE%') NOT VALID")
    psql(ctx, "ALTER TABLE audit_log ADD CONSTRAINT pgdrv_late CHECK "
              "(after_json IS NULL OR after_json NOT LIKE '%PGDRV-LATE%') NOT VALID")
    try:
        for _ in range(3):  # on several pooled connections, prepared or not yet
            body = test_pgrt.ticket_body(cust, 1)
            body["description"] = "设备无法开机 PGDRV-LATE"
            r = ctx.srv.request("POST", "/api/v1/tickets", body, token=tok, bad=True)
            check(r.status == 400 and r.json["error"]["reason"] == "constraint",
                  "late event failure: %d %s" % (r.status, r.body[:300]))
            r = ctx.srv.request("POST", "/api/v1/units",
                                {"serial_no": "PGDRV-LATE-%d" % cust, "model_id": ctx.fx["M"],
                                 "customer_id": cust}, token=tok, bad=True)
            check(r.status == 400 and r.json["error"]["reason"] == "constraint",
                  "late audit failure: %d %s" % (r.status, r.body[:300]))
        n = psql(ctx, "SELECT count(*) FROM tickets WHERE description LIKE '%PGDRV-LATE%'")
        check(n == ["0"], "the ticket was rolled back: %s" % n)
        n = psql(ctx, "SELECT count(*) FROM units WHERE serial_no LIKE 'PGDRV-LATE%'")
        check(n == ["0"], "the unit was rolled back: %s" % n)
        for i in range(6):
            expect(ctx.srv.request("POST", "/api/v1/tickets", test_pgrt.ticket_body(cust, 10 + i),
                                   token=tok), 201, "the next intakes")
    finally:
        psql(ctx, "ALTER TABLE ticket_events DROP CONSTRAINT IF EXISTS pgdrv_late")
        psql(ctx, "ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS pgdrv_late")


def gets(s, tok, unit, n):
    """n reads of the unit and n pages of the unit list (a list's read runs again whole when
    a named statement went stale: its query must not grow on the second run)"""
    for _ in range(n):
        expect(s.request("GET", "/api/v1/units/%d" % unit, token=tok), 200, "unit")
        expect(s.request("GET", "/api/v1/units?limit=3&sort=-id", token=tok), 200, "units")


def case_modes(ctx):
    """off: no named statement at all; auto on a direct connection: the repeated statements
    run through named ones; a column added to units (a migration while running) and dropped
    again: every GET still answers 200."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "命名语句客户", "type": "company"})["id"]
    unit = ctx.create("units", {"serial_no": "PGDRV-%d" % cust, "model_id": ctx.fx["M"],
                                "customer_id": cust})["id"]
    off = server(ctx, "pgdrv-off", {"SHOUHOU_PG_PREPARED_STATEMENTS": "off"})
    try:
        gets(off, tok, unit, 20)
        check(metric(off, "shouhou_db_prepares_total") == 0
              and metric(off, "shouhou_db_prepared_runs_total") == 0,
              "off: named statements were used")
    finally:
        off.stop()
    auto = server(ctx, "pgdrv-auto", {"SHOUHOU_PG_POOL": "2"})
    try:
        gets(auto, tok, unit, 20)
        runs = metric(auto, "shouhou_db_prepared_runs_total")
        check(runs >= 20, "auto, direct: statements run through named ones: %s" % runs)
        psql(ctx, "ALTER TABLE units ADD COLUMN pgdrv_probe INTEGER")
        try:
            gets(auto, tok, unit, 6)
            gets(ctx.srv, tok, unit, 6)
        finally:
            psql(ctx, "ALTER TABLE units DROP COLUMN IF EXISTS pgdrv_probe")
        gets(auto, tok, unit, 6)
        gets(ctx.srv, tok, unit, 6)
    finally:
        auto.stop()


def case_migration_tickets(ctx):
    """A column added to tickets while running (and dropped again), before each kind of
    request in turn: intake, the ticket page, the list, a q= search, a QR report and an
    export. Their named statements go stale and each request's transaction is run again
    whole (rolled back first): each still answers once, 201 or 200, with the same answer as
    before (a second run builds the same statements as the first and starts from the same
    input: the QR report's status token is the stored one, the export holds each row once)."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "迁移工单客户", "type": "company"})["id"]
    serial = "PGDRV-MIG-%d" % cust
    ctx.create("units", {"serial_no": serial, "model_id": ctx.fx["M"], "customer_id": cust})
    s = server(ctx, "pgdrv-mig", {"SHOUHOU_PG_POOL": "2",
                                  "SHOUHOU_PUBLIC_REPORTS_PER_HOUR": "1000",
                                  "SHOUHOU_PUBLIC_REPORTS_PER_UNIT_DAY": "1000"})
    n = {"intake": 0, "qr": 0, "last": 0}

    def intake(what):
        n["intake"] += 1
        b = dict(test_pgrt.ticket_body(cust, n["intake"]),
                 description="榫头迁移故障 %d" % n["intake"])
        n["last"] = expect(s.request("POST", "/api/v1/tickets", b, token=tok), 201,
                           "intake " + what).json["id"]

    def page(what):
        expect(s.request("GET", "/api/v1/tickets/%d" % n["last"], token=tok), 200, "page " + what)

    def listing(what):
        r = expect(s.request("GET", "/api/v1/tickets?limit=3&customer_id=%d" % cust, token=tok),
                   200, "list " + what)
        check(r.json["total"] == n["intake"] + n["qr"], "list %s: %s" % (what, r.json["total"]))

    def search(what):
        r = expect(s.request("GET", "/api/v1/tickets?q=%E6%A6%AB%E5%A4%B4&limit=100",
                             token=tok), 200, "search " + what)
        check(r.json["total"] == n["intake"], "search %s: %s of %d" % (
            what, r.json["total"], n["intake"]))

    def qr(what):
        # two statements of a report's transaction return every column of tickets (the
        # intake's INSERT … RETURNING * and the audit's read of the row): after a column is
        # added, both are stale, and the transaction runs again for each
        n["qr"] += 1
        p = expect(s.request("POST", "/api/v1/public/units/%s/reports" % serial,
                             body={"description": "扫码迁移故障 %d" % n["qr"],
                                   "phone": "1391357%04d" % n["qr"]}), 201, "qr " + what)
        expect(s.request("GET", "/api/v1/public/reports/" + p.json["token"]), 200,
               "qr status " + what)

    def export(what):
        x = expect(s.request("GET", "/api/v1/tickets?format=csv&customer_id=%d" % cust,
                             token=tok), 200, "export " + what)
        rows = list(csv.reader(io.StringIO(x.body.decode("utf-8-sig"))))[1:]
        check(len(rows) == n["intake"] + n["qr"], "export %s: %d rows for %d tickets" % (
            what, len(rows), n["intake"] + n["qr"]))

    kinds = (intake, page, listing, search, qr, export)
    try:
        for _ in range(4):  # every statement named on both connections
            for k in kinds:
                k("before")
        runs = metric(s, "shouhou_db_prepared_runs_total")
        check(runs >= 20, "statements ran through named ones: %s" % runs)
        for k in kinds:  # each kind the first to meet the changed table
            psql(ctx, "ALTER TABLE tickets ADD COLUMN pgdrv_probe INTEGER")
            try:
                for _ in range(3):
                    k("after a column was added")
            finally:
                psql(ctx, "ALTER TABLE tickets DROP COLUMN IF EXISTS pgdrv_probe")
            for _ in range(3):
                k("after it was dropped")
        for k in kinds:
            k("at the end")
    finally:
        s.stop()


def case_test_rerun(ctx):
    """pg_test_rerun (store/db.h): every transaction function runs twice, the first run rolled
    back just before its COMMIT, as when a named statement goes stale. A function must start
    from its input every time: an approval's filer is not lost (the hooks write into a copy of
    the input), a QR report's status token is the stored one, an export holds each row once,
    an answer rendered in the transaction is one JSON document."""
    cust = ctx.create("customers", {"name": "重跑事务客户", "type": "company"})["id"]
    serial = "PGDRV-RR-%d" % cust
    ctx.create("units", {"serial_no": serial, "model_id": ctx.fx["M"], "customer_id": cust})
    s = server(ctx, "pgdrv-rerun", {"SHOUHOU_PG_TEST_RERUN": "true", "SHOUHOU_PG_POOL": "2",
                                    "SHOUHOU_PUBLIC_REPORTS_PER_HOUR": "1000",
                                    "SHOUHOU_PUBLIC_REPORTS_PER_UNIT_DAY": "1000"})
    try:
        r = expect(s.request("POST", "/api/v1/approvals", {
            "kind": "installation", "purpose": "重跑事务 " + uniq(), "customer_id": cust,
            "site": "上海市黄浦区瑞金二路197号", "units": "CT扫描仪 X1 ×1", "technicians": 2,
            "trip_days": 3, "cost_fen": 456000}, token=ctx.tok["sales"]), 201, "approval filed")
        check(r.json.get("requested_by") == ctx.uid["sales"],
              "filed by sales: %s" % r.json.get("requested_by"))
        for i in range(3):
            p = expect(s.request("POST", "/api/v1/public/units/%s/reports" % serial,
                                 body={"description": "重跑扫码故障 %d" % i,
                                       "phone": "1392468%04d" % i}), 201, "qr report")
            expect(s.request("GET", "/api/v1/public/reports/" + p.json["token"]), 200,
                   "its status page")
        x = expect(s.request("GET", "/api/v1/tickets?format=csv&customer_id=%d" % cust,
                             token=ctx.tok["admin"]), 200, "export")
        rows = list(csv.reader(io.StringIO(x.body.decode("utf-8-sig"))))[1:]
        check(len(rows) == 3, "export: %d rows for 3 tickets" % len(rows))
        n = expect(s.request("GET", "/api/v1/dealer-applications/counts", token=ctx.tok["agent"]),
                   200, "dealer application counts")
        check(isinstance(n.json, dict), "one JSON object: %r" % n.body[:200])
    finally:
        s.stop()


def case_pgbouncer_auto(ctx):
    """Behind PgBouncer (Debian's 1.18, no prepared statement support) auto finds a pooler
    (its backend key is not the server's) and uses unnamed statements only."""
    with pooler.pgbouncer(ctx, "pgdrv-pgb") as url:
        s = server(ctx, "pgdrv-pgb-srv", {"SHOUHOU_PG_POOL": "4"}, url)
        try:
            pooled_named(ctx, s)
        finally:
            s.stop()


def pooled_named(ctx, s):
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "连接池命名客户", "type": "company"})["id"]
    unit = ctx.create("units", {"serial_no": "PGDRV-B-%d" % cust, "model_id": ctx.fx["M"],
                                "customer_id": cust})["id"]
    gets(s, tok, unit, 20)
    for i in range(5):
        expect(s.request("POST", "/api/v1/tickets", test_pgrt.ticket_body(cust, i),
                         token=tok), 201, "intake through pgbouncer")
    check(metric(s, "shouhou_db_prepared_runs_total") == 0,
          "behind PgBouncer 1.18 auto must use unnamed statements")


def case_local_set(ctx):
    """A 2-character q= page served by the search index (after SET LOCAL enable_seqscan and
    enable_indexscan = off) runs no more named statements than a page the walk fills (no SET
    LOCAL): its window queries, named, would keep plans made without index scans."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "本地设置客户", "type": "company"})["id"]
    body = lambda d: dict(test_pgrt.ticket_body(cust, 0), description=d)
    for d in ["榫卯故障甲", "榫卯故障乙"] + ["榀架故障%d" % i for i in range(4)]:
        expect(ctx.srv.request("POST", "/api/v1/tickets", body(d), token=tok), 201, "ticket")
    s = server(ctx, "pgdrv-local", {"SHOUHOU_PG_POOL": "1", "SHOUHOU_SEARCH_WALK_IDS": "3"})
    try:
        def delta(term, limit):
            r0 = metric(s, "shouhou_db_prepared_runs_total")
            r = expect(s.request("GET", "/api/v1/tickets?q=%s&limit=%d" % (term, limit),
                                 token=tok), 200, "search").json
            return metric(s, "shouhou_db_prepared_runs_total") - r0, r
        for _ in range(3):  # every statement used before: named from now on
            delta("%E6%A6%AB%E5%8D%AF", 5)
            delta("%E6%A6%80%E6%9E%B6", 2)
        walked, r1 = delta("%E6%A6%80%E6%9E%B6", 2)  # 榀架: the walk of 3 ids fills the page
        indexed, r2 = delta("%E6%A6%AB%E5%8D%AF", 5)  # 榫卯: the windows of the index step
        check(r1.get("total_estimated") is True and len(r2["items"]) == 2,
              "the two paths: %s %s" % (r1, r2))
        check(indexed == walked, "named runs: index step %s, walk %s" % (indexed, walked))
    finally:
        s.stop()


def run(ctx, runner):
    if not ctx.srv.db_url.startswith("postgres"):
        return
    runner.run("pgdrv: a failed statement not waited for fails and rolls back the whole request",
               case_late_failure, ctx)
    runner.run("pgdrv: pg_prepared_statements off/auto; a migration while running",
               case_modes, ctx)
    runner.run("pgdrv: a column added to tickets while running: intake, list, search, page",
               case_migration_tickets, ctx)
    runner.run("pgdrv: pg_test_rerun: each transaction run twice answers as once",
               case_test_rerun, ctx)
    runner.run("pgdrv: auto behind PgBouncer 1.18 uses unnamed statements",
               case_pgbouncer_auto, ctx)
    runner.run("pgdrv: statements after a SET LOCAL stay unnamed (no plan kept from it)",
               case_local_set, ctx)

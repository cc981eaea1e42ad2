"""Periodic visits and staff performance (issue 11 items 7 and 9): plan validation, the visit
job creating work orders ahead and once (twice in a row, the CLI, two CLI passes at once on
PostgreSQL), findings routed to the technical department, the planned-vs-done numbers, the
staff report numbers on a known data set, role scope and the exports. Run by test_api.py."""
import datetime
import io
import subprocess
import sqlite3
import zipfile

from harness import PASSWORD, Fail, check, expect, short, uniq

TZ8 = datetime.timezone(datetime.timedelta(hours=8))


def today():
    return datetime.datetime.now(TZ8).date()


def day(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def sql(ctx, stmt):
    """Runs one statement on the server's database (literal values only); rows as tuples."""
    url = ctx.srv.db_url
    if url.startswith("sqlite:"):
        con = sqlite3.connect(url[len("sqlite:"):], timeout=30)
        try:
            rows = con.execute(stmt).fetchall()
            con.commit()
        finally:
            con.close()
        return [tuple("" if v is None else str(v) for v in r) for r in rows]
    p = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c", stmt],
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise Fail("psql: %s" % short(p.stderr, 300))
    out = p.stdout.decode().strip()
    return [tuple(line.split("\t")) for line in out.splitlines()] if out else []


def user(ctx, roles, dept=None):
    """A fresh account with its token."""
    name = "v_" + uniq()
    body = {"username": name, "roles": roles, "password": PASSWORD, "display_name": "访" + name[-4:]}
    if dept:
        body["department_id"] = dept
    u = expect(ctx.api().post("/api/v1/users", body), 201, "user %s" % roles).json
    p = ctx.srv.cli("token", "create", "--user", name, "--db", ctx.srv.db_url)
    return u["id"], p.stdout.decode().strip().splitlines()[-1].strip()


class Tok:
    def __init__(self, ctx, tok):
        self.ctx, self.tok = ctx, tok

    def get(self, path):
        return self.ctx.srv.request("GET", path, token=self.tok)

    def post(self, path, body):
        return self.ctx.srv.request("POST", path, body=body, token=self.tok)


def customer(ctx, region):
    return expect(ctx.api().post("/api/v1/customers", {
        "name": "走访客户" + uniq(), "type": "company", "is_key": True, "region": region,
        "province": "江苏"}), 201, "customer").json["id"]


def plan(ctx, body, role="dispatcher", status=201):
    r = ctx.api(role).post("/api/v1/visit-plans", body, bad=status == 400)
    expect(r, status, "plan %s" % short(str(body)))
    return r


def reason(r):
    e = r.json.get("error") or {}
    return e.get("field"), e.get("reason")


def gen(ctx, pid, role="dispatcher", status=200):
    return expect(ctx.api(role).post("/api/v1/visit-plans/%d/generate" % pid, None), status,
                  "generate plan %d" % pid).json


def runs(ctx, pid):
    """(due_date, ticket_id, work_order_id) of a plan, by due date."""
    return sql(ctx, "SELECT due_date, ticket_id, work_order_id FROM visit_plan_runs WHERE "
                    "plan_id = %d ORDER BY due_date" % pid)


# ---------------------------------------------------------------- cases

def case_plan_validation(ctx):
    region = "华东" + uniq()
    c = customer(ctx, region)
    site_other = ctx.fx["siteB"]
    base = {"name": "重点客户季度走访", "customer_id": c, "every_n": 3, "period": "month",
            "start_date": day(1)}
    bad = [
        ({k: v for k, v in base.items() if k != "every_n"}, "every_n", "required"),
        ({**base, "every_n": 0}, "every_n", "out_of_range"),
        ({**base, "every_n": 53}, "every_n", "out_of_range"),
        ({**base, "period": "year"}, "period", None),
        ({**base, "end_date": day(0)}, "end_date", "date_order"),
        ({**base, "visit_time": "25:00"}, "visit_time", "invalid_format"),
        ({**base, "site_id": site_other}, "site_id", "other_customer"),
        ({**base, "lead_id": ctx.uid["agent"]}, "lead_id", "not_technician"),
        ({**base, "lead_days": 121}, "lead_days", "out_of_range"),
        ({**base, "kind": "training"}, "kind", None),
        ({**base, "customer_id": 99999999}, "customer_id", None),
    ]
    n0 = ctx.count("visit-plans")
    for body, field, why in bad:
        r = plan(ctx, body, status=400)
        f, rs = reason(r)
        check(f == field and (why is None or rs == why),
              "%s: named %s/%s, want %s/%s" % (short(str(body), 120), f, rs, field, why))
    check(ctx.count("visit-plans") == n0, "no plan written by a refused request")
    # a good one: the region comes from the customer; the lead is a technician
    p = plan(ctx, {**base, "lead_id": ctx.uid["technician"], "site_id": None}).json
    check(p["region"] == region and p["kind"] == "periodic_visit" and p["active"] is True,
          "defaults: %s" % p)
    # who may write: planners; a technician reads only the plans they lead
    plan(ctx, base, role="technician", status=403)
    plan(ctx, base, role="customer", status=403)
    mine = expect(ctx.api("technician").get("/api/v1/visit-plans?limit=200"), 200, "tech list")
    check(mine.json["items"] and all(x["lead_id"] == ctx.uid["technician"]
                                     for x in mine.json["items"]), "technician sees own plans")
    other = plan(ctx, base).json  # no lead
    expect(ctx.api("technician").get("/api/v1/visit-plans/%d" % other["id"]), 404, "not led")
    expect(ctx.api("customer").get("/api/v1/visit-plans"), 403, "customer")
    # PATCH validates the same rules
    r = ctx.api("dispatcher").patch("/api/v1/visit-plans/%d" % p["id"], {"end_date": day(0)},
                                    bad=True)
    check(r.status == 400 and reason(r) == ("end_date", "date_order"), "patch: %s" % r)


def case_job_once(ctx):
    """A weekly plan from day+2, 14 days ahead: two visits (day+2, day+9), each once."""
    region = "华北" + uniq()
    c = customer(ctx, region)
    p = plan(ctx, {"name": "周巡查", "purpose": "patrol", "customer_id": c,
                   "site_id": None, "every_n": 1, "period": "week", "start_date": day(2),
                   "visit_time": "10:30", "lead_id": ctx.uid["technician"],
                   "lead_days": 14}).json
    g1 = gen(ctx, p["id"])
    check(g1["created"] + g1["existing"] == 2, "first pass: %s" % g1)
    g2 = gen(ctx, p["id"])
    check(g2 == {"plan_id": p["id"], "created": 0, "existing": 2}, "second pass: %s" % g2)
    rs = runs(ctx, p["id"])
    check([r[0] for r in rs] == [day(2), day(9)], "due dates %s" % rs)
    check(all(r[1] and r[2] for r in rs), "each run has its ticket and work order: %s" % rs)
    check(len({r[2] for r in rs}) == 2, "two work orders")
    for due, tk, wo in rs:
        w = expect(ctx.api().get("/api/v1/work-orders/%s" % wo), 200, "work order").json
        check(w["kind"] == "periodic_visit" and w["lead_id"] == ctx.uid["technician"],
              "work order %s" % short(str(w), 300))
        want = (datetime.datetime.fromisoformat(due + "T10:30:00+08:00")
                .astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        check(w["appointment_at"] == want, "appointment %s, want %s" % (w["appointment_at"], want))
        check(str(w.get("ticket_id")) == tk, "ticket of the work order")
        vp = sql(ctx, "SELECT visit_plan_id FROM work_orders WHERE id = %s" % wo)
        check(vp == [(str(p["id"]),)], "visit_plan_id %s" % vp)
        t = expect(ctx.api().get("/api/v1/tickets/%s" % tk), 200, "ticket").json
        check(t["type"] == "visit" and t["customer_id"] == c, "ticket %s" % short(str(t), 200))
        # planned work: nobody waits for a reply, no SLA clock runs (or escalates)
        check(sql(ctx, "SELECT count(*) FROM ticket_sla WHERE ticket_id = %s" % tk) == [("0",)],
              "no SLA clocks on a planned visit")
    # the lead technician sees the work orders and the plan's visits
    expect(ctx.api("technician").get("/api/v1/work-orders/%s" % rs[0][2]), 200, "lead reads")
    v = expect(ctx.api("technician").get("/api/v1/visit-plans/%d/visits" % p["id"]), 200,
               "visits of the plan").json["items"]
    check([x["due_date"] for x in v] == [day(9), day(2)] and v[0]["status"] == "planned" and
          str(v[1]["work_order_id"]) == rs[0][2] and v[1]["findings"] is False,
          "visits %s" % short(str(v), 400))
    _, other_tok = user(ctx, "technician")
    expect(Tok(ctx, other_tok).get("/api/v1/visit-plans/%d/visits" % p["id"]), 404, "not led")
    expect(ctx.api("customer").get("/api/v1/visit-plans/%d/visits" % p["id"]), 403, "customer")
    expect(ctx.api().get("/api/v1/visit-plans/99999999/visits"), 404, "no such plan")
    # the CLI is the same job: as of day+10 it adds day+16 and day+23, then nothing
    for want in (2, 0):
        out = ctx.srv.cli("visits", "--db", ctx.srv.db_url, "--date", day(10)).stdout.decode()
        check("already there" in out, "cli output %r" % out)
        check(len(runs(ctx, p["id"])) == 4, "after the CLI: %s" % runs(ctx, p["id"]))
    n_wo = sql(ctx, "SELECT count(*) FROM work_orders WHERE visit_plan_id = %d" % p["id"])
    check(n_wo == [("4",)], "four work orders, one per due date: %s" % n_wo)
    # an inactive plan creates nothing; a missing one is 404
    ctx.api("dispatcher").patch("/api/v1/visit-plans/%d" % p["id"], {"active": False})
    check(gen(ctx, p["id"])["created"] == 0, "inactive")
    gen(ctx, 99999999, status=404)
    gen(ctx, p["id"], role="technician", status=403)
    # a plan with visits cannot be deleted (deactivate it instead)
    expect(ctx.api("dept_head").delete("/api/v1/visit-plans/%d" % p["id"]), 409, "referenced")


def case_pg_concurrent(ctx):
    """Two CLI passes at once on one PostgreSQL database: every due date once."""
    c = customer(ctx, "并发" + uniq())
    p = plan(ctx, {"name": "并发走访", "customer_id": c, "every_n": 1, "period": "week",
                   "start_date": day(30), "lead_days": 14}).json
    for _ in range(3):
        procs = [subprocess.Popen([ctx.srv.binary, "visits", "--db", ctx.srv.db_url, "--date",
                                   day(30)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
        for pr in procs:
            out, err = pr.communicate(timeout=120)
            check(pr.returncode == 0, "visits exited %d: %s" % (pr.returncode, short(err)))
    rs = runs(ctx, p["id"])
    check([r[0] for r in rs] == [day(30), day(37), day(44)], "due dates %s" % rs)
    n_wo = sql(ctx, "SELECT count(*) FROM work_orders WHERE visit_plan_id = %d" % p["id"])
    check(n_wo == [("3",)], "three work orders: %s" % n_wo)
    n_tk = sql(ctx, "SELECT count(DISTINCT ticket_id) FROM work_orders WHERE visit_plan_id = %d"
               % p["id"])
    check(n_tk == [("3",)], "three tickets: %s" % n_tk)


def case_findings(ctx):
    dept = expect(ctx.api().post("/api/v1/departments", {
        "code": "TECH-" + uniq(), "name": "技术部" + uniq(), "kind": "technical"}), 201,
        "technical department").json["id"]
    eng_id, eng_tok = user(ctx, "qc", dept)
    c = customer(ctx, "西南" + uniq())
    p = plan(ctx, {"name": "走访", "customer_id": c, "every_n": 1, "period": "month",
                   "start_date": day(1), "lead_id": ctx.uid["technician"], "lead_days": 7}).json
    gen(ctx, p["id"])
    due, tk, wo = runs(ctx, p["id"])[0]
    path = "/api/v1/work-orders/%s/findings" % wo
    g = expect(ctx.api("technician").get(path), 200, "empty findings").json
    check(g["design"] == "" and g["routed_at"] is None, "nothing yet: %s" % g)
    body = {"usage": "每天两班使用", "design": "操作面板位置偏低", "assembly": "门缝偏大",
            "process": ""}
    r = expect(ctx.api("technician").post(path, body), 200, "record").json
    first = sql(ctx, "SELECT d.id FROM departments d WHERE d.kind = 'technical' AND d.active = 1 "
                     "AND EXISTS (SELECT 1 FROM users x WHERE x.department_id = d.id AND "
                     "x.active = 1) ORDER BY d.id LIMIT 1")[0][0]
    check(r["routed_now"] and str(r["routed_department_id"]) == first and r["routed_at"],
          "routed to the technical department %s: %s" % (first, r))
    check(r["design"] == body["design"] and r["assembly"] == body["assembly"], "stored %s" % r)
    staff = {x[0] for x in sql(ctx, "SELECT id FROM users WHERE active = 1 AND department_id = %s"
                                    % first)}
    ob = sql(ctx, "SELECT recipient_user_id, kind FROM outbox WHERE kind = 'visit_feedback' AND "
                  "ticket_id = %s" % tk)
    check(staff and {x[0] for x in ob} == staff, "each of its staff was told: %s" % ob)
    if first == str(dept):
        check((str(eng_id), "visit_feedback") in ob, "the engineer was told: %s" % ob)
    n1 = len(ob)
    follow_up_task(ctx, r, wo, tk, first, dept, eng_id, eng_tok)
    first_task = r["follow_up_task_id"]
    ev = expect(ctx.api().get("/api/v1/tickets/%s/events" % tk), 200, "events").json
    items = ev["items"] if isinstance(ev, dict) else ev
    check(any(e["kind"] == "visit_findings" and "操作面板" in (e.get("body") or "")
              for e in items), "timeline entry")
    # the same opinions again: kept, not routed twice; a field left out is kept
    r = expect(ctx.api("technician").post(path, {"usage": "每天三班使用"}), 200, "again").json
    check(not r["routed_now"] and r["design"] == body["design"] and r["usage"] == "每天三班使用",
          "kept: %s" % r)
    ob = sql(ctx, "SELECT count(*) FROM outbox WHERE kind = 'visit_feedback' AND ticket_id = %s"
             % tk)
    check(ob == [(str(n1),)], "no second message: %s" % ob)
    check(r["follow_up_task_id"] == first_task, "no second task: %s" % r)
    check(sql(ctx, "SELECT count(*) FROM tasks WHERE source = 'visit_findings' AND ticket_id = %s"
                   % tk) == [("1",)], "one task")
    # bad input, scope, kind
    r = ctx.api("technician").post(path, {"design": 5}, bad=True)
    check(r.status == 400 and reason(r)[0] == "design", "typed: %s" % r)
    r = ctx.api("technician").post(path, {"colour": "red"}, bad=True)
    check(r.status == 400 and reason(r)[1] == "unknown_field", "unknown: %s" % r)
    _, other_tok = user(ctx, "technician")
    expect(Tok(ctx, other_tok).get(path), 404, "another technician")
    expect(Tok(ctx, other_tok).post(path, {"design": "x"}), 404, "another technician writes")
    expect(ctx.api("customer").get(path), 403, "customer")
    expect(ctx.api().get("/api/v1/work-orders/99999999/findings"), 404, "no such work order")
    other_wo = sql(ctx, "SELECT id FROM work_orders WHERE kind <> 'periodic_visit' LIMIT 1")
    if other_wo:
        r = ctx.api().post("/api/v1/work-orders/%s/findings" % other_wo[0][0], {"design": "x"})
        check(r.status == 409 and reason(r)[1] == "illegal_action", "other kind: %s" % r)


def follow_up_task(ctx, r, wo, tk, first, dept, eng_id, eng_tok):
    """WF-10 S5: the routed opinions open a task with an owner (the technical department's
    head, else its first member) due visit_follow_up_days (7) after the recording."""
    task = r.get("follow_up_task_id")
    check(isinstance(task, int) and r.get("follow_up_due_at"), "a follow-up task: %s" % r)
    row = sql(ctx, "SELECT kind, assignee_id, ticket_id, source, source_id, due_at, created_at, "
                   "status FROM tasks WHERE id = %d" % task)
    check(len(row) == 1, "task row %s" % row)
    kind, owner, t_tk, src, src_id, due, created, status = row[0]
    check((kind, t_tk, src, status) == ("visit_follow_up", str(tk), "visit_findings", "open"),
          "task %s" % (row,))
    fid = sql(ctx, "SELECT id FROM visit_findings WHERE work_order_id = %s" % wo)[0][0]
    check(src_id == fid, "source is the findings %s: %s" % (fid, src_id))
    head = sql(ctx, "SELECT id FROM users WHERE active = 1 AND department_id = %s ORDER BY CASE "
                    "WHEN (',' || roles || ',') LIKE '%%,dept_head,%%' THEN 0 ELSE 1 END, id "
                    "LIMIT 1" % first)[0][0]
    check(owner == head, "owned by %s of department %s: %s" % (head, first, owner))
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    d = (datetime.datetime.strptime(due, fmt) - datetime.datetime.strptime(created, fmt))
    check(d == datetime.timedelta(days=7), "due 7 days later: %s → %s" % (created, due))
    check(r["follow_up_due_at"] == due, "answer's due %s vs %s" % (r["follow_up_due_at"], due))
    g = expect(ctx.api().get("/api/v1/work-orders/%s/findings" % wo), 200, "findings").json
    check(g["follow_up_task_id"] == task and g["follow_up_due_at"] == due, "GET shows it %s" % g)
    if first == str(dept):
        mine = expect(Tok(ctx, eng_tok).get("/api/v1/tasks?scope=mine&status=open"), 200,
                      "the owner's tasks").json["items"]
        check([(k["id"], k["due_at"]) for k in mine if k["kind"] == "visit_follow_up"] ==
              [(task, due)], "the owner sees it with its due time: %s" % mine)
    # the company's number of days, within its range
    r2 = ctx.api().patch("/api/v1/settings", {"visit_follow_up_days": 0}, bad=True)
    check(r2.status == 400 and reason(r2)[1] == "out_of_range", "0 days refused: %s" % r2)


def staff_survey_figures_agree(ctx, tid):
    """The staff report's survey figures are those of the survey statistics
    (uc_survey_technician_stats): submitted answers in the local period, refusals left out,
    each average over the answers that gave the score."""
    for frm, to, lo, hi in (("2026-03-01", "2026-03-31", "2026-02-28T16:00:00Z",
                             "2026-03-31T16:00:00Z"),
                            ("2026-03-01", "2026-04-30", "2026-02-28T16:00:00Z",
                             "2026-04-30T16:00:00Z")):
        rows = sql(ctx, "SELECT score_speed, score_skill, score_attitude, score_overall FROM "
                        "surveys WHERE technician_id = %d AND status = 'submitted' AND "
                        "answered_at >= '%s' AND answered_at < '%s'" % (tid, lo, hi))
        d = expect(ctx.api().get("/api/v1/reports/staff?from=%s&to=%s" % (frm, to)), 200,
                   "staff %s..%s" % (frm, to)).json
        r = [x for x in d["items"] if x["user_id"] == tid][0]
        check(r["surveys"] == len(rows), "%s..%s: %d surveys, report %s" % (frm, to, len(rows),
                                                                            r["surveys"]))
        for k, key in enumerate(("speed", "skill", "attitude", "overall")):
            vals = [int(x[k]) for x in rows if x[k] != ""]
            want = sum(vals) / len(vals) if vals else None
            got = r["survey_avg"][key]
            check((want is None and got is None) or abs(got - want) < 1e-6,
                  "%s..%s %s: %s vs %s" % (frm, to, key, got, want))


def case_report_visits(ctx):
    """Weekly from day+1, 14 days ahead: due day+1, day+8, day+15 in [day 0, day+20]; two
    created (day+15 is beyond the lead days), one done with opinions, one cancelled."""
    region = "华南" + uniq()
    c = customer(ctx, region)
    p = plan(ctx, {"name": "月度统计", "customer_id": c, "every_n": 1, "period": "week",
                   "start_date": day(1), "lead_id": ctx.uid["technician"],
                   "lead_days": 13}).json
    gen(ctx, p["id"])
    rs = runs(ctx, p["id"])
    check(len(rs) == 2, "two visits created: %s" % rs)
    sql(ctx, "UPDATE work_orders SET status = 'done', finished_at = '%sT03:00:00Z' WHERE id = %s"
        % (day(1), rs[0][2]))
    sql(ctx, "UPDATE work_orders SET status = 'cancelled' WHERE id = %s" % rs[1][2])
    sql(ctx, "INSERT INTO visit_findings (work_order_id, ticket_id, design, recorded_at) VALUES "
             "(%s, %s, '把手易松动', '%sT03:00:00Z')" % (rs[0][2], rs[0][1], day(1)))
    q = "/api/v1/reports/visits?from=%s&to=%s" % (day(0), day(20))
    d = expect(ctx.api("dept_head").get(q), 200, "report").json
    rows = [r for r in d["items"] if r["region"] == region]
    check(len(rows) == 1, "one row for the region: %s" % rows)
    r = rows[0]
    want = {"customer_id": c, "is_key": True, "plans": 1, "patrols": 0, "planned": 3,
            "created": 2, "done": 1, "cancelled": 1, "open": 0, "findings": 1, "opinions": 1}
    check({k: r[k] for k in want} == want, "row %s" % r)
    check(abs(r["done_pct"] - 100.0 / 3) < 0.01, "done %% %s" % r["done_pct"])
    check(d["total"]["planned"] >= 3 and d["from"] == day(0), "total %s" % d["total"])
    # a narrower period: only day+8 → planned 1, created 1 (the cancelled one)
    d = expect(ctx.api().get("/api/v1/reports/visits?from=%s&to=%s" % (day(8), day(8))), 200,
               "one day").json
    r = [x for x in d["items"] if x["region"] == region][0]
    check((r["planned"], r["created"], r["cancelled"], r["done"]) == (1, 1, 1, 0), "day+8 %s" % r)
    # exports: csv with the labels of the language, a totals line; xlsx is a workbook
    csv = expect(ctx.api().get(q + "&format=csv&lang=en"), 200, "csv")
    text = csv.body.decode("utf-8-sig")
    lines = text.strip().splitlines()
    check(lines[0].startswith("Region,Customer,Key customer,Plans"), "header %r" % lines[0])
    check(any(line.startswith(region + ",") and ",3,2,1,1,0,1,1,33.3" in line for line in lines),
          "region line in %r" % text[:600])
    check(lines[-1].startswith(",Total,"), "totals line %r" % lines[-1])
    x = expect(ctx.api().get(q + "&format=xlsx"), 200, "xlsx")
    check(x.body[:2] == b"PK" and "sheet1.xml" in " ".join(zipfile.ZipFile(io.BytesIO(x.body)).namelist()),
          "xlsx")
    # bad periods, roles
    for bad, field, why in (("from=2026-13-01", "from", "invalid_format"),
                            ("from=%s&to=%s" % (day(5), day(1)), "to", "date_order"),
                            ("format=pdf", "format", "invalid_format")):
        r = ctx.api().get("/api/v1/reports/visits?" + bad, bad=True)
        check(r.status == 400 and reason(r) == (field, why), "%s → %s" % (bad, r))
    for role in ("technician", "agent", "customer", "dispatcher"):
        expect(ctx.api(role).get(q), 403, "visits report as " + role)


def case_report_staff(ctx):
    """A fresh technician with three work orders in March 2026 (known times)."""
    tid, ttok = user(ctx, "technician")
    c = customer(ctx, "考评" + uniq())
    p = plan(ctx, {"name": "考评数据", "customer_id": c, "every_n": 1, "period": "week",
                   "start_date": day(1), "lead_id": tid, "lead_days": 20}).json
    gen(ctx, p["id"])
    rs = runs(ctx, p["id"])
    check(len(rs) == 3, "three work orders: %s" % rs)
    (_, t1, w1), (_, t2, w2), (_, t3, w3) = rs
    # arrived 40 min early (before the ± 30 window: not on time), 45 (late, notice in time), 60
    # (late, none)
    for wo, d, late, notice, status in ((w1, "02", -40, "", "done"),
                                        (w2, "03", 45, "in_time", "done"),
                                        (w3, "04", 60, "missing", "not_fixed")):
        sql(ctx, "UPDATE work_orders SET appointment_at = '2026-03-%sT01:00:00Z', "
                 "appointment_day = '2026-03-%s', tolerance_min = 30, arrived_at = '2026-03-%sT%02d:%02d:00Z', lateness_min = %d, late_notice "
                 "= '%s', status = '%s', finished_at = '2026-03-%sT05:00:00Z' WHERE id = %s"
            % (d, d, d, 1 + late // 60, late % 60, max(late, 0), notice, status, d, wo))
    # ticket 1 gets a second work order (w2): not a first-time fix; ticket 3 is one
    sql(ctx, "UPDATE work_orders SET ticket_id = %s WHERE id = %s" % (t1, w2))
    for t in (t1, t3):
        sql(ctx, "UPDATE tickets SET resolved_at = '2026-03-10T02:00:00Z' WHERE id = %s" % t)
    has_surveys = True
    try:
        for scores in ((4, 5, 3, 5), (2, 3, 3, 1)):
            sql(ctx, "INSERT INTO surveys (ticket_id, technician_id, status, score_speed, "
                     "score_skill, score_attitude, score_overall, answered_at, created_at, "
                     "updated_at) VALUES (%s, %d, 'submitted', %d, %d, %d, %d, "
                     "'2026-03-11T02:00:00Z', '2026-03-11T02:00:00Z', '2026-03-11T02:00:00Z')"
                % ((t1, tid) + scores))
        # a refusal in March and an answer in April: neither counts in March's averages
        sql(ctx, "INSERT INTO surveys (ticket_id, technician_id, status, refusal_reason, "
                 "answered_at, created_at, updated_at) VALUES (%s, %d, 'refused', '不方便', "
                 "'2026-03-12T02:00:00Z', '2026-03-12T02:00:00Z', '2026-03-12T02:00:00Z')"
            % (t3, tid))
        sql(ctx, "INSERT INTO surveys (ticket_id, technician_id, status, score_speed, "
                 "score_skill, score_attitude, score_overall, answered_at, created_at, "
                 "updated_at) VALUES (%s, %d, 'submitted', 5, 5, 4, 5, '2026-04-02T02:00:00Z', "
                 "'2026-04-02T02:00:00Z', '2026-04-02T02:00:00Z')" % (t3, tid))
    except Exception:
        has_surveys = False
    q = "/api/v1/reports/staff?from=2026-03-01&to=2026-03-31"
    d = expect(ctx.api("dept_head").get(q), 200, "staff report").json
    rows = [r for r in d["items"] if r["user_id"] == tid]
    check(len(rows) == 1, "the technician's row: %s" % rows)
    r = rows[0]
    want = {"done": 2, "arrivals": 3, "on_time": 0, "notices_due": 2, "notices_in_time": 1,
            "resolved": 2, "first_time": 1}
    check({k: r[k] for k in want} == want, "row %s" % r)
    check(r["on_time_pct"] == 0 and r["avg_lateness_min"] == 52.5, "on time %s, lateness %s (the "
          "early arrival is not on time, lateness of the late ones)" % (r["on_time_pct"],
                                                                       r["avg_lateness_min"]))
    # one 准时到达率 (review 71 #10): the punctuality report of the same month says the same
    p = expect(ctx.api("dept_head").get("/api/v1/reports/punctuality?from=2026-03-01&to=2026-03-31"
                                        "&staff_id=%d" % tid), 200, "punctuality").json
    pr = [x for x in p["items"] if x["user_id"] == tid]
    check(pr and (pr[0]["on_time_pct"], pr[0]["avg_late_min"]) == (r["on_time_pct"],
                                                                    r["avg_lateness_min"]),
          "the two reports differ: %s vs %s" % (pr, r))
    check(r["notices_in_time_pct"] == 50.0 and r["first_time_pct"] == 50.0, "pcts %s" % r)
    if has_surveys:
        check(r["surveys"] == 2 and r["survey_avg"] == {"speed": 3.0, "skill": 4.0,
                                                        "attitude": 3.0, "overall": 3.0},
              "surveys %s" % r)
    # outside the period: nothing
    d = expect(ctx.api().get("/api/v1/reports/staff?from=2026-04-01&to=2026-04-30"), 200,
               "april").json
    r = [x for x in d["items"] if x["user_id"] == tid][0]
    check(r["done"] == 0 and r["arrivals"] == 0 and r["on_time_pct"] is None, "april %s" % r)
    if has_surveys:
        check(r["surveys"] == 1 and r["survey_avg"] == {"speed": 5.0, "skill": 5.0,
                                                        "attitude": 4.0, "overall": 5.0},
              "april surveys %s" % r)
        staff_survey_figures_agree(ctx, tid)
    # scope: the technician sees their own row only; customers nothing
    d = expect(Tok(ctx, ttok).get(q), 200, "own row").json
    check([x["user_id"] for x in d["items"]] == [tid], "technician scope %s" % d["items"])
    d = expect(ctx.api("technician").get(q), 200, "other technician").json
    check(all(x["user_id"] == ctx.uid["technician"] for x in d["items"]), "only self")
    for role in ("customer", "dealer", "agent", "dispatcher"):
        expect(ctx.api(role).get(q), 403, "staff report as " + role)
    # Excel export
    x = expect(ctx.api().get(q + "&format=xlsx"), 200, "xlsx")
    check(x.body[:2] == b"PK", "xlsx")
    csv = expect(ctx.api().get(q + "&format=csv&lang=en"), 200, "csv").body.decode("utf-8-sig")
    check(csv.splitlines()[0].startswith("Technician,Work orders done,Arrivals,On time (%)"),
          "header %r" % csv.splitlines()[0])
    line = [x for x in csv.splitlines() if ",2,3,0.0,52.5,2,50.0,2,50.0," in x]
    check(len(line) == 1, "the technician's csv line in %r" % csv[:800])


def case_no_approval(ctx):
    """A periodic visit is planned by the company: with approval_before_dispatch on, the plan
    still books its visits (the approval guard weighs trips customers ask for, R-051)."""
    c = customer(ctx, "华中" + uniq())
    p = plan(ctx, {"name": "月度走访", "purpose": "patrol", "customer_id": c, "every_n": 1,
                   "period": "month", "start_date": day(2), "visit_time": "09:00",
                   "lead_id": ctx.uid["technician"], "lead_days": 7}).json
    expect(ctx.api().patch("/api/v1/settings", {"approval_before_dispatch": True}), 200, "on")
    try:
        g = gen(ctx, p["id"])
    finally:
        expect(ctx.api().patch("/api/v1/settings", {"approval_before_dispatch": False}), 200,
               "off")
    check(g["created"] == 1, "booked with the approval switch on: %s" % g)


def run(ctx, runner):
    runner.run("visits: booked with approval_before_dispatch on (review 2026-12-07)",
               case_no_approval, ctx)
    runner.run("visits: plan validation and scope (item 7)", case_plan_validation, ctx)
    runner.run("visits: the job creates work orders ahead, once (API, CLI)", case_job_once, ctx)
    if not ctx.srv.db_url.startswith("sqlite:"):
        runner.run("visits: two job passes at once on PostgreSQL create each visit once",
                   case_pg_concurrent, ctx)
    runner.run("visits: findings routed to the technical department", case_findings, ctx)
    runner.run("visits: planned vs done by region and customer, csv/xlsx", case_report_visits,
               ctx)
    runner.run("staff: performance numbers, scope, export (item 9)", case_report_staff, ctx)

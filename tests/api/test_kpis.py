"""Registers and KPI reports (issue 15 items 3 and 4): the call and letter register, the
dispatch record, SLA compliance per clock with its breaches, appointment punctuality. Every
figure is checked against a fixture written straight into the database whose expected
figures are worked out by hand below (not by the reports' SQL); the fixture's tickets carry
a region of their own, so ?region= isolates them from every other test's records. Scope: a
technician cannot read department reports. Run by test_api.py on SQLite and PostgreSQL."""
import io
import zipfile

from harness import check, expect, tech2, uniq
from test_visits import sql

NOW = "2026-12-05T00:00:00Z"


def esc(s):
    return s.replace("'", "''")


def fixture(ctx):
    """Five tickets around March 2026 (local), SLA clocks and eight work orders."""
    if "kpi" in ctx.fx:
        return ctx.fx["kpi"]
    tech2(ctx)
    region = "KPI" + uniq()[:8]
    u = uniq()[:6]
    cust = expect(ctx.api().post("/api/v1/customers", {
        "name": "指标客户" + u, "type": "company", "region": region}), 201, "customer").json["id"]
    a, b = ctx.uid["technician"], ctx.uid["tech2"]
    # (key, received_at UTC, channel, status, assignee, customer)
    tickets = [
        ("T1", "2026-03-02T02:00:00Z", "phone", "closed", a, None),
        ("T2", "2026-03-10T03:00:00Z", "letter", "new", b, cust),
        ("T3", "2026-03-31T15:59:00Z", "phone", "new", None, None),   # local 03-31 23:59
        ("T4", "2026-03-31T16:00:00Z", "phone", "new", None, None),   # local 04-01: out
        ("T5", "2026-02-28T16:00:00Z", "fax", "cancelled", None, None),  # local 03-01 00:00
    ]
    ids = {}
    for k, at, ch, st, who, c in tickets:
        num = "KPI-%s-%s" % (u, k)
        sql(ctx, "INSERT INTO tickets (number, channel, type, status, customer_id, region, "
                 "caller_name, received_at, assignee_id, created_at, updated_at) VALUES ('%s', "
                 "'%s', 'repair', '%s', %s, '%s', '王工', '%s', %s, '%s', '%s')"
            % (num, ch, st, c or "NULL", region, at, who or "NULL", at, at))
        ids[k] = int(sql(ctx, "SELECT id FROM tickets WHERE number = '%s'" % num)[0][0])
    # (ticket, target, due, done, state)
    clocks = [
        ("T1", "reply", "2026-03-03T02:00:00Z", "2026-03-02T05:00:00Z", "met"),
        ("T1", "onsite", "2026-03-04T02:00:00Z", "2026-03-05T00:00:00Z", "breached"),
        ("T1", "remote", None, None, "off"),
        ("T2", "reply", "2026-03-11T03:00:00Z", "2026-03-11T03:00:00Z", "met"),
        ("T2", "onsite", "2026-03-12T03:00:00Z", None, "breached"),
        ("T2", "resolve", "2099-01-01T00:00:00Z", None, "running"),
        ("T3", "reply", "2099-01-01T00:00:00Z", None, "running"),
        ("T3", "remote", "2026-03-31T17:00:00Z", "2026-03-31T16:30:00Z", "met"),
        ("T4", "reply", "2026-04-01T00:00:00Z", None, "breached"),
        ("T5", "reply", "2026-03-01T00:00:00Z", None, "breached"),
    ]
    q = lambda v: "NULL" if v is None else "'%s'" % v
    for k, tg, due, done, st in clocks:
        sql(ctx, "INSERT INTO ticket_sla (ticket_id, target, started_at, due_at, done_at, state) "
                 "VALUES (%d, '%s', NULL, %s, %s, '%s')" % (ids[k], tg, q(due), q(done), st))
    # (key, ticket, lead, status, appointment UTC, local day, tolerance, arrived, late notice)
    wos = [
        ("W1", "T1", a, "done", "2026-03-02T01:00:00Z", "2026-03-02", 30, "2026-03-02T01:20:00Z", ""),
        ("W2", "T1", a, "on_site", "2026-03-05T01:00:00Z", "2026-03-05", 30, "2026-03-05T00:20:00Z", ""),
        ("W3", "T2", a, "on_site", "2026-03-10T06:00:00Z", "2026-03-10", 30, "2026-03-10T07:00:00Z", "in_time"),
        ("W4", "T2", b, "on_site", "2026-03-11T06:00:00Z", "2026-03-11", 15, "2026-03-11T06:20:00Z", "missing"),
        ("W5", "T3", b, "done", "2026-03-20T06:00:00Z", "2026-03-20", 30, "2026-03-20T06:30:00Z", ""),
        ("W6", "T2", a, "cancelled", "2026-03-12T06:00:00Z", "2026-03-12", 30, "2026-03-12T06:00:00Z", ""),
        ("W7", "T3", b, "done", "2026-04-01T06:00:00Z", "2026-04-01", 30, "2026-04-01T06:00:00Z", ""),
        ("W8", "T3", a, "planned", "2026-03-25T06:00:00Z", "2026-03-25", 30, None, ""),
    ]
    wid = {}
    for k, t, lead, st, appt, d, tol, arr, ln in wos:
        num = "KPW-%s-%s" % (u, k)
        sql(ctx, "INSERT INTO work_orders (number, ticket_id, kind, status, lead_id, "
                 "appointment_at, appointment_day, tolerance_min, arrived_at, late_notice, "
                 "created_at, updated_at) VALUES ('%s', %d, 'onsite_repair', '%s', %d, '%s', "
                 "'%s', %d, %s, '%s', '%s', '%s')"
            % (num, ids[t], st, lead, appt, d, tol, q(arr), ln, appt, appt))
        wid[k] = int(sql(ctx, "SELECT id FROM work_orders WHERE number = '%s'" % num)[0][0])
    sql(ctx, "INSERT INTO trips (status, lead_id, purpose, est_days, planned_departure_at, "
             "start_at, end_at, created_at, updated_at) VALUES ('planned', %d, '指标出差%s', 3, "
             "'2026-03-09T00:00:00Z', '2026-03-09T00:00:00Z', '2026-03-12T00:00:00Z', "
             "'2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')" % (a, u))
    trip = sql(ctx, "SELECT id FROM trips WHERE purpose = '指标出差%s'" % u)[0][0]
    sql(ctx, "INSERT INTO trip_work_orders (trip_id, work_order_id) VALUES (%s, %d)"
        % (trip, wid["W3"]))
    # quality (R-177, R-178, first-time fix): resolved in March T1 T2 (a repeat of T1) T3
    # (an installation) and T6 (received in February: one work order left, a cancelled one)
    sql(ctx, "UPDATE tickets SET resolved_at = '2026-03-06T00:00:00Z' WHERE id = %d" % ids["T1"])
    sql(ctx, "UPDATE tickets SET resolved_at = '2026-03-20T00:00:00Z', repeat_of = %d WHERE id "
             "= %d" % (ids["T1"], ids["T2"]))
    sql(ctx, "UPDATE tickets SET resolved_at = '2026-03-28T00:00:00Z', type = 'install' WHERE id "
             "= %d" % ids["T3"])
    num = "KPI-%s-T6" % u
    sql(ctx, "INSERT INTO tickets (number, channel, type, status, region, received_at, "
             "resolved_at, assignee_id, created_at, updated_at) VALUES ('%s', 'phone', 'repair', "
             "'resolved', '%s', '2026-02-10T02:00:00Z', '2026-03-15T00:00:00Z', %d, "
             "'2026-02-10T02:00:00Z', '2026-02-10T02:00:00Z')" % (num, region, a))
    ids["T6"] = int(sql(ctx, "SELECT id FROM tickets WHERE number = '%s'" % num)[0][0])
    for k, st in (("W9", "done"), ("W10", "cancelled")):
        sql(ctx, "INSERT INTO work_orders (number, ticket_id, kind, status, lead_id, "
                 "appointment_at, appointment_day, created_at, updated_at) VALUES ('KPW-%s-%s', "
                 "%d, 'onsite_repair', '%s', %d, '2026-02-11T02:00:00Z', '2026-02-11', "
                 "'2026-02-10T02:00:00Z', '2026-02-10T02:00:00Z')" % (u, k, ids["T6"], st, a))
    for t, st, score, at in (("T1", "submitted", 4, "2026-03-07T00:00:00Z"),
                             ("T6", "submitted", 2, "2026-03-16T00:00:00Z"),
                             ("T3", "pending", None, None)):
        sql(ctx, "INSERT INTO surveys (ticket_id, status, score_overall, answered_at, created_at, "
                 "updated_at) VALUES (%d, '%s', %s, %s, '2026-03-01T00:00:00Z', "
                 "'2026-03-01T00:00:00Z')" % (ids[t], st, score or "NULL", q(at)))
    ctx.fx["kpi"] = {"region": region, "ids": ids, "wid": wid, "cust": cust, "a": a, "b": b}
    return ctx.fx["kpi"]


def get(ctx, path, fx, extra="", role="dept_head"):
    q = "%s?from=2026-03-01&to=2026-03-31&region=%s%s" % (path, fx["region"], extra)
    return expect(ctx.api(role).get(q), 200, path + extra).json


def case_calls(ctx):
    """R-171: T1, T2, T3, T5 in March (local); open: T2, T3."""
    fx = fixture(ctx)
    d = get(ctx, "/api/v1/reports/calls", fx)
    nums = [x["number"][-2:] for x in d["items"]]
    check(nums == ["T5", "T1", "T2", "T3"], "rows in order of receipt: %s" % nums)
    check(d["total"]["total"] == 4 and d["total"]["open"] == 2, "totals %s" % d["total"])
    ch = {x["channel"]: (x["count"], x["open"]) for x in d["total"]["channels"]}
    check(ch == {"phone": (2, 1), "letter": (1, 1), "fax": (1, 0)}, "channels %s" % ch)
    check([x["open"] for x in d["items"]] == [False, False, True, True], "open flags")
    d = get(ctx, "/api/v1/reports/calls", fx, "&customer_id=%d" % fx["cust"])
    check([x["number"][-2:] for x in d["items"]] == ["T2"], "customer filter %s" % d["items"])
    d = get(ctx, "/api/v1/reports/calls", fx, "&staff_id=%d" % fx["a"])
    check([x["number"][-2:] for x in d["items"]] == ["T1"], "staff filter")


def case_dispatch(ctx):
    """R-172: W1–W5 and W8 (W6 cancelled, W7 in April); A led W1 W2 W3 W8 (W1 done, the
    3-day trip on W3), B led W4 W5 (W5 done)."""
    fx = fixture(ctx)
    d = get(ctx, "/api/v1/reports/dispatch", fx)
    nums = [x["number"][-2:] for x in d["items"]]
    check(nums == ["W1", "W2", "W3", "W4", "W5", "W8"], "dispatches %s" % nums)
    t = d["total"]
    check((t["dispatches"], t["done"], t["trip_days"]) == (6, 2, 3), "totals %s" % t)
    st = {x["user_id"]: (x["dispatches"], x["done"], x["trip_days"]) for x in t["staff"]}
    check(st == {fx["a"]: (4, 1, 3), fx["b"]: (2, 1, 0)}, "per technician %s" % st)
    d = get(ctx, "/api/v1/reports/dispatch", fx, "&staff_id=%d" % fx["b"])
    check([x["number"][-2:] for x in d["items"]] == ["W4", "W5"], "staff filter")


def case_sla(ctx):
    """R-175 over T1–T3 (T4 is April, T5 cancelled): reply met T1, T2 (on the deadline),
    open T3; remote met T3 (T1's is off); onsite breached T1 (done 22 h late) and T2
    (running past it); resolve open T2."""
    fx = fixture(ctx)
    d = get(ctx, "/api/v1/reports/sla", fx)
    c = {x["target"]: (x["clocks"], x["met"], x["breached"], x["open"], x["pct"])
         for x in d["total"]["clocks"]}
    want = {"reply": (3, 2, 0, 1, 100.0), "remote": (1, 1, 0, 0, 100.0),
            "onsite": (2, 0, 2, 0, 0.0), "resolve": (1, 0, 0, 1, None)}
    check(c == want, "clocks %s" % c)
    br = [(x["number"][-2:], x["target"], x["done_at"]) for x in d["items"]]
    check(br == [("T1", "onsite", "2026-03-05T00:00:00Z"), ("T2", "onsite", None)],
          "breaches %s" % br)
    check(d["items"][0]["over_min"] == 22 * 60, "T1 over by 22 h: %s" % d["items"][0])
    d = get(ctx, "/api/v1/reports/sla", fx, "&staff_id=%d" % fx["a"])
    c = {x["target"]: (x["met"], x["breached"]) for x in d["total"]["clocks"]}
    check(c["reply"] == (1, 0) and c["onsite"] == (0, 1) and c["remote"] == (0, 0),
          "assignee filter %s" % c)
    x = expect(ctx.api("gm").get("/api/v1/reports/sla?from=2026-03-01&to=2026-03-31&region=%s"
                                 "&format=csv&lang=zh-CN" % fx["region"]), 200, "csv")
    lines = x.body.decode("utf-8-sig").splitlines()
    check(lines[0].startswith("时限,计时数,达标,超时"), "Chinese header %r" % lines[0])
    check(len(lines) == 1 + 4 + 2, "4 clock lines and 2 breaches: %r" % lines)


def case_punctuality(ctx):
    """R-176: arrivals W1–W5. W1 +20 min (tolerance 30) on time, W2 −40 min early, W3 +60
    late notified in time, W4 +20 (tolerance 15) late without notice, W5 +30 on the edge:
    on time. Total 5: on time 2 (40 %), early 1 (20 %), late 60 and 20 min (avg 40)."""
    fx = fixture(ctx)
    d = get(ctx, "/api/v1/reports/punctuality", fx)
    t = d["total"]
    got = (t["arrivals"], t["on_time"], t["early"], t["late_notified"], t["late_unnotified"],
           t["on_time_pct"], t["early_pct"], t["avg_late_min"])
    check(got == (5, 2, 1, 1, 1, 40.0, 20.0, 40.0), "total %s" % (got,))
    rows = {x["user_id"]: (x["arrivals"], x["on_time"], x["early"], x["late_notified"],
                           x["late_unnotified"]) for x in d["items"]}
    check(rows == {fx["a"]: (3, 1, 1, 1, 0), fx["b"]: (2, 1, 0, 0, 1)}, "rows %s" % rows)
    x = expect(ctx.api().get("/api/v1/reports/punctuality?from=2026-03-01&to=2026-03-31&"
                             "region=%s&format=xlsx" % fx["region"]), 200, "xlsx")
    z = zipfile.ZipFile(io.BytesIO(x.body))
    check(any("sheet" in n for n in z.namelist()), "an xlsx workbook")


def case_quality(ctx):
    """Resolved in March: T1 T2 T3 T6. Repairs T1 T2 T6, repeat T2: 1/3. Work orders not
    cancelled: T1 2, T2 2, T3 3, T6 1: first time 1/4. Submitted surveys: T1 (4), T6 (2):
    completion 2/4, average 3. Per assignee: A (T1, T6), B (T2), none (T3)."""
    fx = fixture(ctx)
    d = get(ctx, "/api/v1/reports/quality", fx)
    t = d["total"]
    got = (t["resolved"], t["repairs"], t["repeats"], t["with_wo"], t["first_time"],
           t["surveyed"], t["answered"], t["first_time_pct"], t["survey_pct"], t["score_avg"])
    check(got == (4, 3, 1, 4, 1, 2, 2, 25.0, 50.0, 3.0), "total %s" % (got,))
    check(abs(t["repeat_pct"] - 100.0 / 3) < 1e-9, "repeat rate %s" % t["repeat_pct"])
    rows = {x["user_id"]: (x["resolved"], x["repairs"], x["repeats"], x["with_wo"],
                           x["first_time"], x["surveyed"], x["answered"]) for x in d["items"]}
    check(rows == {fx["a"]: (2, 2, 0, 2, 1, 2, 2), fx["b"]: (1, 1, 1, 1, 0, 0, 0),
                   0: (1, 0, 0, 1, 0, 0, 0)}, "rows %s" % rows)


def case_dashboard(ctx):
    """The summary: March in the 12-month trend carries the reports' figures for March; the
    open tickets T2 T3 T4 (all new, received over 30 days ago)."""
    fx = fixture(ctx)
    d = expect(ctx.api("gm").get("/api/v1/dashboard?region=" + fx["region"]), 200,
               "dashboard").json
    check(len(d["trend"]) == 12 and d["trend"][-1]["month"] == d["month"]["month"], "12 months")
    mar = [m for m in d["trend"] if m["month"] == "2026-03"]
    if mar:  # the run's clock is within a year of March 2026
        m = mar[0]
        check(m["sla_pct"] == {"reply": 100.0, "remote": 100.0, "onsite": 0.0, "resolve": None},
              "March SLA %s" % m["sla_pct"])
        check((m["on_time_pct"], m["first_time_pct"], m["score_avg"]) == (40.0, 25.0, 3.0),
              "March rates %s" % m)
        check(abs(m["repeat_pct"] - 100.0 / 3) < 1e-9, "March repeats %s" % m)
    new = [x for x in d["open"] if x["status"] == "new"][0]
    check(new["ge30d"] == 3 and d["open_total"] == 3, "open %s" % d["open"])
    check(d["breaches_today"] == 0, "breaches today")
    d2 = expect(ctx.api("gm").get("/api/v1/dashboard?region=" + fx["region"]), 200, "again").json
    check(d2["cached"] and d2["trend"] == d["trend"], "the past months from the cache")
    expect(ctx.api("technician").get("/api/v1/dashboard"), 403, "dashboard as technician")


def case_scope(ctx):
    """A technician (or an agent, a customer) cannot read department reports; bad filters
    are 400 naming the field."""
    for path in ("calls", "dispatch", "sla", "punctuality", "quality"):
        for role in ("technician", "agent", "customer"):
            expect(ctx.api(role).get("/api/v1/reports/" + path), 403, path + " as " + role)
    r = ctx.api().get("/api/v1/reports/sla?staff_id=abc", bad=True)
    expect(r, 400, "bad staff_id")
    check(r.json["error"].get("field") == "staff_id", "field %s" % r.json)
    r = ctx.api().get("/api/v1/reports/calls?from=2026-13-01", bad=True)
    expect(r, 400, "bad from")


def run(ctx, runner):
    runner.run("kpis: call and letter register (R-171)", case_calls, ctx)
    runner.run("kpis: dispatch record (R-172)", case_dispatch, ctx)
    runner.run("kpis: SLA compliance per clock and breaches (R-175)", case_sla, ctx)
    runner.run("kpis: appointment punctuality (R-176)", case_punctuality, ctx)
    runner.run("kpis: repeat repairs, first-time fix, satisfaction (R-177, R-178)",
               case_quality, ctx)
    runner.run("kpis: the dashboard's summary", case_dashboard, ctx)
    runner.run("kpis: scope and bad filters", case_scope, ctx)

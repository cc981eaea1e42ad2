"""R-189 training report (issue 15 item 3): a customer with two installation projects — one
whose training record was signed with 4 trainees on a contract with 2 free seats, one accepted
whose record is still owed — and a finished training work order without a signed report. The
figures are worked out by hand below (not by the report's SQL); ?customer_id= isolates the
fixture from every other test's records. Also the staff report's conduct-complaints column
(R-181), shown to the heads only. Run by test_api.py on SQLite and PostgreSQL."""
import datetime
import time

from harness import PASSWORD, check, expect, uniq
from test_projects import (TOPICS, book, fixtures, on_site_done, open_project, sign_body, ts, WO,
                           P as PROJECTS)

R = "/api/v1/reports/training"


def today_local():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def accepted_project(ctx, f, unit):
    p = open_project(ctx, f, unit_ids=[unit])
    w = book(ctx, p["id"])
    on_site_done(ctx, f, w["id"])
    expect(ctx.api("technician").post("%s/%d/acceptance" % (PROJECTS, p["id"]), sign_body()), 201,
           "acceptance")
    return p


def training_work_order(ctx, f):
    tid = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": f["units"][0],
        "caller_phone": "13900000189", "assignee_id": ctx.uid["technician"]}), 201,
        "ticket").json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % tid, {}), 200, "acc")
    w = expect(ctx.api("dispatcher").post(WO, {
        "ticket_id": tid, "kind": "training", "lead_id": ctx.uid["technician"],
        "appointment_at": ts(time.time() + 3600),
        "override_reason": "test: the same crew in every case"}), 201, "training wo").json
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, w["id"]), {"action": "arrive"}), 200,
           "arrive")
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, w["id"]),
                                      {"action": "finish", "result": "done"}), 200, "finish")
    return w


def case_training(ctx):
    f = fixtures(ctx, seats=2)
    signed = accepted_project(ctx, f, f["units"][0])
    trainees = [{"name": n, "position": "设备科"} for n in ("李明", "陈静", "赵刚", "王芳")]
    expect(ctx.api("technician").post("%s/%d/training" % (PROJECTS, signed["id"]), sign_body(
        trainees=trainees, topics=TOPICS[:2])), 201, "training")
    owed = accepted_project(ctx, f, f["units"][1])
    wo = training_work_order(ctx, f)
    day = today_local().isoformat()
    q = "%s?from=%s&to=%s&customer_id=%d" % (R, day, day, f["customer"])
    d = expect(ctx.api("dept_head").get(q), 200, "report").json
    by = {(x["source"], x["record_id"]): x for x in d["items"]}
    check(len(d["items"]) == 3, "three rows: %s" % d["items"])
    a = by.get(("project", signed["id"]))
    # 4 trainees, 2 free seats on the contract: 2 chargeable; the two topics
    check(a and a["trainees"] == 4 and a["free"] == 2 and a["chargeable"] == 2 and a["signed"] and
          a["topics"] == "、".join(TOPICS[:2]) and a["staff_id"] == ctx.uid["technician"],
          "the signed record: %s" % a)
    b = by.get(("project", owed["id"]))
    check(b and not b["signed"] and b["trainees"] == 0 and b["staff_id"] is None,
          "the owed record: %s" % b)
    c = by.get(("work_order", wo["id"]))
    check(c and not c["signed"] and c["staff_id"] == ctx.uid["technician"], "the work order: %s" % c)
    # sessions: the signed record and the work order (2); trainees 4 = free 2 + chargeable 2;
    # signed 1 (the record), unsigned 2 (the owed record, the work order without a report)
    t = d["total"]
    check((t["sessions"], t["trainees"], t["free"], t["chargeable"], t["signed"], t["unsigned"]) ==
          (2, 4, 2, 2, 1, 2), "totals: %s" % t)
    check(t["topics"] == [{"topic": x, "sessions": 1} for x in sorted(TOPICS[:2])],
          "topic counts: %s" % t["topics"])
    # the staff filter keeps the rows recorded by / led by that person; the owed one has none
    d = expect(ctx.api().get(q + "&staff_id=%d" % ctx.uid["technician"]), 200, "staff").json
    check(sorted(x["source"] for x in d["items"]) == ["project", "work_order"], "staff filter")
    # a day before: nothing
    y = (today_local() - datetime.timedelta(days=1)).isoformat()
    d = expect(ctx.api().get("%s?from=%s&to=%s&customer_id=%d" % (R, y, y, f["customer"])), 200,
               "yesterday").json
    check(d["items"] == [] and d["total"]["sessions"] == 0, "nothing yesterday: %s" % d["total"])
    x = expect(ctx.api().get(q + "&format=xlsx"), 200, "xlsx")
    check(x.body[:2] == b"PK", "an xlsx file")


def case_scope(ctx):
    expect(ctx.api("technician").get(R), 403, "technicians do not read reports")
    expect(ctx.api().get(R + "?customer_id=x", bad=True), 400, "bad filter")
    expect(ctx.api().get(R + "?from=2026-13-01", bad=True), 400, "bad date")


def case_staff_complaints(ctx):
    """R-181's complaints column: the conduct complaints about a person in the period, for the
    heads only (R-164); a technician reading their own row, or QC, gets null."""
    u = expect(ctx.api().post("/api/v1/users", {
        "username": "tr_tech_" + uniq()[:8], "roles": "technician", "password": PASSWORD,
        "display_name": "培训技工" + uniq()[:4]}), 201, "technician").json
    day = today_local().isoformat()
    y = (today_local() - datetime.timedelta(days=1)).isoformat()
    for on, cat in ((day, "arguing"), (day, "asking_money"), (y, "other")):
        expect(ctx.api("dept_head").post("/api/v1/conduct-complaints", {
            "staff_user_id": u["id"], "category": cat, "source": "customer_call",
            "occurred_on": on, "description": "服务态度差 " + uniq()}), 201, "complaint")
    q = "/api/v1/reports/staff?from=%s&to=%s" % (day, day)
    for who in ("dept_head", "gm", "admin"):
        rows = {r["user_id"]: r for r in expect(ctx.api(who).get(q), 200, who).json["items"]}
        # two today; yesterday's is outside the period
        check(rows.get(u["id"], {}).get("complaints") == 2, "%s: %s" % (who, rows.get(u["id"])))
    rows = expect(ctx.api("qc").get(q), 200, "qc").json["items"]
    check(rows and all(r["complaints"] is None for r in rows), "qc sees no complaints: %s" % rows[:2])
    rows = expect(ctx.api("technician").get(q), 200, "technician").json["items"]
    check(len(rows) == 1 and rows[0]["complaints"] is None, "own row, no complaints: %s" % rows)
    x = expect(ctx.api("dept_head").get(q + "&format=xlsx"), 200, "xlsx")
    check(x.body[:2] == b"PK", "xlsx")


def run(ctx, runner):
    runner.run("training report (R-189): records, owed records, work orders, seats, topics",
               case_training, ctx)
    runner.run("training report: scope and bad filters", case_scope, ctx)
    runner.run("staff report (R-181): conduct complaints for the heads only", case_staff_complaints,
               ctx)

"""Issue 14 remaining gaps (engineer qual): the problems found on work orders in the quality
report (R-186: on-site repairs, installations, periodic visits), the credit of a complaint
decision as a real charge line, and the printable complaint notice (F-11). Counts computed by
hand here. Run by test_api.py on SQLite and PostgreSQL."""
import datetime
import time

import contract
from harness import check, expect, report_guard_off, short, uniq

WO = "/api/v1/work-orders"


def today():
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def fixtures(ctx):
    if "qual" in ctx.fx:
        return ctx.fx["qual"]
    a = ctx.api()
    cust = expect(a.post("/api/v1/customers", {"name": "质量测试客户" + uniq()[:4],
                                               "type": "company"}), 201, "customer").json["id"]
    series = "质量系列-" + uniq()
    model = expect(a.post("/api/v1/models", {"code": "QL-" + uniq()[:6], "name": "质量型号",
                                             "series": series, "category": "equipment",
                                             "warranty_months": 12}), 201, "model").json["id"]
    tpl = expect(a.post("/api/v1/checklist-templates", {
        "code": "QL-" + uniq(), "name": "巡检", "product_category": "equipment",
        "model_series": series, "work_order_kind": "periodic_visit"}), 201, "template").json
    item = expect(a.post("/api/v1/checklist-items", {
        "template_id": tpl["id"], "kind": "check", "label": "运行无异响", "required": False}),
        201, "item").json["id"]
    unit = expect(a.post("/api/v1/units", {"serial_no": "QL" + uniq()[:10], "model_id": model,
                                           "customer_id": cust,
                                           "production_date": "2026-03-15",
                                           "install_date": "2026-04-01"}), 201, "unit").json
    fx = {"cust": cust, "model": model, "unit": unit["id"], "item": item}
    ctx.fx["qual"] = fx
    return fx


def work_order(ctx, fx, kind, fault="", result="done", findings=None, work_done=None,
               fail_check=False, cancel=False):
    """A ticket on the fixture unit and a work order of the kind, driven to its end."""
    t = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": fx["unit"], "caller_phone": "13900000001",
        "fault_category": fault or None, "assignee_id": ctx.uid["technician"]}), 201, "ticket").json
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % t["id"], {}), 200,
           "accept")
    w = expect(ctx.api("dispatcher").post(WO, {"ticket_id": t["id"], "kind": kind,
                                               "lead_id": ctx.uid["technician"],
                                               "appointment_at": ts(time.time() + 3600),
                                               "override_reason": "test: one crew"}),
               201, "work order").json
    if cancel:
        expect(ctx.api("dispatcher").post("%s/%d/actions" % (WO, w["id"]),
                                          {"action": "cancel", "note": "取消"}), 200, "cancel")
        return t["id"], w["id"]
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, w["id"]), {"action": "arrive"}),
           200, "arrive")
    body = {}
    if findings:
        body["findings"] = findings
    if work_done:
        body["work_done"] = work_done
    if body:
        expect(ctx.api("technician").patch("%s/%d" % (WO, w["id"]), body), 200, "record")
    if fail_check:  # a failed optional check (the checklist rules: test_checklists.py)
        expect(ctx.api("technician").post("%s/%d/checklist/items/%d" % (WO, w["id"], fx["item"]),
                                         {"passed": False, "note": "异响"}), 200, "check")
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, w["id"]),
                                      {"action": "finish", "result": result}), 200, "finish")
    return t["id"], w["id"]


def case_work_orders_in_quality_report(ctx):
    """R-186 with work orders as a source, counted by hand (model QL, batch 2026-03):
    A on-site repair, fault display, work done, ticket open        → repair/display: open, corr
    B on-site repair, fault display, no work done, ticket resolved → repair/display: closed
    C installation with findings, ticket open                      → installation/none: open
    D periodic visit with a failed checklist answer, no findings   → visit/none: open
    E periodic visit without findings nor failures                 → not an anomaly
    F on-site repair cancelled                                     → not an anomaly
    G installation without findings                                → not an anomaly"""
    fx = fixtures(ctx)
    work_order(ctx, fx, "onsite_repair", "display", work_done="更换显示板")
    tb, _ = work_order(ctx, fx, "onsite_repair", "display")
    with report_guard_off(ctx):
        expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % tb,
                                          {"note": "远程恢复"}), 200, "resolve B")
    work_order(ctx, fx, "installation", findings="底座螺栓松动")
    work_order(ctx, fx, "periodic_visit", fail_check=True)
    work_order(ctx, fx, "periodic_visit")
    work_order(ctx, fx, "onsite_repair", "display", cancel=True)
    work_order(ctx, fx, "installation")
    q = "from=%s&to=%s&customer_id=%d" % (today(), today(), fx["cust"])
    d = expect(ctx.api("qc").get("/api/v1/reports/quality-issues?" + q), 200, "R-186").json
    got = {(x["source"], x["batch"], x["cause"]): (x["anomalies"], x["open"], x["analysed"],
                                                   x["verified"], x["closed"], x["refused"],
                                                   x["corrective"]) for x in d["items"]}
    want = {("repair", "2026-03", "display"): (2, 1, 0, 0, 1, 0, 1),
            ("installation", "2026-03", None): (1, 1, 0, 0, 0, 0, 0),
            ("visit", "2026-03", None): (1, 1, 0, 0, 0, 0, 0)}
    check(got == want, "R-186 rows with work orders: %s" % got)
    rep = [x for x in d["items"] if x["source"] == "repair"][0]
    check(rep["cause_name"] and rep["model_id"] == fx["model"], "fault name: %s" % short(rep))
    t = d["total"]
    check((t["anomalies"], t["open"], t["closed"], t["corrective"]) == (4, 3, 1, 1),
          "total: %s" % t)
    r = expect(ctx.api("qc").get("/api/v1/reports/quality-issues?%s&format=xlsx" % q), 200,
               "xlsx")
    from test_cmpl import xlsx_header
    text = xlsx_header(r.body)
    check(rep["cause_name"] in text and "2026-03" in text, "the fault name in the file")
    with contract.bad_requests():
        expect(ctx.api("technician").get("/api/v1/reports/quality-issues?" + q), 403, "tech")


def run(ctx, runner):
    runner.run("qual: work orders in the quality-issue report (R-186)",
               case_work_orders_in_quality_report, ctx)

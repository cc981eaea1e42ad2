"""Issue 14 remaining gaps (engineer qual): the problems found on work orders in the quality
report (R-186: on-site repairs, installations, periodic visits), the credit of a complaint
decision as a real charge line, and the printable complaint notice (F-11). Counts computed by
hand here. Run by test_api.py on SQLite and PostgreSQL."""
import datetime
import time

import contract
from harness import check, expect, report_guard_off, short, uniq
from test_visits import sql

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
    runner.run("qual: a complaint credit is a credit line, all or nothing", case_credit, ctx)
    runner.run("qual: the complaint notice as a PDF (F-11)", case_notice_pdf, ctx)


PROBE = "回滚探针"


def probe(ctx, on):
    """A trigger that fails the notice's UPDATE of a decision noted PROBE with a unique
    violation (409 from either driver): the credit line, inserted before it in the same
    transaction, must go with it."""
    pg = not ctx.srv.db_url.startswith("sqlite:")
    if not on:
        sql(ctx, "DROP TRIGGER qual_probe ON complaints" if pg else "DROP TRIGGER qual_probe")
    elif pg:
        sql(ctx, "CREATE OR REPLACE FUNCTION qual_probe() RETURNS trigger LANGUAGE plpgsql AS "
                 "$$BEGIN IF NEW.action_note = '%s' THEN RAISE EXCEPTION 'probe' USING ERRCODE "
                 "= 'unique_violation'; END IF; "
                 "RETURN NEW; END$$" % PROBE)
        sql(ctx, "CREATE TRIGGER qual_probe BEFORE UPDATE ON complaints FOR EACH ROW "
                 "EXECUTE FUNCTION qual_probe()")
    else:
        sql(ctx, "CREATE TRIGGER qual_probe BEFORE UPDATE ON complaints WHEN NEW.action_note = "
                 "'%s' BEGIN INSERT INTO complaints SELECT * FROM complaints WHERE id = OLD.id; "
                 "END" % PROBE)


def analysed_notice(ctx, fx):
    n = expect(ctx.api("agent").post("/api/v1/complaints", {
        "customer_id": fx["cust"], "channel": "letter", "request": "compensation",
        "model_id": fx["model"], "product": "质量型号", "batch": "QB1", "quantity": 1,
        "description": "来函：外观划伤"}), 201, "notice").json
    cid = n["id"]
    expect(ctx.api("agent").post("/api/v1/complaints/%d/actions" % cid,
                                 {"action": "route", "roles": ["qc"]}), 200, "route")
    v = expect(ctx.api("qc").get("/api/v1/complaints/%d" % cid), 200, "page").json
    expect(ctx.api("qc").post("/api/v1/complaints/%d/routes/%d/ack" %
                              (cid, v["routes"][0]["id"]), {}), 200, "ack")
    expect(ctx.api("qc").post("/api/v1/complaints/%d/actions" % cid, {
        "action": "analyse", "cause_category": "manufacturing", "cause_analysis": "喷涂工序",
        "corrective_action": "加检"}), 200, "analyse")
    return n


def credit_lines(ctx, cid):
    return expect(ctx.api("finance").get("/api/v1/charges?owner_kind=complaint&owner_id=%d" %
                                         cid), 200, "lines").json["items"]


def case_credit(ctx):
    """A credit decided on a notice is a credit line of its customer, all or nothing."""
    fx = fixtures(ctx)
    n = analysed_notice(ctx, fx)
    cid, path = n["id"], "/api/v1/complaints/%d/actions" % n["id"]
    for body, field, why in (({}, "credit_fen", "required"),
                             ({"credit_fen": 0}, "credit_fen", "out_of_range"),
                             ({"credit_fen": -500}, "credit_fen", "out_of_range")):
        body.update({"action": "act", "decision": "credit", "note": "补偿"})
        with contract.bad_requests():
            r = expect(ctx.api("dept_head").post(path, body), 400, "credit %s" % body)
        err = r.json["error"]
        check(err.get("field") == field and err.get("reason") == why, "%s: %s" % (body, err))
    # the decision's update fails after the line was written: neither stays
    probe(ctx, True)
    try:
        with contract.bad_requests():
            r = ctx.api("dept_head").post(path, {"action": "act", "decision": "credit",
                                                 "credit_fen": 30000, "note": PROBE})
    finally:
        probe(ctx, False)
    check(r.status == 409, "the probe fails the decision: %s %s" % (r.status, short(r.body)))
    check(credit_lines(ctx, cid) == [], "no credit line without the decision")
    v = expect(ctx.api("qc").get("/api/v1/complaints/%d" % cid), 200, "notice").json
    check(v["complaint"]["state"] == "analysed" and v["complaint"]["credit_fen"] is None,
          "the notice is unchanged: %s" % short(v["complaint"]))
    note = "长" * 2000  # the line's description is cut to fit, the decision keeps it whole
    v = expect(ctx.api("dept_head").post(path, {"action": "act", "decision": "credit",
                                                "credit_fen": 30000, "note": note}), 200,
               "credit").json["complaint"]
    lines = credit_lines(ctx, cid)
    check(len(lines) == 1, "one credit line: %s" % short(lines))
    ln = lines[0]
    check(ln["id"] == v["charge_id"] and v["credit_fen"] == 30000 and
          v["action_note"] == note, "the notice names its line: %s" % short(v))
    check(ln["amount_fen"] == -30000 and ln["category"] == "credit" and
          ln["source"] == "complaint" and ln["customer_id"] == fx["cust"] and
          ln["customer_fen"] == -30000 and n["number"] in ln["description"],
          "credit line: %s" % short(ln))
    mine = expect(ctx.api("finance").get("/api/v1/charges?customer_id=%d&category=credit" %
                                          fx["cust"]), 200, "customer's charges").json["items"]
    check([x["id"] for x in mine] == [ln["id"]], "in the customer's charges")
    a = sql(ctx, "SELECT count(*) FROM audit_log WHERE entity = 'charge' AND entity_id = %d" %
            ln["id"])
    check(a[0][0] == "1", "the line is audited: %s" % a)
    # nothing is paid on a credit; it lowers the receivables
    with contract.bad_requests():
        expect(ctx.api("finance").post("/api/v1/charge-payments", {
            "charge_id": ln["id"], "payer": "customer", "amount_fen": 100,
            "paid_on": today()}), 409, "a payment on a credit")
    expect(ctx.api("finance").post("/api/v1/charges", {
        "owner_kind": "complaint", "owner_id": cid, "description": "检测费", "category": "repair",
        "amount_fen": 50000, "customer_share_bp": 10000}), 201, "a charge")
    rec = expect(ctx.api("finance").get("/api/v1/reports/receivables?as_of=%s&by=customer" %
                                        today()), 200, "receivables").json
    row = [x for x in rec["items"] if x.get("party_id") == fx["cust"]]
    check(row and row[0]["total"] == 20000 and row[0]["charges"] == 2,
          "receivables net of the credit: %s" % short(row))
    for bad in ({"category": "credit", "amount_fen": 100}, {"category": "repair", "amount_fen": -1},
                {"category": "repair", "amount_fen": 0}):
        body = {"owner_kind": "complaint", "owner_id": cid, "description": "x",
                "customer_share_bp": 10000}
        body.update(bad)
        with contract.bad_requests():
            r = expect(ctx.api("finance").post("/api/v1/charges", body), 400, "sign %s" % bad)
        check(r.json["error"].get("field") == "amount_fen", "names amount_fen: %s" % r.json)


def pdf_text(body):
    """The PDF's text through pdftotext when installed, else its bytes (latin-1)."""
    import shutil
    import subprocess
    if shutil.which("pdftotext"):
        p = subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True,
                           timeout=30)
        return p.stdout.decode("utf-8", "replace")
    return body.decode("latin-1")


def case_notice_pdf(ctx):
    """F-11 as a PDF: the number and product in its text; staff and the own customer only."""
    fx = fixtures(ctx)
    n = analysed_notice(ctx, fx)
    path = "/api/v1/complaints/%d/notice.pdf" % n["id"]
    r = expect(ctx.api("qc").get(path), 200, "pdf")
    check(r.body[:5] == b"%PDF-" and "application/pdf" in r.header("Content-Type"),
          "a PDF: %r" % r.body[:20])
    text = pdf_text(r.body)
    for want in (n["number"], "质量型号", "客户抱怨(退货)通知单", "来函：外观划伤", "喷涂工序"):
        check(want in text, "%s in the PDF text: %s" % (want, short(text, 400)))
    en = pdf_text(expect(ctx.api("qc").get(path + "?lang=en"), 200, "pdf en").body)
    check(n["number"] in en and "Batch" in en, "English labels: %s" % short(en, 300))
    # the customer's own notice, without the internal analysis; another's is 404
    own = expect(ctx.api("agent").post("/api/v1/complaints", {
        "customer_id": ctx.fx["A"], "channel": "fax", "request": "return", "product": "客户产品",
        "description": "传真：包装破损"}), 201, "own notice").json
    text = pdf_text(expect(ctx.api("customer").get("/api/v1/complaints/%d/notice.pdf" %
                                                   own["id"]), 200, "customer's pdf").body)
    check(own["number"] in text and "客户产品" in text, "own: %s" % short(text, 300))
    with contract.bad_requests():
        expect(ctx.api("customer").get(path), 404, "another customer's notice")
        expect(ctx.api("dealer").get(path), 403, "a dealer")
        expect(ctx.srv.request("GET", path), 401, "anonymous")
        expect(ctx.api("qc").get("/api/v1/complaints/999999999/notice.pdf"), 404, "none")

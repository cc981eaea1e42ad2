"""Issue 12 from end to end in one case, each step by the role that does it: finance's payment
→ the shipping request → the shipping order → copies acknowledged → release with serials →
waybill → arrival and receipt, which opens the installation project → the trip approved by
the general manager → the trip departs → the installation work order → the self-check →
the customer's acceptance → the warranty starting on the acceptance day. The pieces and every
refusal have their own modules (test_shipments, test_projects, test_approvals, test_trips);
this one proves they join. Run by test_api.py on SQLite and PostgreSQL."""
import time

from harness import check, expect, uniq
from test_projects import P, WO, sign_body, ts
from test_shipments import SHP, act, ack, pay, put_line, today
from test_work_orders import new_tech


def setup(ctx):
    a = ctx.api()
    u = uniq()[:6]
    cust = expect(a.post("/api/v1/customers", {"name": "宁波港联医疗器械有限公司" + u,
                                               "type": "company"}), 201, "customer").json["id"]
    site = expect(a.post("/api/v1/sites", {"customer_id": cust, "name": "北仑院区",
                                           "address": "宁波市北仑区"}), 201, "site").json["id"]
    series = "CH" + u
    model = expect(a.post("/api/v1/models", {"code": "CH-" + u, "name": "血液分析仪",
                                             "category": "equipment", "series": series,
                                             "warranty_months": 18}), 201, "model").json["id"]
    k = expect(a.post("/api/v1/contracts", {"number": "HT-CH-" + u, "customer_id": cust,
                                            "start_date": "2026-01-01",
                                            "installation_included": True}), 201, "contract")
    tpl = expect(a.post("/api/v1/checklist-templates", {
        "code": "CH-" + u, "name": "安装自检", "model_series": series,
        "work_order_kind": "installation"}), 201, "template").json
    item = expect(a.post("/api/v1/checklist-items", {
        "template_id": tpl["id"], "kind": "check", "label": "电源与接地可靠", "required": True}),
        201, "item").json
    return {"cust": cust, "site": site, "model": model, "contract": k.json["id"],
            "item": item["id"]}


def ship_and_receive(ctx, fx):
    pay(ctx, fx["contract"])
    v = expect(ctx.api("sales").post(SHP, {
        "contract_id": fx["contract"], "site_id": fx["site"], "ship_to": "宁波市北仑区",
        "lines": [{"model_id": fx["model"], "quantity": 1}]}), 201, "request by sales").json
    sid = v["shipment"]["id"]
    act(ctx, sid, "issue_order", "finance")
    v = act(ctx, sid, "hand_over", "agent").json
    serial = "CHN" + uniq()[:8].upper()
    put_line(ctx, sid, v["lines"][0]["id"], serial)
    ack(ctx, v, "warehouse")
    v = act(ctx, sid, "release", "warehouse").json
    unit = v["lines"][0]["unit_id"]
    ack(ctx, v, "logistics")
    act(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:9],
        certificate_sent=True)
    act(ctx, sid, "arrive", "agent", date=today())
    v = act(ctx, sid, "receive", "agent", date=today(), signer="设备科 陈工").json
    check(v["shipment"]["state"] == "received", "received: %s" % v["shipment"])
    pr = expect(ctx.api("agent").get("%s?customer_id=%d" % (P, fx["cust"])), 200,
                "projects").json["items"]
    mine = [p for p in pr if p.get("shipment_id") == sid]
    check(len(mine) == 1, "the receipt opened the project: %s" % pr)
    return mine[0]["id"], unit, serial


def approve_and_travel(ctx, fx, pid, tech):
    r = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "installation", "purpose": "血液分析仪安装调试", "customer_id": fx["cust"],
        "site": "宁波市北仑区", "units": "血液分析仪 ×1", "technicians": 1, "trip_days": 2,
        "cost_fen": 180000}), 201, "approval filed by sales").json
    d = expect(ctx.api("gm").post("/api/v1/approvals/%d/decision" % r["id"],
                                  {"decision": "approve", "comment": "同意"}), 200,
               "approved by the GM").json
    check(d["status"] == "approved", "approved: %s" % d)
    t = expect(ctx.api("dispatcher").post("/api/v1/trips", {
        "lead_id": ctx.uid[tech], "other_ids": [], "purpose": "安装调试", "customer_id":
        fx["cust"], "project_id": pid, "address": "宁波市北仑区", "contact_name": "陈工",
        "contact_phone": "0574-86881234", "est_days": 2,
        "planned_departure_at": ts(time.time() + 600)}), 201, "trip").json
    dep = ctx.srv.request("POST", "/api/v1/trips/%d/actions" % t["id"],
                          body={"action": "depart"}, token=ctx.tok[tech])
    check(expect(dep, 200, "departed").json["status"] == "departed", "departed")


def install_and_accept(ctx, fx, pid, tech):
    wo = expect(ctx.api("dispatcher").post("%s/%d/work-orders" % (P, pid), {
        "lead_id": ctx.uid[tech], "appointment_at": ts(time.time() + 2 * 3600),
        "override_reason": "the chain test's own technician"}), 201, "visit booked").json
    wid = wo["id"] if "id" in wo else wo["work_order"]["id"]

    def tech_post(path, body, status=200):
        return expect(ctx.srv.request("POST", path, body=body, token=ctx.tok[tech]), status, path)
    tech_post("%s/%d/actions" % (WO, wid), {"action": "arrive"})
    r = ctx.srv.request("PUT", "%s/%d/checklist/items/%d" % (WO, wid, fx["item"]),
                        body={"passed": True}, token=ctx.tok[tech])
    expect(r, 200, "self-check")
    tech_post("%s/%d/actions" % (WO, wid), {"action": "finish", "result": "done"})
    p = tech_post("%s/%d/acceptance" % (P, pid), sign_body(), status=201).json
    check(p["status"] == "accepted", "accepted: %s" % p.get("status"))


def case_chain(ctx):
    fx = setup(ctx)
    tech = "chain_tech"
    new_tech(ctx, tech)
    pid, unit, serial = ship_and_receive(ctx, fx)
    approve_and_travel(ctx, fx, pid, tech)
    install_and_accept(ctx, fx, pid, tech)
    u = expect(ctx.api().get("/api/v1/units/%d" % unit), 200, "unit").json
    check(u["serial_no"] == serial and u["install_date"] == today() and
          u["warranty_start"] == today() and u["warranty_months"] == 18 and
          u["status"] == "installed", "the warranty starts on the acceptance day: %s" % u)


def run(ctx, runner):
    runner.run("chain: payment → shipment → receipt → project → GM approval → trip → visit → "
               "self-check → acceptance → warranty start, each step by its role", case_chain, ctx)

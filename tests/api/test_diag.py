"""Diagnosis and routing (issue 18 item 1, WF-03 S5-S7, R-058; docs/diagnosis.md): the
technical department's diagnosis opens the linked work in the same transaction: return to
factory → the RMA, on site → a work order, a consultation routed on site → a new linked repair
ticket and the consultation resolved; refusals for a closed ticket, a role outside the
technical department and an unknown decision. Run by test_api.py on SQLite and PostgreSQL."""
import contract
from harness import check, expect, tech2, uniq

T = "/api/v1/tickets"


def err(r):
    return (r.json.get("error") or {}) if isinstance(r.json, dict) else {}


def fixtures(ctx):
    if "diag" in ctx.fx:
        return ctx.fx["diag"]
    a = ctx.api()
    cust = expect(a.post("/api/v1/customers", {"name": "诊断客户" + uniq()[:4],
                                               "type": "company"}), 201, "customer").json["id"]
    model = expect(a.post("/api/v1/models", {"code": "DG-" + uniq()[:6], "name": "诊断型号",
                                             "category": "equipment", "warranty_months": 12}),
                   201, "model").json["id"]
    ctx.fx["diag"] = {"cust": cust, "model": model}
    return ctx.fx["diag"]


def unit(ctx):
    fx = fixtures(ctx)
    return expect(ctx.api().post("/api/v1/units", {
        "serial_no": "DG" + uniq()[:10], "model_id": fx["model"], "customer_id": fx["cust"],
        "ship_date": "2026-10-01"}), 201, "unit").json["id"]


def accepted(ctx, ttype, with_unit=True, customer=None):
    fx = fixtures(ctx)
    body = {"channel": "phone", "type": ttype, "customer_id": customer or fx["cust"],
            "caller_phone": "13900000018", "description": "设备无法启动",
            "assignee_id": ctx.uid["technician"]}
    if with_unit:
        body["unit_id"] = unit(ctx)
    tid = expect(ctx.api("agent").post(T, body), 201, "ticket").json["id"]
    expect(ctx.api("technician").post("%s/%d/actions/accept" % (T, tid), {}), 200, "accept")
    return tid


def diagnose(ctx, tid, decision, role="technician", status=201):
    body = {"findings": "电话沟通: 主轴异响, 通电后报警 E21", "suspected_cause": "轴承损坏",
            "decision": decision, "reason": "远程无法排除, 需要处理"}
    if status >= 400:
        with contract.bad_requests():
            r = ctx.api(role).post("%s/%d/diagnoses" % (T, tid), body)
    else:
        r = ctx.api(role).post("%s/%d/diagnoses" % (T, tid), body)
    return expect(r, status, "diagnosis %s by %s" % (decision, role))


def ticket(ctx, tid):
    return expect(ctx.api().get("%s/%d" % (T, tid)), 200, "ticket").json


def case_return_to_factory(ctx):
    tid = accepted(ctx, "repair")
    d = diagnose(ctx, tid, "return_to_factory").json
    check(d["effect"] == "rma" and d["rma_id"] and d["ticket_id"] == tid, "diagnosis %s" % d)
    rmas = expect(ctx.api("agent").get("/api/v1/rmas?ticket_id=%d" % tid), 200,
                  "rmas").json["items"]
    check([x["id"] for x in rmas] == [d["rma_id"]], "the RMA of the ticket: %s" % rmas)
    check(rmas[0]["state"] == "awaiting_return", "rma %s" % rmas[0])
    check(ticket(ctx, tid)["status"] == "at_factory", "ticket at the factory")
    lst = expect(ctx.api("dept_head").get("%s/%d/diagnoses" % (T, tid)), 200, "list").json
    check(len(lst["items"]) == 1 and lst["items"][0]["rma_number"], "list %s" % lst)
    ev = expect(ctx.api().get("%s/%d/events" % (T, tid)), 200, "events").json["items"]
    check(any(e["kind"] == "diagnosis" for e in ev), "timeline has the diagnosis")


def case_onsite_work_order(ctx):
    tid = accepted(ctx, "repair")
    d = diagnose(ctx, tid, "onsite_repair").json
    check(d["effect"] == "work_order" and d["work_order_id"], "diagnosis %s" % d)
    wo = expect(ctx.api("dispatcher").get("/api/v1/work-orders/%d" % d["work_order_id"]), 200,
                "work order").json
    check(wo["ticket_id"] == tid and wo["status"] == "planned", "work order %s" % wo)
    check(ticket(ctx, tid)["status"] == "in_progress", "waits for the booking")


def case_consultation_routed(ctx):
    cid = accepted(ctx, "consultation")
    d = diagnose(ctx, cid, "onsite_repair").json
    new = d["linked_ticket_id"]
    check(d["effect"] == "linked_ticket" and new and d["linked_ticket_type"] == "repair",
          "diagnosis %s" % d)
    t = ticket(ctx, new)
    c = ticket(ctx, cid)
    check(t["type"] == "repair" and t["status"] in ("new", "assigned") and t["unit_id"] == c["unit_id"],
          "linked ticket %s" % t)
    check(c["status"] == "resolved", "the consultation is resolved: %s" % c["status"])
    back = expect(ctx.api("dept_head").get("%s/%d/diagnoses" % (T, new)), 200,
                  "diagnoses of the new ticket").json["items"]
    check(len(back) == 1 and back[0]["incoming"] and back[0]["ticket_id"] == cid,
          "linked back: %s" % back)


def case_refusals(ctx):
    fx = fixtures(ctx)
    closed = expect(ctx.api("agent").post(T, {
        "channel": "phone", "type": "consultation", "customer_id": fx["cust"],
        "description": "如何导出报告", "answer": "菜单 文件→导出", "close": True}), 201,
        "closed consultation").json["id"]
    r = diagnose(ctx, closed, "answered", role="dept_head", status=409)
    check(err(r).get("reason") == "illegal_action", "closed: %s" % r.json)
    tid = accepted(ctx, "repair")
    diagnose(ctx, tid, "return_to_factory", role="agent", status=403)
    diagnose(ctx, tid, "customer", role="customer", status=403)
    r = diagnose(ctx, tid, "teleport", status=400)
    check(err(r).get("field") == "decision" and err(r).get("reason") == "unknown_value",
          "unknown decision %s" % r.json)
    inst = accepted(ctx, "installation")
    r = diagnose(ctx, inst, "return_to_factory", status=409)
    check(err(r).get("params", {}).get("decision") == "return_to_factory", "no path %s" % r.json)
    # nothing was written by the refusals
    check(ticket(ctx, tid)["status"] == "in_progress", "refusals change nothing")
    lst = expect(ctx.api("dept_head").get("%s/%d/diagnoses" % (T, tid)), 200, "list").json
    check(lst["items"] == [], "no diagnosis stored: %s" % lst)


def case_recommendation_lead(ctx):
    # a visit on a ticket of the customer account's own company (fixture A)
    tech2(ctx)
    tid = accepted(ctx, "repair", with_unit=False, customer=ctx.fx["A"])
    wo = diagnose(ctx, tid, "onsite_repair").json["work_order_id"]
    rec = expect(ctx.api("technician").post("/api/v1/recommendations", {
        "work_order_id": wo, "item_kind": "part", "code": "BRG-6205", "description": "主轴轴承备件",
        "quantity": 2, "note": "客户设备运行时间长, 建议备两套"}), 201, "recommendation").json
    check(rec["ticket_id"] == tid and rec["customer_id"] == ctx.fx["A"], "copied %s" % rec)
    leads = expect(ctx.api("sales").get("/api/v1/leads?recommendation_id=%d" % rec["id"]), 200,
                   "sales sees the lead").json["items"]
    check(len(leads) == 1 and leads[0]["status"] == "new" and "BRG-6205" in leads[0]["title"],
          "lead %s" % leads)
    tasks = expect(ctx.api("sales").get("/api/v1/tasks"), 200, "sales tasks").json["items"]
    check(any(t["kind"] == "sales_lead" and t["ticket_id"] == tid for t in tasks),
          "a task for sales: %s" % tasks)
    won = expect(ctx.api("sales").patch("/api/v1/leads/%d" % leads[0]["id"],
                                        {"status": "contacted"}), 200, "lead contacted").json
    check(won["status"] == "contacted", "lead %s" % won)
    # the customer's own history shows it; another company's account does not
    mine = expect(ctx.api("customer").get("/api/v1/recommendations"), 200, "own").json["items"]
    check(rec["id"] in [x["id"] for x in mine] and "note" not in mine[0], "own %s" % mine)
    other = expect(ctx.api("dealer").get("/api/v1/recommendations"), 200, "other").json["items"]
    check(rec["id"] not in [x["id"] for x in other], "another company sees it: %s" % other)
    with contract.bad_requests():
        expect(ctx.api("dealer").get("/api/v1/recommendations/%d" % rec["id"]), 404, "by id")
        expect(ctx.api("customer").get("/api/v1/leads"), 403, "leads are for sales")
        expect(ctx.api("technician").get("/api/v1/leads"), 403, "leads are for sales")
        r = ctx.api("tech2").post("/api/v1/recommendations", {
            "work_order_id": wo, "item_kind": "part", "description": "不是我的派工单"})
        expect(r, 400, "not the crew")
        check(err(r).get("field") == "work_order_id", "names the field %s" % r.json)


def case_recommendation_scope(ctx):
    """docs/api.md 1.3, docs/diagnosis.md: a technician (no other staff role) reads only the
    recommendations of the work orders they lead or help on (the list, its total, the export,
    a record: 404 for the others); the office reads them all."""
    from test_parts import new_tech, wo_for
    R = "/api/v1/recommendations"
    for key in ("rec_lead", "rec_other", "rec_third"):
        new_tech(ctx, key)
    _, wo = wo_for(ctx, "rec_lead")
    _, wo2 = wo_for(ctx, "rec_third")
    body = {"item_kind": "part", "code": "FLT-01", "description": "滤芯备件"}
    mine = expect(ctx.api("rec_lead").post(R, dict(body, work_order_id=wo)), 201,
                  "the lead recommends").json["id"]
    other = expect(ctx.api("dispatcher").post(R, dict(body, work_order_id=wo2)), 201,
                   "on another work order").json["id"]
    page = expect(ctx.api("rec_lead").get(R + "?limit=500"), 200, "list").json
    check([x["id"] for x in page["items"]] == [mine] and page["total"] == 1,
          "the lead lists their work order's only: %s" % page)
    expect(ctx.api("rec_lead").get("%s/%d" % (R, mine)), 200, "the lead reads theirs")
    rows = expect(ctx.api("rec_lead").get(R + "?format=csv"), 200, "export").body
    check(len(rows.decode("utf-8-sig").strip().splitlines()) == 2, "the lead exports theirs")
    page = expect(ctx.api("rec_other").get(R + "?limit=500"), 200, "list").json
    check(page["items"] == [] and page["total"] == 0, "not on the crew: nothing %s" % page)
    with contract.bad_requests():
        for rec in (mine, other):
            expect(ctx.api("rec_other").get("%s/%d" % (R, rec)), 404, "not on the crew: 404")
        expect(ctx.api("rec_lead").get("%s/%d" % (R, other)), 404, "another work order's")
    rows = expect(ctx.api("rec_other").get(R + "?format=csv"), 200, "export").body
    check(len(rows.decode("utf-8-sig").strip().splitlines()) == 1,
          "not on the crew: the export has the header only: %r" % rows[:300])
    ids = [x["id"] for x in expect(ctx.api("dispatcher").get(R + "?limit=500&sort=-id"), 200,
                                   "list").json["items"]]
    check(mine in ids and other in ids, "the dispatcher reads every recommendation")


def run(ctx, runner):
    runner.run("diagnosis: return to factory opens the linked RMA", case_return_to_factory, ctx)
    runner.run("diagnosis: on site opens a visit work order", case_onsite_work_order, ctx)
    runner.run("diagnosis: consultation routed on site opens a linked repair ticket",
               case_consultation_routed, ctx)
    runner.run("diagnosis: closed ticket 409, role 403, unknown decision 400",
               case_refusals, ctx)
    runner.run("recommendation on a work order: lead and task for sales, customer scope",
               case_recommendation_lead, ctx)
    runner.run("recommendations: a technician reads those of their own work orders only",
               case_recommendation_scope, ctx)

"""Return to factory (issue 14 item 2, WF-05, R-063; docs/rma.md): the ticket's
send_to_factory opens the RMA; receipt, incoming QC with photos, cause analysis, repair,
outgoing QC, the ship-back through a shipment and the close that resolves the ticket; the
unit's status follows; illegal actions 409 with the legal ones; roles; a customer sees its own
RMA's state only; the charge flag out of warranty. Run by test_api.py on SQLite and PostgreSQL."""
import datetime

import contract
from harness import check, expect, short, uniq
from test_visits import sql

RMA = "/api/v1/rmas"
SHP = "/api/v1/shipments"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def params(r):
    return (r.json.get("error") or {}).get("params") or {}


def today(delta=0):
    d = datetime.datetime.utcnow() + datetime.timedelta(hours=8) + datetime.timedelta(days=delta)
    return d.strftime("%Y-%m-%d")


def act(ctx, rid, action, role, status=200, **body):
    body["action"] = action
    if status >= 400:
        with contract.bad_requests():
            r = ctx.api(role).post("%s/%d/actions" % (RMA, rid), body)
    else:
        r = ctx.api(role).post("%s/%d/actions" % (RMA, rid), body)
    expect(r, status, "rma %s by %s" % (action, role))
    return r


def shp(ctx, sid, action, role, **body):
    body["action"] = action
    return expect(ctx.api(role).post("%s/%d/actions" % (SHP, sid), body), 200,
                  "shipment %s by %s" % (action, role)).json


def photo(ctx, rid, phase, role="qc", status=201):
    r = ctx.srv.request("POST", "%s/%d/photos?phase=%s&filename=qc.png" % (RMA, rid, phase),
                        body=PNG, token=ctx.tok[role], headers={"Content-Type": "image/png"},
                        bad=status >= 400)
    return expect(r, status, "photo %s by %s" % (phase, role))


def fixtures(ctx):
    if "rma" in ctx.fx:
        return ctx.fx["rma"]
    a = ctx.api()
    cust = expect(a.post("/api/v1/customers", {"name": "返厂测试客户" + uniq()[:4],
                                               "type": "company"}), 201, "customer").json["id"]
    site = expect(a.post("/api/v1/sites", {"customer_id": cust, "name": "一号厂房",
                                           "address": "无锡"}), 201, "site").json["id"]
    model = expect(a.post("/api/v1/models", {"code": "RMA-" + uniq()[:6], "name": "返厂型号",
                                             "category": "equipment", "warranty_months": 12}),
                   201, "model").json["id"]
    fx = {"cust": cust, "site": site, "model": model}
    ctx.fx["rma"] = fx
    return fx


def unit(ctx, fx, ship_date=None, customer=None, site=None, **dates):
    body = {"serial_no": "RM" + uniq()[:10], "model_id": fx["model"],
            "customer_id": customer or fx["cust"], "ship_date": ship_date or today(-30), **dates}
    if site is not False:
        body["site_id"] = site or fx["site"]
    r = expect(ctx.api().post("/api/v1/units", body), 201, "unit")
    return r.json


def to_factory(ctx, unit_id, kind="repair"):
    """A repair ticket (or another type) diagnosed by phone and sent to the factory: the RMA it
    opens."""
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": kind, "unit_id": unit_id, "caller_phone": "13900000009",
        "description": "主轴异响", "assignee_id": ctx.uid["technician"]}), 201, "ticket")
    tid = r.json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % tid, {}), 200,
           "accept")
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/send_to_factory" % tid,
                                      {"note": "电话诊断: 主轴轴承损坏, 返厂维修"}), 200,
           "send_to_factory")
    items = expect(ctx.api("agent").get("%s?ticket_id=%d" % (RMA, tid)), 200,
                   "rmas of ticket").json["items"]
    check(len(items) == 1, "send_to_factory opens one RMA: %s" % items)
    return tid, items[0]


def unit_status(ctx, uid):
    return expect(ctx.api().get("/api/v1/units/%d" % uid), 200, "unit").json["status"]


def ticket(ctx, tid):
    return expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json


def handed_over(ctx, sid):
    """The shipment's order issued, handed over and both copies acknowledged: the warehouse
    may record its line. Returns the first line's id."""
    v = shp(ctx, sid, "issue_order", "finance")
    v = shp(ctx, sid, "hand_over", "agent")
    for role in ("warehouse", "logistics"):
        task = [c for c in v["copies"] if c["role"] == role][0]
        expect(ctx.api(role).post("/api/v1/tasks/%d/done" % task["id"], {"reply": "收到"}), 200,
               "copy acknowledged")
    return v["lines"][0]["id"]


def ship_back_chain(ctx, sid, serial, ship=None, line=None):
    """The shipment of the shipping module, by its own roles: order, copies, unit, release,
    dispatch, receipt. The line records this shipment's dates (ship: default 30 days ago);
    line: already handed over and recorded (handed_over, record)."""
    if line is None:
        line = handed_over(ctx, sid)
        expect(ctx.srv.request("PUT", "%s/%d/lines/%d" % (SHP, sid, line),
                               token=ctx.tok["warehouse"],
                               body={"serial_no": serial, "production_date": today(-400),
                                     "ship_date": ship or today(-30)}), 200, "unit recorded")
    shp(ctx, sid, "release", "warehouse")
    shp(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:8],
        certificate_sent=True)
    return shp(ctx, sid, "receive", "agent", signer="王工")


def case_full_chain(ctx):
    fx = fixtures(ctx)
    u = unit(ctx, fx)
    tid, r = to_factory(ctx, u["id"])
    rid = r["id"]
    check(r["state"] == "awaiting_return" and r["number"].startswith("RM") and
          r["unit_id"] == u["id"] and r["customer_id"] == fx["cust"] and
          r["site_id"] == fx["site"], "opened: %s" % r)
    check(r["warranty_status"] == "in" and r["chargeable"] is False, "in warranty: %s" % r)
    t = ticket(ctx, tid)
    check(t["status"] == "at_factory", "ticket at the factory: %s" % t["status"])
    # WF-05: no visit is owed while the unit is at the factory: the on-site clock is off (it
    # ran, and would have breached and escalated to the general manager in 48 h)
    clocks = {c["target"]: c["state"] for c in t["sla"]}
    check(t["factory_at"] and clocks.get("onsite", "off") == "off" and
          clocks.get("remote") == "met", "on-site clock off at the factory: %s" % clocks)
    # the ticket is resolved by the RMA, not by hand
    with contract.bad_requests():
        x = expect(ctx.api("qc").post("/api/v1/tickets/%d/actions/resolve" % tid,
                                      {"note": "修好了"}), 409, "resolve while the RMA is open")
    check(reason(x) == "guard" and params(x).get("guard") == "rma", "rma guard: %s" % x.json)
    # illegal: 409 with the legal actions
    x = act(ctx, rid, "inspect_in", "qc", 409, findings="x")
    check(reason(x) == "illegal_action" and
          sorted(params(x)["allowed"]) == ["advance_exchange", "cancel", "receive"],
          "illegal: %s" % x.json)
    photo(ctx, rid, "incoming", status=409)  # not received yet
    act(ctx, rid, "receive", "technician", 403)
    v = act(ctx, rid, "receive", "agent").json
    check(v["rma"]["state"] == "received" and v["rma"]["received_at"], "received")
    check(unit_status(ctx, u["id"]) == "in_repair", "unit in repair")
    # incoming QC with photos, by QC only
    photo(ctx, rid, "incoming", role="agent", status=403)
    p = photo(ctx, rid, "incoming").json
    check(p["phase"] == "incoming" and p["url"].endswith("/photos/%d" % p["id"]), "photo: %s" % p)
    img = ctx.srv.request("GET", p["url"], token=ctx.tok["qc"])
    check(img.status == 200 and img.body == PNG, "the photo's bytes")
    check((img.header("Content-Disposition") or "").startswith("inline; filename=\"attachment.png"
                                                               "\"; filename*=UTF-8''"),
          "served as %r" % img.header("Content-Disposition"))
    photo(ctx, rid, "outgoing", status=409)
    act(ctx, rid, "inspect_in", "agent", 403, findings="x")
    x = act(ctx, rid, "inspect_in", "qc", 400)
    check(reason(x) == "required" and x.json["error"]["field"] == "findings", "findings needed")
    act(ctx, rid, "inspect_in", "qc", findings="轴承磨损, 外壳完好")
    # the technical department: cause analysis
    act(ctx, rid, "analyse", "qc", 403, cause_category="material", cause_analysis="x")
    x = act(ctx, rid, "analyse", "dept_head", 400, cause_category="weather", cause_analysis="x")
    check(x.json["error"]["field"] == "cause_category", "cause category enum")
    x = act(ctx, rid, "analyse", "dept_head", 409, cause_category="material",
            cause_analysis="轴承材料硬度不足", charge_fen=50000)
    check(params(x).get("guard") == "in_warranty", "no charge in warranty: %s" % x.json)
    v = act(ctx, rid, "analyse", "dept_head", cause_category="material",
            cause_analysis="轴承材料硬度不足").json
    check(v["rma"]["cause_category"] == "material" and v["rma"]["analysed_by"], "analysed")
    act(ctx, rid, "repair", "technician", note="更换主轴轴承")
    # outgoing QC: a failure goes back for rework, then passes
    photo(ctx, rid, "outgoing")
    v = act(ctx, rid, "rework", "qc", findings="噪音仍超标").json
    check(v["rma"]["state"] == "analysed", "rework: %s" % v["rma"]["state"])
    act(ctx, rid, "repair", "technician", note="重新装配, 动平衡校正")
    v = act(ctx, rid, "inspect_out", "qc", findings="运行30分钟, 噪音正常").json
    check(v["rma"]["state"] == "qc_passed" and v["rma"]["outgoing_findings"], "qc passed")
    check(len(v["photos"]) == 2 and {p["phase"] for p in v["photos"]} == {"incoming", "outgoing"},
          "both photos: %s" % v["photos"])
    # ship back through a shipment of the shipping module (no payment gate)
    v = act(ctx, rid, "ship_back", "agent", ship_to="无锡新区").json
    sid = v["rma"]["shipment_id"]
    check(v["rma"]["state"] == "shipped_back" and sid and v["shipment_state"] == "requested",
          "shipped back: %s" % v["rma"])
    x = act(ctx, rid, "close", "agent", 409)
    check(params(x).get("guard") == "shipment", "close waits for the receipt: %s" % x.json)
    ship_back_chain(ctx, sid, u["serial_no"])
    v = act(ctx, rid, "close", "agent").json
    check(v["rma"]["state"] == "closed" and v["rma"]["closed_at"] and v["allowed_actions"] == [],
          "closed: %s" % v["rma"])
    check(unit_status(ctx, u["id"]) == "shipped", "unit back at the customer")
    t = ticket(ctx, tid)
    check(t["status"] == "resolved", "ticket resolved by the close: %s" % t["status"])
    acts = [e["action"] for e in v["events"]]
    check(acts[0] == "open" and acts[-1] == "close" and "rework" in acts, "timeline: %s" % acts)
    act(ctx, rid, "cancel", "agent", 409, note="x")
    ctx.fx["rma_closed"] = rid


def case_charge_and_scope(ctx):
    fx = fixtures(ctx)
    # out of warranty: flagged chargeable, the amount recorded at the analysis
    u = unit(ctx, fx, ship_date=today(-3 * 365))
    tid, r = to_factory(ctx, u["id"])
    check(r["warranty_status"] == "out" and r["chargeable"] is True, "out of warranty: %s" % r)
    rid = r["id"]
    act(ctx, rid, "receive", "warehouse")
    act(ctx, rid, "inspect_in", "qc", findings="进水腐蚀")
    v = act(ctx, rid, "analyse", "dept_head", cause_category="use", cause_analysis="使用不当进水",
            charge_fen=128000).json
    check(v["rma"]["charge_fen"] == 128000, "charge recorded: %s" % v["rma"])
    # ... and proposed only: billed once the customer accepts it (case_consent)
    ch = expect(ctx.api("finance").get("/api/v1/charges?owner_kind=ticket&owner_id=%d" % tid),
                200, "charges").json["items"]
    check(ch == [] and v["charge"] is None, "nothing billed before the consent: %s" % ch)
    # the board: by state and open
    items = expect(ctx.api("qc").get(RMA + "?state=analysed&limit=200"), 200,
                   "board").json["items"]
    check(rid in [x["id"] for x in items], "board by state")
    items = expect(ctx.api("qc").get(RMA + "?open=true&limit=200"), 200, "open").json["items"]
    ids = [x["id"] for x in items]
    check(rid in ids and ctx.fx.get("rma_closed") not in ids, "open view")
    # a customer account sees its own RMAs' state only
    cust_a = ctx.fx["A"]
    ua = unit(ctx, fx, customer=cust_a, site=False)
    tid_a, ra = to_factory(ctx, ua["id"])
    with contract.bad_requests():
        expect(ctx.api("customer").get("%s/%d" % (RMA, rid)), 404, "other customer's RMA")
        expect(ctx.api("customer").post("%s/%d/actions" % (RMA, ra["id"]),
                                        {"action": "cancel", "note": "x"}), 403, "customer acts")
    v = expect(ctx.api("customer").get("%s/%d" % (RMA, ra["id"])), 200, "own RMA").json
    check(v["rma"]["state"] == "awaiting_return" and "cause_analysis" not in v["rma"] and
          "fault" not in v["rma"] and v["events"] == [] and v["allowed_actions"] == [],
          "state only: %s" % v)
    items = expect(ctx.api("customer").get(RMA + "?limit=200"), 200, "customer list").json["items"]
    check([x["id"] for x in items] == [ra["id"]] and "incoming_findings" not in items[0],
          "own list: %s" % items)
    # cancel before the unit arrives: the ticket stays at the factory for the desk to resolve
    act(ctx, ra["id"], "cancel", "agent", 400)
    v = act(ctx, ra["id"], "cancel", "agent", note="客户自行修复").json
    check(v["rma"]["state"] == "cancelled", "cancelled")
    expect(ctx.api("qc").post("/api/v1/tickets/%d/actions/resolve" % tid_a, {"note": "客户自修"}),
           200, "resolve once no RMA is open")
    with contract.bad_requests():
        expect(ctx.api().get("%s/999999" % RMA), 404, "no such RMA")
        x = ctx.srv.request("POST", "%s/%d/photos" % (RMA, rid), body=PNG, token=ctx.tok["qc"],
                            headers={"Content-Type": "image/png"}, bad=True)
        expect(x, 400, "photo without phase")


def case_photo_cap(ctx):
    """At most 40 photos per RMA (docs/rma.md): the 41st is refused with 422 too_many."""
    fx = fixtures(ctx)
    u = unit(ctx, fx, ship_date=today(-30))
    _, r = to_factory(ctx, u["id"])
    act(ctx, r["id"], "receive", "agent")
    for _ in range(40):
        photo(ctx, r["id"], "incoming")
    x = photo(ctx, r["id"], "incoming", status=422)
    check(reason(x) == "too_many", "the 41st photo: %s" % short(x.body))


def to_analysed(ctx, fx, ship_date, cause):
    u = unit(ctx, fx, ship_date=ship_date)
    tid, r = to_factory(ctx, u["id"])
    act(ctx, r["id"], "receive", "agent")
    act(ctx, r["id"], "inspect_in", "qc", findings="外壳开裂")
    v = act(ctx, r["id"], "analyse", "dept_head", cause_category=cause,
            cause_analysis="分析: " + cause).json
    return tid, v


def case_replacement(ctx):
    """WF-06 S2-S3, R-065: eligibility shown and checked; approval by the matrix's role."""
    fx = fixtures(ctx)
    # a use fault in warranty: not eligible, refused with the reason
    _, v = to_analysed(ctx, fx, today(-30), "use")
    check(v["replacement"] == {"eligible": False, "reason": "cause", "paid": False},
          "use: %s" % v["replacement"])
    x = act(ctx, v["rma"]["id"], "replace", "technician", 409, note="整机更换")
    check(params(x).get("guard") == "eligibility" and params(x).get("why") == "cause",
          "refused by cause: %s" % x.json)
    # out of warranty: not eligible either
    _, v = to_analysed(ctx, fx, today(-3 * 365), "material")
    check(v["replacement"] == {"eligible": False, "reason": "charge", "paid": False},
          "out: %s" % v["replacement"])
    x = act(ctx, v["rma"]["id"], "replace", "technician", 409, note="整机更换")
    check(params(x).get("why") == "charge", "refused: out of warranty: %s" % x.json)
    # in warranty and a quality cause: eligible, then approved by the role the matrix names
    tid, v = to_analysed(ctx, fx, today(-30), "manufacturing")
    rid = v["rma"]["id"]
    check(v["replacement"] == {"eligible": True, "reason": None, "paid": False},
          "eligible: %s" % v["replacement"])
    x = act(ctx, rid, "replace", "technician", 409, note="整机更换")
    check(params(x).get("guard") == "approval", "approval first: %s" % x.json)
    rules = expect(ctx.api().get("/api/v1/approval-rules?kind=replacement"), 200,
                   "matrix").json["items"]
    check(len(rules) == 1 and rules[0]["approver_role"] == "dept_head", "the matrix: %s" % rules)
    ap = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "replacement", "purpose": "主轴制造缺陷, 申请整机更换", "customer_id": fx["cust"],
        "ticket_id": tid}), 201, "replacement request").json
    check(ap["approver_role"] == "dept_head" and ap["status"] == "pending", "routed: %s" % ap)
    with contract.bad_requests():
        expect(ctx.api("gm").post("/api/v1/approvals/%d/decision" % ap["id"],
                                  {"decision": "approve"}), 403, "not the matrix's approver")
    x = act(ctx, rid, "replace", "technician", 409, note="整机更换")
    check(params(x).get("guard") == "approval", "pending does not count")
    expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % ap["id"],
                                     {"decision": "approve", "comment": "同意更换"}), 200, "approve")
    x = act(ctx, rid, "replace", "technician", 400, note="整机更换为新机")
    check(x.json["error"]["field"] == "old_unit_handling", "old unit handling needed")
    v = act(ctx, rid, "replace", "technician", note="整机更换为新机",
            old_unit_handling="returned").json
    check(v["rma"]["state"] == "replaced" and v["rma"]["old_unit_handling"] == "returned",
          "replaced: %s" % v["rma"])
    # the new unit ships through a shipment (no payment gate), the installed base follows
    old_unit = v["rma"]["unit_id"]
    act(ctx, rid, "inspect_out", "qc", findings="新机出厂检验合格")
    sid = act(ctx, rid, "ship_back", "agent").json["rma"]["shipment_id"]
    new_serial = "RN" + uniq()[:10]
    ship_back_chain(ctx, sid, new_serial)
    v = act(ctx, rid, "close", "agent").json
    new_unit = v["rma"]["new_unit_id"]
    check(new_unit and new_unit != old_unit, "new unit linked: %s" % v["rma"])
    old = expect(ctx.api().get("/api/v1/units/%d" % old_unit), 200, "old unit").json
    new = expect(ctx.api().get("/api/v1/units/%d" % new_unit), 200, "new unit").json
    check(old["status"] == "returned", "old serial retired: %s" % old["status"])
    check(new["serial_no"] == new_serial and new["site_id"] == fx["site"] and
          new["customer_id"] == fx["cust"] and new["status"] == "shipped",
          "new serial on the site: %s" % new)
    # a new unit takes the shipment's dates: its warranty starts with this shipment
    check(new["production_date"] == today(-400) and new["ship_date"] == today(-30),
          "the new unit's dates are the line's: %s" % new)
    hist = expect(ctx.api().get(RMA + "?new_unit_id=%d" % new_unit), 200, "history").json["items"]
    check([x["unit_id"] for x in hist] == [old_unit], "history linked: %s" % hist)
    check(ticket(ctx, tid)["status"] == "resolved", "ticket resolved")


def case_paid_replacement(ctx):
    """WF-06, R-065 with WF-20: out of warranty a replacement is paid. Not eligible (reason
    charge) until the customer accepts the charge the analysis proposed; then eligible and
    paid, on the RMA page and the approval card; after the approval it is replaced, and the
    new unit ships only once the charge is paid (409 guard payment before)."""
    fx = fixtures(ctx)
    u, tid, r = to_inspected(ctx, fx)
    rid = r["id"]
    v = act(ctx, rid, "analyse", "dept_head", cause_category="use", cause_analysis="进水, 主板报废",
            charge_fen=356000).json
    check(v["replacement"] == {"eligible": False, "reason": "charge", "paid": False},
          "proposed, not accepted: %s" % v["replacement"])
    x = act(ctx, rid, "replace", "technician", 409, note="整机更换", old_unit_handling="scrapped")
    check(params(x) == {"guard": "consent", "proposed_fen": 356000, "decision": None},
          "the decision first: %s" % x.json)
    v = act(ctx, rid, "consent", "agent", decision="accept", channel="phone",
            note="客户同意有偿更换 3560 元").json
    check(v["replacement"] == {"eligible": True, "reason": None, "paid": True},
          "paid replacement: %s" % v["replacement"])
    cid = v["charge"]["id"]
    x = act(ctx, rid, "replace", "technician", 409, note="整机更换", old_unit_handling="scrapped")
    check(params(x).get("guard") == "approval", "approval still needed: %s" % x.json)
    ap = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "replacement", "purpose": "保修期外有偿更换", "customer_id": fx["cust"],
        "ticket_id": tid}), 201, "replacement request").json
    card = expect(ctx.api("dept_head").get("/api/v1/approvals/%d" % ap["id"]), 200, "card").json
    check(card["subject"]["eligible"] is True and card["subject"]["paid"] is True and
          card["subject"]["warranty_status"] == "out", "the card: %s" % card["subject"])
    expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % ap["id"],
                                     {"decision": "approve"}), 200, "approve")
    v = act(ctx, rid, "replace", "technician", note="整机更换", old_unit_handling="scrapped").json
    check(v["rma"]["state"] == "replaced" and len(charges(ctx, tid)) == 1, "replaced, one charge")
    act(ctx, rid, "inspect_out", "qc", findings="新机出厂检验合格")
    x = act(ctx, rid, "ship_back", "agent", 409)
    check(params(x).get("guard") == "payment" and params(x).get("open_fen") == 356000,
          "ships once paid: %s" % x.json)
    pay(ctx, cid, 356000)
    v = act(ctx, rid, "ship_back", "agent").json
    check(v["rma"]["state"] == "shipped_back", "shipped: %s" % v["rma"]["state"])
    # a declined charge leaves it not eligible
    u2, tid2, r2 = to_inspected(ctx, fx)
    act(ctx, r2["id"], "analyse", "dept_head", cause_category="material", cause_analysis="材料",
        charge_fen=10000)
    v = act(ctx, r2["id"], "consent", "agent", decision="decline", channel="phone",
            note="不换").json
    check(v["replacement"] == {"eligible": False, "reason": "charge", "paid": False},
          "declined: %s" % v["replacement"])


def to_replaced(ctx, fx, passed=True, **unit_dates):
    """An RMA of a unit in warranty with a manufacturing cause, its replacement filed by sales
    and approved by dept_head (the matrix), replaced (old unit returned) and passed by the
    outgoing QC (unless not passed). Returns (unit, ticket id, RMA id)."""
    u = unit(ctx, fx, ship_date=today(-30), **unit_dates)
    tid, r = to_factory(ctx, u["id"])
    act(ctx, r["id"], "receive", "agent")
    act(ctx, r["id"], "inspect_in", "qc", findings="通电无反应")
    act(ctx, r["id"], "analyse", "dept_head", cause_category="manufacturing",
        cause_analysis="主板虚焊")
    ap = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "replacement", "purpose": "主板虚焊, 申请整机更换", "customer_id": fx["cust"],
        "ticket_id": tid}), 201, "replacement request").json
    expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % ap["id"],
                                     {"decision": "approve"}), 200, "approve")
    act(ctx, r["id"], "replace", "technician", note="整机更换", old_unit_handling="returned")
    if passed:
        act(ctx, r["id"], "inspect_out", "qc", findings="新机出厂检验合格")
    return u, tid, r["id"]


def case_replacement_new_serial(ctx):
    """RULE WF-06 S4: the ship-back of a replacement carries a new unit, never the RMA's own:
    the old serial on its line is 409 serial_replaced on serial_no, and again at release (the
    old unit renamed to the serial the line recorded). Before, the faulty unit went back to
    the customer and the RMA closed as replaced with no new unit (review 2026-12-07, H3)."""
    fx = fixtures(ctx)
    u, _, rid = to_replaced(ctx, fx, install_date=today(-20))
    v = act(ctx, rid, "ship_back", "agent").json
    rma, sid = v["rma"], v["rma"]["shipment_id"]
    line = handed_over(ctx, sid)
    x = record(ctx, sid, line, u["serial_no"], 409)
    check(reason(x) == "serial_replaced" and x.err_field() == "serial_no" and
          params(x) == {"line_no": 1, "rma_id": rid, "number": rma["number"]},
          "the old unit on the replacement's line: %s" % x.json)
    fresh = "RN" + uniq()[:10]
    record(ctx, sid, line, fresh)
    # the old unit now bears the recorded serial: the release refuses it and changes nothing
    old = "/api/v1/units/%d" % u["id"]
    expect(ctx.api().patch(old, {"serial_no": fresh}), 200, "old unit renamed")
    with contract.bad_requests():
        x = ctx.api("warehouse").post("%s/%d/actions" % (SHP, sid), {"action": "release"})
    check(x.status == 409 and reason(x) == "serial_replaced" and x.err_field() == "serial_no",
          "the release: %s" % x.json)
    s = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json
    check(s["shipment"]["state"] == "handed_over" and s["lines"][0]["unit_id"] is None,
          "the refused release changed nothing: %s" % short(s))
    expect(ctx.api().patch(old, {"serial_no": u["serial_no"]}), 200, "old unit's own serial")
    s = ship_back_chain(ctx, sid, None, line=line)
    v = act(ctx, rid, "close", "agent").json
    check(v["rma"]["new_unit_id"] and v["rma"]["new_unit_id"] != u["id"] and
          unit_status(ctx, u["id"]) == "returned", "replaced by the new unit: %s" % v["rma"])
    # RULE WF-06 S5 (review 68 L10): the new unit takes the installed old unit's place:
    # customer, site, installed on the day the customer received it
    new = expect(ctx.api().get("/api/v1/units/%d" % v["rma"]["new_unit_id"]), 200, "new").json
    check(new["customer_id"] == fx["cust"] and new["site_id"] == fx["site"] and
          new["status"] == "installed" and new["install_date"] == s["shipment"]["received_on"],
          "the new unit in the old one's place: %s" % new)
    # reworked and repaired after all: the ship-back carries the repaired unit itself
    u, _, rid = to_replaced(ctx, fx, passed=False)
    act(ctx, rid, "rework", "qc", findings="新机运输损坏, 改为修复原机")
    v = act(ctx, rid, "repair", "technician", note="更换主板").json
    check(v["rma"]["old_unit_handling"] is None, "a repair: %s" % v["rma"])
    act(ctx, rid, "inspect_out", "qc", findings="出厂检验合格")
    sid = act(ctx, rid, "ship_back", "agent").json["rma"]["shipment_id"]
    record(ctx, sid, handed_over(ctx, sid), u["serial_no"])


def case_timeline_names(ctx):
    """The timeline names who acted by display name, as shipments do (the username when they
    have none); a customer's page says whether the ship-back has left (review 68 L8, L2)."""
    fx = fixtures(ctx)
    qc = "/api/v1/users/%d" % ctx.uid["qc"]
    before = expect(ctx.api().get(qc), 200, "qc user").json["display_name"]
    expect(ctx.api().patch(qc, {"display_name": "孙敏"}), 200, "qc's name")
    try:
        u, _, r = to_qc_passed(ctx, fx, today(-30))
        v = act(ctx, r["id"], "ship_back", "agent").json
    finally:
        expect(ctx.api().patch(qc, {"display_name": before}), 200, "qc's name back")
    names = {e["action"]: e["actor_name"] for e in v["events"]}
    agent = expect(ctx.api().get("/api/v1/users/%d" % ctx.uid["agent"]), 200, "agent").json
    check(names["inspect_in"] == "孙敏" and names["inspect_out"] == "孙敏" and
          names["receive"] == (agent["display_name"] or ctx.uname["agent"]), "names: %s" % names)
    check(v["rma"]["state"] == "shipped_back" and v["ship_back_dispatched"] is False,
          "asked for, not dispatched: %s" % v["ship_back_dispatched"])
    ship_back_chain(ctx, v["rma"]["shipment_id"], u["serial_no"])
    v = expect(ctx.api().get("%s/%d" % (RMA, r["id"])), 200, "rma").json
    check(v["ship_back_dispatched"] is True, "dispatched: %s" % v.get("ship_back_dispatched"))


def to_qc_passed(ctx, fx, ship_date, charge_fen=None, **unit_dates):
    """An RMA analysed (with charge_fen when given), repaired and passed by the outgoing QC."""
    u = unit(ctx, fx, ship_date=ship_date, **unit_dates)
    tid, r = to_factory(ctx, u["id"])
    rid = r["id"]
    act(ctx, rid, "receive", "agent")
    act(ctx, rid, "inspect_in", "qc", findings="进水腐蚀")
    body = {"cause_category": "use", "cause_analysis": "使用不当进水"}
    if charge_fen is not None:
        body["charge_fen"] = charge_fen
    act(ctx, rid, "analyse", "dept_head", **body)
    if charge_fen:  # WF-20 S5: the customer accepted the proposed charge on the phone
        act(ctx, rid, "consent", "agent", decision="accept", channel="phone",
            note="客户电话同意维修费用")
    act(ctx, rid, "repair", "technician", note="更换主板")
    act(ctx, rid, "inspect_out", "qc", findings="出厂检验合格")
    return u, tid, r


def pay(ctx, charge_id, fen):
    return expect(ctx.api("finance").post("/api/v1/charge-payments", {
        "charge_id": charge_id, "payer": "customer", "amount_fen": fen, "paid_on": today(),
        "method": "transfer", "reference": "BANK-" + uniq()[:6]}), 201, "payment").json


def case_payment_gate(ctx):
    """WF-20 S7: a charged repair ships back once finance has confirmed the payment: refused
    (409 guard payment, what is open) while its charge is unpaid or part paid, then through."""
    fx = fixtures(ctx)
    u, tid, r = to_qc_passed(ctx, fx, today(-3 * 365), charge_fen=150000)
    rid = r["id"]
    check(r["chargeable"] is True, "out of warranty: %s" % r)
    ch = expect(ctx.api("finance").get("/api/v1/charges?owner_kind=ticket&owner_id=%d" % tid),
                200, "charges").json["items"]
    check(len(ch) == 1 and ch[0]["source"] == "rma", "the billed charge: %s" % ch)
    cid = ch[0]["id"]
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, rid)), 200, "rma").json
    check(v["charge"] == {"id": cid, "amount_fen": 150000, "paid_fen": 0, "pay_state": "unpaid"},
          "the page shows the charge: %s" % v.get("charge"))
    x = act(ctx, rid, "ship_back", "agent", 409, ship_to="无锡新区")
    check(reason(x) == "guard" and params(x) == {
        "guard": "payment", "charge_id": cid, "amount_fen": 150000, "open_fen": 150000,
        "pay_state": "unpaid"}, "refused while unpaid: %s" % x.json)
    pay(ctx, cid, 50000)
    x = act(ctx, rid, "ship_back", "agent", 409, ship_to="无锡新区")
    check(params(x).get("guard") == "payment" and params(x).get("open_fen") == 100000 and
          params(x).get("pay_state") == "part_paid", "refused while part paid: %s" % x.json)
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, rid)), 200, "rma").json
    check(v["rma"]["state"] == "qc_passed" and v["rma"]["shipment_id"] is None,
          "the refusal changed nothing: %s" % v["rma"])
    pay(ctx, cid, 100000)
    v = act(ctx, rid, "ship_back", "agent", ship_to="无锡新区").json
    check(v["rma"]["state"] == "shipped_back" and v["rma"]["shipment_id"] and
          v["charge"]["pay_state"] == "paid", "paid: shipped back: %s" % v["rma"])
    # a discount is finance's change of the charge: lowered to what was paid, it is paid
    _, tid2, r2 = to_qc_passed(ctx, fx, today(-3 * 365), charge_fen=80000)
    cid = expect(ctx.api("finance").get("/api/v1/charges?owner_kind=ticket&owner_id=%d" % tid2),
                 200, "charges").json["items"][0]["id"]
    pay(ctx, cid, 30000)
    act(ctx, r2["id"], "ship_back", "agent", 409)
    c = expect(ctx.api("finance").patch("/api/v1/charges/%d" % cid, {"amount_fen": 30000}), 200,
               "discount").json
    check(c["pay_state"] == "paid", "discounted to what was paid: %s" % c)
    act(ctx, r2["id"], "ship_back", "agent")
    # chargeable, but the analysis billed nothing (0) or recorded no charge: no gate
    for fen in (0, None):
        _, tid2, r2 = to_qc_passed(ctx, fx, today(-3 * 365), charge_fen=fen)
        check(r2["chargeable"] is True, "chargeable: %s" % r2)
        v = act(ctx, r2["id"], "ship_back", "agent").json
        check(v["rma"]["state"] == "shipped_back" and v["charge"] is None,
              "nothing billed (%s): shipped back: %s" % (fen, v.get("charge")))


def case_ship_back_dates(ctx):
    """The release of a ship-back keeps the repaired unit's own production and ship dates: its
    warranty does not restart from the ship-back (nor does an installed unit's release fail on
    its install date before the new ship date). The line keeps the ship-back's own dates."""
    fx = fixtures(ctx)
    for dates in ({"production_date": today(-300)},
                  {"production_date": today(-300), "install_date": today(-190)}):
        u, _, r = to_qc_passed(ctx, fx, today(-200), **dates)
        check(u["ship_date"] == today(-200) and u["warranty_end"], "the unit before: %s" % u)
        rid = r["id"]
        sid = act(ctx, rid, "ship_back", "agent").json["rma"]["shipment_id"]
        s = ship_back_chain(ctx, sid, u["serial_no"], ship=today())
        check(s["lines"][0]["ship_date"] == today() and s["lines"][0]["unit_id"] == u["id"],
              "the line keeps the ship-back's date: %s" % s["lines"])
        act(ctx, rid, "close", "agent")
        after = expect(ctx.api().get("/api/v1/units/%d" % u["id"]), 200, "unit").json
        for k in ("production_date", "ship_date", "install_date", "warranty_start",
                  "warranty_end", "warranty_basis"):
            check(after.get(k) == u.get(k), "%s kept: %s → %s" % (k, u.get(k), after.get(k)))


def case_ship_back_prefilled(ctx):
    """Review 68 L3: the ship-back of the RMA's own unit comes with its line recorded from the
    unit (serial, production and ship dates), so the warehouse releases it without typing
    dates the release then ignores; a date the unit lacks stays empty for the warehouse. The
    line is addressed by its id: another number is 404 naming the line id."""
    fx = fixtures(ctx)
    u, _, r = to_qc_passed(ctx, fx, today(-200), production_date=today(-300))
    rid = r["id"]
    sid = act(ctx, rid, "ship_back", "agent").json["rma"]["shipment_id"]
    s = expect(ctx.api("warehouse").get("%s/%d" % (SHP, sid)), 200, "shipment").json
    line = s["lines"][0]
    check((line["serial_no"], line["production_date"], line["ship_date"]) ==
          (u["serial_no"], today(-300), today(-200)), "the line from the unit: %s" % line)
    check(any(e["action"] == "line" and u["serial_no"] in e["note"] for e in s["events"]),
          "the timeline says so: %s" % s["events"])
    lid = handed_over(ctx, sid)
    check(lid == line["id"], "one line: %s" % lid)
    with contract.bad_requests():
        x = ctx.srv.request("PUT", "%s/%d/lines/%d" % (SHP, sid, lid + 100000),
                            token=ctx.tok["warehouse"], bad=True,
                            body={"serial_no": u["serial_no"], "production_date": today(-300),
                                  "ship_date": today(-200)})
    check(x.status == 404 and "line with id %d" % (lid + 100000) in x.json["error"]["message"],
          "the URL takes the line id: %s" % x.json)
    s = ship_back_chain(ctx, sid, None, line=lid)  # released with nothing typed
    check(s["lines"][0]["unit_id"] == u["id"], "the unit itself went back: %s" % s["lines"])
    act(ctx, rid, "close", "agent")
    after = expect(ctx.api().get("/api/v1/units/%d" % u["id"]), 200, "unit").json
    check((after["production_date"], after["ship_date"]) == (today(-300), today(-200)),
          "the unit's dates kept: %s" % after)
    # a unit without a production date: the serial and ship date prefilled, the rest typed
    u, _, r = to_qc_passed(ctx, fx, today(-200))
    sid = act(ctx, r["id"], "ship_back", "agent").json["rma"]["shipment_id"]
    line = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json["lines"][0]
    check((line["serial_no"], line["production_date"], line["ship_date"]) ==
          (u["serial_no"], None, today(-200)), "only what the unit has: %s" % line)
    # a replacement's ship-back carries a new unit: its line waits for the new serial
    u, _, rid = to_replaced(ctx, fx, install_date=today(-20))
    sid = act(ctx, rid, "ship_back", "agent").json["rma"]["shipment_id"]
    line = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json["lines"][0]
    check(not line["serial_no"] and line["production_date"] is None,
          "a replacement's line is not prefilled: %s" % line)


def direct_replacement(ctx, tid, model):
    """A replacement shipment of the shipping module for the ticket, handed over and its
    copies acknowledged: the warehouse may record its line (docs/shipments.md)."""
    sid = expect(ctx.api("agent").post(SHP, {"kind": "replacement", "ticket_id": tid,
                                             "lines": [{"model_id": model, "quantity": 1}]}),
                 201, "direct replacement").json["shipment"]["id"]
    shp(ctx, sid, "issue_order", "finance")
    v = shp(ctx, sid, "hand_over", "agent")
    for role in ("warehouse", "logistics"):
        task = [c for c in v["copies"] if c["role"] == role][0]
        expect(ctx.api(role).post("/api/v1/tasks/%d/done" % task["id"], {"reply": "收到"}), 200,
               "copy acknowledged")
    return sid, v["lines"][0]["id"]


def record(ctx, sid, line, serial, status=200):
    r = ctx.srv.request("PUT", "%s/%d/lines/%d" % (SHP, sid, line), token=ctx.tok["warehouse"],
                        body={"serial_no": serial, "production_date": today(-400),
                              "ship_date": today(-1)}, bad=status >= 400)
    return expect(r, status, "line recorded")


def in_rma(r, rma, what):
    check(r.status == 409 and reason(r) == "serial_in_rma" and r.err_field() == "serial_no" and
          params(r) == {"line_no": 1, "rma_id": rma["id"], "number": rma["number"]},
          "%s: %s" % (what, r.json))


def case_unit_in_rma(ctx):
    """RULE WF-05 S8, WF-20 S7: the unit of an open RMA goes on no shipment but the RMA's own
    ship-back: a direct replacement shipment of the same ticket recording its serial is refused
    (409 serial_in_rma) on the line, and at release when the RMA opened after the line was
    recorded; the release changes nothing. Before, it put the unit back at the customer while
    the RMA waited for the payment (review 2026-12-07, H1)."""
    fx = fixtures(ctx)
    u, tid, r = to_qc_passed(ctx, fx, today(-3 * 365), charge_fen=120000,
                             production_date=today(-4 * 365))
    check(unit_status(ctx, u["id"]) == "in_repair", "in repair")
    act(ctx, r["id"], "ship_back", "agent", 409)  # the payment gate
    sid, line = direct_replacement(ctx, tid, fx["model"])
    in_rma(record(ctx, sid, line, u["serial_no"], 409), r, "the RMA's unit on another shipment")
    s = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json
    check(s["lines"][0]["serial_no"] in (None, ""), "nothing recorded: %s" % s["lines"])
    # recorded before the RMA opened (awaiting return): the release refuses it, nothing moves
    u2 = unit(ctx, fx, ship_date=today(-3 * 365))
    t2 = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": u2["id"], "caller_phone": "13900000019",
        "description": "换机", "assignee_id": ctx.uid["technician"]}), 201, "ticket").json["id"]
    sid2, line2 = direct_replacement(ctx, t2, fx["model"])
    record(ctx, sid2, line2, u2["serial_no"])
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % t2, {}), 200,
           "accept")
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/send_to_factory" % t2,
                                      {"note": "返厂检修"}), 200, "send_to_factory")
    rma2 = expect(ctx.api("agent").get("%s?ticket_id=%d" % (RMA, t2)), 200,
                  "rmas").json["items"][0]
    with contract.bad_requests():
        x = ctx.api("warehouse").post("%s/%d/actions" % (SHP, sid2), {"action": "release"})
    in_rma(x, rma2, "the release")
    s = expect(ctx.api().get("%s/%d" % (SHP, sid2)), 200, "shipment").json
    check(s["shipment"]["state"] == "handed_over" and s["lines"][0]["unit_id"] is None,
          "the refused release changed nothing: %s" % short(s))
    # the RMA's own ship-back carries it, once paid
    ch = expect(ctx.api("finance").get("/api/v1/charges?owner_kind=ticket&owner_id=%d" % tid),
                200, "charges").json["items"]
    pay(ctx, ch[0]["id"], 120000)
    own = act(ctx, r["id"], "ship_back", "agent").json["rma"]["shipment_id"]
    s = ship_back_chain(ctx, own, u["serial_no"])
    check(s["shipment"]["state"] == "received" and s["lines"][0]["unit_id"] == u["id"],
          "the RMA's own ship-back: %s" % short(s))
    act(ctx, r["id"], "close", "agent")
    check(unit_status(ctx, u["id"]) == "shipped", "back at the customer once closed")


def outbox(ctx, tid):
    return sql(ctx, "SELECT subject, body, recipient FROM outbox WHERE kind = 'rma_charge' AND "
                    "ticket_id = %d ORDER BY id" % tid)


def charges(ctx, tid):
    return expect(ctx.api("finance").get("/api/v1/charges?owner_kind=ticket&owner_id=%d" % tid),
                  200, "charges").json["items"]


def to_inspected(ctx, fx, **unit_kw):
    u = unit(ctx, fx, ship_date=today(-3 * 365), production_date=today(-4 * 365), **unit_kw)
    tid, r = to_factory(ctx, u["id"])
    act(ctx, r["id"], "receive", "agent")
    act(ctx, r["id"], "inspect_in", "qc", findings="进水腐蚀")
    return u, tid, r


def case_consent(ctx):
    """WF-20 S4-S5 (review 68 H2): the analysis of an RMA out of warranty proposes its charge
    and tells the customer (message rma_charge); nothing is billed and the repair is refused
    (409 guard consent) until the customer accepts, recorded by after-sales on the phone or by
    the customer account in the portal; the accept bills the charge; a decline bills nothing
    and the unit ships back unrepaired. A customer consents for its own RMA only (404)."""
    fx = fixtures(ctx)
    u, tid, r = to_inspected(ctx, fx)
    rid = r["id"]
    v = act(ctx, rid, "analyse", "dept_head", cause_category="use", cause_analysis="使用不当进水",
            charge_fen=128000).json
    check(v["rma"]["charge_fen"] == 128000 and v["rma"]["consent_decision"] is None and
          v["charge"] is None and charges(ctx, tid) == [], "proposed, not billed: %s" % v["rma"])
    check("consent" in v["allowed_actions"] and "ship_back" not in v["allowed_actions"],
          "the decision is offered: %s" % v["allowed_actions"])
    told = outbox(ctx, tid)
    check(len(told) == 1 and r["number"] in told[0][1] and u["serial_no"] in told[0][1] and
          "1280.00" in told[0][1] and told[0][2] == "13900000009",
          "the customer is told the amount: %s" % told)
    # the repair and an unrepaired ship-back wait for the decision
    x = act(ctx, rid, "repair", "technician", 409, note="更换主板")
    check(reason(x) == "guard" and params(x) == {"guard": "consent", "proposed_fen": 128000,
                                                 "decision": None}, "repair refused: %s" % x.json)
    x = act(ctx, rid, "ship_back", "agent", 409)
    check(params(x).get("guard") == "consent", "no unrepaired ship-back: %s" % x.json)
    # a customer account: its own RMAs only; staff: how the customer said it, and a note
    with contract.bad_requests():
        expect(ctx.api("customer").post("%s/%d/actions" % (RMA, rid),
                                        {"action": "consent", "decision": "accept"}), 404,
               "another customer's RMA")
    act(ctx, rid, "consent", "technician", 403, decision="accept", channel="phone", note="x")
    x = act(ctx, rid, "consent", "agent", 400, decision="accept", note="客户同意")
    check(x.json["error"]["field"] == "channel" and reason(x) == "required", "channel: %s" % x.json)
    x = act(ctx, rid, "consent", "agent", 400, decision="accept", channel="portal", note="x")
    check(x.json["error"]["field"] == "channel" and reason(x) == "unknown_value", "portal: %s" %
          x.json)
    x = act(ctx, rid, "consent", "agent", 400, decision="accept", channel="phone")
    check(x.json["error"]["field"] == "note", "note: %s" % x.json)
    x = act(ctx, rid, "consent", "agent", 400, channel="phone", note="x")
    check(x.json["error"]["field"] == "decision", "decision: %s" % x.json)
    check(charges(ctx, tid) == [], "the refusals billed nothing")
    v = act(ctx, rid, "consent", "sales", decision="accept", channel="phone",
            note="客户王工电话同意 1280 元").json
    check(v["rma"]["consent_decision"] == "accept" and v["rma"]["consent_channel"] == "phone" and
          v["rma"]["consent_by"] == ctx.uid["sales"] and v["rma"]["consent_at"] and
          v["rma"]["state"] == "analysed", "accepted: %s" % v["rma"])
    ch = charges(ctx, tid)
    check([(c["amount_fen"], c["source"], c["customer_share_bp"]) for c in ch] ==
          [(128000, "rma", 10000)] and r["number"] in ch[0]["description"] and
          v["charge"]["id"] == ch[0]["id"], "billed at the accept: %s" % ch)
    check(v["events"][-1]["action"] == "consent_accept", "timeline: %s" % v["events"][-1])
    x = act(ctx, rid, "consent", "agent", 409, decision="decline", channel="phone", note="x")
    check(params(x).get("guard") == "consent" and params(x).get("decision") == "accept",
          "decided once: %s" % x.json)
    v = act(ctx, rid, "repair", "technician", note="更换主板").json
    check(v["rma"]["state"] == "repaired" and len(charges(ctx, tid)) == 1, "repaired, one charge")
    # the customer account on its own RMA: sees the amount, declines in the portal
    u2, tid2, r2 = to_inspected(ctx, fx, customer=ctx.fx["A"], site=False)
    act(ctx, r2["id"], "analyse", "dept_head", cause_category="use", cause_analysis="内部: 进水",
        charge_fen=90000)
    v = expect(ctx.api("customer").get("%s/%d" % (RMA, r2["id"])), 200, "own RMA").json
    check(v["rma"]["charge_fen"] == 90000 and v["rma"]["consent_decision"] is None and
          v["allowed_actions"] == ["consent"] and "cause_analysis" not in v["rma"] and
          "consent_note" not in v["rma"] and "charge" not in v, "the customer's view: %s" % v)
    v = expect(ctx.api("customer").post("%s/%d/actions" % (RMA, r2["id"]),
                                        {"action": "consent", "decision": "decline",
                                         "note": "太贵了, 不修"}), 200, "declined").json
    check(v["rma"]["consent_decision"] == "decline" and v["rma"]["consent_channel"] == "portal" and
          v["allowed_actions"] == [], "declined in the portal: %s" % v["rma"])
    check(charges(ctx, tid2) == [], "a decline bills nothing")
    x = act(ctx, r2["id"], "repair", "technician", 409, note="x")
    check(params(x) == {"guard": "consent", "proposed_fen": 90000, "decision": "decline"},
          "no repair once declined: %s" % x.json)
    # the unit goes back unrepaired: ship-back from analysed, no charge so no payment gate
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, r2["id"])), 200, "rma").json
    check("ship_back" in v["allowed_actions"] and "consent" not in v["allowed_actions"],
          "ship back offered: %s" % v["allowed_actions"])
    v = act(ctx, r2["id"], "ship_back", "agent", ship_to="北京").json
    check(v["rma"]["state"] == "shipped_back" and v["charge"] is None and
          v["rma"]["work_note"] == "", "shipped back unrepaired: %s" % v["rma"])
    ship_back_chain(ctx, v["rma"]["shipment_id"], u2["serial_no"])
    v = act(ctx, r2["id"], "close", "agent").json
    check(v["rma"]["state"] == "closed" and unit_status(ctx, u2["id"]) == "shipped" and
          ticket(ctx, tid2)["status"] == "resolved", "closed: %s" % v["rma"]["state"])
    check(charges(ctx, tid2) == [] and len(outbox(ctx, tid2)) == 1, "told once, billed nothing")


def return_task(ctx, rid):
    """The open follow-up task of an advance exchange's return, as after-sales sees it."""
    items = expect(ctx.api("agent").get("/api/v1/tasks?status=open&limit=100"), 200,
                   "tasks").json["items"]
    found = [k for k in items if k["source"] == "rma" and k["source_id"] == rid]
    return found[0] if found else None


def case_advance_exchange(ctx):
    """RULE WF-08 S3-S5 (review 68 M9): a DOA unit's replacement ships first (advance_exchange:
    a DOA ticket, an approved replacement), the old unit is awaited until its return date
    (overdue listed), then received (returned), inspected and analysed, and the RMA closes with
    no second replacement; the new unit takes the old one's place."""
    fx = fixtures(ctx)
    # not a DOA: refused, and not offered
    _, r0 = to_factory(ctx, unit(ctx, fx, ship_date=today(-30))["id"])
    check("advance_exchange" not in expect(ctx.api("agent").get("%s/%d" % (RMA, r0["id"])), 200,
                                           "rma").json["allowed_actions"], "offered to a repair")
    x = act(ctx, r0["id"], "advance_exchange", "agent", 409)
    check(reason(x) == "guard" and params(x) == {"guard": "doa"}, "not a DOA: %s" % x.json)
    u = unit(ctx, fx, ship_date=today(-5), install_date=today(-3))
    tid, r = to_factory(ctx, u["id"], "doa")
    rid = r["id"]
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, rid)), 200, "rma").json
    check("advance_exchange" in v["allowed_actions"] and v["rma"]["advance"] is False and
          v["rma"]["return_due"] is None, "offered on a DOA: %s" % v["allowed_actions"])
    # the roles: after-sales and sales; not the technician, not the customer
    act(ctx, rid, "advance_exchange", "technician", 403)
    # no approved replacement yet
    x = act(ctx, rid, "advance_exchange", "agent", 409)
    check(params(x).get("guard") == "approval", "approval first: %s" % x.json)
    ap = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "replacement", "purpose": "开箱即损, 先换后返", "customer_id": fx["cust"],
        "ticket_id": tid}), 201, "replacement request").json
    x = act(ctx, rid, "advance_exchange", "agent", 409)
    check(params(x).get("guard") == "approval", "pending does not count: %s" % x.json)
    expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % ap["id"],
                                     {"decision": "approve"}), 200, "approve")
    v = act(ctx, rid, "advance_exchange", "sales", note="先发新机").json
    rma = v["rma"]
    check(rma["state"] == "awaiting_return" and rma["advance"] is True and
          rma["return_due"] == today(14) and rma["shipment_id"] and
          rma["old_unit_handling"] == "returned" and v["return_overdue"] is False,
          "the replacement ships first: %s" % rma)
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, rid)), 200, "rma").json
    check(v["allowed_actions"] == ["receive", "cancel"], "no second exchange: %s" %
          v["allowed_actions"])
    x = act(ctx, rid, "advance_exchange", "agent", 409)
    check(reason(x) == "illegal_action", "once: %s" % x.json)
    # the follow-up: an after-sales task due at the end of the return date (the tasks' overdue)
    task = return_task(ctx, rid)
    check(task and task["status"] == "open" and task["ticket_id"] == tid and
          task["due_at"] == "%sT16:00:00Z" % today(14) and task["overdue"] is False,
          "the return's task: %s" % task)
    sid = rma["shipment_id"]
    s = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json["shipment"]
    check(s["kind"] == "replacement" and s["ticket_id"] == tid, "the shipment: %s" % short(s))
    # the old serial is refused on its line (serial_replaced)
    line = handed_over(ctx, sid)
    x = record(ctx, sid, line, u["serial_no"], 409)
    check(reason(x) == "serial_replaced", "the old unit on the line: %s" % x.json)
    fresh = "RA" + uniq()[:10]
    record(ctx, sid, line, fresh)
    s = ship_back_chain(ctx, sid, None, line=line)
    # overdue once past the return date: the board's filter and the page
    b = "%s?overdue=true&limit=200" % RMA
    check(rid not in [i["id"] for i in expect(ctx.api("agent").get(b), 200, "od").json["items"]],
          "not overdue yet")
    sql(ctx, "UPDATE rmas SET return_due = '%s' WHERE id = %d" % (today(-1), rid))
    items = expect(ctx.api("agent").get(b), 200, "overdue").json["items"]
    check([i["id"] for i in items if i["ticket_id"] == tid] == [rid], "overdue: %s" % items)
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, rid)), 200, "rma").json
    check(v["return_overdue"] is True, "the page says overdue")
    sql(ctx, "UPDATE tasks SET due_at = '%sT16:00:00Z' WHERE id = %d" % (today(-2), task["id"]))
    check(return_task(ctx, rid)["overdue"] is True, "the task is overdue too")
    # the old unit arrives: returned, not in repair; inspected and analysed as any return
    v = act(ctx, rid, "receive", "warehouse").json
    check(v["return_overdue"] is False and unit_status(ctx, u["id"]) == "returned",
          "received: %s" % v["rma"])
    check(return_task(ctx, rid) is None, "the task is done once the unit is back")
    check(rid not in [i["id"] for i in expect(ctx.api("agent").get(b), 200, "od").json["items"]],
          "no longer overdue")
    act(ctx, rid, "inspect_in", "qc", findings="开箱即损: 电源板烧毁")
    v = act(ctx, rid, "analyse", "dept_head", cause_category="manufacturing",
            cause_analysis="电源板虚焊").json
    check(v["allowed_actions"] == ["close"], "only close: %s" % v["allowed_actions"])
    for a, role in (("replace", "technician"), ("repair", "technician"), ("ship_back", "agent")):
        x = act(ctx, rid, a, role, 409, note="x", old_unit_handling="returned")
        check(reason(x) == "illegal_action", "no second replacement (%s): %s" % (a, x.json))
    v = act(ctx, rid, "close", "agent").json
    check(v["rma"]["state"] == "closed" and v["rma"]["shipment_id"] == sid,
          "closed on the one shipment: %s" % v["rma"])
    new = expect(ctx.api().get("/api/v1/units/%d" % v["rma"]["new_unit_id"]), 200, "new").json
    check(new["serial_no"] == fresh and new["customer_id"] == fx["cust"] and
          new["site_id"] == fx["site"] and new["status"] == "installed" and
          new["install_date"] == s["shipment"]["received_on"], "the new unit: %s" % new)
    check(unit_status(ctx, u["id"]) == "returned", "the old unit stays returned")
    n = sql(ctx, "SELECT count(*) FROM shipments WHERE ticket_id = %d" % tid)
    check(n == [("1",)], "one shipment for the ticket: %s" % n)
    check(ticket(ctx, tid)["status"] == "resolved", "ticket resolved")


def doa_rma(ctx, fx, approve=True):
    """A DOA unit at the factory with its replacement approved: (ticket, RMA id, unit)."""
    u = unit(ctx, fx, ship_date=today(-5), install_date=today(-3))
    tid, r = to_factory(ctx, u["id"], "doa")
    ap = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "replacement", "purpose": "开箱即损, 先换后返", "customer_id": fx["cust"],
        "ticket_id": tid}), 201, "replacement request").json
    if approve:
        expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % ap["id"],
                                         {"decision": "approve"}), 200, "approve")
    return tid, r["id"], u


def case_advance_race(ctx):
    """RULE review 72 #1: advance exchanges at once on one RMA ship one replacement: the RMA
    is taken before it is read (PostgreSQL shipped two in 2 rounds of 5)."""
    import threading
    fx = fixtures(ctx)
    agent = ctx.api("agent")
    for rnd in range(8):
        tid, rid, _ = doa_rma(ctx, fx)
        codes = []

        def one(i):
            r = agent.post("%s/%d/actions" % (RMA, rid),
                           {"action": "advance_exchange", "note": "并发 %d-%d" % (rnd, i)},
                           bad=True)
            codes.append((r.status, reason(r)))
        th = [threading.Thread(target=one, args=(i,)) for i in range(12)]
        [t.start() for t in th]
        [t.join() for t in th]
        ok = [c for c in codes if c[0] == 200]
        check(len(ok) == 1 and all(c == (409, "illegal_action") for c in codes if c[0] != 200),
              "round %d: one exchange of 12: %s" % (rnd, sorted(codes)))
        n = sql(ctx, "SELECT count(*) FROM shipments WHERE ticket_id = %d" % tid)
        t = sql(ctx, "SELECT count(*) FROM tasks WHERE source = 'rma' AND source_id = %d" % rid)
        check(n == [("1",)] and t == [("1",)],
              "round %d: one shipment, one return task: %s %s" % (rnd, n, t))


def shipment_state(ctx, sid):
    return expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json["shipment"]["state"]


def case_advance_cancel(ctx):
    """RULE review 72 #5: cancelling an advance exchange cancels its replacement shipment while
    the shipping module still can (requested … on hold), in the same transaction; once the
    replacement has left (released, in transit, arrived, received) the cancel is refused (409
    guard shipment with its state) and the old unit's return stays tracked."""
    fx = fixtures(ctx)
    # not dispatched yet: the replacement is cancelled with the RMA, the return task done
    tid, rid, _ = doa_rma(ctx, fx)
    sid = act(ctx, rid, "advance_exchange", "agent", note="先发").json["rma"]["shipment_id"]
    x = act(ctx, rid, "cancel", "agent", 400)
    check(reason(x) == "required" and shipment_state(ctx, sid) == "requested", "note: %s" % x.json)
    v = act(ctx, rid, "cancel", "agent", note="客户撤销").json
    check(v["rma"]["state"] == "cancelled" and shipment_state(ctx, sid) == "cancelled" and
          return_task(ctx, rid) is None, "cancelled with its replacement: %s" % v["rma"])
    # on its way: refused, everything stays
    tid, rid, _ = doa_rma(ctx, fx)
    sid = act(ctx, rid, "advance_exchange", "agent", note="先发").json["rma"]["shipment_id"]
    line = handed_over(ctx, sid)
    record(ctx, sid, line, "RC" + uniq()[:10])
    shp(ctx, sid, "release", "warehouse")
    x = act(ctx, rid, "cancel", "agent", 409, note="客户说不退了")
    check(reason(x) == "guard" and params(x) == {"guard": "shipment", "shipment_id": sid,
                                                  "state": "released"}, "released: %s" % x.json)
    shp(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:8],
        certificate_sent=True)
    x = act(ctx, rid, "cancel", "agent", 409, note="客户说不退了")
    check(params(x).get("state") == "in_transit", "in transit: %s" % x.json)
    v = expect(ctx.api("agent").get("%s/%d" % (RMA, rid)), 200, "rma").json
    check(v["rma"]["state"] == "awaiting_return" and return_task(ctx, rid) and
          shipment_state(ctx, sid) == "in_transit", "still awaited: %s" % v["rma"])


def case_advance_out_of_warranty(ctx):
    """RULE review 72 #4: no advance exchange for a unit out of warranty (409 guard
    eligibility, why warranty, as replace), even with the replacement approved."""
    fx = fixtures(ctx)
    u = unit(ctx, fx, ship_date=today(-800), install_date=today(-790))
    tid, r = to_factory(ctx, u["id"], "doa")
    check(r["warranty_status"] == "out", "out of warranty: %s" % r["warranty_status"])
    ap = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "replacement", "purpose": "开箱即损", "customer_id": fx["cust"],
        "ticket_id": tid}), 201, "replacement request").json
    expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % ap["id"],
                                     {"decision": "approve"}), 200, "approve")
    x = act(ctx, r["id"], "advance_exchange", "agent", 409)
    check(reason(x) == "guard" and params(x) == {"guard": "eligibility", "why": "warranty"},
          "refused: %s" % x.json)
    n = sql(ctx, "SELECT count(*) FROM shipments WHERE ticket_id = %d" % tid)
    check(n == [("0",)], "nothing shipped: %s" % n)


def run(ctx, runner):
    runner.run("rma: diagnosis → both QC inspections → ship-back → closed (WF-05, R-063)",
               case_full_chain, ctx)
    runner.run("rma: charge out of warranty, board, customer scope, cancel", case_charge_and_scope,
               ctx)
    runner.run("rma: at most 40 photos per RMA", case_photo_cap, ctx)
    runner.run("rma: replacement eligibility and approval by the matrix (WF-06, R-065)",
               case_replacement, ctx)
    runner.run("rma: a paid replacement out of warranty, once the charge is accepted (WF-06)",
               case_paid_replacement, ctx)
    runner.run("rma: a charged repair ships back once paid (WF-20 S7, review 2026-12-07)",
               case_payment_gate, ctx)
    runner.run("rma: the customer accepts or declines the proposed charge (WF-20, review 68 H2)",
               case_consent, ctx)
    runner.run("rma: the repaired unit keeps its dates through the ship-back (review M7)",
               case_ship_back_dates, ctx)
    runner.run("rma: the ship-back of the RMA's own unit comes prefilled (review 68 L3)",
               case_ship_back_prefilled, ctx)
    runner.run("rma: the unit goes on no shipment but the RMA's ship-back (review H1)",
               case_unit_in_rma, ctx)
    runner.run("rma: timeline by display name, ship-back dispatched or not (review 68 L8, L2)",
               case_timeline_names, ctx)
    runner.run("rma: a replacement ships a new unit, not the old one, installed in its place "
               "(review 68 H3, L10)",
               case_replacement_new_serial, ctx)
    runner.run("rma: a DOA unit's advance exchange ships first, its return tracked (review 68 "
               "M9)", case_advance_exchange, ctx)
    runner.run("rma: parallel advance exchanges ship one replacement (review 72 #1)",
               case_advance_race, ctx)
    runner.run("rma: an advance exchange's cancel takes back its replacement, or is refused once "
               "it left (review 72 #5)", case_advance_cancel, ctx)
    runner.run("rma: no advance exchange out of warranty (review 72 #4)",
               case_advance_out_of_warranty, ctx)

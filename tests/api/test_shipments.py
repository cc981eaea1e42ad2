"""Shipments (issue 12 items 1 and 6): the chain payment → request → shipping order → copies
acknowledged → units recorded → release → dispatch → arrival → receipt, every refusal
(request before payment, release without serials or before the copy is acknowledged, illegal
actions with the legal ones listed, roles), the picking exception, the overdue list, the
dead-on-arrival classification at intake, the replacement without payment and the DOA report.
Run by test_api.py on SQLite and PostgreSQL."""
import datetime
import sqlite3
import subprocess

import contract
from harness import check, expect, uniq

SHP = "/api/v1/shipments"


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def params(r):
    return (r.json.get("error") or {}).get("params") or {}


def sql(ctx, stmt):
    """A statement the API cannot make (an old dispatch day for the overdue list)."""
    url = ctx.srv.db_url
    if url.startswith("sqlite:"):
        con = sqlite3.connect(url[len("sqlite:"):], timeout=30)
        con.execute(stmt)
        con.commit()
        con.close()
    else:
        subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", stmt], check=True,
                       capture_output=True, timeout=60)


def today(delta=0):
    d = datetime.datetime.utcnow() + datetime.timedelta(hours=8) + datetime.timedelta(days=delta)
    return d.strftime("%Y-%m-%d")


def act(ctx, sid, action, role, status=200, **body):
    body["action"] = action
    if status >= 400:
        with contract.bad_requests():
            r = ctx.api(role).post("%s/%d/actions" % (SHP, sid), body)
    else:
        r = ctx.api(role).post("%s/%d/actions" % (SHP, sid), body)
    expect(r, status, "shipment %s by %s" % (action, role))
    return r


def put_line(ctx, sid, lid, serial, role="warehouse", status=200, prod="2026-11-01", ship=None):
    r = ctx.srv.request("PUT", "%s/%d/lines/%d" % (SHP, sid, lid), token=ctx.tok[role],
                        body={"serial_no": serial, "production_date": prod,
                              "ship_date": ship or today()}, bad=status >= 400)
    expect(r, status, "line %d by %s" % (lid, role))
    return r


def fixtures(ctx):
    if "shp" in ctx.fx:
        return ctx.fx["shp"]
    a = ctx.api()
    cust = expect(a.post("/api/v1/customers", {"name": "发货测试客户" + uniq()[:4],
                                               "type": "company"}), 201, "customer").json["id"]
    site = expect(a.post("/api/v1/sites", {"customer_id": cust, "name": "厂区",
                                           "address": "苏州"}), 201, "site").json["id"]
    k = expect(a.post("/api/v1/contracts", {"number": "HT-S-" + uniq(), "customer_id": cust,
                                            "start_date": "2026-01-01",
                                            "installation_included": True}), 201, "contract")
    model = expect(a.post("/api/v1/models", {"code": "SHP-" + uniq()[:6], "name": "发货型号",
                                             "category": "equipment", "warranty_months": 12}),
                   201, "model").json["id"]
    fx = {"cust": cust, "site": site, "contract": k.json["id"], "model": model}
    ctx.fx["shp"] = fx
    return fx


def case_payment_received(ctx):
    """A payment gates shipping once it is received: one dated after today is refused (400
    out_of_range naming received_on), so it cannot open the gate ahead of the money."""
    fx = fixtures(ctx)
    with contract.bad_requests():
        r = expect(ctx.api("finance").post("/api/v1/payments", {
            "contract_id": fx["contract"], "amount_fen": 1, "received_on": today(1),
            "reference": "BANK-" + uniq()[:6]}), 400, "a payment received tomorrow")
    check(r.json["error"]["field"] == "received_on" and
          r.json["error"]["reason"] == "out_of_range", "names the date: %s" % r.json)


def pay(ctx, contract_id):
    r = ctx.api("finance").post("/api/v1/payments", {"contract_id": contract_id,
                                                      "amount_fen": 12800000,
                                                      "received_on": today(),
                                                      "reference": "BANK-" + uniq()[:6]})
    return expect(r, 201, "payment").json["id"]


def request(ctx, fx, qty=2, role="sales", status=201):
    body = {"contract_id": fx["contract"], "site_id": fx["site"], "ship_to": "苏州工业园区",
            "lines": [{"model_id": fx["model"], "quantity": qty}]}
    if status >= 400:
        with contract.bad_requests():
            r = ctx.api(role).post(SHP, body)
    else:
        r = ctx.api(role).post(SHP, body)
    return expect(r, status, "shipping request by " + role)


def ack(ctx, view, role):
    task = [c for c in view["copies"] if c["role"] == role][0]
    expect(ctx.api(role).post("/api/v1/tasks/%d/done" % task["id"], {"reply": "已收到发货单"}),
           200, "%s acknowledges" % role)


def handed_over(ctx, fx, qty=2):
    sid = request(ctx, fx, qty).json["shipment"]["id"]
    act(ctx, sid, "issue_order", "finance")
    return act(ctx, sid, "hand_over", "agent").json


def case_chain(ctx):
    fx = fixtures(ctx)
    # nothing before the payment
    r = request(ctx, fx, status=409)
    check(reason(r) == "guard" and params(r).get("guard") == "payment", "payment guard: %s" % r)
    with contract.bad_requests():
        expect(ctx.api("sales").post("/api/v1/payments", {"contract_id": fx["contract"],
                                                          "amount_fen": 1,
                                                          "received_on": today()}),
               403, "sales cannot confirm a payment")
    pay(ctx, fx["contract"])
    request(ctx, fx, role="agent", status=403)  # a sale is filed by sales only
    v = request(ctx, fx).json
    s = v["shipment"]
    sid = s["id"]
    check(s["state"] == "requested" and s["kind"] == "sale" and s["customer_id"] == fx["cust"],
          "requested: %s" % s)
    check(s["includes_installation"] is True, "installation from the contract")
    check(len(v["lines"]) == 2 and v["allowed_actions"] == ["cancel"], "lines, sales' actions")
    # illegal action: 409 listing the legal ones
    r = act(ctx, sid, "release", "warehouse", 409)
    check(reason(r) == "illegal_action" and
          sorted(params(r).get("allowed", [])) == ["cancel", "issue_order"], "illegal: %s" % r)
    act(ctx, sid, "issue_order", "sales", 403)
    v = act(ctx, sid, "issue_order", "finance").json
    check(v["shipment"]["state"] == "ordered" and v["shipment"]["order_no"].startswith("FH"),
          "ordered: %s" % v["shipment"])
    act(ctx, sid, "hand_over", "finance", 403)
    v = act(ctx, sid, "hand_over", "agent").json
    check(sorted(c["role"] for c in v["copies"]) == ["logistics", "warehouse"] and
          all(c["status"] == "open" for c in v["copies"]), "two copies: %s" % v["copies"])
    lines = v["lines"]
    put_line(ctx, sid, lines[0]["id"], "SN-L-" + uniq()[:6], role="logistics", status=403)
    serial1 = "SN-S1-" + uniq()[:6]
    put_line(ctx, sid, lines[0]["id"], serial1)
    r = put_line(ctx, sid, lines[1]["id"], serial1, status=409)  # the same serial twice
    check(reason(r) == "duplicate", "duplicate serial: %s" % r)
    put_line(ctx, sid, lines[1]["id"], "X", prod="2026-12-01", ship="2026-11-01", status=400)
    # no release until every line has its serial and dates
    r = act(ctx, sid, "release", "warehouse", 409)
    check(reason(r) == "guard" and params(r) == {"guard": "serials", "missing": 1},
          "serial guard: %s" % r)
    serial2 = "SN-S2-" + uniq()[:6]
    put_line(ctx, sid, lines[1]["id"], serial2)
    r = act(ctx, sid, "release", "warehouse", 409)
    check(params(r).get("guard") == "acknowledged", "copy not acknowledged: %s" % r)
    ack(ctx, v, "warehouse")
    v = act(ctx, sid, "release", "warehouse").json
    check(v["shipment"]["state"] == "released" and all(l["unit_id"] for l in v["lines"]),
          "released with units: %s" % v["lines"])
    u = expect(ctx.api().get("/api/v1/units/%d" % v["lines"][0]["unit_id"]), 200, "unit").json
    check(u["serial_no"] == serial1 and u["ship_date"] == today() and
          u["customer_id"] == fx["cust"] and u["site_id"] == fx["site"] and
          u["production_date"] == "2026-11-01" and u["status"] == "shipped", "unit: %s" % u)
    # logistics: its copy first, then carrier, waybill and certificate
    r = act(ctx, sid, "dispatch", "logistics", 409, carrier="顺丰", waybill_no="SF1",
            certificate_sent=True)
    check(params(r).get("guard") == "acknowledged", "logistics copy: %s" % r)
    ack(ctx, v, "logistics")
    act(ctx, sid, "dispatch", "logistics", 400, carrier="顺丰", certificate_sent=True)
    act(ctx, sid, "dispatch", "logistics", 400, carrier="顺丰", waybill_no="SF1")
    v = act(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF123456789",
            certificate_sent=True).json
    s = v["shipment"]
    check(s["state"] == "in_transit" and s["waybill_no"] == "SF123456789" and
          s["certificate_sent"] is True and s["arrival_due_on"] == today(7),
          "in transit, due in 7 days: %s" % s)
    act(ctx, sid, "arrive", "logistics", 403)
    act(ctx, sid, "arrive", "agent", date=today())
    act(ctx, sid, "receive", "agent", 400)  # the signer is required
    v = act(ctx, sid, "receive", "agent", date=today(), signer="王工").json
    s = v["shipment"]
    check(s["state"] == "received" and s["received_signer"] == "王工" and
          s["received_on"] == today(), "received: %s" % s)
    evs = [e["action"] for e in v["events"]]
    check(evs[:1] == ["request"] and evs[-1] == "installation_project" and "release" in evs,
          "timeline: %s" % evs)
    # the receipt opened the installation project of the shipped units
    pr = expect(ctx.api("agent").get("/api/v1/installation-projects?customer_id=%d" %
                                     s["customer_id"]), 200, "projects").json
    mine = [p for p in pr["items"] if p.get("shipment_id") == sid]
    check(len(mine) == 1 and v["events"][-1]["note"] == mine[0]["number"],
          "the receipt opened one project, named on the timeline: %s %s" %
          ([(p.get("number"), p.get("shipment_id")) for p in pr["items"]], v["events"][-1]))
    check(v["allowed_actions"] == [], "nothing after receipt")
    act(ctx, sid, "cancel", "agent", 409, note="x")
    ctx.fx["shp_received"] = (sid, v["lines"])


def case_hold_and_cancel(ctx):
    fx = fixtures(ctx)
    v = handed_over(ctx, fx, 1)
    sid = v["shipment"]["id"]
    act(ctx, sid, "hold", "warehouse", 400, note="缺货")  # the reason is required
    act(ctx, sid, "hold", "sales", 403, hold_reason="stock_out", note="缺货")
    v = act(ctx, sid, "hold", "warehouse", hold_reason="stock_out", note="库存不足").json
    check(v["shipment"]["state"] == "on_hold" and v["shipment"]["hold_reason"] == "stock_out",
          "on hold: %s" % v["shipment"])
    put_line(ctx, sid, v["lines"][0]["id"], "SN-H-" + uniq()[:6])  # recorded while on hold
    r = act(ctx, sid, "release", "warehouse", 409)
    check(reason(r) == "illegal_action" and "instruct" in params(r).get("allowed", []),
          "held: %s" % r)
    act(ctx, sid, "instruct", "sales", 400)
    v = act(ctx, sid, "instruct", "sales", note="改发同型号新批次").json
    check(v["shipment"]["state"] == "handed_over" and
          v["shipment"]["instruction"] == "改发同型号新批次", "instructed")
    act(ctx, sid, "cancel", "sales", 400)
    v = act(ctx, sid, "cancel", "sales", note="客户取消订单").json
    check(v["shipment"]["state"] == "cancelled", "cancelled")
    r = put_line(ctx, sid, v["lines"][0]["id"], "SN-Z", status=409)
    check(reason(r) == "guard", "no lines after cancel: %s" % r)
    with contract.bad_requests():
        expect(ctx.api("sales").post(SHP, {"contract_id": fx["contract"], "lines": []}), 400,
               "no lines")
        expect(ctx.api("sales").post(SHP, {"contract_id": fx["contract"],
                                           "lines": [{"model_id": 99999999}]}), 400,
               "unknown model")
        expect(ctx.api("sales").post(SHP, {"contract_id": fx["contract"], "site_id": ctx.fx["siteA"],
                                           "lines": [{"model_id": fx["model"]}]}), 400,
               "other customer's site")
        expect(ctx.api("customer").get("%s/%d" % (SHP, sid)), 403, "customer")
        expect(ctx.api("technician").get(SHP), 403, "technician")
    expect(ctx.api().get("%s/99999999" % SHP), 404, "no such shipment")


def in_transit(ctx, fx, carrier):
    v = handed_over(ctx, fx, 1)
    sid = v["shipment"]["id"]
    put_line(ctx, sid, v["lines"][0]["id"], "SN-T-" + uniq()[:6])
    ack(ctx, v, "warehouse")
    ack(ctx, v, "logistics")
    act(ctx, sid, "release", "warehouse")
    return act(ctx, sid, "dispatch", "logistics", carrier=carrier, waybill_no="W" + uniq()[:6],
               certificate_sent=False).json


def case_overdue(ctx):
    fx = fixtures(ctx)
    a = ctx.api()
    with contract.bad_requests():
        r = expect(a.patch("/api/v1/settings", {"shipment_carrier_days": "德邦=x"}), 400,
                   "bad carrier table")
        check(reason(r) == "invalid_format", "carrier table format: %s" % r)
        expect(a.patch("/api/v1/settings", {"doa_days": 9999}), 400, "doa days range")
    expect(a.patch("/api/v1/settings", {"shipment_carrier_days": "德邦=3, 慢运=20"}), 200,
           "carrier days")
    v = in_transit(ctx, fx, "德邦")
    check(v["shipment"]["arrival_due_on"] == today(3), "carrier days: %s" % v["shipment"])
    late = in_transit(ctx, fx, "慢运")["shipment"]["id"]
    check(not v["overdue"], "not overdue yet")
    sql(ctx, "UPDATE shipments SET arrival_due_on = '%s' WHERE id = %d" % (today(-1), late))
    items = expect(a.get(SHP + "?overdue=true&limit=200"), 200, "overdue").json["items"]
    ids = [s["id"] for s in items]
    check(late in ids and v["shipment"]["id"] not in ids, "overdue list: %s" % ids)
    check(expect(a.get("%s/%d" % (SHP, late)), 200, "late").json["overdue"], "flag")
    items = expect(a.get(SHP + "?state=in_transit&limit=200"), 200, "board").json["items"]
    check(late in [s["id"] for s in items], "board by state")


def case_doa(ctx):
    fx = fixtures(ctx)
    if "shp_received" not in ctx.fx:
        case_chain(ctx)
    sid, lines = ctx.fx["shp_received"]
    # WF-08: a failure within 15 days of receipt is dead on arrival
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": lines[0]["unit_id"],
        "caller_phone": "13900000002", "description": "开箱无法开机"}), 201, "DOA report")
    tid = r.json["id"]
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["type"] == "doa", "classified DOA: %s" % t["type"])
    # a unit received long ago stays a repair
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": ctx.fx["unitA"],
        "caller_phone": "13900000003"}), 201, "repair")
    t2 = expect(ctx.api().get("/api/v1/tickets/%d" % r.json["id"]), 200, "ticket").json
    check(t2["type"] == "repair", "old unit stays a repair")
    # WF-08 (review 2026-12-07, M8): nothing made good yet, the DOA ticket does not resolve
    tk = "/api/v1/tickets/%d/actions/" % tid
    expect(ctx.api("agent").post(tk + "assign", {"assignee_id": ctx.uid["technician"]}), 200,
           "assign")
    expect(ctx.api("technician").post(tk + "accept", {}), 200, "accept")
    with contract.bad_requests():
        r = expect(ctx.api("technician").post(tk + "resolve", {"note": "已换新"}), 409,
                   "resolve without a replacement")
    check(reason(r) == "guard" and params(r) == {"guard": "replacement", "action": "resolve"},
          "nothing made good: %s" % r.json)
    # the replacement: no payment gate, the customer is the ticket's
    with contract.bad_requests():
        expect(ctx.api("finance").post(SHP, {"kind": "replacement", "ticket_id": tid,
                                             "lines": [{"model_id": fx["model"]}]}), 403,
               "finance cannot raise")
        expect(ctx.api("agent").post(SHP, {"kind": "replacement",
                                           "lines": [{"model_id": fx["model"]}]}), 400,
               "replacement without a ticket")
    r = expect(ctx.api("agent").post(SHP, {"kind": "replacement", "ticket_id": tid,
                                           "lines": [{"model_id": fx["model"]}]}), 201,
               "replacement")
    s = r.json["shipment"]
    check(s["kind"] == "replacement" and s["payment_id"] is None and s["ticket_id"] == tid and
          s["customer_id"] == fx["cust"], "replacement: %s" % s)
    doa_resolve_waits(ctx, tid, s["id"])
    rep = expect(ctx.api("qc").get("/api/v1/reports/doa"), 200, "DOA report").json
    row = [x for x in rep["by_model"] if x["model_id"] == fx["model"]]
    check(row and row[0]["doa"] == 1 and row[0]["delivered"] >= 2 and 0 < row[0]["rate"] <= 0.5,
          "by model: %s" % row)
    b = [x for x in rep["by_batch"] if x["model_id"] == fx["model"] and x["batch"] == "2026-11"]
    check(b and b[0]["doa"] == 1, "by batch: %s" % b)
    with contract.bad_requests():
        expect(ctx.api("qc").get("/api/v1/reports/doa?from=bad"), 400, "bad from")
        expect(ctx.api("sales").get("/api/v1/reports/doa"), 403, "sales")


def doa_resolve_waits(ctx, tid, sid):
    """RULE WF-08: the DOA ticket resolves once its replacement is received: a replacement
    only requested (or on its way) is 409 guard replacement naming it. Before, the ticket
    resolved while the replacement was only requested (review 2026-12-07, M8)."""
    resolve = "/api/v1/tickets/%d/actions/resolve" % tid
    with contract.bad_requests():
        r = expect(ctx.api("technician").post(resolve, {"note": "已换新"}), 409,
                   "resolve while the replacement is requested")
    check(params(r) == {"guard": "replacement", "action": "resolve", "shipment_id": sid,
                        "state": "requested"}, "waits for the replacement: %s" % r.json)
    doa_merge_waits(ctx, tid, sid)
    act(ctx, sid, "issue_order", "finance")
    v = act(ctx, sid, "hand_over", "agent").json
    ack(ctx, v, "warehouse")
    ack(ctx, v, "logistics")
    put_line(ctx, sid, v["lines"][0]["id"], "SN-DOA-" + uniq()[:6])
    act(ctx, sid, "release", "warehouse")
    act(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:8],
        certificate_sent=True)
    with contract.bad_requests():
        r = expect(ctx.api("technician").post(resolve, {"note": "已换新"}), 409,
                   "resolve while the replacement is in transit")
    check(params(r).get("state") == "in_transit", "still on its way: %s" % r.json)
    act(ctx, sid, "arrive", "agent", date=today())
    act(ctx, sid, "receive", "agent", date=today(), signer="王工")
    t = expect(ctx.api("technician").post(resolve, {"note": "已换新"}), 200, "resolve").json
    check(t["status"] == "resolved", "resolved once received: %s" % t.get("status"))


def doa_merge_waits(ctx, tid, sid):
    """WF-08 (review 2026-12-07): a merge cancels the duplicate, so the DOA ticket whose
    replacement is on its way is not merged: 409 guard replacement with the resolve's params
    (action merge), the ticket and its shipment untouched. Before, the merge cancelled the
    ticket past the guard and left the replacement to a cancelled ticket."""
    other = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "customer_id": fixtures(ctx)["cust"],
        "caller_phone": "13900000002", "description": "同一客户的另一报修"}), 201,
        "the same customer's other ticket").json["id"]
    with contract.bad_requests():
        r = expect(ctx.api("agent").post("/api/v1/tickets/%d/merge" % tid, {"into": other}), 409,
                   "merge while the replacement is requested")
    check(reason(r) == "guard" and
          params(r) == {"guard": "replacement", "action": "merge", "shipment_id": sid,
                        "state": "requested"}, "the merge waits: %s" % r.json)
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["merged_into"] is None and t["status"] == "in_progress", "not merged: %s %s" %
          (t["merged_into"], t["status"]))
    # nor cancelled (any type): the shipment would be left to a cancelled ticket too
    with contract.bad_requests():
        r = expect(ctx.api("agent").post("/api/v1/tickets/%d/actions/cancel" % tid,
                                         {"note": "客户取消"}), 409,
                   "cancel while the replacement is requested")
    check(reason(r) == "guard" and params(r).get("action") == "cancel" and
          params(r).get("shipment_id") == sid, "the cancel waits: %s" % r.json)
    s = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json["shipment"]
    check(s["ticket_id"] == tid and s["state"] == "requested", "shipment untouched: %s" % s)
    # the other way round is fine: nothing of the other ticket is on its way
    expect(ctx.api("agent").post("/api/v1/tickets/%d/merge" % other, {"into": tid}), 200,
           "the other ticket merged into the DOA ticket")


def other_unit(ctx, model, serial=None, customer=None):
    """A unit of the model in the installed base: another customer's (a new customer), or in
    stock (customer False)."""
    a = ctx.api()
    body = {"serial_no": serial or "SN-O-" + uniq()[:8], "model_id": model}
    if customer is None:
        customer = expect(a.post("/api/v1/customers", {"name": "另一客户" + uniq()[:4],
                                                       "type": "company"}), 201,
                          "other customer").json["id"]
    if customer:
        body["customer_id"] = customer
    return expect(a.post("/api/v1/units", body), 201, "unit").json


def taken(r, line_no, what):
    check(r.status == 409 and reason(r) == "serial_taken" and r.err_field() == "serial_no" and
          params(r) == {"line_no": line_no}, "%s: %s" % (what, r))


def case_serial_taken(ctx):
    """A serial number of another customer's unit is refused on the line and at release: the
    release would move that unit to this customer. A unit in stock or the customer's own is
    taken (docs/shipments.md, existing serial numbers)."""
    fx = fixtures(ctx)
    a = ctx.api()
    mine = other_unit(ctx, fx["model"], customer=fx["cust"])
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": mine["id"],
        "caller_phone": "13900000004", "description": "更换"}), 201, "ticket")
    sid = expect(ctx.api("agent").post(SHP, {"kind": "replacement", "ticket_id": r.json["id"],
                                             "lines": [{"model_id": fx["model"]}]}), 201,
                 "replacement").json["shipment"]["id"]
    act(ctx, sid, "issue_order", "finance")
    v = act(ctx, sid, "hand_over", "agent").json
    ack(ctx, v, "warehouse")
    ack(ctx, v, "logistics")
    line = v["lines"][0]["id"]
    theirs = other_unit(ctx, fx["model"])  # no site, no contract: nothing else protects it
    taken(put_line(ctx, sid, line, theirs["serial_no"], status=409), 1, "line PUT")
    # recorded while free, then the serial becomes another customer's unit: the release checks
    serial = "SN-R-" + uniq()[:8]
    put_line(ctx, sid, line, serial)
    late = other_unit(ctx, fx["model"], serial=serial)
    taken(act(ctx, sid, "release", "warehouse", 409), 1, "release")
    for u in (theirs, late):
        got = expect(a.get("/api/v1/units/%d" % u["id"]), 200, "unit").json
        check(got["customer_id"] == u["customer_id"] and got["version"] == u["version"],
              "the other customer's unit is untouched: %s" % got)
    v = expect(a.get("%s/%d" % (SHP, sid)), 200, "shipment").json
    check(v["shipment"]["state"] == "handed_over" and v["lines"][0]["unit_id"] is None,
          "the refused release changed nothing: %s %s" % (v["shipment"]["state"], v["lines"]))
    # the customer's own unit ships back (an RMA's repaired unit)
    put_line(ctx, sid, line, mine["serial_no"])
    v = act(ctx, sid, "release", "warehouse").json
    check(v["lines"][0]["unit_id"] == mine["id"], "own unit: %s" % v["lines"])
    # a sale: another customer's serial refused, a unit in stock taken
    pay(ctx, fx["contract"])
    v = handed_over(ctx, fx, 2)
    sid = v["shipment"]["id"]
    ack(ctx, v, "warehouse")
    taken(put_line(ctx, sid, v["lines"][1]["id"], theirs["serial_no"], status=409), 2, "sale")
    stock = other_unit(ctx, fx["model"], customer=False)
    put_line(ctx, sid, v["lines"][0]["id"], stock["serial_no"])
    put_line(ctx, sid, v["lines"][1]["id"], "SN-N-" + uniq()[:8])
    v = act(ctx, sid, "release", "warehouse").json
    got = expect(a.get("/api/v1/units/%d" % stock["id"]), 200, "unit").json
    check(v["lines"][0]["unit_id"] == stock["id"] and got["customer_id"] == fx["cust"] and
          got["site_id"] == fx["site"], "the unit in stock goes to the customer: %s" % got)


def future(r, field, what):
    check(r.status == 400 and reason(r) == "out_of_range" and r.err_field() == field and
          params(r) == {"max": today()}, "%s: %s" % (what, r))


def case_future_dates(ctx):
    """The dates the chain records are of things that happened: a line's production or ship
    date, the arrival and the receipt after the company's today are 400 out_of_range (max
    today), as a payment's; today is taken (docs/shipments.md "Dates")."""
    fx = fixtures(ctx)
    pay(ctx, fx["contract"])
    v = handed_over(ctx, fx, 1)
    sid, line = v["shipment"]["id"], v["lines"][0]["id"]
    serial = "SN-F-" + uniq()[:6]
    future(put_line(ctx, sid, line, serial, ship=today(1), status=400), "ship_date",
           "a ship date tomorrow")
    future(put_line(ctx, sid, line, serial, prod=today(1), ship=today(1), status=400),
           "production_date", "a production date tomorrow")
    v = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json
    check(v["lines"][0]["serial_no"] in (None, "") and v["lines"][0]["ship_date"] is None,
          "the refused line recorded nothing: %s" % v["lines"])
    put_line(ctx, sid, line, serial, prod=today(), ship=today())
    ack(ctx, v, "warehouse")
    ack(ctx, v, "logistics")
    act(ctx, sid, "release", "warehouse")
    act(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:6],
        certificate_sent=True)
    future(act(ctx, sid, "arrive", "agent", 400, date=today(1)), "date", "arrival tomorrow")
    act(ctx, sid, "arrive", "agent", date=today())
    future(act(ctx, sid, "receive", "agent", 400, date=today(1), signer="王工"), "date",
           "receipt tomorrow")
    s = act(ctx, sid, "receive", "agent", date=today(), signer="王工").json["shipment"]
    check(s["state"] == "received" and s["arrived_on"] == today() and
          s["received_on"] == today(), "today is taken: %s" % s)


def case_date_order(ctx):
    """The goods arrive and are received no earlier than the company's day they left
    (dispatched_at), and are received no earlier than they arrived: 400 date_order on `date`
    with params.after the earlier step's column, nothing recorded; the same day is taken
    (docs/shipments.md "Dates", review 2026-12-07)."""
    fx = fixtures(ctx)
    pay(ctx, fx["contract"])
    v = handed_over(ctx, fx, 1)
    sid = v["shipment"]["id"]
    put_line(ctx, sid, v["lines"][0]["id"], "SN-O-" + uniq()[:6], prod=today(-9), ship=today(-8))
    ack(ctx, v, "warehouse")
    ack(ctx, v, "logistics")
    act(ctx, sid, "release", "warehouse")
    act(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:6],
        certificate_sent=True)
    # it left five days ago (10:00 in Shanghai)
    sql(ctx, "UPDATE shipments SET dispatched_at = '%sT02:00:00Z' WHERE id = %d" %
        (today(-5), sid))

    def order(r, after, what):
        check(r.status == 400 and reason(r) == "date_order" and r.err_field() == "date" and
              params(r) == {"after": after}, "%s: %s" % (what, r))

    order(act(ctx, sid, "receive", "agent", 400, date=today(-6), signer="王工"),
          "dispatched_at", "received the day before it left")
    order(act(ctx, sid, "arrive", "agent", 400, date=today(-6)), "dispatched_at",
          "arrived the day before it left")
    s = expect(ctx.api().get("%s/%d" % (SHP, sid)), 200, "shipment").json["shipment"]
    check(s["state"] == "in_transit" and s["arrived_on"] is None and s["received_on"] is None,
          "the refused steps recorded nothing: %s" % s)
    act(ctx, sid, "arrive", "agent", date=today(-3))
    order(act(ctx, sid, "receive", "agent", 400, date=today(-4), signer="王工"), "arrived_on",
          "received the day before it arrived")
    s = act(ctx, sid, "receive", "agent", date=today(-3), signer="王工").json["shipment"]
    check(s["state"] == "received" and s["arrived_on"] == today(-3) and
          s["received_on"] == today(-3), "received the day it arrived: %s" % s)
    # the day it left is taken for the arrival too
    v = handed_over(ctx, fx, 1)
    sid = v["shipment"]["id"]
    put_line(ctx, sid, v["lines"][0]["id"], "SN-O-" + uniq()[:6], prod=today(-9), ship=today(-8))
    ack(ctx, v, "warehouse")
    ack(ctx, v, "logistics")
    act(ctx, sid, "release", "warehouse")
    act(ctx, sid, "dispatch", "logistics", carrier="顺丰", waybill_no="SF" + uniq()[:6],
        certificate_sent=True)
    sql(ctx, "UPDATE shipments SET dispatched_at = '%sT02:00:00Z' WHERE id = %d" %
        (today(-5), sid))
    s = act(ctx, sid, "receive", "agent", date=today(-5), signer="王工").json["shipment"]
    check(s["arrived_on"] == today(-5) and s["received_on"] == today(-5),
          "received the day it left: %s" % s)


def case_doa_by_hand(ctx):
    """RULE review 72 #4: a ticket opened as doa by hand is refused (409 guard doa_window on
    type) when the unit's shipment was received more than doa_days before the report; within
    the window it is taken."""
    if "shp_received" not in ctx.fx:
        case_chain(ctx)
    sid, lines = ctx.fx["shp_received"]
    unit = lines[-1]["unit_id"]
    body = {"channel": "phone", "type": "doa", "unit_id": unit, "caller_phone": "13900000004",
            "description": "开箱即损"}
    sql(ctx, "UPDATE shipments SET received_on = '%s' WHERE id = %d" % (today(-16), sid))
    try:
        with contract.bad_requests():
            r = expect(ctx.api("agent").post("/api/v1/tickets", body), 409, "old delivery")
        check(reason(r) == "guard" and r.err_field() == "type" and
              params(r) == {"guard": "doa_window", "received_on": today(-16), "doa_days": 15},
              "refused: %s" % r.json)
    finally:
        sql(ctx, "UPDATE shipments SET received_on = '%s' WHERE id = %d" % (today(), sid))
    sql(ctx, "UPDATE shipments SET received_on = '%s' WHERE id = %d" % (today(-15), sid))
    try:
        r = expect(ctx.api("agent").post("/api/v1/tickets", body), 201, "within the window")
        check(r.json["type"] == "doa", "a DOA: %s" % r.json.get("type"))
    finally:
        sql(ctx, "UPDATE shipments SET received_on = '%s' WHERE id = %d" % (today(), sid))


def run(ctx, runner):
    runner.run("shipments: a payment dated after today is refused (review 2026-12-07)",
               case_payment_received, ctx)
    runner.run("shipments: payment gate, chain by the roles, serial guard, copies, units (WF-01)",
               case_chain, ctx)
    runner.run("shipments: picking exception, instruction, cancel, bad input, scope",
               case_hold_and_cancel, ctx)
    runner.run("shipments: expected arrival per carrier, overdue list (R-048)", case_overdue, ctx)
    runner.run("shipments: a serial of another customer's unit refused, own and stock taken",
               case_serial_taken, ctx)
    runner.run("shipments: DOA at intake, replacement without payment, DOA report (WF-08)",
               case_doa, ctx)
    runner.run("shipments: no date of the chain after today (review M7)", case_future_dates,
               ctx)
    runner.run("shipments: no arrival or receipt before the shipment left, no receipt before "
               "its arrival (review 2026-12-07)", case_date_order, ctx)
    runner.run("shipments: a doa ticket by hand only within doa_days of the delivery (review 72 "
               "#4)", case_doa_by_hand, ctx)

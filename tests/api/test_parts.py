"""Spare parts (issue 14 item 1; docs/parts.md): the catalogue, warehouses and vans, stock as a
ledger (a part received, issued to a van and consumed on a work order: the stock follows and
the amount follows the ticket's billing), stock below zero refused (409 insufficient_stock),
a technician's scope (their own van), reorder alerts, faulty parts (旧件) with their statuses and
the task for purchasing, and 16 clients consuming the same part at once. Run by test_api.py on
SQLite and PostgreSQL."""
import threading
import time

import contract
from harness import check, concurrently, expect, short, uniq
from test_visits import sql
from test_work_orders import act_t, mk_ticket, new_tech, ts, wos_of

M = "/api/v1/stock-movements"


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def post(ctx, role, path, body, status=201, token=None):
    if token:
        r = ctx.srv.request("POST", path, body=body, token=token, bad=status == 400)
    else:
        r = ctx.api(role).post(path, body, bad=status == 400)
    return expect(r, status, "POST %s %s" % (path, short(str(body))))


def get(ctx, role, path, token=None):
    r = ctx.srv.request("GET", path, token=token) if token else ctx.api(role).get(path)
    return expect(r, 200, "GET %s" % path).json


def part(ctx, price=12000, cost=7000):
    return post(ctx, "warehouse", "/api/v1/parts", {
        "code": "PT-" + uniq(), "name": "主板 MB-3", "models": "CT-X1,CT-X2", "unit": "块",
        "price_fen": price, "cost_fen": cost}).json


def location(ctx, kind, tech=None):
    body = {"code": "L-" + uniq(), "name": ("库房" if kind == "warehouse" else "车载库") + uniq()[-4:],
            "kind": kind}
    if tech:
        body["technician_id"] = tech
    return post(ctx, "warehouse", "/api/v1/stock-locations", body).json


def move(ctx, role, status=201, token=None, **body):
    return post(ctx, role, M, body, status=status, token=token)


def stock_of(ctx, part_id, loc_id):
    items = get(ctx, "admin", "/api/v1/stock?part_id=%d&location_id=%d" % (part_id, loc_id))["items"]
    return items[0]["qty"] if items else 0


def wo_for(ctx, key):
    """A ticket assigned to technician `key`, accepted, with a visit booked: its work order."""
    tid = mk_ticket(ctx, ctx.uid[key])
    act_t(ctx, tid, "accept", key)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(int(time.time()) + 7200)})
    w = [x for x in wos_of(ctx, tid) if x["status"] == "planned"]
    check(len(w) == 1, "one planned work order: %s" % short(w))
    return tid, w[0]["id"]


def case_ledger(ctx):
    tech = new_tech(ctx, "parts_t1")
    other = new_tech(ctx, "parts_t2")
    tok = ctx.tok["parts_t1"]
    p = part(ctx)
    check(p["price_fen"] == 12000 and p["cost_fen"] == 7000 and p["unit"] == "块", short(p))
    r = post(ctx, "warehouse", "/api/v1/parts", {"code": p["code"], "name": "x", "price_fen": 1,
                                                 "cost_fen": 1}, status=409)
    post(ctx, "technician", "/api/v1/parts", {"code": "X" + uniq(), "name": "x", "price_fen": 1,
                                              "cost_fen": 1}, status=403)
    wh = location(ctx, "warehouse")
    van = location(ctx, "van", tech)
    van2 = location(ctx, "van", other)
    r = post(ctx, "warehouse", "/api/v1/stock-locations", {"code": "V" + uniq(), "name": "无主车",
                                                           "kind": "van"}, status=400)
    check(r.err_field() == "technician_id" and reason(r) == "required", short(r.body))
    # received, issued to the van
    m = move(ctx, "warehouse", kind="receipt", part_id=p["id"], qty=10, to_location_id=wh["id"]).json
    check(m["kind"] == "receipt" and m["to_name"] == wh["name"] and m["from_location_id"] is None,
          short(m))
    move(ctx, "warehouse", kind="issue", part_id=p["id"], qty=6, from_location_id=wh["id"],
         to_location_id=van["id"])
    check(stock_of(ctx, p["id"], wh["id"]) == 4 and stock_of(ctx, p["id"], van["id"]) == 6,
          "stock after the issue")
    # wrong locations for the kind
    r = move(ctx, "warehouse", status=400, kind="issue", part_id=p["id"], qty=1,
             from_location_id=van["id"], to_location_id=wh["id"])
    check(r.err_field() == "from_location_id" and reason(r) == "invalid_location", short(r.body))
    r = move(ctx, "warehouse", status=400, kind="scrap", part_id=p["id"], qty=1,
             from_location_id=wh["id"])
    check(r.err_field() == "note" and reason(r) == "required", short(r.body))
    # consumed on a work order: the amount by billing
    tid, wid = wo_for(ctx, "parts_t1")
    amounts = []
    for billing, qty, want, basis in (("chargeable", 2, 24000, "price"), ("contract", 1, 7000, "cost"),
                                      ("warranty", 1, 0, "free")):
        sql(ctx, "UPDATE tickets SET billing = '%s' WHERE id = %d" % (billing, tid))
        c = move(ctx, None, token=tok, kind="consume", part_id=p["id"], qty=qty,
                 work_order_id=wid).json
        check(c["from_location_id"] == van["id"] and c["amount_fen"] == want and
              c["price_basis"] == basis and c["billing"] == billing and c["ticket_id"] == tid and
              c["work_order_number"], "consume %s: %s" % (billing, short(c)))
        amounts.append(c["amount_fen"])
    check(stock_of(ctx, p["id"], van["id"]) == 2, "the van after 4 used")
    # below zero refused, nothing written
    r = move(ctx, None, status=409, token=tok, kind="consume", part_id=p["id"], qty=3,
             work_order_id=wid)
    check(reason(r) == "insufficient_stock" and r.json["error"]["params"]["available"] == 2,
          short(r.body))
    # nor on a ticket that is done with: the part would bill the customer behind its back
    was = get(ctx, "admin", "/api/v1/tickets/%d" % tid)["status"]
    for st in ("resolved", "closed"):
        sql(ctx, "UPDATE tickets SET status = '%s' WHERE id = %d" % (st, tid))
        r = move(ctx, None, status=409, token=tok, kind="consume", part_id=p["id"], qty=1,
                 work_order_id=wid)
        check(reason(r) == "illegal_action" and r.err_field() == "work_order_id",
              "ticket %s: %s" % (st, short(r.body)))
    sql(ctx, "UPDATE tickets SET status = '%s' WHERE id = %d" % (was, tid))
    r = move(ctx, "warehouse", status=409, kind="transfer", part_id=p["id"], qty=5,
             from_location_id=wh["id"], to_location_id=van2["id"])
    check(reason(r) == "insufficient_stock", short(r.body))
    check(stock_of(ctx, p["id"], van["id"]) == 2 and stock_of(ctx, p["id"], wh["id"]) == 4,
          "nothing moved by a refusal")
    used = get(ctx, None, "%s?work_order_id=%d" % (M, wid), token=tok)
    check(used["total"] == 3 and sorted(x["amount_fen"] for x in used["items"]) == sorted(amounts),
          "the work order's parts: %s" % short(used))
    # a priced consumption is a charge of the work order (the warranty one is not)
    ch = get(ctx, "finance", "/api/v1/charges?owner_kind=work_order&owner_id=%d" % wid)["items"]
    check(sorted(c["amount_fen"] for c in ch) == [7000, 24000] and
          all(c["source"] == "parts" and c["category"] == "parts" for c in ch),
          "the work order's part charges: %s" % short(ch))
    # scope: a technician sees their own van only, and moves only from it
    mine = get(ctx, None, "/api/v1/stock", token=tok)["items"]
    check(mine and {x["location_id"] for x in mine} == {van["id"]}, "own van: %s" % short(mine))
    theirs = get(ctx, None, "/api/v1/stock", token=ctx.tok["parts_t2"])["items"]
    check(all(x["location_id"] == van2["id"] for x in theirs), "other van: %s" % short(theirs))
    locs = get(ctx, None, "/api/v1/stock-locations", token=tok)["items"]
    check([x["id"] for x in locs] == [van["id"]], "locations: %s" % short(locs))
    led = get(ctx, None, M + "?limit=200", token=ctx.tok["parts_t2"])["items"]
    check(not [x for x in led if van["id"] in (x["from_location_id"], x["to_location_id"])],
          "another van's ledger hidden")
    move(ctx, None, status=403, token=tok, kind="receipt", part_id=p["id"], qty=1,
         to_location_id=wh["id"])
    r = move(ctx, None, status=400, token=ctx.tok["parts_t2"], kind="consume", part_id=p["id"],
             qty=1, work_order_id=wid)
    check(r.err_field() == "work_order_id", "not their work order: %s" % short(r.body))
    move(ctx, None, token=tok, kind="return", part_id=p["id"], qty=1, from_location_id=van["id"],
         to_location_id=wh["id"])
    move(ctx, "warehouse", kind="correction", part_id=p["id"], qty=1, from_location_id=wh["id"],
         note="盘点少一块")
    check(stock_of(ctx, p["id"], wh["id"]) == 4 and stock_of(ctx, p["id"], van["id"]) == 1,
          "return and correction")
    # reorder alerts
    post(ctx, "warehouse", "/api/v1/stock-minimums", {"part_id": p["id"], "location_id": wh["id"],
                                                      "min_qty": 5})
    post(ctx, "warehouse", "/api/v1/stock-minimums", {"part_id": p["id"], "location_id": van2["id"],
                                                      "min_qty": 2})
    al = get(ctx, "purchasing", "/api/v1/stock/alerts?part_id=%d" % p["id"])["items"]
    check(sorted((x["location_id"], x["qty"], x["min_qty"]) for x in al) ==
          sorted([(wh["id"], 4, 5), (van2["id"], 0, 2)]) and all(x["below_min"] for x in al),
          "alerts: %s" % short(al))
    # the four parts used on the ticket cost 4 × the part's cost 7000 in the cost report
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    rows = get(ctx, "finance", "/api/v1/reports/costs?from=%s&to=%s&group=ticket" % (day, day))
    row = {x["key"]: x for x in rows["items"]}.get(str(tid), {})
    check(row.get("parts") == 28000 and row.get("total") == 28000, "parts cost: %s" % short(row))
    ctx.fx["parts"] = {"part": p, "wh": wh, "van": van, "wid": wid, "tid": tid}


def case_faulty(ctx):
    f = ctx.fx["parts"]
    tok = ctx.tok["parts_t1"]
    r = post(ctx, None, "/api/v1/faulty-parts", {
        "part_id": f["part"]["id"], "work_order_id": f["wid"], "serial_no": "MB3-" + uniq(),
        "fault": "电源芯片烧毁", "third_party": True, "supplier": "外协厂 华强电子"}, token=tok).json
    check(r["status"] == "with_technician" and r["technician_id"] == ctx.uid["parts_t1"] and
          r["task_id"], "旧件 recorded with a task: %s" % short(r))
    tasks = get(ctx, "purchasing", "/api/v1/tasks?scope=role")["items"]
    t = [x for x in tasks if x["id"] == r["task_id"]]
    check(t and t[0]["role"] == "purchasing" and t[0]["source"] == "faulty_part" and
          t[0]["ticket_id"] == f["tid"], "the purchasing task: %s" % short(t))
    path = "/api/v1/faulty-parts/%d" % r["id"]
    x = expect(ctx.srv.request("PATCH", path, body={"status": "returned_to_factory"}, token=tok),
               200, "returned").json
    check(x["status"] == "returned_to_factory" and x["task_id"] == r["task_id"], short(x))
    x = expect(ctx.api("warehouse").patch(path, {"status": "received"}), 200, "received").json
    r2 = expect(ctx.api("warehouse").patch(path, {"status": "with_technician"}), 409, "back")
    check(reason(r2) == "illegal_action", short(r2.body))
    expect(ctx.srv.request("GET", path, token=ctx.tok["parts_t2"]), 404, "another's 旧件")
    # ... nor lists them; the office reads them all
    got = get(ctx, None, "/api/v1/faulty-parts?limit=500", token=ctx.tok["parts_t2"])
    check(got["items"] == [] and got["total"] == 0, "another's 旧件 listed: %s" % short(got))
    got = get(ctx, None, "/api/v1/faulty-parts?limit=500", token=tok)
    check(r["id"] in [x["id"] for x in got["items"]], "the technician lists their own")
    got = get(ctx, "dispatcher", "/api/v1/faulty-parts?limit=500&sort=-id")
    check(r["id"] in [x["id"] for x in got["items"]], "the dispatcher reads every 旧件")
    # nor records one on another technician's work order
    r = expect(ctx.srv.request("POST", "/api/v1/faulty-parts", token=ctx.tok["parts_t2"],
                               body={"part_id": f["part"]["id"], "work_order_id": f["wid"]}),
               400, "on another's work order")
    check(reason(r) == "unknown_reference", short(r.body))
    plain = post(ctx, None, "/api/v1/faulty-parts", {"part_id": f["part"]["id"]}, token=tok).json
    check(plain["task_id"] is None and plain["qty"] == 1, "no task without a third party")


def case_concurrent(ctx):
    """16 clients consume the same part from the same van at once: never below zero, no
    movement lost."""
    tech = new_tech(ctx, "parts_t3")
    tok = ctx.tok["parts_t3"]
    p = part(ctx)
    wh = location(ctx, "warehouse")
    van = location(ctx, "van", tech)
    move(ctx, "warehouse", kind="receipt", part_id=p["id"], qty=20, to_location_id=wh["id"])
    move(ctx, "warehouse", kind="issue", part_id=p["id"], qty=20, from_location_id=wh["id"],
         to_location_id=van["id"])
    tid, wid = wo_for(ctx, "parts_t3")
    sql(ctx, "UPDATE tickets SET billing = 'chargeable' WHERE id = %d" % tid)
    go = threading.Barrier(16)
    out = [None] * 16

    def one(i):
        go.wait()
        try:
            r = ctx.srv.request("POST", M, token=tok, body={
                "kind": "consume", "part_id": p["id"], "qty": 3, "work_order_id": wid})
            out[i] = (r.status, reason(r) if r.status != 201 else r.json["id"])
        except Exception as e:  # noqa: BLE001 — reported below
            out[i] = ("error", str(e))

    with contract.bad_requests():
        concurrently(one, 16)
    ok = [o for o in out if o and o[0] == 201]
    refused = [o for o in out if o and o[0] == 409 and o[1] == "insufficient_stock"]
    check(len(ok) == 6 and len(refused) == 10, "6 of 16 consumed 3 of 20: %s" % out)
    check(stock_of(ctx, p["id"], van["id"]) == 2, "2 left in the van")
    led = get(ctx, "admin", "%s?part_id=%d&kind=consume&limit=200" % (M, p["id"]))
    check(led["total"] == 6 and sorted(x["id"] for x in led["items"]) == sorted(o[1] for o in ok)
          and sum(x["qty"] for x in led["items"]) == 18 and
          all(x["amount_fen"] == 36000 for x in led["items"]), "the ledger: %s" % short(led))
    bal = sql(ctx, "SELECT qty FROM stock_balances WHERE part_id = %d AND location_id = %d" %
              (p["id"], van["id"]))
    inn = sql(ctx, "SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE part_id = %d AND "
              "to_location_id = %d" % (p["id"], van["id"]))
    outq = sql(ctx, "SELECT COALESCE(SUM(qty), 0) FROM stock_movements WHERE part_id = %d AND "
               "from_location_id = %d" % (p["id"], van["id"]))
    check(int(bal[0][0]) == int(inn[0][0]) - int(outq[0][0]) == 2,
          "balance %s = ledger %s - %s" % (bal, inn, outq))


def case_search(ctx):
    """Review 68 L6: q= finds a part by part of its code or of its name (1-2 characters too,
    the pair index), for the quote editor's part picker; an edit is found by its new name."""
    p = post(ctx, "warehouse", "/api/v1/parts", {
        "code": "SRCH-" + uniq()[:6].upper(), "name": "变频器驱动板" + uniq()[:4],
        "unit": "块", "price_fen": 45600, "cost_fen": 20000}).json
    from urllib.parse import quote
    for q in (p["code"][:8], p["code"][-4:], "驱动", p["name"][-6:], "频"):
        items = get(ctx, "agent", "/api/v1/parts?q=%s&limit=100" % quote(q))["items"]
        check(p["id"] in [i["id"] for i in items], "q=%s finds %s: %s" % (q, p["code"], items))
    expect(ctx.api("warehouse").patch("/api/v1/parts/%d" % p["id"], {"name": "伺服电机编码器"}),
           200, "renamed")
    items = get(ctx, "agent", "/api/v1/parts?q=%s" % quote("编码器"))["items"]
    check([i["id"] for i in items if i["id"] == p["id"]] == [p["id"]], "by its new name")
    items = get(ctx, "agent", "/api/v1/parts?q=%s" % quote("驱动板"))["items"]
    check(p["id"] not in [i["id"] for i in items], "not by its old name: %s" % items)


def case_code_spelling(ctx):
    """Review 72 #3 (R-016): a part code holds no surrounding space, control, format or
    zero-width character (400 on `code`), and no other part has the same code in another case
    or width (409 duplicate); a code stored before is kept when other fields change."""
    code = "SP-" + uniq()[:6].upper()
    p = post(ctx, "warehouse", "/api/v1/parts", {"code": code, "name": "主板", "price_fen": 100,
                                                 "cost_fen": 50}).json
    check("code_key" not in p, "the key is not shown: %s" % short(p))
    for bad, why in ((" " + code, "invalid_format"), (code + " ", "invalid_format"),
                     (code + "\u200b", "invalid_format"), (code + "\u202e", "invalid_format"),
                     (code + "\u3000", "invalid_format"), ("\u00a0" + code, "invalid_format"),
                     (code + "\u0001", "control_char")):
        for m, path in (("POST", "/api/v1/parts"), ("PATCH", "/api/v1/parts/%d" % p["id"])):
            body = {"code": bad, "name": "x", "price_fen": 1, "cost_fen": 1} if m == "POST" else \
                {"code": bad}
            r = expect(ctx.srv.request(m, path, body=body, token=ctx.tok["warehouse"], bad=True),
                       400, "%s code %r" % (m, bad))
            check(r.err_field() == "code" and reason(r) == why, "%r: %s" % (bad, short(r.body)))
    for other in (code.lower(), "\uff33\uff30" + code[2:], code.replace("-", "\u2010")):
        r = post(ctx, "warehouse", "/api/v1/parts", {"code": other, "name": "x", "price_fen": 1,
                                                     "cost_fen": 1}, status=409)
        check(r.err_field() == "code" and reason(r) == "duplicate", "%r: %s" % (other, r.body))
    expect(ctx.api("warehouse").patch("/api/v1/parts/%d" % p["id"], {"code": code.lower()}), 200,
           "its own code in another case")
    # a code stored before the rule stays editable in its other fields
    sql(ctx, "UPDATE parts SET code = '%s ' WHERE id = %d" % (code, p["id"]))
    expect(ctx.api("warehouse").patch("/api/v1/parts/%d" % p["id"], {"name": "主板二"}), 200,
           "old code kept")


def run(ctx, runner):
    runner.run("parts: codes without invisible characters, one part per code whatever its case "
               "or width (review 72 #3)", case_code_spelling, ctx)
    runner.run("parts: q= search by code or name (review 68 L6)", case_search, ctx)
    runner.run("parts: received, issued to a van, consumed on a work order (amount by billing), "
               "below zero refused, a technician's van scope, reorder alerts", case_ledger, ctx)
    runner.run("parts: 旧件 statuses, a third-party part opens a task for purchasing",
               case_faulty, ctx)
    runner.run("parts: 16 clients consuming the same part at once never overdraw or lose a "
               "movement", case_concurrent, ctx)

"""Fees (issue 13 items 1, 3, 4; docs/fees.md): the seeded rule sets of the source documents
calculated through POST /api/v1/fees/calculate (cabinet installation with × 1.2 and the
management fee, secondment with part days and the 5-day minimum, the LED waiting fee only
when the customer is at fault), rule sets as versioned data (checked on save, the version in
effect on a date), roles, and secondment and waiting records whose fee the engine computes."""
import contract
from harness import check, expect, short, uniq


def err(r):
    return (r.json or {}).get("error") or {}


def calc(ctx, body, role="agent", status=200):
    return expect(ctx.api(role).post("/api/v1/fees/calculate", body), status,
                  "calculate %s as %s" % (body.get("rule_set"), role))


def lines(r):
    return {ln["code"]: ln for ln in r.json["lines"]}


def case_cabinet(ctx):
    # 123,456.78 yuan 经典系列, 8 sets (≤ 20): 2.2 % × 1.2 = 3,259.26; management 10 % = 325.93
    r = calc(ctx, {"rule_set": "cabinet_install",
                   "inputs": {"price_fen": 12345678, "series": "经典系列", "sets": 8}})
    ln = lines(r)
    check(ln["install"]["amount_fen"] == 325926 and ln["install"]["multiplier"] == "6/5",
          "install × 1.2: %s" % ln["install"])
    check(ln["install"]["formula"] == "123456.78 × 2.20% × 6/5 = 3259.258992 → 3259.26 (half_up)",
          "formula %s" % ln["install"]["formula"])
    check(ln["uplift"]["applied"] and ln["uplift"]["info"], "uplift line shown")
    check(ln["management"]["base_fen"] == 325926 and ln["management"]["amount_fen"] == 32593,
          "management on top: %s" % ln["management"])
    check(r.json["total_fen"] == 358519 and r.json["version"]["number"] == 1,
          "total %s" % r.json)
    # 30 sets, not a sample order: no uplift; the finance role calculates too
    r = calc(ctx, {"rule_set": "cabinet_install",
                   "inputs": {"price_fen": 10000000, "series": "时尚系列", "sets": 30,
                              "sample_order": False}}, role="finance")
    check(r.json["total_fen"] == 275000 and not lines(r)["uplift"]["applied"],
          "30 sets: 2,500 + 250: %s" % r.json["total_fen"])
    # appliances per piece: no rate in the source, flagged and not billed
    r = calc(ctx, {"rule_set": r.json["rule_set"]["id"],
                   "inputs": {"price_fen": 10000000, "series": "时尚系列", "sets": 30,
                              "pieces": {"电器": 2}}})
    check(r.json["flags"] == 1 and r.json["total_fen"] == 275000, "piece flagged %s" % r.json)


@contract.invalid_requests
def case_cabinet_refusals(ctx):
    r = calc(ctx, {"rule_set": "cabinet_install", "inputs": {"series": "经典系列", "sets": 8}},
             status=400)
    check(err(r).get("field") == "inputs.price_fen" and err(r).get("reason") == "required",
          "missing price %s" % err(r))
    r = calc(ctx, {"rule_set": "cabinet_install",
                   "inputs": {"price_fen": 1, "series": "豪华系列", "sets": 8}}, status=400)
    check(err(r).get("reason") == "unknown_reference", "unknown series %s" % err(r))
    r = calc(ctx, {"rule_set": "cabinet_install",
                   "inputs": {"price_fen": 1, "series": "经典系列", "sets": 8, "colour": 1}},
             status=400)
    check(err(r).get("reason") == "unknown_field", "unknown input %s" % err(r))
    r = calc(ctx, {"rule_set": "no_such_set", "inputs": {}}, status=400)
    check(err(r).get("field") == "rule_set", "unknown rule set %s" % err(r))
    calc(ctx, {"rule_set": "cabinet_install", "inputs": {}}, role="customer", status=403)
    calc(ctx, {"rule_set": "cabinet_install", "inputs": {}}, role="dealer", status=403)


def case_secondment_and_waiting_calc(ctx):
    # 2 persons, 5.5 working + 1.5 travel days = 7 days × 20 yuan × 2 = 280 yuan
    r = calc(ctx, {"rule_set": "secondment",
                   "inputs": {"persons": 2, "work_days": "5.5", "travel_days": 1.5}})
    check(r.json["total_fen"] == 28000, "secondment 280 yuan: %s" % r.json["total_fen"])
    # a part day counted whole: 5.25 + 1 = 6.25 → 7 days
    r = calc(ctx, {"rule_set": "secondment",
                   "inputs": {"persons": 1, "work_days": "5.25", "travel_days": 1}})
    d = lines(r)["dispatch"]
    check(d["days"] == "6.25" and d["days_billed"] == "7.00" and r.json["total_fen"] == 14000,
          "part day: %s" % d)
    # LED waiting: 300 yuan a day, customer at fault; nothing when the company is
    r = calc(ctx, {"rule_set": "led_waiting",
                   "inputs": {"waiting_days": 3, "customer_at_fault": True}})
    check(r.json["total_fen"] == 90000, "waiting 900 yuan: %s" % r.json["total_fen"])
    r = calc(ctx, {"rule_set": "led_waiting",
                   "inputs": {"waiting_days": 3, "customer_at_fault": False}})
    w = lines(r)["waiting"]
    check(r.json["total_fen"] == 0 and not w["applied"] and w["note"] == "condition_false",
          "company at fault: %s" % w)
    # 3 free training seats per session; at-cost upgrades pass the cost through
    r = calc(ctx, {"rule_set": "led_training", "inputs": {"trainees": 3, "sessions": 1}})
    check(r.json["total_fen"] == 0 and r.json["flags"] == 0, "3 seats free %s" % r.json)
    r = calc(ctx, {"rule_set": "at_cost", "inputs": {"upgrade_cost_fen": 123456}})
    check(r.json["total_fen"] == 123456, "at cost %s" % r.json["total_fen"])


@contract.invalid_requests
def case_secondment_minimum(ctx):
    r = calc(ctx, {"rule_set": "secondment", "inputs": {"persons": 1, "work_days": "4.5",
                                                        "travel_days": 2}}, status=422)
    check(err(r).get("reason") == "below_minimum" and err(r).get("field") == "inputs.work_days"
          and (err(r).get("params") or {}).get("min") == "5.00", "minimum 5 days %s" % err(r))
    r = calc(ctx, {"rule_set": "secondment", "inputs": {"persons": 1, "work_days": "5.555"}},
             status=400)
    check(err(r).get("reason") == "invalid_format", "three decimals %s" % err(r))


DEF = {"inputs": [{"name": "base_fen", "type": "money", "required": True}],
       "components": [{"code": "fee", "kind": "percent", "base": "base_fen", "rate_bp": 300,
                       "round": "half_up"}]}


def case_versions(ctx):
    code = "t_" + uniq().lower()[:10]
    r = expect(ctx.api("finance").post("/api/v1/fee-rule-sets", {
        "code": code, "name": "测试 3%", "definition": DEF, "effective_from": "2020-01-01"}),
        201, "create rule set")
    sid = r.json["id"]
    check(r.json["current"]["number"] == 1, "version 1 %s" % r.json["current"])
    v2 = {"inputs": DEF["inputs"], "components": [dict(DEF["components"][0], rate_bp=500)]}
    r = expect(ctx.api().post("/api/v1/fee-rule-sets/%d/versions" % sid, {
        "definition": v2, "effective_from": "2026-01-01", "note": "涨价"}), 201, "version 2")
    check([v["number"] for v in r.json["versions"]] == [2, 1], "versions %s" % r.json["versions"])
    r = calc(ctx, {"rule_set": code, "inputs": {"base_fen": 10000}, "on": "2026-06-01"})
    check(r.json["total_fen"] == 500 and r.json["version"]["number"] == 2, "v2 %s" % r.json)
    r = calc(ctx, {"rule_set": code, "inputs": {"base_fen": 10000}, "on": "2025-06-01"})
    check(r.json["total_fen"] == 300 and r.json["version"]["number"] == 1, "v1 %s" % r.json)
    r = expect(ctx.api("agent").get("/api/v1/fee-rule-sets"), 200, "list")
    check(code in [s["code"] for s in r.json["items"]] and
          {"cabinet_install", "secondment", "led_waiting", "led_training", "at_cost"} <=
          {s["code"] for s in r.json["items"]}, "seeded and new rule sets listed")
    r = expect(ctx.api("agent").get("/api/v1/fee-rule-sets/%d" % sid), 200, "get")
    check(len(r.json["versions"]) == 2, "two versions")


@contract.invalid_requests
def case_definition_checked(ctx):
    bad = {"components": [{"code": "a", "kind": "percent", "base": "nope", "rate_bp": 5}]}
    r = expect(ctx.api("finance").post("/api/v1/fee-rule-sets", {
        "code": "bad_" + uniq().lower()[:8], "name": "坏", "definition": bad}), 400, "bad def")
    check(err(r).get("field") == "definition.components[0].base" and
          err(r).get("reason") == "unknown_reference", "names the field %s" % err(r))
    bad = {"inputs": DEF["inputs"], "components": [dict(DEF["components"][0], rate=1)]}
    r = expect(ctx.api().post("/api/v1/fee-rule-sets", {
        "code": "bad_" + uniq().lower()[:8], "name": "坏", "definition": bad}), 400, "unknown key")
    check(err(r).get("field") == "definition.components[0].rate" and
          err(r).get("reason") == "unknown_field", "unknown key %s" % err(r))
    bad = {"inputs": DEF["inputs"], "components": [
        dict(DEF["components"][0]),
        {"code": "m", "kind": "percent_of", "targets": ["fee"], "rate_bp": 1000},
        {"code": "x", "kind": "multiplier", "targets": ["fee"], "num": 6, "den": 5}]}
    r = expect(ctx.api().post("/api/v1/fee-rule-sets", {
        "code": "bad_" + uniq().lower()[:8], "name": "坏", "definition": bad}), 400, "order")
    check(err(r).get("reason") == "illegal_action", "multiplier after percent %s" % err(r))
    r = expect(ctx.api().post("/api/v1/fee-rule-sets", {
        "code": "secondment", "name": "重复", "definition": DEF}), 409, "duplicate code")
    check(err(r).get("reason") == "duplicate", "duplicate %s" % err(r))
    expect(ctx.api("agent").post("/api/v1/fee-rule-sets", {
        "code": "ag_" + uniq().lower()[:8], "name": "坏", "definition": DEF}), 403, "agent edits")
    expect(ctx.api("agent").post("/api/v1/fee-rule-sets/1/versions", {"definition": DEF}), 403,
           "agent adds a version")


def secondment_body(ctx, **kw):
    b = {"dealer_id": ctx.fx["D"], "staff": "张三, 李四", "persons": 2,
         "start_date": "2026-12-01", "end_date": "2026-12-08", "work_days": "5.5",
         "travel_days": "1.5"}
    b.update(kw)
    return b


def case_secondment_records(ctx):
    r = expect(ctx.api("agent").post("/api/v1/secondments", secondment_body(ctx)), 201,
               "secondment")
    check(r.json["fee_fen"] == 28000 and r.json["fee_version_id"] > 0, "fee %s" % r.json)
    check('"code":"dispatch"' in r.json["fee_lines"], "lines stored")
    sid = r.json["id"]
    # 6.2 working days: 6.2 + 1.5 = 7.7 → 8 days × 2 × 20 yuan
    r = expect(ctx.api("agent").patch("/api/v1/secondments/%d" % sid,
                                      {"work_days": "6.2", "status": "ended"}), 200, "patch")
    check(r.json["fee_fen"] == 32000, "recomputed %s" % r.json["fee_fen"])
    r = expect(ctx.api("finance").get("/api/v1/secondments?dealer_id=%d" % ctx.fx["D"]), 200,
               "list")
    check(any(x["id"] == sid for x in r.json["items"]), "listed")
    expect(ctx.api("technician").get("/api/v1/secondments"), 403, "technician")


@contract.invalid_requests
def case_secondment_refusals(ctx):
    r = expect(ctx.api("agent").post("/api/v1/secondments",
                                     secondment_body(ctx, dealer_id=ctx.fx["A"])), 400, "no dealer")
    check(err(r).get("reason") == "not_dealer", "not a dealer %s" % err(r))
    r = expect(ctx.api("agent").post("/api/v1/secondments",
                                     secondment_body(ctx, end_date="2026-12-04")), 400, "4 days")
    check(err(r).get("reason") == "below_minimum" and err(r).get("field") == "end_date",
          "period under 5 days %s" % err(r))
    r = expect(ctx.api("agent").post("/api/v1/secondments",
                                     secondment_body(ctx, work_days="4")), 422, "4 work days")
    check(err(r).get("reason") == "below_minimum" and err(r).get("field") == "work_days",
          "work days under 5 %s" % err(r))
    r = expect(ctx.api("agent").post("/api/v1/secondments",
                                     secondment_body(ctx, work_days="abc")), 400, "bad days")
    check(err(r).get("field") == "work_days", "bad days %s" % err(r))
    # review 72 #8: working and travel days each fit the period (12-01..12-08: 8 days)
    for kw, field in (({"work_days": "9000"}, "work_days"), ({"work_days": "8.01"}, "work_days"),
                      ({"travel_days": "9"}, "travel_days")):
        r = expect(ctx.api("dispatcher").post("/api/v1/secondments", secondment_body(ctx, **kw)),
                   400, "%s outside the period" % kw)
        check(err(r).get("field") == field and err(r).get("reason") == "out_of_range" and
              err(r)["params"]["max"] == 8, "%s: %s" % (kw, err(r)))
    rec = expect(ctx.api("agent").post("/api/v1/secondments", secondment_body(
        ctx, work_days="8", travel_days="1")), 201, "8 working days in 8").json
    r = expect(ctx.api("agent").patch("/api/v1/secondments/%d" % rec["id"],
                                      {"end_date": "2026-12-07"}), 400, "shortened")
    check(err(r).get("field") == "work_days" and err(r)["params"]["max"] == 7, "%s" % err(r))


ARRIVED = "2026-11-20T02:00:00Z"  # the work orders' arrival, before the records' periods


def arrived_wo(ctx, key):
    """A work order of technician `key` whose crew has arrived (on ARRIVED): waiting is
    recorded once on site (review 72 #7). Returns (ticket id, work order id)."""
    from test_parts import wo_for
    from test_visits import sql
    from test_work_orders import act
    tid, wo = wo_for(ctx, key)
    act(ctx, wo, "arrive", key)
    sql(ctx, "UPDATE work_orders SET arrived_at = '%s' WHERE id = %d" % (ARRIVED, wo))
    return tid, wo


def other_wo(ctx):
    """An arrived work order of nobody's in these tests (for office-recorded waiting)."""
    if "fees_other_wo" not in ctx.fx:
        from test_parts import new_tech
        new_tech(ctx, "fees_owner")
        ctx.fx["fees_other_wo"] = arrived_wo(ctx, "fees_owner")[1]
    return ctx.fx["fees_other_wo"]


def waiting_body(**kw):
    b = {"work_order_id": 424242, "started_on": "2026-12-01", "days": "2",
         "cause": "steel_structure_unfinished", "at_fault": "customer", "confirmed_by": "甲方王工"}
    b.update(kw)
    return b


@contract.invalid_requests
def case_waiting_records(ctx):
    from test_parts import new_tech
    new_tech(ctx, "fees_t1")
    new_tech(ctx, "fees_t2")
    _, wo = arrived_wo(ctx, "fees_t1")
    r = expect(ctx.api("fees_t1").post("/api/v1/waiting-records", waiting_body(work_order_id=wo)),
               201, "waiting, customer at fault, confirmed")
    check(r.json["fee_fen"] == 60000, "2 days × 300 yuan %s" % r.json["fee_fen"])
    wid = r.json["id"]
    # another technician neither records waiting on that work order nor changes the record,
    # which would make the customer liable (nor records waiting without a work order of theirs)
    for body in (waiting_body(work_order_id=wo), waiting_body(work_order_id=424242),
                 waiting_body(work_order_id=None, project_id=77)):
        r = expect(ctx.api("fees_t2").post("/api/v1/waiting-records", body), 400,
                   "another technician's work order")
        check(err(r).get("field") == "work_order_id", "names the work order %s" % err(r))
    # the record is not theirs to see: 404 as if it did not exist, whatever the change, not
    # the crew check's 400 naming its work order
    own_wo = arrived_wo(ctx, "fees_t2")[1]
    for body in ({"days": "5"}, {"work_order_id": own_wo}):
        r = expect(ctx.api("fees_t2").patch("/api/v1/waiting-records/%d" % wid, body), 404,
                   "another technician's record")
        check(b"work order" not in r.body and b"work_order" not in r.body,
              "the answer names no work order %s" % err(r))
    # the lead neither moves it onto a work order not theirs
    r = expect(ctx.api("fees_t1").patch("/api/v1/waiting-records/%d" % wid,
                                        {"work_order_id": own_wo}), 400, "onto another's")
    check(err(r).get("reason") == "unknown_reference", "unknown_reference %s" % err(r))
    r = expect(ctx.api("agent").post("/api/v1/waiting-records",
                                     waiting_body(work_order_id=other_wo(ctx), at_fault="company",
                                                  cause="company_side")),
               201, "company at fault")
    check(r.json["fee_fen"] == 0, "no fee when the company is at fault")
    r = expect(ctx.api("agent").post("/api/v1/waiting-records",
                                     waiting_body(confirmed_by="", project_id=77,
                                                  work_order_id=None)), 201, "unconfirmed")
    check(r.json["fee_fen"] == 0, "no fee until the customer's fault is confirmed")
    r = expect(ctx.api("agent").patch("/api/v1/waiting-records/%d" % wid, {"days": "1.5"}), 200,
               "patch days")
    check(r.json["fee_fen"] == 45000, "1.5 days %s" % r.json["fee_fen"])
    r = expect(ctx.api("agent").post("/api/v1/waiting-records",
                                     waiting_body(work_order_id=None)), 400, "no owner")
    check(err(r).get("field") == "work_order_id" and err(r).get("reason") == "required",
          "owner required %s" % err(r))
    r = expect(ctx.api("agent").get("/api/v1/waiting-records?work_order_id=%d" % other_wo(ctx)),
               200, "list")
    check(len(r.json["items"]) >= 1, "listed by work order")
    r = expect(ctx.api("agent").get("/api/v1/waiting-records?work_order_id=%d" % wo), 200, "list")
    check(len(r.json["items"]) >= 1, "listed by work order")
    expect(ctx.api("customer").get("/api/v1/waiting-records"), 403, "customer")


@contract.invalid_requests
def case_waiting_on_site(ctx):
    """Review 72 #7: waiting is recorded on a work order once its crew has arrived (409 guard
    arrival before), from the day of the arrival on (400 out_of_range on started_on with the
    min; the day the work order was made when it has no arrival time), ended no later than
    today; a work order that does not exist is 400 unknown_reference."""
    import datetime
    from test_parts import new_tech, wo_for
    from test_visits import sql
    w = "/api/v1/waiting-records"
    new_tech(ctx, "fees_site")
    _, planned = wo_for(ctx, "fees_site")
    body = waiting_body(work_order_id=planned, started_on="2000-01-02", days="9800",
                        ended_on="2026-12-01")
    for role in ("fees_site", "agent"):
        r = expect(ctx.api(role).post(w, body), 409, "not arrived, by %s" % role)
        check(err(r).get("reason") == "guard" and err(r)["params"]["guard"] == "arrival" and
              err(r).get("field") == "work_order_id", "guard arrival %s" % err(r))
    r = expect(ctx.api("agent").post(w, waiting_body(work_order_id=987654321)), 400, "no such")
    check(err(r).get("reason") == "unknown_reference" and err(r).get("field") == "work_order_id",
          "unknown work order %s" % err(r))
    _, wo = arrived_wo(ctx, "fees_site")  # arrived on 2026-11-20 (Beijing time)
    for start in ("2000-01-02", "2026-11-19"):
        r = expect(ctx.api("fees_site").post(w, waiting_body(
            work_order_id=wo, started_on=start, days="1", ended_on="2026-11-21")), 400, start)
        check(err(r).get("field") == "started_on" and err(r).get("reason") == "out_of_range" and
              err(r)["params"]["min"] == "2026-11-20", "before the arrival %s" % err(r))
    tomorrow = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date() +
                datetime.timedelta(days=1)).isoformat()
    r = expect(ctx.api("fees_site").post(w, waiting_body(
        work_order_id=wo, started_on="2026-11-20", ended_on=tomorrow, days="1")), 400, "ends later")
    check(err(r).get("field") == "ended_on" and err(r).get("reason") == "out_of_range",
          "ends after today %s" % err(r))
    rec = expect(ctx.api("fees_site").post(w, waiting_body(
        work_order_id=wo, started_on="2026-11-20", ended_on="2026-11-21", days="2")), 201,
        "from the arrival day").json
    r = expect(ctx.api("agent").patch("%s/%d" % (w, rec["id"]), {"started_on": "2000-01-02"}),
               400, "moved back")
    check(err(r).get("field") == "started_on" and err(r)["params"]["min"] == "2026-11-20",
          "moved before the arrival %s" % err(r))
    r = expect(ctx.api("agent").patch("%s/%d" % (w, rec["id"]), {"work_order_id": planned}), 409,
               "moved onto a work order not arrived")
    check(err(r)["params"]["guard"] == "arrival", "guard %s" % err(r))
    # a work order on site without an arrival time (older data): from the day it was made
    sql(ctx, "UPDATE work_orders SET arrived_at = NULL, created_at = '2026-11-10T03:00:00Z' "
             "WHERE id = %d" % wo)
    r = expect(ctx.api("agent").post(w, waiting_body(work_order_id=wo, started_on="2026-11-09")),
               400, "before it was made")
    check(err(r)["params"]["min"] == "2026-11-10", "from its creation %s" % err(r))
    expect(ctx.api("agent").post(w, waiting_body(work_order_id=wo, started_on="2026-11-10")),
           201, "on the day it was made")


def case_waiting_scope(ctx):
    """docs/fees.md: a technician reads only the waiting records of the work orders they lead
    or help on (the list, its total, the export, a record: 404 for the others); the office
    reads them all."""
    from test_parts import new_tech
    w = "/api/v1/waiting-records"
    for key in ("fees_lead", "fees_help", "fees_other"):
        new_tech(ctx, key)
    _, wo = arrived_wo(ctx, "fees_lead")
    expect(ctx.api("dispatcher").patch("/api/v1/work-orders/%d" % wo,
                                       {"helper_ids": [ctx.uid["fees_help"]]}), 200, "a helper")
    mine = expect(ctx.api("fees_lead").post(w, waiting_body(work_order_id=wo)), 201,
                  "the lead records waiting").json["id"]
    other = expect(ctx.api("agent").post(w, waiting_body(work_order_id=other_wo(ctx))), 201,
                   "waiting on another work order").json["id"]
    for key in ("fees_lead", "fees_help"):
        page = expect(ctx.api(key).get(w + "?limit=500"), 200, "list").json
        check([x["id"] for x in page["items"]] == [mine] and page["total"] == 1,
              "%s lists their work order's waiting only: %s" % (key, short(str(page))))
        expect(ctx.api(key).get("%s/%d" % (w, mine)), 200, "the crew reads it")
        expect(ctx.api(key).get("%s/%d" % (w, other)), 404, "another work order's waiting")
    page = expect(ctx.api("fees_other").get(w), 200, "list").json
    check(page["items"] == [] and page["total"] == 0,
          "not on the crew: nothing listed %s" % short(str(page)))
    expect(ctx.api("fees_other").get("%s/%d" % (w, mine)), 404, "not on the crew: 404")
    with contract.bad_requests():
        for rec in (mine, other):
            expect(ctx.api("fees_other").patch("%s/%d" % (w, rec), {"days": "3"}), 404,
                   "not on the crew: no change, 404 as for a read")
    expect(ctx.api("fees_help").patch("%s/%d" % (w, mine), {"days": "3"}), 200, "a helper's")
    rows = expect(ctx.api("fees_other").get(w + "?format=csv"), 200, "export").body
    check(len(rows.decode("utf-8-sig").strip().splitlines()) == 1,
          "not on the crew: the export has the header only: %r" % rows[:300])
    rows = expect(ctx.api("fees_lead").get(w + "?format=csv"), 200, "export").body
    check(len(rows.decode("utf-8-sig").strip().splitlines()) == 2, "the lead exports theirs")
    ids = [x["id"] for x in expect(ctx.api("dispatcher").get(w + "?limit=500&sort=-id"), 200,
                                   "list").json["items"]]
    check(mine in ids and other in ids, "the dispatcher reads every waiting record")


def _charge(ctx, cid):
    return expect(ctx.api("finance").get("/api/v1/charges/%d" % cid), 200, "the charge").json


def case_bill_waiting(ctx):
    """Review 68 M1: a customer-fault waiting record is billed as one charge (source fee, its
    fee_version_id and amount, owned by its work order, the customer's); twice, an edit or a
    delete afterwards 409 guard billed; the wrong role 403; company fault or no fee refused."""
    from test_parts import new_tech
    new_tech(ctx, "bill_t1")
    tid, wo = arrived_wo(ctx, "bill_t1")
    w = "/api/v1/waiting-records"
    rec = expect(ctx.api("bill_t1").post(w, waiting_body(work_order_id=wo, days="1.5")), 201,
                 "waiting, the customer at fault").json
    check(rec["fee_fen"] == 45000 and rec["charge_id"] is None, "1.5 days, unbilled %s" % rec)
    for role in ("agent", "technician", "bill_t1", "dept_head", "customer"):
        expect(ctx.api(role).post("%s/%d/bill" % (w, rec["id"]), {}), 403, "%s bills" % role)
    r = expect(ctx.api("finance").post("%s/%d/bill" % (w, rec["id"]), {}), 201, "finance bills")
    ch, after = r.json["charge"], r.json["record"]
    check(ch["source"] == "fee" and ch["fee_version_id"] == rec["fee_version_id"] and
          ch["amount_fen"] == rec["fee_fen"] == 45000 and ch["category"] == "waiting_fee",
          "a fee charge with the record's version and amount %s" % ch)
    cust = expect(ctx.api("agent").get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    cust = cust.get("customer_id") or (cust.get("ticket") or {}).get("customer_id")
    check(ch["owner_kind"] == "work_order" and ch["owner_id"] == wo and cust and
          ch["customer_id"] == cust and ch["customer_fen"] == 45000 and
          "#%d" % rec["id"] in ch["description"], "owned by the work order %s" % ch)
    check(after["charge_id"] == ch["id"], "the record keeps its charge %s" % after)
    check(_charge(ctx, ch["id"])["pay_state"] == "unpaid", "stored")
    items = expect(ctx.api("finance").get("/api/v1/charges?owner_kind=work_order&owner_id=%d"
                                          % wo), 200, "the work order's charges").json["items"]
    check([x["id"] for x in items] == [ch["id"]], "one charge on the work order %s" % items)
    # the ticket's charges card (charges?ticket_id=) lists its work orders' charges too
    check(ch["ticket_id"] == tid, "the charge names its ticket %s" % ch.get("ticket_id"))
    items = expect(ctx.api("agent").get("/api/v1/charges?ticket_id=%d" % tid), 200,
                   "the ticket's charges").json["items"]
    check(ch["id"] in [x["id"] for x in items], "the waiting fee on the ticket's card")
    with contract.bad_requests():
        r = expect(ctx.api("gm").post("%s/%d/bill" % (w, rec["id"]), {}), 409, "twice")
        check(err(r).get("reason") == "guard" and err(r)["params"]["guard"] == "billed" and
              err(r)["params"]["charge_id"] == ch["id"], "billed %s" % err(r))
        for body in ({"days": "1"}, {"at_fault": "company"}, {"work_order_id": None}):
            r = expect(ctx.api("agent").patch("%s/%d" % (w, rec["id"]), body), 409, "edit")
            check(err(r)["params"]["guard"] == "billed", "edit refused %s" % err(r))
        r = expect(ctx.api("finance").delete("%s/%d" % (w, rec["id"])), 409, "delete")
        check(err(r)["params"]["guard"] == "billed", "delete refused %s" % err(r))
        # review 70 H2: the fee is never input, billed or not (it was stored, then billed again)
        for role in ("agent", "gm", "technician"):
            for body in ({"fee_fen": 99999999}, {"fee_lines": "[]"}, {"fee_version_id": 1}):
                r = expect(ctx.api(role).patch("%s/%d" % (w, rec["id"]), body), 400,
                           "%s forges %s" % (role, list(body)))
                check(err(r).get("reason") == "read_only", "read_only %s" % err(r))
    r = expect(ctx.api("agent").patch("%s/%d" % (w, rec["id"]), {"notes": "已开票"}), 200,
               "the notes still change")
    check(r.json["fee_fen"] == 45000 and r.json["charge_id"] == ch["id"], "kept %s" % r.json)
    # the company at fault, or the customer's fault not confirmed: nothing to bill
    with contract.bad_requests():
        for body in (waiting_body(work_order_id=wo, at_fault="company", cause="company_side"),
                     waiting_body(work_order_id=wo, confirmed_by="")):
            other = expect(ctx.api("agent").post(w, body), 201, "not billable").json
            r = expect(ctx.api("admin").post("%s/%d/bill" % (w, other["id"]), {}), 409, "refused")
            check(err(r)["params"]["guard"] == "not_customer_fault", "not billable %s" % err(r))
        # an owner that is not there: the charge's own check
        other = expect(ctx.api("agent").post(w, waiting_body(work_order_id=other_wo(ctx))), 201,
                       "waiting").json
        from test_visits import sql
        sql(ctx, "UPDATE waiting_records SET work_order_id = 424242 WHERE id = %d" % other["id"])
        r = expect(ctx.api("finance").post("%s/%d/bill" % (w, other["id"]), {}), 422, "owner")
        check(err(r).get("reason") == "unknown_reference", "owner checked %s" % err(r))
        check(expect(ctx.api("finance").get("%s/%d" % (w, other["id"])), 200, "get").json[
            "charge_id"] is None, "nothing billed")
        expect(ctx.api("finance").post("%s/999999/bill" % w, {}), 404, "no such record")
        r = expect(ctx.api("finance").post("%s/%d/bill" % (w, rec["id"]), {"x": 1}), 400, "x")
        check(err(r).get("reason") == "unknown_field", "unknown field %s" % err(r))
    # deleting the (unpaid) charge makes the record billable again
    expect(ctx.api("finance").delete("/api/v1/charges/%d" % ch["id"]), 204, "delete the charge")
    r = expect(ctx.api("finance").get("%s/%d" % (w, rec["id"])), 200, "unbilled")
    check(r.json["charge_id"] is None, "unbilled %s" % r.json)
    expect(ctx.api("agent").patch("%s/%d" % (w, rec["id"]), {"days": "1"}), 200, "editable")
    r = expect(ctx.api("admin").post("%s/%d/bill" % (w, rec["id"]), {}), 201, "billed again")
    check(r.json["charge"]["amount_fen"] == 30000, "the new amount %s" % r.json["charge"])


def case_bill_secondment(ctx):
    """Review 68 M1: a secondment is billed to its dealer (owner the secondment, category
    secondment_fee, source fee with its version); its status becomes billed; 409 after."""
    s = "/api/v1/secondments"
    rec = expect(ctx.api("agent").post(s, secondment_body(ctx, status="ended")), 201,
                 "secondment").json
    expect(ctx.api("agent").post("%s/%d/bill" % (s, rec["id"]), {}), 403, "agent bills")
    # billed is what billing sets, with the charge: not by hand on a record without one
    with contract.bad_requests():
        r = expect(ctx.api("agent").patch("%s/%d" % (s, rec["id"]), {"status": "billed"}), 409,
                   "billed by hand")
        check(err(r)["params"]["guard"] == "no_charge" and err(r).get("field") == "status",
              "no charge %s" % err(r))
        r = expect(ctx.api("agent").post(s, secondment_body(ctx, status="billed")), 409,
                   "created billed")
        check(err(r)["params"]["guard"] == "no_charge", "created billed %s" % err(r))
    r = expect(ctx.api("gm").post("%s/%d/bill" % (s, rec["id"]), None), 201,
               "gm bills, no body")
    ch = r.json["charge"]
    # the charge keeps the record's fee: its amount does not change, its split may
    c = "/api/v1/charges/%d" % ch["id"]
    with contract.bad_requests():
        d = expect(ctx.api("finance").patch(c, {"amount_fen": 1}), 409, "amount drifts")
        check(err(d)["params"]["guard"] == "fee_record" and err(d).get("field") == "amount_fen"
              and err(d)["params"]["record_id"] == rec["id"], "fee record %s" % err(d))
    sp = expect(ctx.api("finance").patch(c, {"dealer_share_bp": 5000, "customer_share_bp": 5000}),
                200, "the split changes").json
    check(sp["amount_fen"] == 28000 and sp["dealer_fen"] == 14000, "split %s" % sp)
    expect(ctx.api("finance").patch(c, {"dealer_share_bp": 10000, "customer_share_bp": 0}), 200,
           "the split back")
    check(ch["source"] == "fee" and ch["fee_version_id"] == rec["fee_version_id"] and
          ch["amount_fen"] == rec["fee_fen"] == 28000 and ch["category"] == "secondment_fee",
          "fee charge %s" % ch)
    check(ch["owner_kind"] == "secondment" and ch["owner_id"] == rec["id"] and
          ch["dealer_id"] == ctx.fx["D"] and ch["dealer_fen"] == 28000 and
          ch["customer_fen"] == 0, "the dealer pays %s" % ch)
    check(r.json["record"]["status"] == "billed" and r.json["record"]["charge_id"] == ch["id"],
          "billed %s" % r.json["record"])
    # review 70 M4: a long Chinese staff list is cut by characters, not bytes (PostgreSQL
    # refused the bill, SQLite stored broken UTF-8)
    long = expect(ctx.api("agent").post(s, secondment_body(ctx, status="ended",
                                                           staff="王" * 197 + "张三")), 201,
                  "long staff").json
    r = expect(ctx.api("gm").post("%s/%d/bill" % (s, long["id"]), None), 201, "billed").json
    d = r["charge"]["description"]
    check("王" * 120 in d and "王" * 121 not in d and "\ufffd" not in d, "cut by characters %r" % d)
    with contract.bad_requests():
        r = expect(ctx.api("finance").post("%s/%d/bill" % (s, rec["id"]), {}), 409, "twice")
        check(err(r)["params"]["guard"] == "billed", "twice %s" % err(r))
        r = expect(ctx.api("agent").patch("%s/%d" % (s, rec["id"]), {"work_days": "9"}), 409,
                   "edit")
        check(err(r)["params"]["guard"] == "billed" and err(r).get("field") == "work_days",
              "edit %s" % err(r))
        r = expect(ctx.api("finance").delete("%s/%d" % (s, rec["id"])), 409, "delete")
        check(err(r)["params"]["guard"] == "billed", "delete %s" % err(r))
    expect(ctx.api("agent").patch("%s/%d" % (s, rec["id"]), {"status": "closed"}), 200, "close")
    rev = expect(ctx.api("finance").get("/api/v1/reports/fee-revenue?from=2000-01-01&to=2100-01-01"),
                 200, "fee revenue").json
    check(rev["total"]["secondment_fen"] >= 28000, "in the fee revenue %s" % short(str(rev)))


def case_bill_calculator(ctx):
    """Review 68 M1: the calculator's result is billed to an owner, recomputed by the server
    (one charge per billed line: installation and management fees, source fee, the version)."""
    from test_work_orders import mk_ticket
    owner = mk_ticket(ctx)
    body = {"rule_set": "cabinet_install", "owner_kind": "ticket", "owner_id": owner,
            "dealer_id": ctx.fx["D"],
            "inputs": {"price_fen": 12345678, "series": "经典系列", "sets": 8}}
    for role in ("agent", "technician", "dealer"):
        expect(ctx.api(role).post("/api/v1/fees/bill", body), 403, "%s bills" % role)
    with contract.bad_requests():
        r = expect(ctx.api("finance").post("/api/v1/fees/bill", dict(body, total_fen=1)), 400,
                   "a client amount is no input")
    check(err(r).get("reason") == "unknown_field", "unknown field %s" % err(r))
    key = {"Idempotency-Key": "fee-bill-" + uniq()}
    r = expect(ctx.api("finance").post("/api/v1/fees/bill", body, headers=key), 201,
               "bill the result")
    again = expect(ctx.api("finance").post("/api/v1/fees/bill", body, headers=key), 201,
                   "retried with its key")
    check(again.header("Idempotent-Replayed") == "true" and again.json == r.json,
          "the first answer again, no second charges %s" % short(str(again.json)))
    calc = r.json["calculation"]
    chs = {c["category"]: c for c in r.json["charges"]}
    check(calc["total_fen"] == 358519 and set(chs) == {"installation_fee", "management_fee"},
          "two lines billed %s" % short(str(r.json)))
    for c, fen in ((chs["installation_fee"], 325926), (chs["management_fee"], 32593)):
        check(c["source"] == "fee" and c["fee_version_id"] == calc["version"]["id"] and
              c["amount_fen"] == fen and c["dealer_fen"] == fen and c["series"] == "经典系列" and
              c["owner_kind"] == "ticket" and c["owner_id"] == owner, "charge %s" % c)
    with contract.bad_requests():
        r = expect(ctx.api("finance").post("/api/v1/fees/bill", dict(body, dealer_id=None)), 422,
                   "no dealer for the dealer's lines")
        check(err(r).get("field") == "dealer_id" and err(r).get("reason") == "required",
              "dealer named %s" % err(r))
        r = expect(ctx.api("finance").post("/api/v1/fees/bill", {
            "rule_set": "led_waiting", "owner_kind": "ticket", "owner_id": owner,
            "inputs": {"waiting_days": "2", "customer_at_fault": False}}), 409, "nothing")
        check(err(r)["params"]["guard"] == "fee_zero", "fee zero %s" % err(r))
        r = expect(ctx.api("finance").post("/api/v1/fees/bill", dict(body, owner_kind="nope")),
                   400, "owner kind")
        check(err(r).get("field") == "owner_kind", "owner kind %s" % err(r))
        r = expect(ctx.api("finance").post("/api/v1/fees/bill", dict(body, owner_id=99999999)),
                   422, "owner")
        check(err(r).get("reason") == "unknown_reference", "owner %s" % err(r))
    items = expect(ctx.api("finance").get("/api/v1/charges?owner_kind=ticket&owner_id=%d" % owner),
                   200, "charges").json["items"]
    check(len(items) == 2, "only the billed call's charges %s" % short(str(items)))
    # review 70 M7: what the rules computed stays (amount and payer): 409 guard fee_calc; a
    # fee charge entered by hand with its version too; correcting is deleting and billing again
    typed = expect(ctx.api("finance").post("/api/v1/charges", {
        "owner_kind": "ticket", "owner_id": owner, "description": "安装费", "amount_fen": 500,
        "source": "fee", "fee_version_id": calc["version"]["id"], "dealer_id": ctx.fx["D"],
        "dealer_share_bp": 10000, "customer_share_bp": 0}), 201, "a fee charge by hand").json
    vid = calc["version"]["id"]
    for ch in (chs["management_fee"], typed):
        c = "/api/v1/charges/%d" % ch["id"]
        with contract.bad_requests():
            for patch, field in (({"amount_fen": 1}, "amount_fen"),
                                 ({"dealer_share_bp": 5000, "customer_share_bp": 5000},
                                  "customer_share_bp"),
                                 ({"sales_share_bp": 0, "amount_fen": ch["amount_fen"] + 1},
                                  "amount_fen")):
                d = expect(ctx.api("finance").patch(c, patch), 409, "changed %s" % patch)
                check(err(d)["params"] == {"guard": "fee_calc", "fee_version_id": vid} and
                      err(d).get("field") == field, "fee calc %s: %s" % (patch, err(d)))
        same = expect(ctx.api("finance").patch(c, {"invoice_no": "FP-" + uniq(),
                                                   "amount_fen": ch["amount_fen"]}), 200,
                      "the rest changes").json
        check(same["amount_fen"] == ch["amount_fen"] and same["dealer_fen"] == ch["amount_fen"],
              "kept %s" % same)
    for ch in items:
        expect(ctx.api("finance").delete("/api/v1/charges/%d" % ch["id"]), 204, "deleted")
    again = expect(ctx.api("finance").post("/api/v1/fees/bill", body), 201, "billed again").json
    check(sorted(c["amount_fen"] for c in again["charges"]) == [32593, 325926],
          "billed again %s" % short(str(again)))


def run(ctx, runner):
    runner.run("fees: cabinet installation × 1.2 with the management fee on top", case_cabinet,
               ctx)
    runner.run("fees: calculation refusals name the input; customers 403",
               case_cabinet_refusals, ctx)
    runner.run("fees: secondment part days, LED waiting fee, training seats, at cost",
               case_secondment_and_waiting_calc, ctx)
    runner.run("fees: secondment under 5 days 422 below_minimum", case_secondment_minimum, ctx)
    runner.run("fees: rule set versions, the version in effect on a date", case_versions, ctx)
    runner.run("fees: definitions checked on save (field, reason), 409 duplicate, 403 agent",
               case_definition_checked, ctx)
    runner.run("fees: secondment records with the fee from the engine", case_secondment_records,
               ctx)
    runner.run("fees: secondment refusals (dealer, 5-day period, work days)",
               case_secondment_refusals, ctx)
    runner.run("fees: waiting records, fee only when the customer's fault is confirmed",
               case_waiting_records, ctx)
    runner.run("fees: waiting only once the crew arrived, from the arrival day (review 72 #7)",
               case_waiting_on_site, ctx)
    runner.run("fees: a technician reads the waiting records of their own work orders only",
               case_waiting_scope, ctx)
    runner.run("fees: a waiting record billed as a fee charge; twice, edit, delete 409",
               case_bill_waiting, ctx)
    runner.run("fees: a secondment billed to its dealer", case_bill_secondment, ctx)
    runner.run("fees: the calculator's result billed, recomputed by the server",
               case_bill_calculator, ctx)

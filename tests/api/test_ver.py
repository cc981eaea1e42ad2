"""Software versions and upgrades (issue 18 item 3, WF-17, R-094; docs/versions.md): the unit's
version ledger and its compliance with the model's rules, the upgrade entitlement (free or
chargeable, priced by the fee rules), upgrade campaigns that open one upgrade ticket per unit on a
withdrawn version and nothing when one unit fails, a second launch 409, progress and recorded
upgrades, and who may see and do what. Run by test_api.py on SQLite and PostgreSQL."""
import datetime

import contract
from harness import check, expect, uniq


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def day(delta_days):
    d = datetime.datetime.utcnow() + datetime.timedelta(hours=8, days=delta_days)
    return d.strftime("%Y-%m-%d")


def model(ctx, months=12):
    r = expect(ctx.api().post("/api/v1/models", {"code": "VER-" + uniq(), "name": "播放控制器",
                                                 "category": "equipment",
                                                 "warranty_months": months}), 201, "model")
    return r.json["id"]


def unit(ctx, mid, cust="A", install=None):
    body = {"serial_no": "V-" + uniq(), "model_id": mid}
    if cust:
        body["customer_id"] = ctx.fx[cust]
    if install:
        body["install_date"] = install
    r = expect(ctx.api().post("/api/v1/units", body), 201, "unit")
    return r.json["id"], r.json["serial_no"]


def setv(ctx, uid, comp, ver, role="admin", status=201, **extra):
    body = dict(component=comp, sw_version=ver, **extra)
    if status >= 400:
        with contract.bad_requests():
            r = ctx.api(role).post("/api/v1/units/%d/versions" % uid, body)
    else:
        r = ctx.api(role).post("/api/v1/units/%d/versions" % uid, body)
    return expect(r, status, "version %s %s by %s" % (comp, ver, role))


def rule(ctx, mid, comp, ver, status, **extra):
    body = dict(model_id=mid, component=comp, sw_version=ver, status=status, **extra)
    return expect(ctx.api().post("/api/v1/version-rules", body), 201, "rule %s" % ver).json["id"]


def rules_of(ctx, mid, comp="firmware"):
    rule(ctx, mid, comp, "2.0", "current")
    rule(ctx, mid, comp, "1.5", "allowed")
    rule(ctx, mid, comp, "1.0", "withdrawn", reason="播放卡顿", withdrawn_on=day(-30))
    rule(ctx, mid, comp, "1.1", "withdrawn", reason="内存泄漏")


def case_ledger(ctx):
    mid = model(ctx)
    rules_of(ctx, mid)
    uid, _ = unit(ctx, mid, install=day(-10))
    r = setv(ctx, uid, "firmware", "1.0")
    check(r.json["compliance"] == "withdrawn", "withdrawn: %s" % r.json)
    setv(ctx, uid, "software", "7.3", role="technician")
    r = setv(ctx, uid, "firmware", "1.5", note="现场升级")
    cur = {c["component"]: c for c in r.json["current"]}
    check(cur["firmware"]["entry"]["sw_version"] == "1.5" and
          cur["firmware"]["compliance"] == "outdated", "allowed = outdated: %s" % cur)
    check(cur["software"]["compliance"] == "unknown", "no rule: unknown %s" % cur["software"])
    check(r.json["compliance"] == "outdated", "overall: the worst %s" % r.json["compliance"])
    r = setv(ctx, uid, "firmware", "2.0")
    g = expect(ctx.api("agent").get("/api/v1/units/%d/versions" % uid), 200, "versions")
    check([e["sw_version"] for e in g.json["history"]] == ["2.0", "1.5", "7.3", "1.0"],
          "ledger newest first, nothing edited: %s" % g.json["history"])
    check(g.json["history"][2]["set_by"] == ctx.uid["technician"], "who set it")
    cur = {c["component"]: c["compliance"] for c in g.json["current"]}
    check(cur == {"firmware": "ok", "software": "unknown"}, "current %s" % cur)
    check(g.json["compliance"] == "unknown", "overall %s" % g.json["compliance"])
    check(len(g.json["rules"]) == 4, "the model's rules %s" % g.json["rules"])
    # bad input, a ticket of another unit, a role that may not record
    r = setv(ctx, uid, "firmware", "", status=400)
    check(r.json["error"]["field"] == "sw_version", "names sw_version %s" % r.json)
    with contract.bad_requests():
        r = ctx.api().post("/api/v1/units/%d/versions" % uid, {"component": "firmware"})
    expect(r, 400, "missing sw_version")
    other, _ = unit(ctx, mid)
    tk = expect(ctx.api().post("/api/v1/tickets", {"channel": "phone", "type": "upgrade",
                                                   "unit_id": other}), 201, "ticket").json["id"]
    r = setv(ctx, uid, "firmware", "2.0", status=400, ticket_id=tk)
    check(r.json["error"]["field"] == "ticket_id" and reason(r) == "other_unit", "%s" % r.json)
    setv(ctx, uid, "firmware", "2.0", role="sales", status=403)
    setv(ctx, 999999999, "firmware", "2.0", status=404)
    g2 = expect(ctx.api().get("/api/v1/units/%d/versions" % uid), 200, "unchanged")
    check(len(g2.json["history"]) == 4, "refusals wrote nothing")
    # a withdrawn rule needs its reason
    with contract.bad_requests():
        r = ctx.api().post("/api/v1/version-rules", {"model_id": mid, "component": "firmware",
                                                     "sw_version": "0.9", "status": "withdrawn"})
    expect(r, 400, "withdrawn without reason")
    check(r.json["error"]["field"] == "reason", "names reason %s" % r.json)


def case_scope(ctx):
    mid = model(ctx)
    ua, _ = unit(ctx, mid, cust="A")
    ub, _ = unit(ctx, mid, cust="B")
    setv(ctx, ua, "firmware", "1.0")
    setv(ctx, ub, "firmware", "1.0")
    r = expect(ctx.api("customer").get("/api/v1/units/%d/versions" % ua), 200, "own unit")
    e = r.json["history"][0]
    check("set_by" not in e and "note" not in e, "no staff fields for a customer: %s" % e)
    with contract.bad_requests():
        expect(ctx.api("customer").get("/api/v1/units/%d/versions" % ub), 404, "other company")
        expect(ctx.api("dealer").get("/api/v1/units/%d/versions" % ua), 404, "dealer: not theirs")
        expect(ctx.api("customer").post("/api/v1/units/%d/versions" % ua,
                                        {"component": "firmware", "sw_version": "9"}), 403, "write")
        expect(ctx.api("customer").get("/api/v1/units/%d/upgrade-entitlement?kind=display" % ua),
               403, "entitlement is staff's")
        expect(ctx.api("customer").get("/api/v1/upgrade-campaigns"), 403, "campaigns")
        expect(ctx.api("customer").get("/api/v1/version-rules"), 403, "rules")
        expect(ctx.api("technician").post("/api/v1/version-rules",
                                          {"model_id": mid, "component": "x", "sw_version": "1",
                                           "status": "current"}), 403, "technician: rules")


def ent(ctx, uid, q, status=200):
    return expect(ctx.api("agent").get("/api/v1/units/%d/upgrade-entitlement?%s" % (uid, q)),
                  status, "entitlement %s" % q).json


def case_entitlement(ctx):
    mid = model(ctx, months=12)
    inw, _ = unit(ctx, mid, install=day(-30))
    outw, _ = unit(ctx, mid, install=day(-800))
    nodate, _ = unit(ctx, mid)
    j = ent(ctx, inw, "kind=display")
    check((j["billing"], j["reason"], j["warranty"], j["amount_fen"]) ==
          ("free", "free_in_warranty", "in", None), "display in warranty free: %s" % j)
    check(ent(ctx, inw, "kind=playback&cost_fen=9900")["billing"] == "free", "playback free")
    j = ent(ctx, inw, "kind=functional&cost_fen=52000")
    check((j["billing"], j["reason"], j["price"], j["amount_fen"], j["rule_set"]) ==
          ("chargeable", "functional_at_cost", "priced", 52000, "at_cost"),
          "functional at cost, priced by the fee rules: %s" % j)
    j = ent(ctx, inw, "kind=functional")
    check((j["billing"], j["price"], j["amount_fen"]) == ("chargeable", "no_cost", None),
          "chargeable without an amount when no cost is given: %s" % j)
    j = ent(ctx, outw, "kind=display&cost_fen=30000")
    check((j["billing"], j["reason"], j["warranty"], j["amount_fen"]) ==
          ("chargeable", "out_of_warranty", "out", 30000), "out of warranty: %s" % j)
    j = ent(ctx, nodate, "kind=playback")
    check((j["billing"], j["reason"]) == ("undecided", "warranty_unknown"), "unknown: %s" % j)
    with contract.bad_requests():
        r = ctx.api("agent").get("/api/v1/units/%d/upgrade-entitlement?kind=magic" % inw)
        expect(r, 400, "bad kind")
        check(r.json["error"]["field"] == "kind", "names kind")
        r = ctx.api("agent").get("/api/v1/units/%d/upgrade-entitlement?kind=display&cost_fen=-1"
                                 % inw)
        expect(r, 400, "bad cost")


def campaign(ctx, mid, **kw):
    body = {"name": "固件升级 " + uniq(), "model_id": mid, "component": "firmware",
            "target_version": "2.0", "withdrawn_versions": "1.0, 1.1"}
    body.update(kw)
    return expect(ctx.api("agent").post("/api/v1/upgrade-campaigns", body), 201,
                  "campaign").json["id"]


def ticket_total(ctx):
    return expect(ctx.api().get("/api/v1/tickets?limit=1"), 200, "tickets").json["total"]


def case_campaign(ctx):
    mid = model(ctx)
    rules_of(ctx, mid)
    u1, _ = unit(ctx, mid, install=day(-20))
    u2, _ = unit(ctx, mid, cust="B", install=day(-900))
    u3, _ = unit(ctx, mid, install=day(-20))
    u4, _ = unit(ctx, mid, install=day(-20))
    setv(ctx, u1, "firmware", "1.0")
    setv(ctx, u2, "firmware", "1.1")
    setv(ctx, u3, "firmware", "1.0")
    setv(ctx, u3, "firmware", "2.0")   # upgraded already: its current version counts
    setv(ctx, u4, "software", "1.0")   # another component
    cid = campaign(ctx, mid, upgrade_kind="display", cost_fen=30000)
    c = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d" % cid), 200, "get").json
    check(c["status"] == "draft", "a draft: %s" % c)
    cand = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d/candidates" % cid), 200, "cand")
    check(sorted(x["unit_id"] for x in cand.json["items"]) == [u1, u2],
          "units on a withdrawn version: %s" % cand.json)
    before = ticket_total(ctx)
    r = expect(ctx.api("agent").post("/api/v1/upgrade-campaigns/%d/launch" % cid, None), 201,
               "launch")
    check(r.json["created"] == 2 and r.json["total"] == 2, "one ticket per unit: %s" % r.json)
    check(ticket_total(ctx) == before + 2, "two tickets created")
    by_unit = {t["unit_id"]: t for t in r.json["tickets"]}
    check((by_unit[u1]["billing"], by_unit[u1]["reason"]) == ("free", "free_in_warranty"),
          "in warranty display: free %s" % by_unit[u1])
    check((by_unit[u2]["billing"], by_unit[u2]["amount_fen"]) == ("chargeable", 30000),
          "out of warranty: chargeable at the rule's price %s" % by_unit[u2])
    tk2 = expect(ctx.api().get("/api/v1/tickets/%d" % by_unit[u2]["ticket_id"]), 200, "tk").json
    tk2 = tk2.get("ticket", tk2)
    check(tk2["type"] == "upgrade" and tk2["unit_id"] == u2 and tk2["billing"] == "chargeable" and
          tk2["customer_id"] == ctx.fx["B"], "an upgrade ticket of the unit: %s" % tk2)
    c = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d" % cid), 200, "get").json
    check(c["status"] == "launched" and c["launched_by"] == ctx.uid["agent"], "launched %s" % c)
    with contract.bad_requests():
        r = ctx.api("agent").post("/api/v1/upgrade-campaigns/%d/launch" % cid, None)
        expect(r, 409, "launch twice")
        check(reason(r) == "illegal_action", "reason %s" % r.json)
        r = ctx.api("agent").patch("/api/v1/upgrade-campaigns/%d" % cid, {"notes": "x"})
        expect(r, 409, "a launched campaign is not edited")
        expect(ctx.api("technician").post("/api/v1/upgrade-campaigns/%d/launch" % cid, None), 403,
               "technician cannot launch")
    check(ticket_total(ctx) == before + 2, "the second launch created nothing")
    # progress: states move with the tickets; the upgrade recorded against its ticket
    expect(ctx.api("agent").post("/api/v1/tickets/%d/actions/assign" % by_unit[u1]["ticket_id"],
                                 {"assignee_id": ctx.uid["technician"]}), 200, "assign")
    r = expect(ctx.api("technician").post("/api/v1/upgrade-campaigns/%d/record" % cid,
                                          {"ticket_id": by_unit[u1]["ticket_id"],
                                           "note": "已升级"}), 201, "record")
    check(r.json["recorded"] == 1 and r.json["entry_id"] > 0, "recorded %s" % r.json)
    p = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d/progress" % cid), 200, "progress").json
    check(p["counts"] == {"assigned": 1, "new": 1} and p["recorded"] == 1, "progress %s" % p)
    v = expect(ctx.api().get("/api/v1/units/%d/versions" % u1), 200, "ledger").json
    check(v["history"][0]["sw_version"] == "2.0" and v["history"][0]["campaign_id"] == cid and
          v["history"][0]["ticket_id"] == by_unit[u1]["ticket_id"], "ledger %s" % v["history"][0])
    check(v["compliance"] == "ok", "compliant after the upgrade")
    cand = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d/candidates" % cid), 200, "cand")
    check([x["unit_id"] for x in cand.json["items"]] == [u2], "u1 no longer a candidate")
    with contract.bad_requests():
        r = ctx.api().post("/api/v1/upgrade-campaigns/%d/record" % cid, {"ticket_id": tk2["id"] + 10**6})
        expect(r, 400, "not the campaign's ticket")
    a = expect(ctx.api().get("/api/v1/audit?entity=upgrade_campaign&id=%d" % cid), 200,
               "audit").json
    check("launch" in [x["action"] for x in a["items"]], "the launch is audited: %s" % a)


def case_all_or_nothing(ctx):
    mid = model(ctx)
    u1, _ = unit(ctx, mid, install=day(-20))
    u2, s2 = unit(ctx, mid, cust=None, install=day(-20))   # nobody to open a ticket for
    u3, _ = unit(ctx, mid, install=day(-20))
    for u in (u1, u2, u3):
        setv(ctx, u, "firmware", "1.0")
    cid = campaign(ctx, mid, withdrawn_versions="1.0")
    before = ticket_total(ctx)
    with contract.bad_requests():
        r = ctx.api("agent").post("/api/v1/upgrade-campaigns/%d/launch" % cid, {"force": True})
        expect(r, 400, "the launch takes no input")
        check(r.json["error"]["field"] == "force", "names the unknown field %s" % r.json)
        r = ctx.api("agent").post("/api/v1/upgrade-campaigns/%d/launch" % cid, None)
    expect(r, 422, "one unit fails")
    err = r.json["error"]
    check(err["reason"] == "unit_failed" and err["params"]["unit_id"] == u2 and
          err["params"]["serial_no"] == s2, "names the failing unit: %s" % err)
    check(ticket_total(ctx) == before, "nothing created (%d → %d)" % (before, ticket_total(ctx)))
    c = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d" % cid), 200, "get").json
    check(c["status"] == "draft" and c["launched_at"] is None, "still a draft: %s" % c)
    p = expect(ctx.api().get("/api/v1/upgrade-campaigns/%d/progress" % cid), 200, "p").json
    check(p["total"] == 0, "no campaign tickets %s" % p)
    # the unit gets its customer: the launch goes through, all three
    expect(ctx.api().patch("/api/v1/units/%d" % u2, {"customer_id": ctx.fx["A"]}), 200, "owner")
    r = expect(ctx.api("agent").post("/api/v1/upgrade-campaigns/%d/launch" % cid, None), 201, "ok")
    check(r.json["created"] == 3 and ticket_total(ctx) == before + 3, "three now %s" % r.json)
    # a campaign without candidates is refused
    cid2 = campaign(ctx, mid, withdrawn_versions="0.1")
    with contract.bad_requests():
        r = ctx.api("agent").post("/api/v1/upgrade-campaigns/%d/launch" % cid2, None)
    expect(r, 422, "no candidates")
    check(reason(r) == "guard", "guard %s" % r.json)


def run(ctx, runner):
    runner.run("versions: the ledger and its compliance with the model's rules", case_ledger, ctx)
    runner.run("versions: a customer sees only its own units' versions", case_scope, ctx)
    runner.run("versions: upgrade entitlement free / chargeable, priced by the fee rules",
               case_entitlement, ctx)
    runner.run("versions: a campaign opens one upgrade ticket per unit; 409 twice; progress",
               case_campaign, ctx)
    runner.run("versions: a campaign launch is all or nothing", case_all_or_nothing, ctx)

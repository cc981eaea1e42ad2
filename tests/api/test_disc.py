"""Issue 18 item 7: the department's discipline (docs/discipline.md). Spot checks and patrols
with their corrective actions followed to closure (R-004), staff training with attendance
(R-007), conduct complaints visible only to the heads (R-164) — never to the technician they
concern, on list, get, search, export, report, audit and meta — and suggestions to a superior
with the reply (R-206). Run by test_api.py on both databases."""
import time

import contract
from harness import check, expect, uniq

SC = "/api/v1/spot-checks"
CA = "/api/v1/corrective-actions"
TR = "/api/v1/staff-trainings"
AT = "/api/v1/training-attendances"
CC = "/api/v1/conduct-complaints"
SG = "/api/v1/suggestions"


def day(offset):
    """The local (Asia/Shanghai) date offset days from today."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset * 86400))


def reason(r):
    return (r.json.get("error") or {}).get("reason")


def step(ctx, cid, role, action, status, note=None):
    body = {"action": action}
    if note is not None:
        body["note"] = note
    return expect(ctx.api(role).post("%s/%d/actions" % (CA, cid), body), status,
                  "%s on corrective action %d by %s" % (action, cid, role))


def case_spot_checks(ctx):
    tech = ctx.uid["technician"]
    with contract.bad_requests():
        r = expect(ctx.api("dept_head").post(SC, {"kind": "spot_check", "checked_on": day(0),
                                                  "subject": "technician",
                                                  "summary": "抽查"}), 400, "no technician")
    check(r.json["error"]["field"] == "staff_user_id" and reason(r) == "required", r)
    expect(ctx.api("technician").post(SC, {"kind": "patrol", "checked_on": day(0),
                                           "subject": "other", "summary": "x"}), 403,
           "a technician records no spot check")
    expect(ctx.api("technician").get(SC), 403, "a technician reads no spot checks")
    sc = expect(ctx.api("dept_head").post(SC, {
        "kind": "spot_check", "checked_on": day(-1), "subject": "technician",
        "staff_user_id": tech, "summary": "抽查上门服务规范 " + uniq()}), 201, "spot check").json
    check(sc["inspector_id"] == ctx.uid["dept_head"], "the inspector is the head: %s" % sc)
    body = {"spot_check_id": sc["id"], "problem": "未让用户填写满意度调查表",
            "action": "补填调查表", "owner_id": tech, "due_date": day(-2)}
    expect(ctx.api("technician").post(CA, body), 403, "a technician adds no problem")
    ca = expect(ctx.api("dept_head").post(CA, body), 201, "corrective action").json
    check(ca["state"] == "open", ca)
    cid = ca["id"]
    # overdue: open and due before today; the owner sees it, another staff member does not
    r = expect(ctx.api("gm").get(CA + "?overdue=true&limit=500"), 200, "overdue list")
    check(cid in [i["id"] for i in r.json["items"]], "overdue list holds %d" % cid)
    r = expect(ctx.api("technician").get(CA + "?mine=true&limit=500"), 200, "tech list")
    check(cid in [i["id"] for i in r.json["items"]] and
          all(i["owner_id"] == tech for i in r.json["items"]), "tech sees own only")
    r = expect(ctx.api("agent").get(CA + "?spot_check_id=%d" % sc["id"]), 200, "agent list")
    check(r.json["total"] == 0, "agent sees none: %s" % r.json)
    expect(ctx.api("agent").get("%s/%d" % (CA, cid)), 404, "agent get")
    step(ctx, cid, "agent", "start", 404)
    # the table: the owner finishes, only a head verifies, a step the state refuses is 409
    step(ctx, cid, "technician", "verify", 409)
    r = step(ctx, cid, "technician", "finish", 200, "已补填")
    check(r.json["state"] == "done" and r.json["done_note"] == "已补填", r.json)
    r = step(ctx, cid, "technician", "finish", 409)
    check(reason(r) == "illegal_action" and r.json["error"]["params"]["allowed"] ==
          ["verify", "reopen"], r)
    step(ctx, cid, "technician", "verify", 403)
    step(ctx, cid, "dept_head", "reopen", 200)
    step(ctx, cid, "technician", "finish", 200)
    r = expect(ctx.api("dept_head").get("%s/%d" % (CA, cid)), 200, "get")
    stale = '"%d"' % (r.json["version"] - 1)
    expect(ctx.srv.request("POST", "%s/%d/actions" % (CA, cid), body={"action": "verify"},
                           token=ctx.tok["dept_head"], headers={"If-Match": stale}), 412,
           "stale verify")
    r = step(ctx, cid, "dept_head", "verify", 200)
    check(r.json["state"] == "verified" and r.json["verified_by"] == ctx.uid["dept_head"], r)
    r = expect(ctx.api("dept_head").get(CA + "?overdue=true&limit=500"), 200, "overdue")
    check(cid not in [i["id"] for i in r.json["items"]], "verified is not overdue")
    r = expect(ctx.api("dept_head").patch("%s/%d" % (CA, cid), {"action": "改"}), 409,
               "a verified action is not edited")
    with contract.bad_requests():
        expect(ctx.api("dept_head").post("%s/%d/actions" % (CA, cid), {"action": "close"}),
               400, "unknown step")
    r = expect(ctx.api("dept_head").get("/api/v1/audit?entity=corrective_action&id=%d" % cid),
               200, "audit")
    acts = [i["action"] for i in r.json["items"]]
    check(acts[:2] == ["verify", "finish"] and "create" in acts, acts)


def case_training(ctx):
    tech = ctx.uid["technician"]
    with contract.bad_requests():
        r = expect(ctx.api("dept_head").post(TR, {"category": "ethics", "title": "职业道德",
                                                  "held_on": day(-3)}), 400, "no trainer")
    check(r.json["error"]["field"] == "trainer_id", r)
    expect(ctx.api("technician").post(TR, {"category": "ethics", "title": "x",
                                           "held_on": day(0), "external_trainer": "x"}), 403,
           "a technician records no training")
    t = expect(ctx.api("dept_head").post(TR, {
        "category": "safety_civilised", "title": "安全施工与文明施工 " + uniq(),
        "held_on": day(-3), "trainer_id": ctx.uid["dept_head"], "hours": 2}), 201,
        "training").json
    a = expect(ctx.api("dept_head").post(AT, {"training_id": t["id"], "user_id": tech,
                                              "result": "passed", "score": 90}), 201,
               "attendance").json
    check(a["attended"] is True and a["score"] == 90, a)
    expect(ctx.api("dept_head").post(AT, {"training_id": t["id"], "user_id": tech}), 409,
           "one attendance per person")
    with contract.bad_requests():
        r = expect(ctx.api("dept_head").post(AT, {"training_id": t["id"],
                                                  "user_id": ctx.uid["agent"],
                                                  "attended": False, "score": 60}), 400,
                   "absent with a score")
        check(reason(r) == "guard", r)
        expect(ctx.api("dept_head").post(AT, {"training_id": t["id"],
                                              "user_id": ctx.uid["agent"], "score": 101}), 400,
               "score over 100")
    expect(ctx.api("dept_head").post(AT, {"training_id": t["id"], "user_id": ctx.uid["agent"],
                                          "attended": False}), 201, "absent")
    r = expect(ctx.api("technician").get(AT + "?mine=true&expand=all&limit=500"), 200, "mine")
    mine = [i for i in r.json["items"] if i["training_id"] == t["id"]]
    check(len(mine) == 1 and mine[0]["training_name"] == t["title"], r.json)
    r = expect(ctx.api("technician").get(AT + "?training_id=%d" % t["id"]), 200, "tech list")
    check(r.json["total"] == 1, "a technician sees only their own attendance: %s" % r.json)
    r = expect(ctx.api("dept_head").get(AT + "?training_id=%d" % t["id"]), 200, "head list")
    check(r.json["total"] == 2, r.json)
    expect(ctx.api("technician").get("%s/%d" % (TR, t["id"])), 200, "staff read sessions")


def case_conduct(ctx):
    tech = ctx.uid["technician"]
    secret = "索要购物卡 " + uniq()
    with contract.bad_requests():
        r = expect(ctx.api("dept_head").post(CC, {
            "staff_user_id": tech, "category": "asking_money", "source": "survey",
            "occurred_on": day(-4), "description": secret, "status": "closed"}), 400,
            "closed without outcome")
    check(r.json["error"]["field"] == "outcome", r)
    before = expect(ctx.api("gm").get("/api/v1/reports/conduct"), 200, "report").json
    old = {i["staff_user_id"]: i for i in before["items"]}.get(tech, {})
    c = expect(ctx.api("dept_head").post(CC, {
        "staff_user_id": tech, "category": "asking_money", "source": "survey",
        "occurred_on": day(-4), "description": secret}), 201, "complaint").json
    check(c["status"] == "open" and c["recorded_by"] == ctx.uid["dept_head"], c)
    expect(ctx.api("dept_head").patch("%s/%d" % (CC, c["id"]), {
        "status": "closed", "outcome": "warning", "investigation": "属实",
        "action_taken": "书面警告"}), 200, "close")
    r = expect(ctx.api("gm").get("/api/v1/reports/conduct?from=%s" % day(-30)), 200, "report")
    row = {i["staff_user_id"]: i for i in r.json["items"]}[tech]
    check(row["asking_money"] == old.get("asking_money", 0) + 1 and
          row["total"] == old.get("total", 0) + 1, row)
    r = expect(ctx.api("admin").get(CC + "?staff_user_id=%d&category=asking_money" % tech), 200,
               "admin list")
    check(c["id"] in [i["id"] for i in r.json["items"]], r.json)
    # invisible to the technician concerned (and to other staff): every way in
    for role in ("technician", "agent", "dispatcher", "qc"):
        api = ctx.api(role)
        expect(api.get(CC), 403, role + " list")
        expect(api.get(CC + "?staff_user_id=%d" % tech), 403, role + " filtered list")
        expect(api.get("%s/%d" % (CC, c["id"])), 403, role + " get")
        expect(api.get(CC + "?q=%E7%B4%A2%E8%A6%81"), 403, role + " search")
        expect(api.get(CC + "?format=csv"), 403, role + " export csv")
        expect(api.get(CC + "?format=xlsx"), 403, role + " export xlsx")
        expect(api.get("/api/v1/reports/conduct"), 403, role + " report")
        expect(api.get("/api/v1/audit?entity=conduct_complaint&id=%d" % c["id"]), 403,
               role + " audit")
        expect(api.get("/api/v1/audit"), 403, role + " audit trail")
        expect(api.patch("%s/%d" % (CC, c["id"]), {"status": "open"}), 403, role + " patch")
    r = expect(ctx.api("technician").get("/api/v1/meta"), 200, "meta")
    check(secret not in r.body.decode("utf-8", "replace"), "meta holds no complaint")
    r = expect(ctx.api("dept_head").get("/api/v1/audit?entity=conduct_complaint&id=%d" %
                                        c["id"]), 200, "head audit")
    check(len(r.json["items"]) == 2, r.json)
    r = expect(ctx.api("dept_head").get(CC + "?format=csv&staff_user_id=%d" % tech), 200,
               "head export")
    check(secret in r.body.decode("utf-8"), "the head's export holds it")


def case_suggestions(ctx):
    head = ctx.uid["dept_head"]
    r = expect(ctx.api("technician").get("/api/v1/suggestion-addressees"), 200, "addressees")
    check(head in [i["id"] for i in r.json["items"]], r.json)
    with contract.bad_requests():
        r = expect(ctx.api("technician").post(SG, {"addressee_id": ctx.uid["technician"],
                                                   "title": "x", "body": "x"}), 400, "to self")
    check(r.json["error"]["field"] == "addressee_id", r)
    s = expect(ctx.api("technician").post(SG, {
        "addressee_id": head, "title": "服务车配备常用备件箱 " + uniq(),
        "body": "可减少二次上门"}), 201, "suggestion").json
    check(s["author_id"] == ctx.uid["technician"] and s["status"] == "submitted", s)
    sid = s["id"]
    expect(ctx.api("agent").get("%s/%d" % (SG, sid)), 404, "another staff member")
    r = expect(ctx.api("agent").get(SG + "?author_id=%d" % ctx.uid["technician"]), 200, "list")
    check(r.json["total"] == 0, r.json)
    r = expect(ctx.api("dept_head").get(SG + "?inbox=true&limit=500"), 200, "inbox")
    check(sid in [i["id"] for i in r.json["items"]], "in the head's inbox")
    expect(ctx.api("gm").get("%s/%d" % (SG, sid)), 200, "the gm reads all")
    expect(ctx.api("gm").post("%s/%d/reply" % (SG, sid), {"status": "noted"}), 403,
           "only the addressee replies")
    expect(ctx.api("technician").post("%s/%d/reply" % (SG, sid), {"status": "noted"}), 403,
           "the author does not reply")
    expect(ctx.api("agent").post("%s/%d/reply" % (SG, sid), {"status": "noted"}), 404,
           "invisible to others")
    with contract.bad_requests():
        expect(ctx.api("dept_head").post("%s/%d/reply" % (SG, sid), {"status": "submitted"}),
               400, "not a decision")
    r = expect(ctx.api("dept_head").post("%s/%d/reply" % (SG, sid), {
        "status": "accepted", "reply": "同意，下月起配备"}), 200, "reply")
    check(r.json["status"] == "accepted" and r.json["replied_at"], r.json)
    r = expect(ctx.api("dept_head").post("%s/%d/reply" % (SG, sid), {"status": "rejected"}),
               409, "twice")
    check(reason(r) == "illegal_action", r)
    r = expect(ctx.api("technician").get(SG + "?mine=true&limit=500"), 200, "mine")
    got = [i for i in r.json["items"] if i["id"] == sid]
    check(got and got[0]["reply"] == "同意，下月起配备", "the author sees the reply")
    expect(ctx.api("customer").get(SG), 403, "a customer account")


def run(ctx, runner):
    runner.run("discipline: spot check, corrective action table, overdue, scope",
               case_spot_checks, ctx)
    runner.run("discipline: training sessions, attendance, my training", case_training, ctx)
    runner.run("discipline: conduct complaints invisible to the technician they concern",
               case_conduct, ctx)
    runner.run("discipline: suggestions to a superior with the reply", case_suggestions, ctx)

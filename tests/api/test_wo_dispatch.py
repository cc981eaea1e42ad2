"""Dispatch fixes of review 71: a model's required skills against the catalogue and the slot
search with a retired skill (#15), the late notice's new arrival time (#13), the open work
order following the ticket's reassignment (#1). Run by test_api.py, SQLite and PostgreSQL."""
import json
import time

from harness import check, expect, short, tech2, uniq
from test_work_orders import WO, accepted as accepted_t, act, act_t, booking_fx, booking_ticket
from test_work_orders import new_tech, open_wo, ts


def err(r):
    return r.json.get("error") or {}


def case_model_skills(ctx):
    """#15: required_skills must name active catalogue entries (400 unknown_value naming the
    field and the code); a stored model whose skill was retired since gets no slot and the
    reason unknown_skill naming it (200, not a 400 the dispatcher cannot fix); a technician
    holding the retired skill does not break the search."""
    a = ctx.api()
    fx = booking_fx(ctx)
    bad = "nosuch_" + uniq()[:6]
    body = {"code": "SK-" + uniq(), "name": "型号", "category": "equipment",
            "required_skills": "%s,%s" % (fx["skill"], bad)}
    r = expect(a.post("/api/v1/models", body), 400, "model with an unknown skill")
    e = err(r)
    check(e.get("field") == "required_skills" and e.get("reason") == "unknown_value" and
          e.get("params", {}).get("value") == bad, "names field and code: %s" % short(r.body))
    code = "rt" + uniq()[:8]
    sid = expect(a.post("/api/v1/skills", {"code": code, "name": "将停用", "kind": "skill"}),
                 201, "skill").json["id"]
    new_tech(ctx, "wo_retired", skills="%s:2,%s:3" % (code, fx["skill"]))
    m = ctx.create("models", {"code": "SK-" + uniq(), "name": "离心机", "category": "equipment",
                              "required_skills": code})
    r = expect(a.patch("/api/v1/models/%d" % m["id"], {"required_skills": bad}), 400,
               "PATCH to an unknown skill")
    check(err(r).get("reason") == "unknown_value", short(r.body))
    site = ctx.create("sites", {"customer_id": ctx.fx["B"], "name": "技能停用现场",
                                "address": "上海市静安区1号", "latitude": 31.23,
                                "longitude": 121.45})["id"]
    unit = ctx.create("units", {"serial_no": "SK-" + uniq(), "model_id": m["id"],
                                "customer_id": ctx.fx["B"], "site_id": site,
                                "install_date": time.strftime("%Y-%m-%d")})["id"]
    expect(a.patch("/api/v1/skills/%d" % sid, {"active": False}), 200, "retire the skill")
    expect(a.patch("/api/v1/models/%d" % m["id"], {"name": "离心机二代"}), 200,
           "other edits of the model still pass")
    tid = booking_ticket(ctx, dict(fx, unit=unit))
    r = expect(ctx.api("dispatcher").post(WO + "/slots", {"ticket_id": tid, "date": fx["day"]}),
               200, "slots with a retired skill")
    check(r.json["slots"] == [] and r.json["reason"] == "unknown_skill" and
          r.json.get("skill") == code, "reason names the skill: %s" % short(r.body))
    # the fixture's ticket still gets its slots although a technician holds the retired skill
    t2 = booking_ticket(ctx, fx)
    r = expect(ctx.api("dispatcher").post(WO + "/slots", {"ticket_id": t2, "date": fx["day"]}),
               200, "slots next to a technician with a retired skill")
    check(len(r.json["slots"]) >= 1, "slots: %s" % short(r.body))


def case_late_eta(ctx):
    """#13: running_late's eta_at must be after the appointment's start and in the future:
    400 out_of_range on eta_at (params format and min), nothing written; a later time is
    taken. Before the fix an earlier time was taken and texted to the customer."""
    tid = accepted_t(ctx)
    appt = int(time.time()) + 3 * 3600
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(appt)})
    wid = open_wo(ctx, tid)["id"]
    for eta, fmt in ((appt - 3600, "after_appointment"), (appt, "after_appointment"),
                     (int(time.time()) - 600, "future")):
        r = act(ctx, wid, "running_late", "technician", status=400, eta_at=ts(eta))
        e = err(r)
        check(e.get("field") == "eta_at" and e.get("reason") == "out_of_range" and
              e.get("params", {}).get("format") == fmt and e["params"].get("min"),
              "refused %s: %s" % (fmt, short(r.body)))
    w = expect(ctx.api("technician").get("%s/%d" % (WO, wid)), 200, "wo").json
    check(not w.get("eta_at") and not w.get("late_notice"), "nothing written: %s" % short(w))
    check(e["params"]["min"] != ts(appt), "past: min is now")
    r = act(ctx, wid, "running_late", "technician", status=400, eta_at=ts(appt - 60))
    check(err(r)["params"]["min"] == ts(appt), "min is the appointment: %s" % short(r.body))
    r = act(ctx, wid, "running_late", "technician", eta_at=ts(appt + 1800))
    check(r.json["eta_at"] == ts(appt + 1800), "a later time is taken: %s" % short(r.body))


def reassign(ctx, tid, to):
    act_t(ctx, tid, "wait_customer", "dispatcher", {"note": "等客户确认"})
    act_t(ctx, tid, "resume", "admin")
    act_t(ctx, tid, "assign", "dispatcher", {"assignee_id": to, "note": "改派"})


def case_reassign_moves_lead(ctx):
    """#1: assigning the ticket to someone else moves its open, not started work order to the
    new assignee in the same write (a rebook event names the new lead; the new technician sees
    it, the old one no longer); a departed one keeps its lead. Before the fix the work order
    stayed with the old lead."""
    tech2(ctx)
    tid = accepted_t(ctx)
    at = ts(int(time.time()) + 2 * 86400)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": at})
    wid = open_wo(ctx, tid)["id"]
    reassign(ctx, tid, ctx.uid["tech2"])
    w = expect(ctx.api("tech2").get("%s/%d" % (WO, wid)), 200, "the new lead sees it").json
    check(w["lead_id"] == ctx.uid["tech2"] and w["status"] == "planned" and
          w["appointment_at"] == at, "lead moved, time kept: %s" % short(w))
    expect(ctx.api("technician").get("%s/%d" % (WO, wid)), 404, "the old lead no longer")
    evs = expect(ctx.api().get("/api/v1/tickets/%d/events" % tid), 200, "events").json["items"]
    rb = [e for e in evs if e["kind"] == "work_order" and e["data"].get("action") == "rebook"]
    check(rb and rb[0]["data"].get("lead_id") == ctx.uid["tech2"], "rebook event: %s" %
          short(rb))
    au = expect(ctx.api().get("/api/v1/audit?entity=work_order&id=%d" % wid), 200,
                "audit").json["items"]
    after = [x.get("after") for x in au if x.get("action") == "rebook"]
    after = [json.loads(a) if isinstance(a, str) else a or {} for a in after]
    check(after and after[0].get("lead_id") == ctx.uid["tech2"],
          "audited on the work order: %s" % short(au))
    # started (departed): the crew stays
    tid = accepted_t(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(int(time.time()) + 3600)})
    wid = open_wo(ctx, tid)["id"]
    act(ctx, wid, "depart", "technician")
    reassign(ctx, tid, ctx.uid["tech2"])
    w = expect(ctx.api().get("%s/%d" % (WO, wid)), 200, "wo").json
    check(w["lead_id"] == ctx.uid["technician"] and w["status"] == "departed",
          "a departed work order keeps its lead: %s" % short(w))


def run(ctx, runner):
    runner.run("review 71 #15: model skills in the catalogue; slots with a retired skill",
               case_model_skills, ctx)
    runner.run("review 71 #13: running_late's eta_at after the appointment and now",
               case_late_eta, ctx)
    runner.run("review 71 #1: the ticket's reassignment moves the open work order's lead",
               case_reassign_moves_lead, ctx)

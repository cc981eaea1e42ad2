"""Business trips (issue 12 item 4; F-06, F-07; R-052, R-053, R-033, R-180): the lifecycle
with progress reports, photos, expenses and the feedback form, close refused without the form,
overlapping trips refused, the report flag, the slot ranking leaving out a technician away,
roles and scope, and the trip report. Run by test_api.py on SQLite and PostgreSQL."""
import time

import contract
from harness import check, expect, short, uniq
from test_checklists import PNG
from test_visits import sql
from test_work_orders import act_t, new_tech, ts

T = "/api/v1/trips"


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def day_local(t):
    return time.strftime("%Y-%m-%d", time.gmtime(t + 8 * 3600))


def trip(ctx, lead, start, days=2, others=(), role="dispatcher", status=201, **extra):
    body = {"lead_id": lead, "other_ids": list(others), "purpose": "安装调试 CT 扫描仪",
            "customer_id": ctx.fx["A"], "address": "北京市东城区帅府园1号",
            "contact_name": "王主任", "contact_phone": "010-69156114", "est_days": days,
            "planned_departure_at": ts(start)}
    body.update(extra)
    r = ctx.api(role).post(T, body, bad=status == 400)
    return expect(r, status, "trip %s" % short(str(body)))


def act(ctx, tok, tid, action, status=200, **body):
    body["action"] = action
    r = ctx.srv.request("POST", "%s/%d/actions" % (T, tid), body=body, token=tok)
    return expect(r, status, "trip %s" % action)


def case_lifecycle(ctx):
    lead = new_tech(ctx, "trip_lead")
    other = new_tech(ctx, "trip_other")
    tl, to = ctx.tok["trip_lead"], ctx.tok["trip_other"]
    start = int(time.time()) + 3600
    t = trip(ctx, lead, start, days=3, others=[other], project_id=424242).json
    tid = t["id"]
    check(t["status"] == "planned" and t["est_days"] == 3 and t["project_id"] == 424242,
          "planned: %s" % short(t))
    check([m["user_id"] for m in t["technicians"]] == [lead, other] and
          t["technicians"][0]["lead"], "lead first: %s" % short(t["technicians"]))
    check(t["allowed_actions"] == ["depart", "cancel"], "planner's actions: %s" %
          t["allowed_actions"])
    check(t["feedback"] is None and not t["feedback_handed_in"], "no form yet")
    # the technicians see it; another technician does not
    g = expect(ctx.srv.request("GET", "%s/%d" % (T, tid), token=tl), 200, "lead reads").json
    check(g["member"] and g["allowed_actions"] == ["depart"], "lead: %s" % g["allowed_actions"])
    expect(ctx.api("technician").get("%s/%d" % (T, tid)), 404, "not their trip")
    mine = expect(ctx.srv.request("GET", T, token=to), 200, "other's list").json["items"]
    check([x["id"] for x in mine] == [tid], "a technician lists their own trips: %s" %
          short(mine))
    lst = expect(ctx.api("technician").get(T), 200, "tech list").json["items"]
    check(tid not in [x["id"] for x in lst], "not in another technician's list")
    # nothing to report or hand in before departure
    r = expect(ctx.srv.request("POST", "%s/%d/reports" % (T, tid), body={"body": "出发前"},
                               token=tl), 409, "report before departure")
    check(reason(r) == "illegal_action", short(r.body))
    r = expect(ctx.srv.request("POST", "%s/%d/feedback" % (T, tid), token=tl, body={
        "work_done": "x", "result": "y"}), 409, "feedback before departure")
    act(ctx, tl, tid, "return", status=409)
    d = act(ctx, tl, tid, "depart").json
    check(d["status"] == "departed" and d["departed_at"] and not d["report_overdue"],
          "departed: %s" % short(d))
    rep = expect(ctx.srv.request("POST", "%s/%d/reports" % (T, tid), token=to, body={
        "body": "已到达现场，设备开箱检查完好"}), 201, "progress report").json
    check(rep["body"].startswith("已到达") and rep["created_by"] == other and
          rep["created_by_name"] == "技术员trip_other", "by its display name: %s" % short(rep))
    r = ctx.srv.request("POST", "%s/%d/reports/%d/photos?filename=site.png" % (T, tid, rep["id"]),
                        body=PNG, token=to, headers={"Content-Type": "image/png"})
    ph = expect(r, 201, "photo").json
    g = expect(ctx.srv.request("GET", ph["url"], token=tl), 200, "photo back")
    check(g.header("Content-Type") == "image/png" and g.body == PNG, "the photo's bytes")
    check(g.header("Content-Disposition") == "inline; filename=\"attachment.png\"; "
          "filename*=UTF-8''site.png", "served as %r" % g.header("Content-Disposition"))
    with contract.bad_requests():
        r = ctx.srv.request("POST", "%s/%d/reports/%d/photos?filename=x.txt" % (T, tid,
                            rep["id"]), body=b"plain text", token=to,
                            headers={"Content-Type": "text/plain"})
    check(r.status == 400 and reason(r) == "unsupported_media_type", "a text file: %s" % r)
    r = ctx.srv.request("PATCH", "%s/%d" % (T, tid), token=tl, body={
        "transport_fen": 12050, "lodging_fen": 30000, "allowance_fen": 15000})
    e = expect(r, 200, "expenses").json["expenses"]
    check(e == {"transport": 12050, "lodging": 30000, "allowance": 15000, "other": 0,
                "total": 57050}, "expenses in fen: %s" % e)
    # the plan is after-sales': a technician on the trip changes neither it nor its links
    with contract.bad_requests():
        for body in ({"purpose": "改目的"}, {"customer_id": ctx.fx["A"]}, {"ticket_id": 1},
                     {"work_order_ids": [1]}, {"address": "别处"}):
            r = expect(ctx.srv.request("PATCH", "%s/%d" % (T, tid), token=tl, body=body), 403,
                       "a technician changes %s" % body)
            check(r.json["error"]["field"] == list(body)[0], "names %s: %s" % (body, r.json))
    expect(ctx.srv.request("PATCH", "%s/%d" % (T, tid), token=tl,
                           body={"note": "客户现场联系人换人", "contact_name": "李主任"}), 200,
           "a technician adds what they meet")
    g = expect(ctx.api("dispatcher").get("%s/%d" % (T, tid)), 200, "get").json
    check(len(g["reports"]) == 1 and len(g["reports"][0]["photos"]) == 1 and
          g["last_report_at"], "report with its photo: %s" % short(g["reports"]))
    act(ctx, tl, tid, "return")
    # not closed without the feedback form; only after-sales closes
    r = act(ctx, ctx.tok["dispatcher"], tid, "close", status=409)
    check(reason(r) == "guard" and r.json["error"]["params"]["guard"] == "feedback",
          "close guard: %s" % short(r.body))
    act(ctx, tl, tid, "close", status=403)
    fb = expect(ctx.srv.request("POST", "%s/%d/feedback" % (T, tid), token=tl, body={
        "work_done": "安装调试完成，培训操作人员2名", "result": "设备运行正常",
        "problems": "客户要求增加一次回访"}), 200, "feedback").json
    check(fb["feedback_handed_in"] and fb["feedback"]["result"] == "设备运行正常" and
          fb["actual_days"] == 1, "form handed in: %s" % short(fb))
    c = act(ctx, ctx.tok["dispatcher"], tid, "close").json
    check(c["status"] == "closed" and c["closed_at"] and c["allowed_actions"] == [],
          "closed: %s" % short(c))
    r = expect(ctx.srv.request("PATCH", "%s/%d" % (T, tid), token=tl, body={"note": "x"}),
               409, "closed is history")
    aud = expect(ctx.api().get("/api/v1/audit?entity=trip&id=%d" % tid), 200,
                 "audit").json["items"]
    acts = {a["action"] for a in aud}
    check({"create", "depart", "report", "photo", "return", "feedback", "close"} <= acts,
          "audited: %s" % acts)
    ctx.fx["trip_closed"] = tid


def case_photo_cap(ctx):
    """At most 60 photos per trip (docs/trips.md), over all its reports: the 61st is 422."""
    lead = new_tech(ctx, "trip_cap")
    tok = ctx.tok["trip_cap"]
    tid = trip(ctx, lead, int(time.time()) + 3600).json["id"]
    act(ctx, tok, tid, "depart")
    reps = [expect(ctx.srv.request("POST", "%s/%d/reports" % (T, tid), token=tok, body={
        "body": "进展 %d" % i}), 201, "report").json["id"] for i in range(2)]

    def photo(rep, bad=False):
        return ctx.srv.request("POST", "%s/%d/reports/%d/photos?filename=p.png" % (T, tid, rep),
                               body=PNG, token=tok, headers={"Content-Type": "image/png"},
                               bad=bad)
    for i in range(60):
        expect(photo(reps[i % 2]), 201, "photo %d" % (i + 1))
    r = expect(photo(reps[0], bad=True), 422, "the 61st photo")
    check(reason(r) == "too_many", short(r.body))


def case_overdue_and_report(ctx):
    lead = new_tech(ctx, "trip_late")
    tok = ctx.tok["trip_late"]
    start = int(time.time()) + 600
    tid = trip(ctx, lead, start, days=2).json["id"]
    act(ctx, tok, tid, "depart")
    # departed 30 hours ago, no report since: flagged (R-053, default 24 h)
    sql(ctx, "UPDATE trips SET departed_at = '%s', start_at = '%s' WHERE id = %d" % (
        ts(time.time() - 30 * 3600), ts(time.time() - 30 * 3600), tid))
    g = expect(ctx.api("dispatcher").get("%s/%d" % (T, tid)), 200, "get").json
    check(g["report_overdue"], "flagged: %s" % short(g))
    lst = expect(ctx.api("dispatcher").get(T + "?overdue=true"), 200, "overdue list").json
    check(tid in [x["id"] for x in lst["items"]] and
          all(x["report_overdue"] for x in lst["items"]), "overdue filter: %s" % short(lst))
    expect(ctx.srv.request("POST", "%s/%d/reports" % (T, tid), token=tok, body={
        "body": "调试中，预计明天完成"}), 201, "report")
    g = expect(ctx.api("dispatcher").get("%s/%d" % (T, tid)), 200, "get").json
    check(not g["report_overdue"], "a report clears the flag")
    lst = expect(ctx.api("dispatcher").get(T + "?overdue=true"), 200, "overdue list").json
    check(tid not in [x["id"] for x in lst["items"]], "no longer listed")
    # the interval is a setting: 100 h clears, back to 24
    act(ctx, tok, tid, "return")
    rep = expect(ctx.api("gm").get("/api/v1/reports/trips?from=%s&to=%s" % (
        day_local(time.time() - 5 * 86400), day_local(time.time() + 86400))), 200,
        "trip report").json
    items = {x["id"]: x for x in rep["items"]}
    check(tid in items and items[tid]["est_days"] == 2 and items[tid]["actual_days"] == 2 and
          items[tid]["reports"] == 1 and not items[tid]["feedback_handed_in"],
          "row: %s" % short(items.get(tid)))
    tot = rep["total"]
    check(tot["feedback_missing"] >= 1 and tot["trips"] >= 1 and
          tot["returned"] >= 1, "totals: %s" % tot)
    if "trip_closed" in ctx.fx:
        c = items.get(ctx.fx["trip_closed"])
        check(c and c["est_days"] == 3 and c["actual_days"] == 1 and c["over_days"] == -2 and
              c["feedback_handed_in"], "closed trip: %s" % short(c))
    expect(ctx.api("technician").get("/api/v1/reports/trips"), 403, "not for technicians")


@contract.invalid_requests  # bad-input cases inside
def case_overlap_and_input(ctx):
    lead = new_tech(ctx, "trip_busy")
    other = new_tech(ctx, "trip_busy2")
    base = int(time.time()) + 40 * 86400
    first = trip(ctx, lead, base, days=3).json["id"]
    for start, who, others in ((base + 86400, lead, []), (base - 86400, other, [lead]),
                               (base + 2 * 86400 + 3600, other, [lead])):
        r = trip(ctx, who, start, days=2, others=others, status=409)
        check(reason(r) == "trip_overlap" and r.json["error"]["params"]["trip_id"] == first,
              "overlap refused: %s" % short(r.body))
    # back the day the next one leaves: no overlap
    nxt = trip(ctx, lead, base + 3 * 86400, days=1).json["id"]
    # moving a planned trip onto another is refused too
    r = ctx.api("dispatcher").patch("%s/%d" % (T, nxt), {"planned_departure_at": ts(base)})
    check(r.status == 409 and reason(r) == "trip_overlap", "moved onto: %s" % short(r.body))
    # a cancelled trip keeps nobody; cancel needs a reason
    r = act(ctx, ctx.tok["dispatcher"], first, "cancel", status=400)
    check(r.err_field() == "reason", short(r.body))
    act(ctx, ctx.tok["dispatcher"], first, "cancel", reason="客户推迟")
    trip(ctx, other, base + 86400, days=1, others=[lead])
    # the destination is required before departure
    t = trip(ctx, other, base + 20 * 86400, days=1, contact_name="").json["id"]
    r = act(ctx, ctx.tok["trip_busy2"], t, "depart", status=409)
    check(reason(r) == "guard" and r.err_field() == "contact_name", short(r.body))
    for body, field, why in (
            ({"lead_id": 0}, "lead_id", None), ({"est_days": 0}, "est_days", "out_of_range"),
            ({"est_days": 400}, "est_days", "out_of_range"),
            ({"planned_departure_at": "tomorrow"}, "planned_departure_at", None),
            ({"lead_id": 99999999}, "lead_id", "unknown_reference"),
            ({"other_ids": [lead]}, "other_ids", "duplicate"),
            ({"customer_id": 99999999}, "customer_id", "unknown_reference"),
            ({"surprise": 1}, "surprise", "unknown_field"),
            ({"purpose": "x" * 501}, "purpose", "too_long"),
            ({"purpose": ""}, "purpose", "required")):
        b = {"lead_id": lead, "purpose": "p", "est_days": 1,
             "planned_departure_at": ts(base + 90 * 86400)}
        b.update(body)
        r = ctx.api("dispatcher").post(T, b, bad=True)
        check(r.status == 400 and r.err_field() == field and (why is None or reason(r) == why),
              "%s: %s" % (body, short(r.body)))
    for miss in ("lead_id", "purpose", "est_days", "planned_departure_at"):
        b = {"lead_id": lead, "purpose": "p", "est_days": 1,
             "planned_departure_at": ts(base + 90 * 86400)}
        del b[miss]
        r = ctx.api("dispatcher").post(T, b, bad=True)
        check(r.status == 400 and r.err_field() == miss and reason(r) == "required",
              "missing %s: %s" % (miss, short(r.body)))
    expect(ctx.api("dispatcher").get(T + "?status=gone", bad=True), 400, "bad status")


def case_roles(ctx):
    lead = new_tech(ctx, "trip_role")
    expect(ctx.api("technician").post(T, {"lead_id": lead, "purpose": "p", "est_days": 1,
                                          "planned_departure_at": ts(time.time() + 9e6)}),
           403, "a technician does not plan trips")
    expect(ctx.api("customer").get(T), 403, "customers see no trips")
    expect(ctx.api("sales").get(T), 200, "staff read trips")
    tid = trip(ctx, lead, int(time.time()) + 200 * 86400, days=1, role="agent").json["id"]
    act(ctx, ctx.tok["technician"], tid, "depart", status=404)  # not theirs: not found
    expect(ctx.api("sales").post("%s/%d/actions" % (T, tid), {"action": "depart"}), 403,
           "sales does not act")


def case_slots_exclude(ctx):
    """A technician whose trip covers the day is not offered by the slot ranking."""
    a = ctx.api()
    code = "tr" + uniq()[:8]
    expect(a.post("/api/v1/skills", {"code": code, "name": "安装", "kind": "skill"}), 201, "skill")
    day_t = time.time() + 4 * 86400
    day = day_local(day_t)
    away = new_tech(ctx, "trip_away", skills="%s:3" % code)
    stay = new_tech(ctx, "trip_stay", skills="%s:3" % code)
    model = ctx.create("models", {"code": "TR-" + uniq(), "name": "离心机", "category":
                                  "equipment", "warranty_months": 12, "required_skills": code})
    site = ctx.create("sites", {"customer_id": ctx.fx["B"], "name": "出差测试现场",
                                "address": "上海市黄浦区1号", "latitude": 31.22,
                                "longitude": 121.48})["id"]
    unit = ctx.create("units", {"serial_no": "TR-" + uniq(), "model_id": model["id"],
                                "customer_id": ctx.fx["B"], "site_id": site})["id"]
    r = ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": unit, "assignee_id": stay,
        "caller_phone": "13900000003"})
    tk = expect(r, 201, "ticket").json["id"]
    act_t(ctx, tk, "accept", "agent")

    def offered():
        r = expect(ctx.api("dispatcher").post("/api/v1/work-orders/slots", {
            "ticket_id": tk, "date": day, "count": 10}), 200, "slots")
        return {s["user_id"] for s in r.json["slots"]}

    before = offered()
    check({away, stay} <= before, "both offered without a trip: %s" % before)
    # a trip from the day before to the day after the slot's day
    tid = trip(ctx, away, int(day_t) - 86400, days=3, site_id=site, customer_id=ctx.fx["B"],
               address="").json
    check(tid["address"].endswith("上海市黄浦区1号"), "the site's address: %s" % tid["address"])
    after = offered()
    check(away not in after and stay in after, "the traveller is left out: %s" % after)
    act(ctx, ctx.tok["dispatcher"], tid["id"], "cancel", reason="改派")
    check(away in offered(), "offered again once the trip is cancelled")


def run(ctx, runner):
    runner.run("trips: lifecycle, reports with photos, expenses, feedback before close",
               case_lifecycle, ctx)
    runner.run("trips: at most 60 photos per trip", case_photo_cap, ctx)
    runner.run("trips: report overdue flag and filter (R-053), trip report (R-180)",
               case_overdue_and_report, ctx)
    runner.run("trips: overlapping trips refused (409), destination guard, bad input",
               case_overlap_and_input, ctx)
    runner.run("trips: roles and scope", case_roles, ctx)
    runner.run("trips: a technician away is not offered by the slot ranking",
               case_slots_exclude, ctx)

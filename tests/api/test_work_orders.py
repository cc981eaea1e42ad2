"""Work orders (issue 11 items 1, 2 and 8): booking through the ticket, the action table with
its roles, the technician's scope, the appointment window and the late notice, the second
visit as a new linked work order, the resolve guard, conflicts and their override. Run by
test_api.py in the same run and summary, on SQLite and PostgreSQL."""
import os
import time
import urllib.parse

import contract
from harness import check, expect, report_guard_off, short, tech2, uniq

WO = "/api/v1/work-orders"


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_ts(s):
    return int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def mk_ticket(ctx, tech=None, unit=None):
    r = ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": unit or ctx.fx["unitB"],
        "caller_phone": "13900000001",
        "assignee_id": tech or ctx.uid["technician"]})
    expect(r, 201, "ticket")
    return r.json["id"]


def accepted(ctx, tech_role="technician"):
    tid = mk_ticket(ctx, ctx.uid[tech_role])
    act_t(ctx, tid, "accept", tech_role)
    return tid


def act_t(ctx, tid, action, role, body=None, status=200):
    r = ctx.api(role).post("/api/v1/tickets/%d/actions/%s" % (tid, action), body or {})
    expect(r, status, "ticket %s by %s" % (action, role))
    return r


def act(ctx, wid, action, role, status=200, headers=None, **body):
    body["action"] = action
    r = ctx.api(role).post("%s/%d/actions" % (WO, wid), body, headers=headers)
    expect(r, status, "work order %s by %s" % (action, role))
    return r


def wos_of(ctx, tid, role="admin"):
    r = expect(ctx.api(role).get("%s?ticket_id=%d" % (WO, tid)), 200, "list by ticket")
    return r.json["items"]


def open_wo(ctx, tid):
    items = [w for w in wos_of(ctx, tid) if w["status"] in
             ("planned", "confirmed", "departed", "on_site")]
    check(len(items) == 1, "one open work order on ticket %d: %s" % (tid, short(items)))
    return items[0]


# ---------------------------------------------------------------- item 1

def case_schedule_creates(ctx):
    tid = accepted(ctx)
    at = int(time.time()) + 2 * 86400
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(at)})
    w = open_wo(ctx, tid)
    check(w["status"] == "planned" and w["kind"] == "onsite_repair", "planned: %s" % short(w))
    check(w["lead_id"] == ctx.uid["technician"], "lead is the assignee: %s" % w["lead_id"])
    check(w["appointment_at"] == ts(at) and w["tolerance_min"] == 30, "appt: %s" % short(w))
    check(w["latest_notice_at"] == ts(at - 1800), "latest notice 30 min before: %s" %
          w["latest_notice_at"])
    check(w["number"].endswith("-W1"), "number: %s" % w["number"])
    ev = expect(ctx.api().get("/api/v1/tickets/%d/events" % tid), 200, "events").json["items"]
    check(any(e["kind"] == "work_order" for e in ev), "timeline has a work_order event")
    # re-booking through the ticket moves the same work order
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(at + 3600), "note": "改约"})
    w2 = open_wo(ctx, tid)
    check(w2["id"] == w["id"] and w2["appointment_at"] == ts(at + 3600),
          "re-booked in place: %s" % short(w2))
    check(len(wos_of(ctx, tid)) == 1, "no second work order for a re-booking")
    g = expect(ctx.api().get("%s/%d" % (WO, w["id"])), 200, "get")
    check(g.header("ETag") == '"%d"' % g.json["version"], "ETag")
    check(g.json["window"]["start"] == ts(at + 3600 - 1800) and
          g.json["window"]["end"] == ts(at + 3600 + 1800), "window: %s" % g.json["window"])


@contract.invalid_requests  # bad-input cases inside
def case_actions(ctx):
    tid = accepted(ctx)
    at = int(time.time()) + 3 * 3600
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(at)})
    wid = open_wo(ctx, tid)["id"]
    act(ctx, wid, "confirm", "technician", status=403)
    r = act(ctx, wid, "confirm", "dispatcher")
    check(r.json["status"] == "confirmed" and r.json["confirmed_at"], "confirmed")
    r = act(ctx, wid, "confirm", "dispatcher", status=409)
    check(reason(r) == "illegal_action", "illegal action reason: %s" % short(r.body))
    act(ctx, wid, "depart", "dispatcher", status=403)  # not the crew
    act(ctx, wid, "finish", "technician", status=409, result="done")  # not on site
    act(ctx, wid, "depart", "technician")
    r = act(ctx, wid, "arrive", "technician", lat=31.2, lon=121.5)
    check(r.json["status"] == "on_site" and r.json["arrived_lat"] == 31.2, "on site: %s" %
          short(r.body))
    check(r.json["lateness_min"] == 0 and r.json["late_notice"] == "", "early: %s" % short(r.body))
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["status"] == "on_site", "the ticket follows the arrival: %s" % t["status"])
    r = act(ctx, wid, "finish", "technician", status=400)
    check(r.err_field() == "result", "finish needs a result: %s" % short(r.body))
    act(ctx, wid, "finish", "technician", status=400, result="maybe")
    r = act(ctx, wid, "finish", "technician", result="done", note="更换电源板")
    check(r.json["status"] == "done" and r.json["finished_at"], "done")
    check(r.json["allowed_actions"] == [], "no actions after done: %s" % r.json["allowed_actions"])
    act(ctx, wid, "cancel", "dispatcher", status=409, note="x")
    act(ctx, wid, "fly", "technician", status=400)


@contract.invalid_requests  # bad-input cases inside
def case_create_direct(ctx):
    tech2(ctx)
    tid = accepted(ctx)
    at = int(time.time()) + 4 * 86400
    body = {"ticket_id": tid, "lead_id": ctx.uid["technician"], "helper_ids": [ctx.uid["tech2"]],
            "appointment_at": ts(at), "tolerance_min": 15, "note": "带梯子"}
    expect(ctx.api("technician").post(WO, body), 403, "a technician books")
    r = expect(ctx.api("dispatcher").post(WO, body), 201, "create")
    w = r.json
    check(w["tolerance_min"] == 15 and w["helpers"][0]["user_id"] == ctx.uid["tech2"],
          "tolerance and helper: %s" % short(r.body))
    check(w["note"] == "带梯子" and w["status"] == "planned", "note: %s" % short(r.body))
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["status"] == "visit_scheduled" and t["visit_at"] == ts(at), "ticket booked: %s %s" %
          (t["status"], t["visit_at"]))
    r = expect(ctx.api("dispatcher").post(WO, body), 409, "second open work order")
    check(reason(r) == "duplicate", "duplicate: %s" % short(r.body))
    # the helper is crew: may depart; scope lets them see it
    expect(ctx.api("tech2").get("%s/%d" % (WO, w["id"])), 200, "helper reads")
    act(ctx, w["id"], "depart", "tech2")
    for bad, field in (({"ticket_id": tid + 10 ** 6, "appointment_at": ts(at)}, "ticket_id"),
                       ({"ticket_id": tid, "kind": "dance"}, "kind"),
                       ({"ticket_id": tid, "helper_ids": "x"}, "helper_ids"),
                       ({"ticket_id": tid, "tolerance_min": 999}, "tolerance_min"),
                       ({"ticket_id": tid, "zzz": 1}, "zzz"),
                       ({"appointment_at": ts(at)}, "ticket_id")):
        r = expect(ctx.api("dispatcher").post(WO, bad), 400, "bad %s" % bad)
        check(r.err_field() == field, "names %s: %s" % (field, short(r.body)))


def case_scope(ctx):
    tech2(ctx)
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 86400)})
    wid = open_wo(ctx, tid)["id"]
    expect(ctx.api("tech2").get("%s/%d" % (WO, wid)), 404, "someone else's work order")
    act(ctx, wid, "depart", "tech2", status=404)
    expect(ctx.api("tech2").patch("%s/%d" % (WO, wid), {"findings": "x"}), 404, "patch other")
    r = expect(ctx.api("tech2").get(WO + "?limit=200"), 200, "tech2 list")
    check(all(w["id"] != wid for w in r.json["items"]), "not in tech2's list")
    r = expect(ctx.api("technician").get(WO + "?mine=1&limit=200"), 200, "mine")
    check(any(w["id"] == wid for w in r.json["items"]), "in the lead's list")
    for role in ("customer", "dealer"):
        expect(ctx.api(role).get(WO), 403, "%s lists" % role)
        expect(ctx.api(role).get("%s/%d" % (WO, wid)), 403, "%s reads" % role)
    expect(ctx.api("sales").get("%s/%d" % (WO, wid)), 200, "other staff read")


@contract.invalid_requests  # bad-input cases inside
def case_list(ctx):
    tid = accepted(ctx)
    day_t = int(time.time()) + 9 * 86400
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(day_t)})
    w = open_wo(ctx, tid)
    r = expect(ctx.api().get(WO + "?day=" + w["appointment_day"]), 200, "by day")
    check(any(x["id"] == w["id"] for x in r.json["items"]), "day filter")
    check(all(x["appointment_day"] == w["appointment_day"] for x in r.json["items"]), "day only")
    seen, cursor, pages = [], None, 0
    while pages < 50:
        q = "?limit=2&status=planned" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        r = expect(ctx.api().get(WO + q), 200, "page")
        seen += [x["id"] for x in r.json["items"]]
        check(all(x["status"] == "planned" for x in r.json["items"]), "status filter")
        cursor, pages = r.json["next_cursor"], pages + 1
        if not cursor:
            break
    check(len(seen) == len(set(seen)) == r.json["total"], "paging: %d seen, total %d" %
          (len(seen), r.json["total"]))
    for q, field in (("?status=zzz", "status"), ("?day=2026-13-01", "day"), ("?limit=0", "limit"),
                     ("?cursor=nope", "cursor"), ("?ticket_id=x", "ticket_id"),
                     ("?mine=2", "mine")):
        r = expect(ctx.api().get(WO + q), 400, "bad %s" % q)
        check(r.err_field() == field, "names %s: %s" % (field, short(r.body)))


def case_list_place(ctx):
    """The list answer carries where the work is (the technician's day in one request): the
    site's "city address" and coordinates, the caller's phone, else the customer's address and
    phone; the technician sees only their own work orders, with nothing of another's."""
    tech2(ctx)
    u = uniq()[:8]
    c = ctx.create("customers", {"name": "长江精工" + u, "type": "company", "city": "武汉",
                                 "address": "汉阳区龙阳大道 8 号", "phone": "027-88886666"})["id"]
    m = ctx.create("models", {"code": "PL-" + u, "name": "恒温箱 PL", "category": "equipment",
                              "warranty_months": 24})["id"]
    site = ctx.create("sites", {"customer_id": c, "name": "二号厂房", "city": "武汉",
                                "address": "武汉市东西湖区金山大道 99 号", "latitude": 30.61,
                                "longitude": 114.17})["id"]
    on_site = ctx.create("units", {"serial_no": "PL-S-" + u, "model_id": m, "customer_id": c,
                                   "site_id": site, "install_date": "2026-01-15"})["id"]
    no_site = ctx.create("units", {"serial_no": "PL-N-" + u, "model_id": m, "customer_id": c,
                                   "install_date": "2026-01-15"})["id"]
    # 09:00 and 12:00 Asia/Shanghai, eleven days ahead: one local day
    day_t = (int(time.time()) + 8 * 3600) // 86400 * 86400 + 11 * 86400 + 3600
    wids = []
    for unit, phone, hh in ((on_site, "13700000007", 0), (no_site, "", 3)):
        r = ctx.api("agent").post("/api/v1/tickets", {
            "channel": "phone", "type": "repair", "unit_id": unit, "caller_name": "赵工",
            "caller_phone": phone, "description": "温控失灵 " + u,
            "assignee_id": ctx.uid["technician"]})
        tid = expect(r, 201, "ticket").json["id"]
        act_t(ctx, tid, "accept", "technician")
        act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(day_t + hh * 3600)})
        wids.append(open_wo(ctx, tid)["id"])
    day = open_wo(ctx, tid)["appointment_day"]
    r = expect(ctx.api("technician").get(WO + "?mine=true&limit=50&day=" + day), 200, "day")
    got = {w["id"]: w for w in r.json["items"]}
    check(set(wids) <= set(got), "both in the technician's day: %s" % list(got))
    a, b = got[wids[0]], got[wids[1]]
    check(a["address"] == "武汉市东西湖区金山大道 99 号" and a["phone"] == "13700000007" and
          abs(a["latitude"] - 30.61) < 1e-9 and abs(a["longitude"] - 114.17) < 1e-9,
          "the site's address and position, the caller's phone: %s" % short(a))
    check(a["contact_name"] == "赵工" and a["description"] == "温控失灵 " + u and
          a["serial_no"] == "PL-S-" + u and a["model_name"] == "恒温箱 PL" and
          a["customer_name"] == "长江精工" + u, "contact, fault, unit: %s" % short(a))
    check(b["address"] == "武汉 汉阳区龙阳大道 8 号" and b["phone"] == "027-88886666" and
          b["latitude"] is None and b["longitude"] is None,
          "no site: the customer's city and address, the customer's phone: %s" % short(b))
    # the scope is kept: another technician sees neither, nor any place of them
    r = expect(ctx.api("tech2").get(WO + "?limit=200&day=" + day), 200, "tech2 day")
    check(not set(wids) & {w["id"] for w in r.json["items"]}, "not in tech2's list")
    check("长江精工" not in r.body.decode("utf-8") and "金山大道" not in r.body.decode("utf-8"),
          "nothing of them in tech2's answer")
    # a single work order's answer (and its audit) stays as it was
    g = expect(ctx.api("technician").get("%s/%d" % (WO, wids[0])), 200, "get").json
    check("address" not in g and "phone" not in g, "GET one unchanged: %s" % sorted(g)[:8])


@contract.invalid_requests  # bad-input cases inside
def case_patch_ifmatch(ctx):
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 86400)})
    w = open_wo(ctx, tid)
    r = expect(ctx.api("technician").patch("%s/%d" % (WO, w["id"]), {
        "findings": "电源板烧毁", "work_done": "更换电源板", "labour_minutes": 90,
        "parts": [{"name": "电源板", "quantity": 1, "unit": "块"},
                  {"name": "保险丝", "quantity": 2}]},
        headers={"If-Match": '"%d"' % w["version"]}), 200, "crew records the work")
    check(len(r.json["parts"]) == 2 and r.json["labour_minutes"] == 90, "parts: %s" %
          short(r.body))
    r2 = expect(ctx.api("technician").patch("%s/%d" % (WO, w["id"]), {"findings": "x"},
                                            headers={"If-Match": '"%d"' % w["version"]}),
                412, "stale")
    check(reason(r2) == "stale", "stale reason")
    expect(ctx.api("technician").patch("%s/%d" % (WO, w["id"]),
                                       {"appointment_at": ts(time.time() + 7200)}),
           403, "the crew cannot re-book")
    at = int(time.time()) + 5 * 86400
    r = expect(ctx.api("dispatcher").patch("%s/%d" % (WO, w["id"]), {"appointment_at": ts(at)}),
               200, "planner re-books")
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["visit_at"] == ts(at), "the ticket follows: %s" % t["visit_at"])
    expect(ctx.api("dispatcher").patch("%s/%d" % (WO, w["id"]),
                                       {"parts": [{"quantity": 1}]}), 400, "part without name")
    expect(ctx.api("dispatcher").patch("%s/%d" % (WO, w["id"]), {}), 400, "empty patch")


def case_ticket_arrive_cancel(ctx):
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 86400)})
    wid = open_wo(ctx, tid)["id"]
    act_t(ctx, tid, "arrive", "technician")
    w = expect(ctx.api().get("%s/%d" % (WO, wid)), 200, "wo").json
    check(w["status"] == "on_site" and w["arrived_at"], "ticket arrive moves it: %s" % w["status"])
    tid2 = accepted(ctx)
    act_t(ctx, tid2, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 86400)})
    wid2 = open_wo(ctx, tid2)["id"]
    act_t(ctx, tid2, "cancel", "agent", {"note": "客户取消"})
    w = expect(ctx.api().get("%s/%d" % (WO, wid2)), 200, "wo").json
    check(w["status"] == "cancelled", "ticket cancel cancels it: %s" % w["status"])
    tid3 = accepted(ctx)
    act_t(ctx, tid3, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 3600)})
    wid3 = open_wo(ctx, tid3)["id"]
    act_t(ctx, tid3, "arrive", "technician")
    act_t(ctx, tid3, "send_to_factory", "technician", {"note": "主板损坏，返厂"})
    w = expect(ctx.api().get("%s/%d" % (WO, wid3)), 200, "wo").json
    check(w["status"] == "needs_factory" and w["finished_at"] and w["result_note"],
          "to the factory from on site finishes it: %s" % short(w))


def case_needs_factory(ctx):
    """Review 71 #19: a visit finished as needs_factory starts the return to the factory. The
    note is required (400 on note); the ticket's assignee technician sends the ticket to the
    factory in the same step (at_factory, an RMA); a crew member who may not (a helper) hands
    it to the department heads: a task with the note and a timeline entry, the ticket on site
    offering them send_to_factory."""
    tech2(ctx)
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 3600)})
    wid = open_wo(ctx, tid)["id"]
    act(ctx, wid, "arrive", "technician")
    for body in ({}, {"note": ""}):
        r = act(ctx, wid, "finish", "technician", status=400, result="needs_factory", **body)
        check(r.err_field() == "note" and reason(r) == "required",
              "needs_factory needs a note: %s" % short(r.body))
    w = expect(ctx.api().get("%s/%d" % (WO, wid)), 200, "wo").json
    check(w["status"] == "on_site", "still on site after the refusal: %s" % w["status"])
    act(ctx, wid, "finish", "technician", result="needs_factory", note="主板烧毁，需返厂")
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["status"] == "at_factory", "the assignee's needs_factory sends it: %s" % t["status"])
    rmas = expect(ctx.api("agent").get("/api/v1/rmas?ticket_id=%d" % tid), 200, "rmas").json
    check(len(rmas["items"]) == 1, "one RMA opened: %s" % short(rmas))
    w = expect(ctx.api().get("%s/%d" % (WO, wid)), 200, "wo").json
    check(w["status"] == "needs_factory" and w["result_note"] == "主板烧毁，需返厂",
          "work order finished: %s" % short(w))
    # a helper finishes: not the ticket's technician, so the department heads are asked
    tid2 = accepted(ctx)
    body = {"ticket_id": tid2, "lead_id": ctx.uid["technician"],
            "helper_ids": [ctx.uid["tech2"]], "appointment_at": ts(time.time() + 3600)}
    wid2 = expect(ctx.api("dispatcher").post(WO, body), 201, "book with a helper").json["id"]
    act(ctx, wid2, "arrive", "tech2")
    act(ctx, wid2, "finish", "tech2", result="needs_factory", note="压缩机异响，需返厂检测")
    t = expect(ctx.api("dept_head").get("/api/v1/tickets/%d" % tid2), 200, "ticket").json
    check(t["status"] == "on_site" and "send_to_factory" in t.get("allowed_actions", []),
          "on site, the department head may send it: %s %s" %
          (t["status"], t.get("allowed_actions")))
    tasks = expect(ctx.api("dept_head").get("/api/v1/tasks?status=open&limit=200"), 200,
                   "tasks").json["items"]
    mine = [k for k in tasks if k["kind"] == "factory_handover" and k.get("ticket_id") == tid2]
    check(len(mine) == 1 and "压缩机异响" in mine[0]["body"],
          "a task for the department head: %s" % short(mine))
    evs = expect(ctx.api().get("/api/v1/tickets/%d/events" % tid2), 200, "events").json["items"]
    ho = [x for x in evs if x["kind"] == "factory_handover"]
    check(len(ho) == 1 and ho[0]["body"] == "压缩机异响，需返厂检测",
          "a timeline entry: %s" % short(ho))
    check(not expect(ctx.api("agent").get("/api/v1/rmas?ticket_id=%d" % tid2), 200,
                     "rmas").json["items"], "no RMA opened by the helper")
    act_t(ctx, tid2, "send_to_factory", "dept_head", {"note": "安排返厂"})


def case_second_visit(ctx):
    """R-061: not fixed on site → a new, linked work order; resolve waits for a done one."""
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 3600)})
    first = open_wo(ctx, tid)
    act(ctx, first["id"], "arrive", "technician")
    r = act_t(ctx, tid, "resolve", "technician", {"note": "x"}, status=409)
    g = r.json["error"]
    check(g["reason"] == "guard" and g["params"]["guard"] == "work_order",
          "resolve before done: %s" % short(r.body))
    r = act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 86400)},
              status=409)
    check(reason(r) == "illegal_action", "second visit while on site: %s" % short(r.body))
    act(ctx, first["id"], "finish", "technician", result="not_fixed", note="缺配件")
    act_t(ctx, tid, "resolve", "technician", {"note": "x"}, status=409)
    at2 = int(time.time()) + 2 * 86400
    r = act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(at2)})
    check(r.json["status"] == "visit_scheduled", "ticket back to visit_scheduled")
    items = wos_of(ctx, tid)
    check(len(items) == 2, "two work orders: %s" % short(items))
    old = [w for w in items if w["id"] == first["id"]][0]
    new = [w for w in items if w["id"] != first["id"]][0]
    check(old["status"] == "not_fixed" and old["appointment_at"] == first["appointment_at"],
          "the first is kept as it was: %s" % short(old))
    check(new["previous_id"] == first["id"] and new["number"].endswith("-W2") and
          new["appointment_at"] == ts(at2) and new["status"] == "planned",
          "the second is new and linked: %s" % short(new))
    act(ctx, new["id"], "arrive", "technician")
    act(ctx, new["id"], "finish", "technician", result="done")
    with report_guard_off(ctx):  # the service report guard: test_reports.py
        r = act_t(ctx, tid, "resolve", "technician", {"note": "更换配件后正常"})
    check(r.json["status"] == "resolved", "resolved after a done work order")


# ---------------------------------------------------------------- item 2

def case_late_notice(ctx):
    # in time: the appointment is 3 h away, the latest notice 2.5 h away
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 3 * 3600)})
    wid = open_wo(ctx, tid)["id"]
    act(ctx, wid, "running_late", "technician", status=400)
    r = act(ctx, wid, "running_late", "technician", eta_at=ts(time.time() + 4 * 3600))
    check(r.json["late_notice"] == "in_time" and r.json["eta_at"], "in time: %s" % short(r.body))
    # late: the appointment is 10 minutes away, past the latest notice time
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 600)})
    wid = open_wo(ctx, tid)["id"]
    r = act(ctx, wid, "running_late", "technician", eta_at=ts(time.time() + 3600))
    check(r.json["late_notice"] == "late", "late notice flagged: %s" % short(r.body))
    evs = expect(ctx.api().get("/api/v1/tickets/%d/events" % tid), 200, "events").json["items"]
    late = [e for e in evs if e["kind"] == "work_order" and e["data"]["action"] == "running_late"]
    check(late and late[0]["visibility"] == "customer" and late[0]["data"]["late_notice"] ==
          "late", "the notice is on the timeline, visible to the customer: %s" % short(late))
    r = act(ctx, wid, "arrive", "technician")
    check(r.json["late_notice"] == "late", "kept at arrival: %s" % r.json["late_notice"])
    # missing: 2 h after the appointment, no notice
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() - 7200)})
    wid = open_wo(ctx, tid)["id"]
    r = act(ctx, wid, "arrive", "technician")
    check(r.json["late_notice"] == "missing" and 119 <= r.json["lateness_min"] <= 121,
          "missing notice: %s" % short(r.body))
    # inside the window (20 min late of ±30): no flag, lateness kept
    tid = accepted(ctx)
    act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() - 1200)})
    wid = open_wo(ctx, tid)["id"]
    r = act(ctx, wid, "arrive", "technician")
    check(r.json["late_notice"] == "" and 19 <= r.json["lateness_min"] <= 21,
          "in the window: %s" % short(r.body))


def case_policy(ctx):
    """R-197: the appointment policy is company settings; bookings take it; /meta serves the
    work-order enums."""
    a = ctx.api()
    items = {i["key"]: i for i in expect(a.get("/api/v1/settings"), 200, "settings").json["items"]}
    for k, v in (("appointment_tolerance_min", 30), ("appointment_early_target_min", 5),
                 ("appointment_notice_lead_min", 30), ("appointment_precall_min", 120),
                 ("appointment_duration_min", 90), ("appointment_messages", True)):
        check(k in items and items[k]["value"] == v, "setting %s: %s" % (k, items.get(k)))
    r = expect(a.patch("/api/v1/settings", {"appointment_tolerance_min": 999}), 400, "range")
    check(r.err_field() == "appointment_tolerance_min" and reason(r) == "out_of_range",
          "out of range: %s" % short(r.body))
    expect(a.patch("/api/v1/settings", {"appointment_tolerance_min": 15,
                                         "appointment_notice_lead_min": 60}), 200, "policy")
    try:
        tid = accepted(ctx)
        at = int(time.time()) + 86400
        act_t(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(at)})
        w = open_wo(ctx, tid)
        check(w["tolerance_min"] == 15 and w["latest_notice_at"] == ts(at - 3600),
              "the booking takes the policy: %s" % short(w))
    finally:
        expect(a.patch("/api/v1/settings", {"appointment_tolerance_min": 30,
                                             "appointment_notice_lead_min": 30}), 200, "reset")
    m = expect(a.get("/api/v1/meta"), 200, "meta").json["enums"]
    check(m.get("wo_status") == ["planned", "confirmed", "departed", "on_site", "done",
                                 "not_fixed", "needs_factory", "cancelled"] and
          m.get("wo_action") == ["confirm", "depart", "arrive", "running_late", "finish",
                                 "cancel"] and "periodic_visit" in m.get("wo_kind", []) and
          m.get("wo_late_notice") == ["", "in_time", "late", "missing"],
          "meta enums: %s" % short(m))


# ---------------------------------------------------------------- item 8

def new_tech(ctx, key, skills="", leave="", home=True):
    """A technician user with a token and a technician record (home in Shanghai)."""
    srv = ctx.srv
    name = "u_%s_%s" % (key, uniq()[:6])
    pw = os.path.join(srv.workdir, "pw")
    srv.cli("user", "add", name, "--roles", "technician", "--password-file", pw, "--db",
            srv.db_url)
    p = srv.cli("token", "create", "--user", name, "--db", srv.db_url)
    ctx.tok[key] = p.stdout.decode().strip().splitlines()[-1].strip()
    uid = int(expect(ctx.api(key).get("/api/v1/session"), 200, "session").json["user"]["id"])
    ctx.uid[key] = uid
    expect(ctx.api().patch("/api/v1/users/%d" % uid, {"display_name": "技术员" + key}), 200,
           "name")
    body = {"user_id": uid, "name": "技术员" + key, "skills": skills, "leave_periods": leave,
            "shift": "1-7 08:00-18:00"}
    if home:
        body.update(home_latitude=31.23, home_longitude=121.47)
    expect(ctx.api().post("/api/v1/technicians", body), 201, "technician record")
    return uid


def booking_fx(ctx):
    """A model that needs a skill, a unit at a site with a position, three technicians (one
    on leave on the booking day, one without the skill) and SLA policies."""
    if "wo_fx" in ctx.fx:
        return ctx.fx["wo_fx"]
    a = ctx.api()
    code = "wo" + uniq()[:8]
    expect(a.post("/api/v1/skills", {"code": code, "name": "制冷", "kind": "skill"}), 201, "skill")
    day_t = time.time() + 3 * 86400
    day = time.strftime("%Y-%m-%d", time.gmtime(day_t + 8 * 3600))
    fx = {"day": day, "skill": code}
    fx["ok"] = new_tech(ctx, "wo_ok", skills="%s:3" % code)
    fx["leave"] = new_tech(ctx, "wo_leave", skills="%s:3" % code, leave=day)
    fx["noskill"] = new_tech(ctx, "wo_noskill")
    new_tech(ctx, "wo_nohome", skills="%s:3" % code, home=False)  # cannot start a route
    model = ctx.create("models", {"code": "WO-" + uniq(), "name": "冷水机组", "category":
                                  "equipment", "warranty_months": 24, "required_skills": code})["id"]
    site = ctx.create("sites", {"customer_id": ctx.fx["B"], "name": "瑞金医院后勤楼",
                                "address": "上海市瑞金二路197号", "latitude": 31.21,
                                "longitude": 121.47})["id"]
    fx["unit"] = ctx.create("units", {"serial_no": "WO-" + uniq(), "model_id": model,
                                      "customer_id": ctx.fx["B"], "site_id": site,
                                      "install_date": time.strftime("%Y-%m-%d")})["id"]
    cal = expect(a.post("/api/v1/calendars", {"code": "wo-" + uniq(), "name": "全天",
                                               "kind": "24x7"}), 201, "calendar").json["id"]
    for k, minutes in (("pol_long", 60 * 24 * 30), ("pol_short", 60)):
        fx[k] = expect(a.post("/api/v1/sla-policies", {
            "code": "wo-" + uniq(), "name": "派工测试", "calendar_id": cal, "active": False,
            "onsite_minutes": minutes, "onsite_start": "received"}), 201, "policy").json["id"]
    ctx.fx["wo_fx"] = fx
    return fx


def booking_ticket(ctx, fx, policy="pol_long"):
    r = ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": fx["unit"],
        "assignee_id": fx["ok"], "caller_phone": "13900000002"})
    tid = expect(r, 201, "ticket").json["id"]
    expect(ctx.api("agent").patch("/api/v1/tickets/%d" % tid, {"sla_policy_id": fx[policy]}),
           200, "policy")
    act_t(ctx, tid, "accept", "agent")
    return tid


def at_local(day, hhmm):
    """A local (UTC+8) day and time as UTC text."""
    t = time.strptime(day + " " + hhmm, "%Y-%m-%d %H:%M")
    return ts(parse_ts(time.strftime("%Y-%m-%dT%H:%M:%SZ", t)) - 8 * 3600)


def kinds(r):
    return sorted({c["kind"] for c in r.json["conflicts"]})


def case_conflicts(ctx):
    fx = booking_fx(ctx)
    tid = booking_ticket(ctx, fx)
    at = at_local(fx["day"], "10:00")
    chk = lambda body: expect(ctx.api("dispatcher").post(WO + "/check", dict(
        {"ticket_id": tid, "appointment_at": at}, **body)), 200, "check %s" % body)
    r = chk({"lead_id": fx["ok"]})
    check(r.json["ok"] and r.json["conflicts"] == [], "no conflict: %s" % short(r.body))
    check(kinds(chk({"lead_id": fx["leave"]})) == ["leave"], "leave")
    r = chk({"lead_id": fx["noskill"]})
    check(kinds(r) == ["skill"] and r.json["conflicts"][0]["detail"] == fx["skill"],
          "missing skill: %s" % short(r.body))
    check(kinds(chk({"lead_id": fx["ok"], "helper_ids": [fx["leave"]]})) == ["leave"],
          "a helper on leave")
    # an overlapping booking: 409 reason conflict naming it; with a reason it is booked
    other = booking_ticket(ctx, fx)
    act_t(ctx, other, "schedule_visit", "dispatcher", {"visit_at": at_local(fx["day"], "09:30")})
    check(kinds(chk({"lead_id": fx["ok"]})) == ["overlap"], "overlap")
    body = {"ticket_id": tid, "lead_id": fx["ok"], "appointment_at": at}
    r = expect(ctx.api("dispatcher").post(WO, body), 409, "overlapping booking")
    err = r.json["error"]
    check(err["reason"] == "conflict" and err["params"]["conflicts"] == ["overlap"],
          "409 names the conflict: %s" % short(r.body))
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["status"] == "in_progress" and wos_of(ctx, tid) == [], "nothing written")
    body["override_reason"] = "客户只有上午在，两单同一楼"
    r = expect(ctx.api("dispatcher").post(WO, body), 201, "override with a reason")
    check(r.json["override_reason"] == body["override_reason"], "override stored")
    au = expect(ctx.api().get("/api/v1/audit?entity=work_order&id=%d" % r.json["id"]),
                200, "audit").json["items"]
    check(any(body["override_reason"] in (x.get("after") and str(x["after"]) or "")
              for x in au), "override audited: %s" % short(au))
    # re-booking into the other's time: 409, then the same with a reason
    wid = r.json["id"]
    other_wo = open_wo(ctx, other)
    r = expect(ctx.api("dispatcher").patch("%s/%d" % (WO, other_wo["id"]),
                                           {"appointment_at": at_local(fx["day"], "10:15")}),
               409, "re-book onto an overlap")
    check(reason(r) == "conflict", "re-book conflict: %s" % short(r.body))
    r = expect(ctx.api("dispatcher").patch("%s/%d" % (WO, wid),
                                           {"appointment_at": at_local(fx["day"], "10:45")}),
               409, "still overlapping the other")
    expect(ctx.api("dispatcher").patch("%s/%d" % (WO, wid),
                                       {"appointment_at": at_local(fx["day"], "14:00")}),
           200, "moved clear of the other (its own old time is no conflict)")
    # after the on-site due time
    late = booking_ticket(ctx, fx, "pol_short")
    r = chk({"lead_id": fx["ok"], "ticket_id": late, "appointment_at": at_local(fx["day"],
                                                                                  "16:00")})
    check(kinds(r) == ["sla"] and r.json["onsite_due_at"], "after the due time: %s" %
          short(r.body))
    expect(ctx.api("technician").post(WO + "/check", {"ticket_id": tid, "appointment_at": at}),
           403, "a technician checks")


@contract.invalid_requests  # bad-input cases inside
def case_slots(ctx):
    fx = booking_fx(ctx)
    tid = booking_ticket(ctx, fx)
    r = expect(ctx.api("dispatcher").post(WO + "/slots", {"ticket_id": tid, "date": fx["day"]}),
               200, "slots")
    slots = r.json["slots"]
    check(1 <= len(slots) <= 3, "up to three slots: %s" % short(r.body))
    users = {s["user_id"] for s in slots}
    check(fx["ok"] in users and fx["leave"] not in users and fx["noskill"] not in users,
          "only the skilled technician at work: %s" % short(slots))
    s = slots[0]
    a0 = parse_ts(s["appointment_at"])
    check(parse_ts(s["window_start"]) == a0 - 1800 and parse_ts(s["window_end"]) == a0 + 1800,
          "window ±30: %s" % short(s))
    check(s["name"] == "技术员wo_ok" and s["sla_due_at"], "name and SLA due: %s" % short(s))
    r = expect(ctx.api("dispatcher").post(WO, {"ticket_id": tid, "lead_id": s["user_id"],
                                                "appointment_at": s["appointment_at"]}),
               (201, 409), "book the best slot")
    if r.status == 409:  # another case booked the same technician that day
        check(reason(r) == "conflict", "only a conflict: %s" % short(r.body))
    for bad, field in (({"date": fx["day"]}, "ticket_id"), ({"ticket_id": tid}, "date"),
                       ({"ticket_id": tid, "date": "2026-02-30"}, "date"),
                       ({"ticket_id": tid, "date": fx["day"], "count": 99}, "count")):
        r = expect(ctx.api("dispatcher").post(WO + "/slots", bad), 400, "bad %s" % bad)
        check(r.err_field() == field, "names %s: %s" % (field, short(r.body)))
    # no position: a reason, no slot
    t2 = mk_ticket(ctx)
    act_t(ctx, t2, "accept", "technician")
    r = expect(ctx.api("dispatcher").post(WO + "/slots", {"ticket_id": t2, "date": fx["day"]}),
               200, "slots without a site")
    check(r.json["slots"] == [] and r.json["reason"] == "no_location", short(r.body))


def case_accepted_quote(ctx):
    """Review 2026-12-07 M10: the technician's work order carries the ticket's accepted quote
    (number, total, its part lines with code, name, quantity and unit) for the bring list and
    the chargeable banner; null without one. Before the fix the work order said nothing."""
    from test_reports import quoted_on_site, van_part
    fan = van_part(ctx, price=9900, qty=1)
    tid, wid, q = quoted_on_site(ctx, fan["code"])
    w = expect(ctx.api("technician").get("/api/v1/work-orders/%d" % wid), 200, "wo").json
    aq = w.get("accepted_quote")
    check(aq and aq["id"] == q["id"] and aq["number"] == q["number"] and
          aq["total_fen"] == 9900 + 15000, "the accepted quote: %s" % short(w))
    check(aq["parts"] == [{"code": fan["code"], "name": "散热风扇80mm", "quantity": 1,
                           "unit": "个"}], "its part lines: %s" % short(aq))
    tid2 = mk_ticket(ctx, ctx.uid["technician"])
    act_t(ctx, tid2, "accept", "technician")
    act_t(ctx, tid2, "schedule_visit", "dispatcher", {"visit_at": ts(int(time.time()) + 7200)})
    w2 = expect(ctx.api("technician").get("/api/v1/work-orders/%d" % wos_of(ctx, tid2)[0]["id"]),
                200, "wo2").json
    check("accepted_quote" in w2 and w2["accepted_quote"] is None, "none: %s" % short(w2))


def run(ctx, runner):
    runner.run("work orders: needs_factory needs a note and starts the return (review 71 #19)",
               case_needs_factory, ctx)
    runner.run("work orders: schedule_visit books, re-books in place, window", case_schedule_creates,
               ctx)
    runner.run("work orders: actions, roles, illegal 409, ticket follows arrival", case_actions,
               ctx)
    runner.run("work orders: POST books through the ticket, helpers, duplicate 409, bad input",
               case_create_direct, ctx)
    runner.run("work orders: technician scope 404, external 403", case_scope, ctx)
    runner.run("work orders: list filters and cursor paging", case_list, ctx)
    runner.run("work orders: the list carries address, phone and place; scope kept (day view)",
               case_list_place, ctx)
    runner.run("work orders: PATCH work and parts, If-Match 412, re-book", case_patch_ifmatch, ctx)
    runner.run("work orders: ticket arrive, cancel and send_to_factory move the work order",
               case_ticket_arrive_cancel, ctx)
    runner.run("work orders: late notice in time / late / missing (R-120)", case_late_notice, ctx)
    runner.run("work orders: second visit is a new linked work order; resolve guard (R-061)",
               case_second_visit, ctx)
    runner.run("work orders: appointment policy in the settings; enums in /meta (R-197)",
               case_policy, ctx)
    runner.run("work orders: conflicts (leave, overlap, skill, SLA), 409 and override (item 8)",
               case_conflicts, ctx)
    runner.run("work orders: the three best slots for a ticket (item 8)", case_slots, ctx)
    runner.run("work orders: the accepted quote's total and parts for the technician (M10)",
               case_accepted_quote, ctx)

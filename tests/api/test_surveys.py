"""The satisfaction survey (满意度调查表, F-10, R-036; issue 11 item 6): the link sent when the
work is completed, the customer's answers without signing in, a reused (410 used), guessed
(404) or expired (410 expired) link, answers given by phone, a refusal, the `survey` close
guard when the company switches it on, the follow-up task of a low score for the department
head, and a technician kept from the pending survey of their own work (403 own_work)."""
import secrets

import contract
from harness import check, expect, report_guard_off, short


def reason(r):
    return ((r.json or {}).get("error") or {}).get("reason")


def guard_of(r):
    return (((r.json or {}).get("error") or {}).get("params") or {}).get("guard")


def settings(ctx, body):
    expect(ctx.api().patch("/api/v1/settings", body), 200, "PATCH settings %s" % body)


def act(ctx, tid, action, role, body=None, status=200):
    r = ctx.api(role).post("/api/v1/tickets/%d/actions/%s" % (tid, action), body or {})
    expect(r, status, "%s by %s on ticket %d" % (action, role, tid))
    return r


def resolved(ctx, phone="13900001111"):
    """A repair the technician accepted and solved by phone: resolved, survey pending."""
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"],
        "caller_name": "王女士", "caller_phone": phone,
        "assignee_id": ctx.uid["technician"], "description": "满意度调查测试"}), 201, "intake")
    tid = r.json["id"]
    act(ctx, tid, "accept", "technician")
    act(ctx, tid, "resolve_remote", "technician", {"note": "电话指导重启后恢复"})
    return tid


def survey(ctx, tid, role="agent", status=200):
    return expect(ctx.api(role).get("/api/v1/tickets/%d/survey" % tid), status,
                  "GET survey of %d as %s" % (tid, role))


def link(ctx, tid, role="agent", status=201):
    return expect(ctx.api(role).post("/api/v1/tickets/%d/survey/link" % tid, {}), status,
                  "new link of %d as %s" % (tid, role))


def pub_get(ctx, token, status):
    return expect(ctx.srv.request("GET", "/api/v1/public/surveys/" + token), status,
                  "public GET survey")


def pub_post(ctx, token, body, status):
    return expect(ctx.srv.request("POST", "/api/v1/public/surveys/" + token, body=body), status,
                  "public POST survey")


GOOD = {"score_speed": 4, "score_skill": 5, "score_attitude": 5, "score_overall": 4,
        "comment": "工程师很专业"}


def events(ctx, tid, kind):
    r = expect(ctx.api("agent").get("/api/v1/tickets/%d/events" % tid), 200, "timeline")
    items = r.json["items"] if isinstance(r.json, dict) else r.json
    return [e for e in items if e.get("kind") == kind]


@contract.invalid_requests  # bad-input cases inside
def case_send_submit_reuse(ctx):
    tid = resolved(ctx)
    s = survey(ctx, tid).json
    check(s["status"] == "pending" and s["link_state"] == "open" and
          s["recipient"] == "13900001111" and s["technician_id"] == ctx.uid["technician"],
          "pending survey after resolve: %s" % s)
    check(events(ctx, tid, "survey"), "a survey entry on the timeline")
    lk = link(ctx, tid).json
    token = lk["token"]
    check(len(token) == 48 and lk["url"].endswith("/r/survey/" + token) and lk["sent"],
          "link %s" % lk)
    g = pub_get(ctx, token, 200).json
    check(g["questions"] == ["score_speed", "score_skill", "score_attitude", "score_overall"],
          "questions %s" % g)
    check("13900001111" not in str(g) and "王女士" not in str(g), "no customer data: %s" % g)
    au0 = ctx.audit_max()
    r = pub_post(ctx, token, dict(GOOD, score_overall=9), 400)
    check(r.err_field() == "score_overall", "out of range names the field: %s" % short(r.body))
    pub_post(ctx, token, GOOD, 201)
    r = pub_post(ctx, token, GOOD, 410)
    check(reason(r) == "used", "reused link: %s" % short(r.body))
    check(reason(pub_get(ctx, token, 410)) == "used", "reused link GET")
    s = survey(ctx, tid).json
    check(s["status"] == "submitted" and s["channel"] == "link" and s["score_skill"] == 5 and
          s["comment"] == "工程师很专业", "submitted %s" % s)
    au = expect(ctx.api().get("/api/v1/audit?entity=survey&limit=5"), 200, "audit").json["items"]
    check(au and au[0]["id"] > au0 and au[0]["action"] == "submit" and
          au[0]["entity_id"] == s["id"], "audited: %s" % au[:1])
    check(any("submitted" in (e.get("data") or "") or
              (isinstance(e.get("data"), dict) and e["data"].get("event") == "submitted")
              for e in events(ctx, tid, "survey")), "submitted on the timeline")
    # answered: the technician may read it now; a new link is refused
    s = survey(ctx, tid, "technician").json
    check(s["status"] == "submitted", "technician reads the answered survey")
    check(reason(link(ctx, tid, status=409)) == "used", "no new link once answered")


@contract.invalid_requests  # bad-input cases inside
def case_guessed(ctx):
    for tok in (secrets.token_hex(24), "abc", "0" * 48):
        r = pub_get(ctx, tok, 404)
        check(r.is_error_body(), "404 body %s" % short(r.body))
        pub_post(ctx, tok, GOOD, 404)


def case_expired(ctx):
    settings(ctx, {"survey_link_days": 0})
    try:
        tid = resolved(ctx)
        token = link(ctx, tid).json["token"]
    finally:
        settings(ctx, {"survey_link_days": 14})
    check(reason(pub_get(ctx, token, 410)) == "expired", "expired link GET")
    check(reason(pub_post(ctx, token, GOOD, 410)) == "expired", "expired link POST")
    check(survey(ctx, tid).json["link_state"] == "expired", "staff see the link expired")
    # a new link (14 days) works again
    token = link(ctx, tid).json["token"]
    pub_get(ctx, token, 200)


@contract.invalid_requests  # bad-input cases inside
def case_phone_answers(ctx):
    tid = resolved(ctx)
    token = link(ctx, tid).json["token"]
    a = ctx.api("agent")
    r = expect(a.post("/api/v1/tickets/%d/survey" % tid, {"outcome": "answered",
                                                          "score_speed": 5}), 400, "missing")
    check(r.err_field() == "score_skill" and reason(r) == "required", short(r.body))
    r = expect(a.post("/api/v1/tickets/%d/survey" % tid, {
        "outcome": "answered", "score_speed": 5, "score_skill": 4, "score_attitude": 5,
        "score_overall": 5, "respondent": "王女士", "comment": "电话回访"}), 201, "phone answers")
    s = r.json
    check(s["status"] == "submitted" and s["channel"] == "phone" and
          s["recorded_by"] == ctx.uid["agent"] and s["respondent"] == "王女士", "phone %s" % s)
    r = expect(a.post("/api/v1/tickets/%d/survey" % tid, {"outcome": "refused", "reason": "x"}),
               409, "twice")
    check(reason(r) == "used", short(r.body))
    check(reason(pub_get(ctx, token, 410)) == "used", "the link after phone answers")
    # before completion there is nothing to rate
    r = expect(a.post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                          "unit_id": ctx.fx["unitB"]}), 201, "open ticket")
    r = expect(a.post("/api/v1/tickets/%d/survey" % r.json["id"], {"outcome": "refused",
                                                                   "reason": "x"}), 409, "open")
    check(reason(r) == "illegal_action", short(r.body))


@contract.invalid_requests  # bad-input cases inside
def case_refusal_and_guard(ctx):
    settings(ctx, {"survey_before_close": True})
    try:
        tid = resolved(ctx)
        r = act(ctx, tid, "close", "agent", status=409)
        check(reason(r) == "guard" and guard_of(r) == "survey", "close refused: %s" %
              short(r.body))
        a = ctx.api("agent")
        r = expect(a.post("/api/v1/tickets/%d/survey" % tid, {"outcome": "refused"}), 400,
                   "refusal without reason")
        check(r.err_field() == "reason", short(r.body))
        r = expect(a.post("/api/v1/tickets/%d/survey" % tid, {
            "outcome": "refused", "reason": "客户表示没有时间"}), 201, "refusal")
        check(r.json["status"] == "refused" and r.json["refusal_reason"] == "客户表示没有时间",
              "refused %s" % r.json)
        r = act(ctx, tid, "close", "agent")
        check(r.json["status"] == "closed", "closed after the refusal: %s" % r.json["status"])
        # answered through the link: closes too
        tid = resolved(ctx)
        act(ctx, tid, "close", "agent", status=409)
        pub_post(ctx, link(ctx, tid).json["token"], GOOD, 201)
        act(ctx, tid, "close", "agent")
    finally:
        settings(ctx, {"survey_before_close": False})
    tid = resolved(ctx)
    act(ctx, tid, "close", "agent")  # switched off: no survey needed


@contract.invalid_requests  # bad-input cases inside
def case_low_score_task(ctx):
    tid = resolved(ctx)
    token = link(ctx, tid).json["token"]
    pub_post(ctx, token, dict(GOOD, score_attitude=2, comment="态度不好"), 201)
    sid = survey(ctx, tid).json["id"]
    dh = ctx.api("dept_head")
    r = expect(dh.get("/api/v1/tasks?scope=role&status=open&limit=200"), 200, "dept head tasks")
    mine = [t for t in r.json["items"] if t["source"] == "survey" and t["source_id"] == sid]
    check(len(mine) == 1, "one follow-up task for the dept head: %s" % r.json["items"][:3])
    task = mine[0]
    check(task["kind"] == "survey_follow_up" and task["ticket_id"] == tid and
          task["role"] == "dept_head" and task["status"] == "open" and
          task["body"] == "态度不好", "task %s" % task)
    r = expect(ctx.api("technician").get("/api/v1/tasks?status=all"), 200, "technician tasks")
    check(all(t["id"] != task["id"] for t in r.json["items"]), "not the technician's task")
    expect(ctx.api("technician").post("/api/v1/tasks/%d/done" % task["id"], {"reply": "x"}), 404,
           "technician closes the dept head's task")
    r = expect(dh.post("/api/v1/tasks/%d/done" % task["id"], {}), 400, "done without reply")
    check(r.err_field() == "reply", short(r.body))
    r = expect(dh.post("/api/v1/tasks/%d/done" % task["id"], {"reply": "已致电客户道歉"}), 200,
               "done")
    check(r.json["status"] == "done" and r.json["reply"] == "已致电客户道歉" and
          r.json["done_by"] == ctx.uid["dept_head"], "done %s" % r.json)
    expect(dh.post("/api/v1/tasks/%d/done" % task["id"], {"reply": "again"}), 409, "done twice")
    r = expect(dh.get("/api/v1/tasks?status=done&limit=1"), 200, "done list").json
    check(r["items"] and r["items"][0]["id"] == task["id"] and r["total"] >= 1 and
          r["limit"] == 1, "done list %s" % r)
    check(events(ctx, tid, "task"), "the reply on the ticket's timeline")
    expect(dh.get("/api/v1/tasks?scope=nobody"), 400, "bad scope")
    expect(dh.get("/api/v1/tasks?limit=0"), 400, "bad limit")
    # good scores open nothing
    tid = resolved(ctx)
    pub_post(ctx, link(ctx, tid).json["token"], GOOD, 201)
    sid = survey(ctx, tid).json["id"]
    r = expect(dh.get("/api/v1/tasks?status=all&limit=200"), 200, "tasks").json["items"]
    check(not [t for t in r if t["source_id"] == sid], "no task for good scores")


def case_own_work(ctx):
    tid = resolved(ctx)
    r = survey(ctx, tid, "technician", status=403)
    check(reason(r) == "own_work", "own pending survey: %s" % short(r.body))
    expect(ctx.api("technician").post("/api/v1/tickets/%d/survey" % tid, {
        "outcome": "answered", "score_speed": 5, "score_skill": 5, "score_attitude": 5,
        "score_overall": 5}), 403, "technician records their own survey")
    expect(ctx.api("technician").post("/api/v1/tickets/%d/survey/link" % tid, {}), 403,
           "technician gets a link")
    survey(ctx, tid, "dispatcher")  # other staff read the pending survey
    expect(ctx.api("customer").get("/api/v1/tickets/%d/survey" % tid), 403, "customer account")


def case_work_order(ctx):
    """A visit's survey rates its work order: work_order_id and the lead."""
    import time
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"],
        "caller_phone": "13900002222", "assignee_id": ctx.uid["technician"]}), 201, "intake")
    tid = r.json["id"]
    act(ctx, tid, "accept", "technician")
    visit = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
    act(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": visit})
    wos = expect(ctx.api().get("/api/v1/work-orders?ticket_id=%d" % tid), 200, "wos").json["items"]
    check(len(wos) == 1, "one work order: %s" % short(wos))
    wid = wos[0]["id"]
    for action, body in (("depart", {}), ("arrive", {}), ("finish", {"result": "done"})):
        body = dict(body, action=action)
        expect(ctx.api("technician").post("/api/v1/work-orders/%d/actions" % wid, body), 200,
               "work order " + action)
    with report_guard_off(ctx):  # the signed report is test_reports.py's
        act(ctx, tid, "resolve", "technician", {"note": "更换电源板"})
    s = survey(ctx, tid).json
    check(s["status"] == "pending" and s["work_order_id"] == wid and
          s["technician_id"] == ctx.uid["technician"], "survey of the work order: %s" % s)
    check(reason(survey(ctx, tid, "technician", status=403)) == "own_work", "lead's own work")


def run(ctx, runner):
    runner.run("surveys: sent on resolve, submitted by link, reused link 410 used",
               case_send_submit_reuse, ctx)
    runner.run("surveys: guessed or unknown token 404", case_guessed, ctx)
    runner.run("surveys: expired link 410 expired (survey_link_days 0), new link works",
               case_expired, ctx)
    runner.run("surveys: answers given by phone, twice 409, link then 410", case_phone_answers,
               ctx)
    runner.run("surveys: close refused without survey when switched on, allowed after refusal",
               case_refusal_and_guard, ctx)
    runner.run("surveys: score <= 2 opens a task for the dept head; done with a reply",
               case_low_score_task, ctx)
    runner.run("surveys: technician's own pending survey 403 own_work", case_own_work, ctx)
    runner.run("surveys: a visit's survey rates its work order and lead", case_work_order, ctx)


def matrix_call(ctx, m, p, state):
    """The route matrix's valid request for the public survey routes: a fresh link each POST
    (a link is single use), one link for every GET."""
    if m == "GET" and "survey_tok" in state:
        token = state["survey_tok"]
    else:
        token = link(ctx, resolved(ctx)).json["token"]
        if m == "GET":
            state["survey_tok"] = token
    path = p.replace("{token}", token)
    return m, path, (GOOD if m == "POST" else None), None, None

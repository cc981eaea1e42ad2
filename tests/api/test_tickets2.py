"""Tickets, issue 9 and 10: search texts (staff and customer), out-of-range times, the intake
answer for units an account does not own, billing of an unknown warranty, the guards, the
company settings and If-Match. Run by test_api.py in the same run and summary."""
import json
import random
import time
import urllib.parse

from harness import check, expect, report_guard_off, short, uniq


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def cjk2():
    """Two random CJK characters: a term no other ticket is likely to hold."""
    return "".join(chr(random.randint(0x4E00, 0x9FA5)) for _ in range(2))


def mk(ctx, body, role="agent", status=201):
    r = ctx.api(role).post("/api/v1/tickets", body)
    expect(r, status, "intake by %s %s" % (role, short(json.dumps(body, ensure_ascii=False))))
    return r.json


def act(ctx, tid, action, role, body=None, status=200, headers=None):
    r = ctx.api(role).post("/api/v1/tickets/%d/actions/%s" % (tid, action), body or {},
                           headers=headers)
    expect(r, status, "%s by %s on ticket %d" % (action, role, tid))
    return r


def found(ctx, term, role="admin"):
    r = expect(ctx.api(role).get("/api/v1/tickets?limit=500&q=" + urllib.parse.quote(term)), 200,
               "q=%s as %s" % (term, role))
    return [i["id"] for i in r.json["items"]]


def reason(r):
    return (r.json.get("error") or {}).get("reason")


# ---------------------------------------------------------------- issue 10 defects

def case_patch_keeps_search(ctx):
    """Item 12: a PATCH rebuilt nothing and the ticket vanished from q=."""
    w, c = "patch" + uniq()[:6], cjk2()
    tk = mk(ctx, {"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"],
                  "description": "编辑后仍可搜索 " + w})
    expect(ctx.api("agent").post("/api/v1/tickets/%d/comments" % tk["id"],
                                 {"body": "备注" + c}), 201, "comment")
    for term in (w, tk["number"], c):
        check(tk["id"] in found(ctx, term), "before PATCH q=%s" % term)
    expect(ctx.api("agent").patch("/api/v1/tickets/%d" % tk["id"], {"priority": "urgent"}), 200,
           "PATCH priority")
    for term in (w, tk["number"], c):
        check(tk["id"] in found(ctx, term), "after PATCH q=%s misses the ticket" % term)


def case_customer_search(ctx):
    """Item 5: internal comments, call summaries and action notes are not in the text a
    customer account searches; what it may read is."""
    cu = ctx.api("customer")
    pub = "pub" + uniq()[:6]
    tk = mk(ctx, {"channel": "portal", "type": "repair", "unit_id": ctx.fx["unitA"],
                  "description": "客户可见描述 " + pub}, role="customer")
    tid = tk["id"]
    a = ctx.api("agent")
    seen = cjk2()
    # the secrets share no character with what the customer may read (the ticket as the
    # customer sees it, its customer, the public comment): the single-character probe below
    # once drew 客, which the description holds
    visible = set(json.dumps([tk, seen, "公开",
                              expect(cu.get("/api/v1/tickets/%d" % tid), 200, "cu GET").json,
                              expect(cu.get("/api/v1/customers/%d" % ctx.fx["A"]), 200,
                                     "cu GET customer").json], ensure_ascii=False))

    def secret():
        while True:
            t = cjk2()
            if not visible & set(t):
                return t

    secret_c, secret_call, secret_note = secret(), secret(), secret()
    expect(a.post("/api/v1/tickets/%d/comments" % tid, {"body": "内部" + secret_c}), 201, "c1")
    expect(a.post("/api/v1/tickets/%d/calls" % tid, {"direction": "outbound",
                                                     "summary": "通话" + secret_call}), 201,
           "call")
    act(ctx, tid, "reply", "agent", {"note": "内部答复" + secret_note})
    expect(a.post("/api/v1/tickets/%d/comments" % tid, {"body": "公开" + seen,
                                                        "visibility": "customer"}), 201, "c2")
    for rnd in ("as written", "after a PATCH"):
        for term in (secret_c, secret_call, secret_note, secret_c[0]):
            check(tid in found(ctx, term, "agent"), "%s: staff q=%s" % (rnd, term))
            check(tid not in found(ctx, term, "customer"),
                  "%s: customer q=%s finds an internal text" % (rnd, term))
        for term in (pub, seen, tk["number"]):
            check(tid in found(ctx, term, "customer"), "%s: customer q=%s" % (rnd, term))
        expect(a.patch("/api/v1/tickets/%d" % tid, {"priority": "high"}), 200, "PATCH")
    r = expect(cu.get("/api/v1/tickets?q=" + urllib.parse.quote(secret_note)), 200, "count")
    check(r.json["total"] == 0, "customer count %s" % r.json["total"])


def case_time_range(ctx):
    """L6: a time that normalises outside years 1-9999 is refused, not stored malformed."""
    n0 = ctx.count("tickets")
    for v in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"):
        r = ctx.api("agent").post("/api/v1/tickets", {
            "channel": "letter", "type": "repair", "unit_id": ctx.fx["unitB"],
            "description": "d", "required_arrival_at": v})
        expect(r, 400, "required_arrival_at %s" % v)
        check(r.err_field() == "required_arrival_at" and reason(r) == "out_of_range",
              "field/reason %s" % short(r.body))
    check(ctx.count("tickets") == n0, "a ticket was written")
    tk = mk(ctx, {"channel": "letter", "type": "repair", "unit_id": ctx.fx["unitB"],
                  "description": "d", "required_arrival_at": "9999-12-31T23:59:59Z"})
    check(tk["required_arrival_at"] == "9999-12-31T23:59:59Z", "edge %s" % tk["required_arrival_at"])


def case_serial_oracle(ctx):
    """I5: an external account gets one answer for another customer's unit and for none."""
    other = expect(ctx.api().get("/api/v1/units/%d" % ctx.fx["unitB"]), 200, "unit B").json
    answers = []
    for body in ({"serial_no": other["serial_no"]}, {"serial_no": "NO-SUCH-" + uniq()},
                 {"unit_id": ctx.fx["unitB"]}, {"unit_id": 987654321}):
        body.update({"channel": "portal", "type": "repair"})
        r = ctx.api("customer").post("/api/v1/tickets", body)
        expect(r, 400, "customer intake %s" % body)
        answers.append((r.err_field(), r.json["error"]["message"], reason(r)))
    check(answers[0] == answers[1], "serial answers differ: %s" % answers[:2])
    check(answers[2] == answers[3], "unit_id answers differ: %s" % answers[2:])
    check(answers[0][1] == answers[2][1], "messages differ: %s" % answers)


def case_billing_unknown(ctx):
    """Item 19: no install or ship date: warranty unknown, billing unknown (not warranty)."""
    unit = ctx.create("units", {"serial_no": "NB-" + uniq(), "model_id": ctx.fx["M"],
                                "customer_id": ctx.fx["B"]})["id"]
    tk = mk(ctx, {"channel": "phone", "type": "repair", "unit_id": unit})
    check(tk["warranty_status"] == "unknown" and tk["billing"] == "unknown",
          "warranty %s billing %s" % (tk["warranty_status"], tk["billing"]))
    tk = mk(ctx, {"channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"]})
    check(tk["billing"] != "unknown", "decided warranty, billing %s" % tk["billing"])


def case_action_carries(ctx):
    """An action carries the owner only on assign (a person or a department) and on
    schedule_visit (the lead), the appointment and the promised arrival only on
    schedule_visit: a customer reopening, a technician escalating, an agent assigning may not
    move the others (400 unknown_field naming the field; nothing written)."""
    tech = ctx.uid["technician"]
    tid = mk(ctx, {"channel": "phone", "type": "repair", "customer_id": ctx.fx["A"],
                   "assignee_id": tech, "description": "动作字段"})["id"]
    act(ctx, tid, "accept", "technician")
    later = ts(time.time() + 86400)
    extra = {"assignee_id": ctx.uid["agent"], "department_id": ctx.fx["dept"],
             "visit_at": later, "promised_arrival_at": later}

    def refused(action, role, allowed=()):
        before = ctx.api().get("/api/v1/tickets/%d" % tid).json
        for k, v in extra.items():
            if k in allowed:
                continue
            r = act(ctx, tid, action, role, {"note": "多带字段", k: v}, status=400)
            check(r.err_field() == k and reason(r) == "unknown_field",
                  "%s by %s with %s: %s" % (action, role, k, r.json))
        after = ctx.api().get("/api/v1/tickets/%d" % tid).json
        check(after["version"] == before["version"], "%s refusals wrote" % action)

    refused("escalate", "technician")
    act(ctx, tid, "escalate", "technician", {"note": "升级"})
    refused("assign", "agent", allowed=("assignee_id", "department_id"))
    refused("resolve_remote", "technician")
    act(ctx, tid, "resolve_remote", "technician", {"note": "电话指导解决"})
    refused("reopen", "customer")
    t = act(ctx, tid, "reopen", "customer", {"note": "没修好"}).json
    check(t["assignee_id"] == tech and t["status"] == "in_progress" and
          t.get("promised_arrival_at") is None, "reopened as it was: %s" % t)
    refused("schedule_visit", "dispatcher", allowed=("assignee_id", "visit_at",
                                                     "promised_arrival_at"))


def run(ctx, runner):
    runner.run("tickets2: an action carries only its own fields (review 2026-12-07)",
               case_action_carries, ctx)
    runner.run("tickets2: PATCH keeps the ticket searchable (issue 10 item 12)",
               case_patch_keeps_search, ctx)
    runner.run("tickets2: customer q= covers only what it may read (issue 10 item 5)",
               case_customer_search, ctx)
    runner.run("tickets2: times outside years 1-9999 → 400 out_of_range (L6)", case_time_range,
               ctx)
    runner.run("tickets2: one intake answer for a unit not owned or absent (I5)",
               case_serial_oracle, ctx)
    runner.run("tickets2: unknown warranty → unknown billing (item 19)", case_billing_unknown, ctx)
    run_guards(ctx, runner)


# ---------------------------------------------------------------- guards (issue 9 item 5)

def settings(ctx, body, status=200, headers=None):
    r = ctx.api().patch("/api/v1/settings", body, headers=headers)
    expect(r, status, "PATCH settings %s" % body)
    return r


def in_progress(ctx, unit):
    tk = mk(ctx, {"channel": "phone", "type": "repair", "unit_id": unit,
                  "assignee_id": ctx.uid["technician"]})
    act(ctx, tk["id"], "accept", "technician")
    return tk["id"]


def guard_of(r):
    return ((r.json.get("error") or {}).get("params") or {}).get("guard")


def case_guard_note(ctx):
    tid = in_progress(ctx, ctx.fx["unitB"])
    r = act(ctx, tid, "reply", "technician", {}, status=400)
    check(r.err_field() == "note" and reason(r) == "guard" and guard_of(r) == "note",
          "note refused: %s" % short(r.body))
    act(ctx, tid, "reply", "technician", {"note": "已联系"})


def case_guard_warranty(ctx):
    """A visit needs a decided warranty; fixing the unit's dates lets it through."""
    unit = ctx.create("units", {"serial_no": "GW-" + uniq(), "model_id": ctx.fx["M"],
                                "customer_id": ctx.fx["B"]})["id"]
    tid = in_progress(ctx, unit)
    visit = {"visit_at": ts(time.time() + 86400)}
    r = act(ctx, tid, "schedule_visit", "dispatcher", visit, status=409)
    check(reason(r) == "guard" and guard_of(r) == "warranty" and
          "install" in r.json["error"]["message"], "warranty refused: %s" % short(r.body))
    t = expect(ctx.api().get("/api/v1/tickets/%d" % tid), 200, "get").json
    check(t["status"] == "in_progress" and t["visit_at"] is None, "written: %s" % t["status"])
    expect(ctx.api().patch("/api/v1/units/%d" % unit, {"install_date": "2026-06-01"}), 200,
           "unit install date")
    r = act(ctx, tid, "schedule_visit", "dispatcher", visit)
    check(r.json["status"] == "visit_scheduled" and r.json["warranty_status"] == "in" and
          r.json["billing"] == "warranty", "allowed once decided: %s %s %s" % (
              r.json["status"], r.json["warranty_status"], r.json["billing"]))


def case_guard_approval(ctx):
    """R-051: off by default; when switched on, a visit needs an approved market-support
    request linked to the ticket (issue 12: no longer a ticket event; 409, not 422)."""
    tid = in_progress(ctx, ctx.fx["unitB"])
    visit = {"visit_at": ts(time.time() + 86400)}
    settings(ctx, {"approval_before_dispatch": True})
    try:
        r = act(ctx, tid, "schedule_visit", "dispatcher", visit, status=409)
        check(reason(r) == "guard" and guard_of(r) == "approval", "refused: %s" % short(r.body))
        # an approved request of another kind (a replacement, a quote) does not send anyone
        rep = expect(ctx.api("sales").post("/api/v1/approvals", {
            "kind": "replacement", "purpose": "更换整机", "customer_id": ctx.fx["B"],
            "ticket_id": tid}), 201, "a replacement request").json
        expect(ctx.api("dept_head").post("/api/v1/approvals/%d/decision" % rep["id"],
                                         {"decision": "approve"}), 200,
               "the head approves the replacement")
        r = act(ctx, tid, "schedule_visit", "dispatcher", visit, status=409)
        check(guard_of(r) == "approval", "a replacement approval dispatches: %s" % short(r.body))
        a = expect(ctx.api("sales").post("/api/v1/approvals", {
            "kind": "onsite_repair", "purpose": "上门维修", "customer_id": ctx.fx["B"],
            "ticket_id": tid}), 201, "sales files the request").json
        expect(ctx.api("agent").post("/api/v1/approvals/%d/decision" % a["id"],
                                     {"decision": "approve"}), 403, "agent approves")
        expect(ctx.api("gm").post("/api/v1/approvals/%d/decision" % a["id"],
                                  {"decision": "approve", "comment": "同意派工"}), 200,
               "gm approves")
        act(ctx, tid, "schedule_visit", "dispatcher", visit)
    finally:
        settings(ctx, {"approval_before_dispatch": False})
    other = in_progress(ctx, ctx.fx["unitB"])
    act(ctx, other, "schedule_visit", "dispatcher", visit)  # switched off: no approval needed


def case_guard_slots(ctx):
    """charge_told and quote are switched off by the setup (on by default, test_quotes.py); report is switched off
    here (test_reports.py tests it) and the survey guard is off by default (test_surveys.py)."""
    tid = in_progress(ctx, ctx.fx["unitB"])
    act(ctx, tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time() + 86400)})
    act(ctx, tid, "arrive", "technician")
    wo = expect(ctx.api().get("/api/v1/work-orders?ticket_id=%d" % tid), 200, "wo").json["items"][0]
    expect(ctx.api("technician").post("/api/v1/work-orders/%d/actions" % wo["id"],
                                      {"action": "finish", "result": "done"}), 200, "finish")
    with report_guard_off(ctx):  # report: switched off here, tested in test_reports.py
        act(ctx, tid, "resolve", "technician", {})
    r = act(ctx, tid, "close", "agent")  # charge_told, survey: switched off
    check(r.json["status"] == "closed", "closed: %s" % r.json["status"])


def case_settings(ctx):
    a = ctx.api()
    r = expect(a.get("/api/v1/settings"), 200, "GET settings")
    keys = {i["key"]: i for i in r.json["items"]}
    check(keys["approval_before_dispatch"]["value"] is False and
          keys["approval_before_dispatch"]["type"] == "bool", "default %s" % keys)
    etag = r.header("ETag")
    check(etag == '"%d"' % r.json["version"], "ETag %s" % etag)
    for role in ("agent", "dept_head", "gm"):
        expect(ctx.api(role).get("/api/v1/settings"), 403, "GET settings as " + role)
        expect(ctx.api(role).patch("/api/v1/settings", {"survey_before_close": True}), 403,
               "PATCH settings as " + role)
    r = settings(ctx, {"no_such": True}, status=400)
    check(r.err_field() == "no_such" and reason(r) == "unknown_field", short(r.body))
    r = settings(ctx, {"survey_before_close": "yes"}, status=400)
    check(r.err_field() == "survey_before_close" and reason(r) == "invalid_format", short(r.body))
    settings(ctx, {}, status=400)
    au0 = ctx.audit_max()
    r = settings(ctx, {"survey_before_close": False}, headers={"If-Match": etag})
    check(r.header("ETag") != etag, "version moved")
    r = settings(ctx, {"survey_before_close": False}, status=412, headers={"If-Match": etag})
    check(reason(r) == "stale", short(r.body))
    au = expect(a.get("/api/v1/audit?entity=settings&limit=5"), 200, "audit").json["items"]
    check(au and au[0]["id"] > au0 and au[0]["action"] == "update", "audit %s" % au[:1])


# ---------------------------------------------------------------- If-Match (issue 9 item 6)

def case_if_match(ctx):
    a = ctx.api("agent")
    for where in ("action", "patch"):
        tid = mk(ctx, {"channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"]})["id"]
        ver = expect(a.get("/api/v1/tickets/%d" % tid), 200, "get").json["version"]

        def call(tag, status):
            h = {"If-Match": tag}
            if where == "action":
                r = a.post("/api/v1/tickets/%d/actions/escalate" % tid, {"note": "升级"},
                           headers=h)
            else:
                r = a.patch("/api/v1/tickets/%d" % tid, {"priority": "high"}, headers=h)
            expect(r, status, "%s If-Match %s" % (where, tag))
            return r
        call("*", 200)
        ver = expect(a.get("/api/v1/tickets/%d" % tid), 200, "get").json["version"]
        call('W/"%d"' % ver, 200)
        r = call('W/"%d"' % ver, 412)  # the version moved
        check(reason(r) == "stale" or where == "patch", "stale reason %s" % short(r.body))
        ver = expect(a.get("/api/v1/tickets/%d" % tid), 200, "get").json["version"]
        call('"%d"' % ver, 200)
        for garbage in ("garbage", '"1', 'W/"x"', "1 2"):
            r = call(garbage, 400)
            check(r.err_field() == "If-Match" and reason(r) == "invalid_format",
                  "%s garbage %s: %s" % (where, garbage, short(r.body)))


def run_guards(ctx, runner):
    runner.run("tickets2: guard note (refused without, allowed with)", case_guard_note, ctx)
    runner.run("tickets2: guard warranty before a visit (refused unknown, allowed decided)",
               case_guard_warranty, ctx)
    runner.run("tickets2: guard approval when switched on (refused, approved, off)",
               case_guard_approval, ctx)
    runner.run("tickets2: guards report, charge_told are slots that pass; survey off by default",
               case_guard_slots, ctx)
    runner.run("tickets2: settings GET/PATCH admin only, typed, ETag, audited",
               case_settings, ctx)
    runner.run("tickets2: If-Match * / W/\"n\" / garbage on an action and a PATCH",
               case_if_match, ctx)

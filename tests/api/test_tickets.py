"""Service requests (工单): API cases run by test_api.py in the same run and summary.

The server is started by the harness with SHOUHOU_SLA_SCAN_SECONDS=1 so the SLA
scanner runs every second. Roles follow docs/tickets.md.
"""
import calendar
import json
import os
import re
import subprocess
import time
import urllib.parse

import contract
from harness import PASSWORD, Fail, Server, check, expect, report_guard_off, short, uniq

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def pts(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def day(t):
    return time.strftime("%Y-%m-%d", time.gmtime(t))


class T:
    """Ticket helpers over the suite's Ctx."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.fx = {}

    def api(self, role):
        return self.ctx.api(role)

    def mk(self, body, role="agent", status=201):
        r = self.api(role).post("/api/v1/tickets", body)
        expect(r, status, "intake by %s %s" % (role, short(json.dumps(body, ensure_ascii=False))))
        return r.json

    def get(self, tid, role="admin", status=200):
        return expect(self.api(role).get("/api/v1/tickets/%d" % tid), status,
                      "GET ticket %d as %s" % (tid, role)).json

    def act(self, tid, action, role, body=None, status=200):
        r = self.api(role).post("/api/v1/tickets/%d/actions/%s" % (tid, action), body or {})
        expect(r, status, "%s by %s on ticket %d" % (action, role, tid))
        return r

    def events(self, tid, role="admin"):
        return expect(self.api(role).get("/api/v1/tickets/%d/events" % tid), 200,
                      "events of %d" % tid).json["items"]

    def sla(self, t, target):
        for s in t["sla"]:
            if s["target"] == target:
                return s
        raise Fail("ticket %s has no %s clock: %s" % (t["id"], target, t["sla"]))

    def policy(self, **kw):
        body = {"code": "P-" + uniq(), "name": "测试策略", "calendar_id": self.fx["cal24"],
                "active": False}
        body.update(kw)
        r = expect(self.api("admin").post("/api/v1/sla-policies", body), 201, "create policy")
        return r.json["id"]

    def use_policy(self, tid, pid):
        r = expect(self.api("agent").patch("/api/v1/tickets/%d" % tid, {"sla_policy_id": pid}),
                   200, "PATCH sla_policy_id")
        return self.get(tid)

    def search(self, term, role="admin"):
        r = expect(self.api(role).get("/api/v1/tickets?limit=500&q=" + urllib.parse.quote(term)),
                   200, "q=%s" % term)
        return [i["id"] for i in r.json["items"]]

    def count(self):
        return self.ctx.count("tickets")


def setup(t):
    ctx = t.ctx
    r = expect(t.api("admin").get("/api/v1/calendars?code=24x7"), 200, "calendar 24x7")
    check(r.json["total"] == 1, "seeded 24x7 calendar missing: %s" % short(r.body))
    t.fx["cal24"] = r.json["items"][0]["id"]
    now = time.time()
    t.fx["unitW"] = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": ctx.fx["M"],
                                         "customer_id": ctx.fx["B"],
                                         "install_date": day(now - 30 * 86400)})
    # the scanner case starts now and is checked at the end (a 1-minute clock)
    pid = t.policy(reply_minutes=1, remote_minutes=1, onsite_minutes=1, at_risk_percent=50)
    rec = int(time.time()) - 40
    tk = t.mk({"channel": "letter", "type": "repair", "customer_id": ctx.fx["B"],
               "received_at": ts(rec), "description": "扫描器用例",
               "assignee_id": ctx.uid["technician"]})
    tk = t.use_policy(tk["id"], pid)
    check(tk["sla_state"] == "at_risk", "1-minute clock 40 s in: %s" % tk["sla_state"])
    t.fx["scan"] = (tk["id"], rec + 60)


# ---------------------------------------------------------------- cases

def case_lifecycle(t):
    ctx = t.ctx
    tk = t.mk({"channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"],
               "caller_name": "张工", "caller_phone": "13912345678", "fault_category": "no_power",
               "description": "设备无法开机", "priority": "high"})
    tid = tk["id"]
    check(tk["status"] == "new" and tk["customer_id"] == ctx.fx["B"],
          "intake: %s" % short(json.dumps(tk)))
    check(tk["number"].startswith("SH-"), "number %r" % tk["number"])
    check("assign" in tk["allowed_actions"], "agent's allowed actions %s" % tk["allowed_actions"])
    t.act(tid, "assign", "dispatcher", {"assignee_id": ctx.uid["technician"]})
    t.act(tid, "accept", "technician")
    r = t.act(tid, "reply", "technician", {"note": "已电话联系客户", "visibility": "customer"})
    check(t.sla(r.json, "reply")["state"] == "met", "reply clock after reply: %s" %
          t.sla(r.json, "reply"))
    # remote attempt: a call record, then not remotely fixable → visit
    expect(t.api("technician").post("/api/v1/tickets/%d/calls" % tid,
                                    {"direction": "outbound", "summary": "远程指导重启无效",
                                     "duration_seconds": 300}), 201, "call record")
    visit = ts(time.time() + 86400)
    r = t.act(tid, "schedule_visit", "dispatcher", {"visit_at": visit})
    check(r.json["status"] == "visit_scheduled" and r.json["visit_at"] == visit,
          "after schedule_visit: %s %s" % (r.json["status"], r.json.get("visit_at")))
    r = t.act(tid, "arrive", "technician")
    check(r.json["status"] == "on_site" and r.json["arrived_at"], "after arrive")
    check(t.sla(r.json, "onsite")["state"] == "met", "on-site clock %s" % t.sla(r.json, "onsite"))
    # issue 11: resolving on site needs the work order finished as done
    wo = expect(t.api("technician").get("/api/v1/work-orders?ticket_id=%d" % tid), 200,
                "work order").json["items"][0]
    expect(t.api("technician").post("/api/v1/work-orders/%d/actions" % wo["id"],
                                    {"action": "finish", "result": "done"}), 200, "finish")
    with report_guard_off(t.ctx):  # the service report has its own tests (test_reports.py)
        r = t.act(tid, "resolve", "technician", {"note": "更换电源板"})
    check(r.json["status"] == "resolved" and r.json["resolved_at"], "after resolve")
    r = t.act(tid, "close", "agent")
    check(r.json["status"] == "closed" and r.json["closed_at"], "after close")
    check(r.json["allowed_actions"] == [], "agent's actions on closed %s" %
          r.json["allowed_actions"])
    kinds = [(e["kind"], (e["data"] or {}).get("action")) for e in t.events(tid)]
    want = ["assign", "accept", "reply", "schedule_visit", "arrive", "resolve", "close"]
    got = [a for k, a in kinds if k == "state"]
    check(got == want, "state events %s, want %s" % (got, want))
    check(("call", None) in kinds and kinds[0][0] == "created", "timeline %s" % kinds)


def case_consultation(t):
    tk = t.mk({"channel": "phone", "type": "consultation", "customer_id": t.ctx.fx["B"],
               "description": "如何导出检查报告", "answer": "在菜单 文件→导出 中选择 PDF",
               "close": True})
    check(tk["status"] == "closed", "consultation status %s" % tk["status"])
    check(tk["replied_at"] and tk["resolved_at"] and tk["closed_at"], "times not set")
    check(t.sla(tk, "reply")["state"] == "met", "reply clock %s" % t.sla(tk, "reply"))
    n0 = t.count()
    r = t.api("agent").post("/api/v1/tickets", {"channel": "phone", "type": "consultation",
                                                "customer_id": t.ctx.fx["B"], "close": True})
    expect(r, 400, "close without answer")
    check(r.err_field() == "answer", "names %r" % r.err_field())
    check(t.count() == n0, "a refused consultation was stored")


def case_letter(t):
    # Monday 2025-06-09 09:00 +08:00: default policy (5x8, reply 24 h) for a normal customer
    tk = t.mk({"channel": "letter", "type": "repair", "customer_id": t.ctx.fx["B"],
               "description": "来函报修", "received_at": "2025-06-09T09:00:00+08:00"})
    check(tk["received_at"] == "2025-06-09T01:00:00Z", "received_at %s" % tk["received_at"])
    rep = t.sla(tk, "reply")
    check(rep["started_at"] == "2025-06-09T01:00:00Z", "reply clock starts %s" % rep["started_at"])
    # 24 working hours on 08:30-12:00,13:00-17:30: Mon 7.5 h, Tue 8, Wed 8, Thu 0.5 → Thu 09:00
    check(rep["due_at"] == "2025-06-12T01:00:00Z", "reply due %s, want 2025-06-12T01:00:00Z "
          "(default policy, 5x8)" % rep["due_at"])
    check(rep["state"] == "breached" and tk["sla_state"] == "breached",
          "a 2025 letter unanswered is breached: %s / %s" % (rep["state"], tk["sla_state"]))
    r = t.api("agent").post("/api/v1/tickets", {"channel": "letter", "type": "repair",
                                                "customer_id": t.ctx.fx["B"],
                                                "received_at": ts(time.time() + 86400)})
    expect(r, 400, "received_at in the future")
    check(r.err_field() == "received_at", "names %r" % r.err_field())


def case_first_contact(t):
    phone = "137%08d" % (int(uniq(), 16) % 10 ** 8)
    base = {"channel": "phone", "type": "repair", "customer_name": "新客户" + uniq()[:4],
            "customer_address": "杭州市西湖区1号", "caller_phone": phone, "description": "首次来电"}
    for missing, field in (("customer_address", "customer_address"),
                           ("caller_phone", "caller_phone")):
        n0, c0 = t.count(), t.ctx.count("customers")
        b = dict(base)
        del b[missing]
        r = t.api("agent").post("/api/v1/tickets", b)
        expect(r, 400, "first contact without %s" % missing)
        check(r.err_field() == field, "without %s names %r" % (missing, r.err_field()))
        check(t.count() == n0 and t.ctx.count("customers") == c0, "something was stored")
    tk = t.mk(base)
    c = expect(t.api("admin").get("/api/v1/customers/%d" % tk["customer_id"]), 200,
               "new customer").json
    check(c["name"] == base["customer_name"] and c["phone"] == phone and
          c["address"] == base["customer_address"], "customer %s" % short(json.dumps(c)))
    # the next call from that phone finds the customer
    tk2 = t.mk({"channel": "phone", "type": "consultation", "caller_phone": phone})
    check(tk2["customer_id"] == tk["customer_id"], "phone match %s" % tk2["customer_id"])


def case_matching(t):
    ctx = t.ctx
    u = expect(t.api("admin").get("/api/v1/units/%d" % ctx.fx["unitD"]), 200, "unit").json
    tk = t.mk({"channel": "phone", "type": "repair", "serial_no": u["serial_no"]})
    check(tk["unit_id"] == ctx.fx["unitD"] and tk["customer_id"] == ctx.fx["D"],
          "by serial: unit %s customer %s" % (tk["unit_id"], tk["customer_id"]))
    check(tk["model_id"] == ctx.fx["M"], "model %s" % tk["model_id"])
    r = t.api("agent").post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                                "serial_no": "NO-SUCH-" + uniq()})
    expect(r, 400, "unknown serial")
    check(r.err_field() == "serial_no", "names %r" % r.err_field())
    # customer A's phone 010-69156114 (customer record), contact phone 13800138000
    tk = t.mk({"channel": "phone", "type": "consultation", "caller_phone": "010-69156114"})
    check(tk["customer_id"] == ctx.fx["A"], "by customer phone: %s" % tk["customer_id"])
    cphone = "135%08d" % (int(uniq(), 16) % 10 ** 8)
    ctx.create("contacts", {"customer_id": ctx.fx["D"], "name": "采购", "phone": cphone})
    tk = t.mk({"channel": "phone", "type": "consultation", "caller_phone": cphone})
    check(tk["customer_id"] == ctx.fx["D"], "by contact phone: %s" % tk["customer_id"])


def case_illegal_and_forbidden(t):
    tk = t.mk({"channel": "phone", "type": "repair", "customer_id": t.ctx.fx["B"],
               "assignee_id": t.ctx.uid["technician"]})
    tid = tk["id"]
    v0 = t.get(tid)["version"]
    r = t.act(tid, "arrive", "technician", status=409)
    msg = r.json["error"]["message"]
    for a in ("assign", "accept", "reply", "cancel"):
        check(a in msg, "409 message %r does not list %s" % (msg, a))
    r = t.act(tid, "close", "agent", status=409)
    r = t.act(tid, "assign", "finance", {"assignee_id": t.ctx.uid["technician"]}, status=403)
    check(r.is_error_body(), "403 body")
    r = t.act(tid, "cancel", "technician", {"note": "x"}, status=403)
    expect(t.api("agent").post("/api/v1/tickets/%d/actions/fly" % tid, {}, bad=True), 404,
           "no such action")
    r = t.act(tid, "reply", "agent", {}, status=400)
    check(r.err_field() == "note", "reply without note names %r" % r.err_field())
    t.act(tid, "schedule_visit", "dispatcher", {"visit_at": ts(time.time())}, status=409)
    check(t.get(tid)["version"] == v0 and t.get(tid)["status"] == "assigned",
          "refused actions wrote")
    expect(t.api("finance").patch("/api/v1/tickets/%d" % tid, {"priority": "urgent"}), 403,
           "finance PATCH")
    expect(t.api("agent").post("/api/v1/tickets/%d/actions/reply" % tid, {"note": "x"},
                               headers={"If-Match": '"999"'}), 412, "stale If-Match")


def case_sla_exact(t):
    pid = t.policy(reply_minutes=600, remote_minutes=140, onsite_minutes=1200)
    rec = int(time.time()) - 7200
    tk = t.mk({"channel": "letter", "type": "repair", "customer_id": t.ctx.fx["B"],
               "received_at": ts(rec), "description": "24x7 策略"})
    tk = t.use_policy(tk["id"], pid)
    check(tk["sla_policy_id"] == pid, "policy %s" % tk["sla_policy_id"])
    rep, rem = t.sla(tk, "reply"), t.sla(tk, "remote")
    check(rep["due_at"] == ts(rec + 600 * 60), "reply due %s, want %s" % (rep["due_at"],
                                                                        ts(rec + 36000)))
    check(rep["budget_seconds"] == 36000, "budget %s" % rep["budget_seconds"])
    check(rem["due_at"] == ts(rec + 140 * 60), "remote due %s, want %s" % (rem["due_at"],
                                                                         ts(rec + 8400)))
    check(rem["state"] == "at_risk", "remote clock at 86 %% used: %s" % rem["state"])
    check(tk["sla_state"] == "at_risk", "sla_state %s" % tk["sla_state"])
    check(0 < rep["seconds_left"] <= 8 * 3600, "seconds_left %s" % rep.get("seconds_left"))
    # key customer → seeded key-6x24 policy (reply 4 h)
    tk = t.mk({"channel": "phone", "type": "repair", "customer_id": t.ctx.fx["A"]})
    pol = expect(t.api("admin").get("/api/v1/sla-policies/%d" % tk["sla_policy_id"]), 200,
                 "policy").json
    check(pol["code"] == "key-6x24", "key customer policy %s" % pol["code"])
    check(t.sla(tk, "reply")["budget_seconds"] == 240 * 60, "key reply budget")


def case_pause(t):
    pid = t.policy(reply_minutes=600, remote_minutes=600, onsite_minutes=1200)
    tk = t.mk({"channel": "phone", "type": "repair", "customer_id": t.ctx.fx["B"],
               "assignee_id": t.ctx.uid["technician"]})
    tid = tk["id"]
    t.use_policy(tid, pid)
    t.act(tid, "accept", "technician")
    d0 = pts(t.sla(t.get(tid), "reply")["due_at"])
    r = t.act(tid, "wait_customer", "technician", {"note": "等待客户提供日志"})
    check(r.json["status"] == "waiting_customer", "status %s" % r.json["status"])
    check(t.sla(r.json, "reply")["state"] == "paused", "reply clock %s" % t.sla(r.json, "reply"))
    time.sleep(3.2)
    r = t.act(tid, "resume", "technician")
    check(r.json["status"] == "in_progress", "resume → %s" % r.json["status"])
    d1 = pts(t.sla(r.json, "reply")["due_at"])
    evs = [e for e in t.events(tid) if e["kind"] == "state"]
    w = [pts(e["at"]) for e in evs if e["data"]["action"] == "wait_customer"][0]
    s = [pts(e["at"]) for e in evs if e["data"]["action"] == "resume"][0]
    check(abs((d1 - d0) - (s - w)) <= 1 and d1 - d0 >= 2,
          "due moved by %d s; paused %d s" % (d1 - d0, s - w))
    check(t.sla(r.json, "reply")["state"] == "running", "after resume %s" %
          t.sla(r.json, "reply")["state"])


def case_customer(t):
    ctx = t.ctx
    cu = t.api("customer")
    r = cu.post("/api/v1/tickets", {"channel": "portal", "type": "repair",
                                    "unit_id": ctx.fx["unitA"], "description": "客户自助报修"})
    expect(r, 201, "customer intake")
    tid = r.json["id"]
    check(r.json["customer_id"] == ctx.fx["A"], "customer %s" % r.json["customer_id"])
    r = cu.post("/api/v1/tickets", {"channel": "portal", "type": "repair",
                                    "unit_id": ctx.fx["unitB"]})
    expect(r, 400, "customer intake on another customer's unit")
    r = cu.post("/api/v1/tickets", {"channel": "portal", "type": "repair",
                                    "unit_id": ctx.fx["unitA"],
                                    "assignee_id": ctx.uid["technician"]})
    expect(r, 403, "customer assigns at intake")
    a = t.api("agent")
    expect(a.post("/api/v1/tickets/%d/comments" % tid, {"body": "内部备注勿外传"}), 201, "c1")
    expect(a.post("/api/v1/tickets/%d/comments" % tid, {"body": "工程师明天到场",
                                                        "visibility": "customer"}), 201, "c2")
    expect(cu.post("/api/v1/tickets/%d/comments" % tid, {"body": "好的谢谢",
                                                         "visibility": "internal"}), 201, "c3")
    bodies = [e["body"] for e in t.events(tid, "customer")]
    check("工程师明天到场" in bodies and "好的谢谢" in bodies, "customer timeline %s" % bodies)
    check("内部备注勿外传" not in bodies, "customer sees an internal comment")
    check(all(e["visibility"] == "customer" for e in t.events(tid, "customer")), "visibility")
    expect(cu.post("/api/v1/tickets/%d/calls" % tid, {"direction": "inbound", "summary": "x"}),
           403, "customer records a call")
    other = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]})["id"]
    for path in ("/api/v1/tickets/%d" % other, "/api/v1/tickets/%d/events" % other,
                 "/api/v1/tickets/%d/warranty" % other):
        expect(cu.get(path), 404, "customer GET " + path)
    expect(cu.post("/api/v1/tickets/%d/comments" % other, {"body": "x"}), 404, "comment other")
    expect(cu.post("/api/v1/tickets/%d/actions/cancel" % other, {"note": "x"}), 404,
           "cancel other")
    r = expect(cu.get("/api/v1/tickets?limit=500"), 200, "customer list")
    check(all(i["customer_id"] == ctx.fx["A"] for i in r.json["items"]), "list shows others")
    check(tid in [i["id"] for i in r.json["items"]], "own ticket not listed")
    r = t.act(tid, "cancel", "customer", {"note": "已自行解决"})
    check(r.json["status"] == "cancelled", "customer cancel while new")


def case_technician_intake(t):
    """P_TICKET_CREATE includes technician: a call taken in the field without assigning it."""
    n0 = t.count()
    r = t.api("technician").post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                                     "customer_id": t.ctx.fx["B"],
                                                     "description": "现场接到报修"})
    check(r.status == 201, "technician intake without assignee_id → %s (stored: %s)" % (
        r, t.count() != n0))
    r = t.api("technician").post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                                     "customer_id": t.ctx.fx["B"],
                                                     "assignee_id": t.ctx.uid["technician"]})
    expect(r, 201, "technician intake assigned to self")


def case_technician_scope(t):
    ctx = t.ctx
    mine = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"],
                 "assignee_id": ctx.uid["technician"]})["id"]
    not_mine = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]})["id"]
    r = expect(t.api("technician").get("/api/v1/tickets?limit=500"), 200, "tech list")
    ids = [i["id"] for i in r.json["items"]]
    check(mine in ids and not_mine not in ids, "tech list %s" % ids[:20])
    check(all(i["assignee_id"] == ctx.uid["technician"] for i in r.json["items"]),
          "tech sees others' tickets")
    check(r.json["total"] == len(ids), "total %s vs %d" % (r.json["total"], len(ids)))
    expect(t.api("technician").get("/api/v1/tickets/%d" % not_mine), 404, "tech GET unassigned")
    r = expect(t.api("technician").get("/api/v1/tickets?queue=unassigned"), 200, "tech queue")
    check(r.json["total"] == 0, "tech sees unassigned tickets via queue")


def case_queues(t):
    ctx = t.ctx
    mine = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"],
                 "assignee_id": ctx.uid["agent"]})["id"]
    un = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]})["id"]
    tiny = t.policy(reply_minutes=1, remote_minutes=1, onsite_minutes=1)
    br = t.mk({"channel": "letter", "type": "repair", "customer_id": ctx.fx["B"],
               "received_at": ts(time.time() - 600)})["id"]
    t.use_policy(br, tiny)
    risky = t.policy(reply_minutes=60, remote_minutes=60, onsite_minutes=60, at_risk_percent=10)
    ar = t.mk({"channel": "letter", "type": "repair", "customer_id": ctx.fx["B"],
               "received_at": ts(time.time() - 600)})["id"]
    t.use_policy(ar, risky)

    def q(name, role="agent"):
        r = expect(t.api(role).get("/api/v1/tickets?limit=500&queue=" + name), 200,
                   "queue=" + name)
        return {i["id"]: i for i in r.json["items"]}
    m = q("mine")
    check(mine in m and un not in m, "queue=mine")
    check(all(i["assignee_id"] == ctx.uid["agent"] for i in m.values()), "mine has others'")
    u = q("unassigned")
    check(un in u and mine not in u and all(i["assignee_id"] is None for i in u.values()),
          "queue=unassigned")
    b = q("breached")
    check(br in b and ar not in b and all(i["sla_state"] == "breached" for i in b.values()),
          "queue=breached %s" % list(b)[:10])
    a = q("at_risk")
    check(ar in a and br not in a and all(i["sla_state"] == "at_risk" for i in a.values()),
          "queue=at_risk %s" % list(a)[:10])
    check(un in q("open"), "queue=open")
    expect(t.api("agent").get("/api/v1/tickets?queue=nonsense", bad=True), 400, "unknown queue")


def case_scanner(t):
    tid, due = t.fx["scan"]
    deadline = due + 30
    while True:
        tk = t.get(tid)
        if tk["sla_state"] == "breached":
            break
        if time.time() > deadline:
            raise Fail("the scanner did not mark ticket %d breached within 30 s of due (state %s, "
                       "clocks %s)" % (tid, tk["sla_state"], tk["sla"]))
        time.sleep(1)
    evs = [e for e in t.events(tid) if e["kind"] == "sla"]
    check(any(e["actor"] == "sla-job" for e in evs), "no sla event by the scanner: %s" %
          [(e["actor"], e["body"]) for e in evs])
    r = expect(t.api("technician").get("/api/v1/tickets?queue=breached"), 200, "breached")
    check(tid in [i["id"] for i in r.json["items"]], "assignee's breached queue lacks it")


def case_search(t):
    w = uniq()[:6]
    tid = t.mk({"channel": "phone", "type": "repair", "customer_id": t.ctx.fx["B"],
                "description": "超声探头图像出现雪花噪点 " + w})["id"]
    for term in ("雪花噪点", "探头", "雪花"):
        check(tid in t.search(term), "q=%s does not find the ticket" % term)
    expect(t.api("agent").post("/api/v1/tickets/%d/comments" % tid,
                               {"body": "已寄送备用探头给医院设备科"}), 201, "comment")
    check(tid in t.search("医院设备科"), "q= does not find the comment text")
    check(tid not in t.search("根本不存在的词语"), "q= finds an absent word")


def case_repeat(t):
    ctx = t.ctx
    unit = ctx.create("units", {"serial_no": "RP-" + uniq(), "model_id": ctx.fx["M"],
                                "customer_id": ctx.fx["B"], "install_date": "2026-01-10"})["id"]
    from test_work_orders import new_tech
    tech = new_tech(ctx, "rp_tech")  # named 技术员rp_tech
    first = t.mk({"channel": "phone", "type": "repair", "unit_id": unit,
                  "fault_category": "display", "assignee_id": tech})["id"]
    t.act(first, "accept", "admin")
    t.act(first, "resolve_remote", "admin", {"note": "远程重装驱动"})
    other = t.mk({"channel": "phone", "type": "repair", "unit_id": unit,
                  "fault_category": "network"})
    check(other["repeat_of"] is None, "different fault marked repeat")
    again = t.mk({"channel": "phone", "type": "repair", "unit_id": unit,
                  "fault_category": "display", "description": "又花屏了"})
    check(again["repeat_of"] == first, "repeat_of %s, want %d" % (again["repeat_of"], first))
    r = expect(t.api("agent").get("/api/v1/tickets?repeat=true&limit=500"), 200, "repeat=true")
    check(again["id"] in [i["id"] for i in r.json["items"]], "repeat=true list")
    today = day(time.time())
    r = expect(t.api("qc").get("/api/v1/reports/repeat-repairs?from=%s&to=%s" % (today, today)),
               200, "report")
    rows = [i for i in r.json["items"] if i["model_id"] == ctx.fx["M"] and
            i["fault_category"] == "display"]
    check(rows and rows[0]["repeats"] >= 1, "report rows %s" % short(r.body, 500))
    mine = [i for i in rows if i["technician_id"] == tech]
    check(mine and mine[0]["technician"] == "技术员rp_tech",
          "the technician by the name people know: %s" % short(str(mine), 300))
    r = expect(t.api("qc").get("/api/v1/reports/repeat-repairs?from=2000-01-01&to=2000-01-02"),
               200, "report, empty range")
    check(r.json["items"] == [] and r.json["total"] == 0, "empty range %s" % short(r.body))
    r = expect(t.api("qc").get("/api/v1/reports/repeat-repairs?from=yesterday", bad=True), 400,
               "bad from")
    check(r.err_field() == "from", "names %r" % r.err_field())
    expect(t.api("agent").get("/api/v1/reports/repeat-repairs"), 403, "agent report")
    ob = _outbox_kinds(t, again["id"])
    if ob is not None:
        check("repeat_repair" in ob, "dept heads not told of the repeat repair: %s" % ob)


def _outbox_kinds(t, tid):
    return None  # the outbox has no API; the PostgreSQL case counts rows with psql


def case_merge(t):
    ctx = t.ctx
    main = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"],
                 "description": "主工单"})["id"]
    dup = t.mk({"channel": "email", "type": "repair", "customer_id": ctx.fx["B"],
                "description": "重复报修"})["id"]
    cid = expect(t.api("agent").post("/api/v1/tickets/%d/comments" % dup,
                                     {"body": "重复单上的备注"}), 201, "comment").json["id"]
    dup_events = [e["id"] for e in t.events(dup)]
    elsewhere = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["A"]})["id"]
    r = t.api("agent").post("/api/v1/tickets/%d/merge" % dup, {"into": elsewhere})
    expect(r, 422, "merge across customers")
    r = t.api("agent").post("/api/v1/tickets/%d/merge" % dup, {"into": dup})
    expect(r, 400, "merge into itself")
    expect(t.api("technician").post("/api/v1/tickets/%d/merge" % dup, {"into": main}), 403,
           "technician merges")
    r = expect(t.api("agent").post("/api/v1/tickets/%d/merge" % dup, {"into": main,
                                                                       "note": "同一故障"}),
               200, "merge")
    check(r.json["id"] == main, "merge answers the surviving ticket")
    main_events = [e["id"] for e in t.events(main)]
    check(all(e in main_events for e in dup_events), "events not moved: %s vs %s" %
          (dup_events, main_events))
    check(cid in main_events, "comment not moved")
    d = t.get(dup)
    check(d["merged_into"] == main and d["status"] == "cancelled", "dup %s / %s" %
          (d["merged_into"], d["status"]))
    check(d["allowed_actions"] == [], "merged ticket allows %s" % d["allowed_actions"])
    r = t.act(dup, "reply", "agent", {"note": "x"}, status=409)
    check("merged" in r.json["error"]["message"], "409 message %r" % r.json["error"]["message"])
    expect(t.api("agent").post("/api/v1/tickets/%d/merge" % dup, {"into": main}), 409,
           "merge twice")


def case_attachments(t):
    ctx = t.ctx
    tid = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["A"]})["id"]
    s = ctx.srv
    tok = ctx.tok["agent"]
    name = "故障照片 1.png"
    r = s.request("POST", "/api/v1/tickets/%d/attachments?filename=%s" % (
        tid, urllib.parse.quote(name)), body=PNG, token=tok,
        headers={"Content-Type": "image/png"})
    expect(r, 201, "PNG")
    aid = r.json["id"]
    check(r.json["mime"] == "image/png" and r.json["size"] == len(PNG), "meta %s" % r.json)
    g = expect(s.request("GET", "/api/v1/attachments/%d" % aid, token=tok), 200, "download")
    check(g.body == PNG, "bytes differ (%d vs %d)" % (len(g.body), len(PNG)))
    check((g.header("Content-Type") or "").startswith("image/png"), "type %s" %
          g.header("Content-Type"))
    cd = g.header("Content-Disposition") or ""
    check(cd.startswith("attachment") and
          "filename*=UTF-8''" + urllib.parse.quote(name, safe="") in cd, "disposition %r" % cd)
    check((g.header("X-Content-Type-Options") or "").lower() == "nosniff", "no nosniff")
    # internal attachment: not for the customer
    expect(s.request("GET", "/api/v1/attachments/%d" % aid, token=ctx.tok["customer"]), 404,
           "customer gets an internal attachment")
    expect(s.request("GET", "/api/v1/attachments/%d" % aid, token=ctx.tok["dealer"]), 404,
           "dealer gets another customer's attachment")
    ev = [e for e in t.events(tid) if e["kind"] == "attachment"]
    check(ev and ev[0]["attachments"] and ev[0]["attachments"][0]["id"] == aid, "timeline")
    n0 = len(t.events(tid))
    au0 = ctx.audit_max()
    for label, body, status, field in (
            ("text file", "只是文字\n".encode() * 10, 400, "file"),
            ("HTML", b"<html><script>alert(1)</script></html>", 400, "file"),
            ("empty", b"", 400, "file"),
            ("over 20 MB", b"\x89PNG\r\n\x1a\n" + b"\0" * (20 * 1024 * 1024 - 7), 413, None)):
        r = s.request("POST", "/api/v1/tickets/%d/attachments" % tid, body=body, token=tok,
                      headers={"Content-Type": "application/octet-stream"}, timeout=120,
                      bad=True)
        expect(r, status, label)
        check(field is None or r.err_field() == field, "%s names %r" % (label, r.err_field()))
    r = s.request("POST", "/api/v1/tickets/%d/attachments?filename=%s" % (
        tid, urllib.parse.quote("../x\".png")), body=PNG, token=tok,
        headers={"Content-Type": "image/png"}, bad=True)
    expect(r, 400, "bad filename")
    check(len(t.events(tid)) == n0 and ctx.audit_max() == au0, "a refused upload wrote")
    # exactly 20 MB is accepted
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 - 9)
    r = s.request("POST", "/api/v1/tickets/%d/attachments" % tid, body=big, token=tok,
                  headers={"Content-Type": "application/pdf"}, timeout=120)
    expect(r, 201, "20 MB PDF")
    check(r.json["mime"] == "application/pdf", "pdf mime")


def case_exclusion(t):
    ctx = t.ctx
    tid = t.mk({"channel": "phone", "type": "repair", "unit_id": t.fx["unitW"]["id"],
                "assignee_id": ctx.uid["technician"]})["id"]
    tk = t.get(tid)
    check(tk["billing"] == "warranty" and tk["warranty_status"] == "in",
          "in warranty: %s %s" % (tk["billing"], tk["warranty_status"]))
    w = expect(t.api("agent").get("/api/v1/tickets/%d/warranty" % tid), 200, "warranty").json
    check(w["in_warranty"] is True, "warranty %s" % w)
    expect(t.api("agent").post("/api/v1/tickets/%d/exclusion" % tid,
                               {"cause": "human", "reason": "x"}), 403, "agent exclusion")
    r = expect(t.api("technician").post("/api/v1/tickets/%d/exclusion" % tid,
                                        {"cause": "human", "reason": "进水导致主板损坏"}),
               200, "exclusion")
    check(r.json["billing"] in ("negotiated", "chargeable"), "billing %s" % r.json["billing"])
    check(r.json["exclusion"] == "human" and r.json["exclusion_reason"] == "进水导致主板损坏",
          "exclusion fields")
    a = expect(t.api("admin").get("/api/v1/audit?entity=ticket&id=%d" % tid), 200, "audit").json
    ex = [i for i in a["items"] if i["action"] == "exclusion"]
    check(ex and ex[0]["user_id"] == ctx.uid["technician"], "audit %s" % short(json.dumps(a)))
    check(ex[0]["before"]["billing"] == "warranty" and
          ex[0]["after"]["billing"] == r.json["billing"], "audit before/after")
    check(any(e["kind"] == "warranty" for e in t.events(tid)), "no warranty event")
    w = expect(t.api("agent").get("/api/v1/tickets/%d/warranty" % tid), 200, "warranty").json
    check(w["cause"] == "human", "warranty cause %s" % w.get("cause"))


# ---- bad input on the new write routes

def bad_specs(t):
    """(method, path, valid, str field, int field, required?, counter)"""
    ctx = t.ctx
    tid = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]})["id"]
    tid2 = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]})["id"]

    def ev():
        return len(t.events(tid))

    def coll(c):
        return lambda: ctx.count(c)
    fc = expect(t.api("admin").post("/api/v1/fault-categories",
                                    {"code": "fc-" + uniq(), "name": "测试"}), 201, "fc").json
    cal = expect(t.api("admin").post("/api/v1/calendars", {"code": "c-" + uniq(), "name": "测试",
                                                           "kind": "24x7"}), 201, "cal").json
    cd = expect(t.api("admin").post("/api/v1/calendar-days",
                                    {"day": "2031-0%d-1%d" % (1 + os.getpid() % 9,
                                                              os.getpid() % 10),
                                     "kind": "holiday", "calendar_id": cal["id"]}), 201,
                "calendar day").json
    pol = t.policy()
    T_ = "/api/v1/tickets/%d" % tid
    return [
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["B"]},
         "caller_name", "customer_id", True, coll("tickets")),
        ("PATCH", T_, {"priority": "high"}, "description", "sla_policy_id", False, ev),
        ("POST", T_ + "/actions/reply", {"note": "答复"}, "note", "assignee_id", False, ev),
        ("POST", T_ + "/comments", {"body": "备注"}, "body", None, True, ev),
        ("POST", T_ + "/calls", {"direction": "inbound", "summary": "通话"}, "summary",
         "duration_seconds", True, ev),
        ("POST", T_ + "/exclusion", {"cause": "human", "reason": "人为"}, "reason", None, True,
         ev),
        ("POST", "/api/v1/tickets/%d/merge" % tid2, {"into": tid}, "note", "into", True, ev),
        ("POST", "/api/v1/fault-categories", {"code": "f-" + uniq(), "name": "故障"}, "name",
         None, True, coll("fault-categories")),
        ("PATCH", "/api/v1/fault-categories/%d" % fc["id"], {"name": "改"}, "name", None, False,
         coll("fault-categories")),
        ("POST", "/api/v1/calendars", {"code": "k-" + uniq(), "name": "日历", "kind": "24x7"},
         "name", "utc_offset_minutes", True, coll("calendars")),
        ("PATCH", "/api/v1/calendars/%d" % cal["id"], {"name": "改"}, "name",
         "utc_offset_minutes", False, coll("calendars")),
        ("POST", "/api/v1/calendar-days", {"day": "2032-05-01", "kind": "holiday"}, "name",
         "calendar_id", True, coll("calendar-days")),
        ("PATCH", "/api/v1/calendar-days/%d" % cd["id"], {"name": "改"}, "name", "calendar_id",
         False, coll("calendar-days")),
        ("POST", "/api/v1/sla-policies", {"code": "s-" + uniq(), "name": "策略",
                                          "calendar_id": t.fx["cal24"], "active": False},
         "name", "reply_minutes", True, coll("sla-policies")),
        ("PATCH", "/api/v1/sla-policies/%d" % pol, {"name": "改"}, "name", "reply_minutes",
         False, coll("sla-policies")),
    ]


def case_bad(t, spec, bad_inputs):
    method, path, valid, sf, intf, required, counter = spec
    ctx = t.ctx
    problems = []
    for label, raw, status, field in bad_inputs(sf, intf, valid, required):
        if label == "empty body" and "/actions/" in path:
            continue  # an action without a body is valid
        if label == "read-only field" and path.startswith("/api/v1/tickets/") and \
                method == "POST":
            field = "id"  # not a column of these bodies: unknown, named
        n0 = counter()
        au0 = ctx.audit_max()
        r = ctx.srv.request(method, path, body=raw, token=ctx.tok["admin"], bad=True)
        if r.status != status:
            problems.append("%s → %s (want %d)" % (label, r, status))
        elif not r.is_error_body():
            problems.append("%s: no error body: %s" % (label, short(r.body)))
        elif field == "*" and not r.err_field():
            problems.append("%s: error names no field" % label)
        elif field not in (None, "*") and r.err_field() != field:
            problems.append("%s: error names %r, want %r" % (label, r.err_field(), field))
        if counter() != n0:
            problems.append("%s: something was written" % label)
        if ctx.audit_max() != au0:
            problems.append("%s: an audit row was written" % label)
    return problems


@contract.invalid_requests
def case_bad_values(t):
    """Values of the right type that the rules refuse, naming the field, writing nothing."""
    ctx = t.ctx
    a = t.api("agent")
    tid = t.mk({"channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]})["id"]
    n0, e0, au0 = t.count(), len(t.events(tid)), ctx.audit_max()
    problems = []
    cases = [
        ("POST", "/api/v1/tickets", {"channel": "pigeon", "type": "repair"}, "channel"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "teleport"}, "type"),
        ("POST", "/api/v1/tickets", {"type": "repair", "customer_id": ctx.fx["B"]}, "channel"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "customer_id": ctx.fx["B"]}, "type"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": 99999999}, "customer_id"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "unit_id": 99999999}, "unit_id"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["A"], "unit_id": ctx.fx["unitB"]},
         "customer_id"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["B"], "fault_category": "nope"},
         "fault_category"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["B"], "priority": "asap"},
         "priority"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["B"], "received_at": "yesterday"},
         "received_at"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["B"], "assignee_id": 99999999},
         "assignee_id"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair",
                                     "customer_id": ctx.fx["B"], "department_id": 99999999},
         "department_id"),
        ("POST", "/api/v1/tickets", {"channel": "phone", "type": "repair"}, "customer_name"),
        ("PATCH", "/api/v1/tickets/%d" % tid, {"status": "closed"}, "status"),
        ("PATCH", "/api/v1/tickets/%d" % tid, {"fault_category": "nope"}, "fault_category"),
        ("PATCH", "/api/v1/tickets/%d" % tid, {"priority": "asap"}, "priority"),
        ("POST", "/api/v1/tickets/%d/actions/assign" % tid, {}, "assignee_id"),
        ("POST", "/api/v1/tickets/%d/actions/assign" % tid, {"assignee_id": ctx.uid["customer"]},
         "assignee_id"),
        ("POST", "/api/v1/tickets/%d/actions/reply" % tid, {"note": "x", "visibility": "all"},
         "visibility"),
        ("POST", "/api/v1/tickets/%d/comments" % tid, {"body": "x", "visibility": "public"},
         "visibility"),
        ("POST", "/api/v1/tickets/%d/calls" % tid, {"direction": "sideways", "summary": "x"},
         "direction"),
        ("POST", "/api/v1/tickets/%d/calls" % tid, {"direction": "inbound", "summary": "x",
                                                    "duration_seconds": -5},
         "duration_seconds"),
        ("POST", "/api/v1/tickets/%d/exclusion" % tid, {"cause": "aliens", "reason": "x"},
         "cause"),
        ("POST", "/api/v1/tickets/%d/merge" % tid, {"into": 99999999}, "into"),
        ("POST", "/api/v1/calendars", {"code": "h-" + uniq(), "name": "x", "kind": "hours"},
         "hours"),
        ("POST", "/api/v1/calendars", {"code": "h-" + uniq(), "name": "x", "kind": "hours",
                                       "hours": "8 25:00-26:00"}, "hours"),
        ("POST", "/api/v1/sla-policies", {"code": "x-" + uniq(), "name": "x",
                                          "calendar_id": t.fx["cal24"], "reply_minutes": 0},
         "reply_minutes"),
        ("POST", "/api/v1/sla-policies", {"code": "x-" + uniq(), "name": "x",
                                          "calendar_id": 99999999}, "calendar_id"),
        ("POST", "/api/v1/calendar-days", {"day": "2031-02-30", "kind": "holiday"}, "day"),
    ]
    for m, p, body, field in cases:
        r = ctx.srv.request(m, p, body=body, token=ctx.tok["admin"])
        if not 400 <= r.status < 500 or r.err_field() != field:
            problems.append("%s %s %s → %s (want 4xx naming %s)" % (
                m, p.replace(str(tid), "{id}"), short(json.dumps(body, ensure_ascii=False), 80),
                r, field))
    if t.count() != n0:
        problems.append("tickets were created by refused requests")
    if len(t.events(tid)) != e0:
        problems.append("events were written by refused requests")
    if ctx.audit_max() != au0:
        problems.append("audit rows were written by refused requests")
    del a
    return problems


# ---- PostgreSQL: two instances, one database, each escalation once

def case_pg_two_scanners(binary, workdir, web_root, dsn, pg_setup, pg_drop):
    name, url = pg_setup(dsn)
    srvs = []
    try:
        a = Server(binary, url, workdir, web_root)
        pw = os.path.join(workdir, "pw2")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        a.cli("init", "--db", url, "--admin", "admin", "--password-file", pw)
        for u, role in (("tech", "technician"), ("head1", "dept_head"), ("head2", "dept_head"),
                        ("boss", "gm")):
            a.cli("user", "add", u, "--roles", role, "--password-file", pw, "--db", url)
        tok = a.cli("token", "create", "--user", "admin", "--db", url).stdout.decode() \
            .strip().splitlines()[-1].strip()
        for i in range(2):
            s = Server(binary, url, workdir, web_root)
            s.nstarts = 100 + i * 10
            s.env = {"SHOUHOU_SLA_SCAN_SECONDS": "1"}
            s.start()
            srvs.append(s)
        s0 = srvs[0]
        rows = psql(dsn, name, "SELECT id FROM users WHERE username = 'tech'")
        tech = int(rows[0][0])
        cal = s0.request("GET", "/api/v1/calendars?code=24x7", token=tok).json["items"][0]["id"]
        r = expect(s0.request("POST", "/api/v1/sla-policies", token=tok, body={
            "code": "tiny", "name": "1 分钟", "calendar_id": cal, "reply_minutes": 1,
            "remote_minutes": 1, "onsite_minutes": 1, "notify_around_clock": True}), 201,
            "tiny policy (the only default: the seeded default is switched off)")
        pid = r.json["id"]
        for code in ("default", "key-6x24"):
            pr = s0.request("GET", "/api/v1/sla-policies?code=" + code, token=tok).json
            expect(s0.request("PATCH", "/api/v1/sla-policies/%d" % pr["items"][0]["id"],
                              token=tok, body={"active": False}), 200, "deactivate " + code)
        c = expect(s0.request("POST", "/api/v1/customers", token=tok,
                              body={"name": "双实例客户", "type": "company"}), 201, "customer")
        tids = []
        # breached at once (10 minutes ago), and breaching 4 s from now: escalated by a scanner
        for back in (600, 56):
            r = expect(s0.request("POST", "/api/v1/tickets", token=tok, body={
                "channel": "letter", "type": "repair", "customer_id": c.json["id"],
                "assignee_id": tech, "received_at": ts(time.time() - back)}), 201, "ticket")
            check(r.json["sla_policy_id"] == pid, "policy %s" % r.json["sla_policy_id"])
            tids.append(r.json["id"])
        # both scanners tick several times over the breached tickets
        time.sleep(9)
        for s in srvs:
            check(s.proc.poll() is None, "a server died")
        heads = {int(x[0]) for x in psql(dsn, name, "SELECT id FROM users WHERE roles LIKE "
                                                    "'%dept_head%'")}
        nrows = 0
        for tid in tids:
            rows = psql(dsn, name, "SELECT dedupe_key, recipient_user_id, count(*) FROM outbox "
                                   "WHERE ticket_id = %d AND dedupe_key LIKE 'sla:%%' "
                                   "GROUP BY dedupe_key, recipient_user_id ORDER BY 1" % tid)
            check(rows, "no escalation rows for ticket %d" % tid)
            nrows += len(rows)
            dup = [r_ for r_ in rows if int(r_[2]) != 1]
            check(not dup, "escalations sent more than once: %s" % dup)
            per = {}
            for key, uid, n in rows:
                _, _, target, lv, _ = key.split(":")
                per.setdefault((target, int(lv)), []).append(int(uid))
            for target in ("reply", "remote"):
                check(per.get((target, 1)) == [tech], "ticket %d %s level 1 recipients %s, "
                      "want [%d]" % (tid, target, per.get((target, 1)), tech))
                got = per.get((target, 2), [])
                check(sorted(got) == sorted(heads) and len(set(got)) == len(got),
                      "ticket %d %s level 2 recipients %s, want %s" % (tid, target, got,
                                                                       sorted(heads)))
            n_ev = psql(dsn, name, "SELECT count(*) FROM ticket_events WHERE ticket_id = %d "
                                   "AND kind = 'sla' AND body LIKE '%%breached'" % tid)[0][0]
            targets = psql(dsn, name, "SELECT count(*) FROM ticket_sla WHERE ticket_id = %d "
                                      "AND state = 'breached'" % tid)[0][0]
            check(int(n_ev) == int(targets), "ticket %d: %s breach events for %s breached "
                  "clocks" % (tid, n_ev, targets))
        by = psql(dsn, name, "SELECT count(*) FROM ticket_events WHERE ticket_id = %d AND "
                             "kind = 'sla' AND actor = 'sla-job'" % tids[1])[0][0]
        check(int(by) >= 1, "the second ticket's breach was not recorded by a scanner")
        logs = ""
        for s in srvs:
            with open(s.log.name, "rb") as f:
                logs += f.read().decode("utf-8", "replace")
        check("deadlock" not in logs.lower() and "could not serialize" not in logs.lower(),
              "scanner conflicts in the logs: %s" % short(logs, 400))
        print("# pg two scanners: %d escalation rows for tickets %s, each once" % (nrows, tids),
              flush=True)
    finally:
        for s in srvs:
            rc = s.stop()
            if rc not in (0, None):
                print("# second-instance server exit %r" % (rc,), flush=True)
        pg_drop(dsn, name)


def psql(dsn, dbname, sql):
    u = urllib.parse.urlsplit(dsn)
    url = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + dbname, u.query, u.fragment))
    p = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c", sql],
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        raise Fail("psql: %s" % short(p.stderr, 300))
    return [line.split("\t") for line in p.stdout.decode().splitlines() if line]


# ---- entry point

def run(ctx, runner, bad_inputs):
    t = T(ctx)
    if not runner.run("tickets: set-up (24x7 calendar, in-warranty unit, scanner ticket)",
                      setup, t):
        return
    runner.run("tickets: intake → assign → accept → reply → call → visit → arrive → resolve → "
               "close", case_lifecycle, t)
    runner.run("tickets: consultation registered and closed in one request", case_consultation,
               t)
    runner.run("tickets: letter registered later, clock from received_at (5x8 default)",
               case_letter, t)
    runner.run("tickets: first-contact customer at intake, 400 naming the missing field",
               case_first_contact, t)
    runner.run("tickets: matching by serial number and caller phone", case_matching, t)
    runner.run("tickets: illegal action 409 lists allowed, role 403, nothing written",
               case_illegal_and_forbidden, t)
    runner.run("tickets: SLA due times exact (24x7 policy via API, key-6x24)", case_sla_exact, t)
    runner.run("tickets: wait_customer pauses, resume moves due by the paused span",
               case_pause, t)
    runner.run("tickets: customer account: own unit, visible comments, 404 elsewhere",
               case_customer, t)
    runner.run("tickets: technician sees only assigned tickets", case_technician_scope, t)
    runner.run("tickets: technician registers a call (route allows technician)",
               case_technician_intake, t)
    runner.run("tickets: queues mine, unassigned, at_risk, breached, open", case_queues, t)
    runner.run("tickets: q= finds Chinese words of description and comments", case_search, t)
    runner.run("tickets: repeat repair linked and reported", case_repeat, t)
    runner.run("tickets: merge moves events; merged ticket refuses actions", case_merge, t)
    runner.run("tickets: attachments PNG round trip, text 400, over 20 MB 413",
               case_attachments, t)
    runner.run("tickets: warranty exclusion by technician, billing and audit", case_exclusion, t)
    specs = []
    runner.run("tickets: bad-input fixtures", lambda: specs.extend(bad_specs(t)))
    for spec in specs:
        label = re.sub(r"/\d+", "/{id}", spec[1])
        runner.multi("bad input %s %s" % (spec[0], label), case_bad, t, spec, bad_inputs)
    runner.multi("bad input: ticket and config values refused by rules", case_bad_values, t)
    runner.run("tickets: SLA scanner marks a 1-minute clock breached", case_scanner, t)

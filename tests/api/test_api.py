#!/usr/bin/env python3
"""Shouhou API test suite: starts the real binary on a fresh database and runs
every case against it.

usage: test_api.py BUILD_DIR sqlite|pg
The last line is "api-<db>: N passed, N failed" and the exit code is non-zero
when anything failed. PostgreSQL comes from env SHOUHOU_TEST_PG (a DSN); a fresh
database shouhou_test_<random> is created for the run and dropped after.
"""
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (PASSWORD, ROLES, SANITIZED, Api, Fail, Runner, Server,  # noqa: E402
                     check, concurrently, cpu_spent, expect, short, uniq)
import routes as routes_mod  # noqa: E402
import contract  # noqa: E402
import test_public  # noqa: E402
import test_tickets  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SQL_EVIL = "'); DROP TABLE customers;--"
ENTITY = {"customers": "customer", "contacts": "contact", "sites": "site",
          "models": "product_model", "contracts": "contract", "units": "unit",
          "departments": "department", "users": "user"}


class Ctx:
    """Everything the cases share: server, tokens per role, fixtures, writes done."""

    def __init__(self, srv):
        self.srv = srv
        self.tok = {}       # role -> bearer token
        self.uid = {}       # role -> user id
        self.uname = {}     # role -> username
        self.writes = []    # (entity, id, action) for the audit case
        self.fx = {}

    def api(self, role="admin"):
        return Api(self.srv, self.tok[role])

    def create(self, coll, body, role="admin"):
        r = self.api(role).post("/api/v1/" + coll, body)
        expect(r, 201, "create %s %s" % (coll, short(json.dumps(body, ensure_ascii=False))))
        rid = r.json["id"]
        self.writes.append((ENTITY[coll], rid, "create"))
        return r.json

    def audit_max(self):
        r = expect(self.api().get("/api/v1/audit?limit=1"), 200, "audit head")
        items = r.json["items"]
        return items[0]["id"] if items else 0

    def count(self, coll):
        # no ?limit: /tokens is no paged list and takes no query parameter
        r = expect(self.api().get("/api/v1/" + coll), 200, "count " + coll)
        return r.json["total"]


# ---------------------------------------------------------------- set-up

def setup(ctx, dbu):
    srv = ctx.srv
    pwfile = os.path.join(srv.workdir, "pw")
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    srv.cli("init", "--db", dbu, "--admin", "admin", "--password-file", pwfile)
    ctx.uname["admin"] = "admin"
    for role in ROLES[1:12]:
        name = "u_" + role
        srv.cli("user", "add", name, "--roles", role, "--password-file", pwfile, "--db", dbu)
        ctx.uname[role] = name
    ctx.tok["admin"] = token_for(srv, dbu, "admin")
    srv.start()
    a = ctx.api()
    fx = ctx.fx
    fx["A"] = ctx.create("customers", {"name": "北京协和医院", "type": "company",
                                       "province": "北京", "is_key": True,
                                       "phone": "010-69156114"})["id"]
    fx["B"] = ctx.create("customers", {"name": "上海瑞金医院", "type": "company",
                                       "province": "上海"})["id"]
    fx["D"] = ctx.create("customers", {"name": "广州华南经销商", "type": "dealer",
                                       "province": "广东"})["id"]
    for role, cust in (("customer", fx["A"]), ("dealer", fx["D"])):
        name = "u_" + role
        srv.cli("user", "add", name, "--roles", role, "--customer-id", str(cust),
                "--password-file", pwfile, "--db", dbu)
        ctx.uname[role] = name
    for role in ROLES[1:]:
        ctx.tok[role] = token_for(srv, dbu, ctx.uname[role])
    for role in ROLES:
        r = expect(ctx.api(role).get("/api/v1/session"), 200, "session of " + role)
        ctx.uid[role] = int(r.json["user"]["id"])
    fx["M"] = ctx.create("models", {"code": "CT-" + uniq(), "name": "CT扫描仪 X1",
                                    "category": "equipment", "warranty_months": 12})["id"]
    for k in ("A", "B", "D"):
        c = fx[k]
        fx["contact" + k] = ctx.create("contacts", {"customer_id": c, "name": "联系人" + k,
                                                    "phone": "13800138000"})["id"]
        fx["site" + k] = ctx.create("sites", {"customer_id": c, "name": "院区" + k,
                                              "address": "地址" + k})["id"]
        fx["contract" + k] = ctx.create("contracts", {"number": "HT-" + k + uniq(),
                                                      "customer_id": c,
                                                      "start_date": "2024-01-01"})["id"]
        fx["unit" + k] = ctx.create("units", {"serial_no": "SN-" + k + "-" + uniq(),
                                              "model_id": fx["M"], "customer_id": c,
                                              "install_date": "2024-03-15"})["id"]
    fx["dept"] = ctx.create("departments", {"code": "D-" + uniq(), "name": "测试部"})["id"]
    # issue 13: the money guards (an accepted quote before a chargeable visit, the charge
    # told before a chargeable close) are on by default. The fixture units are out of
    # warranty, so the suites not about money switch them off here; test_quotes switches
    # them on again and tests them.
    r = expect(ctx.api().get("/api/v1/settings"), 200, "GET settings")
    on = {i["key"]: i["value"] for i in r.json["items"]}
    if on.get("quote_before_visit") is not True or on.get("charge_told_before_close") is not True:
        raise Fail("money guards not on by default: %s" % on)
    expect(ctx.api().patch("/api/v1/settings", {"quote_before_visit": False,
                                                "charge_told_before_close": False}),
           200, "money guards off for the other suites")


def token_for(srv, dbu, username):
    p = srv.cli("token", "create", "--user", username, "--db", dbu)
    tok = p.stdout.decode().strip().splitlines()[-1].strip()
    if not tok.startswith("shk_"):
        raise Fail("token create printed %r" % short(p.stdout))
    return tok


# ---------------------------------------------------------------- cases

def case_health(ctx):
    s = ctx.srv
    r = expect(s.request("GET", "/healthz"), 200, "healthz")
    check(r.json and r.json.get("database") == "ok", "healthz body %s" % short(r.body))
    r = expect(s.request("GET", "/api/v1/no-such-thing", token=ctx.tok["admin"], bad=True), 404,
               "unknown route")
    check(r.is_error_body(), "404 body is not the JSON error shape: %s" % short(r.body))
    check((r.header("Content-Type") or "").startswith("application/json"),
          "404 content type %s" % r.header("Content-Type"))
    r = expect(s.request("GET", "/api/v2/customers", bad=True), 404, "unknown version")
    for m, p in (("PUT", "/api/v1/customers"), ("DELETE", "/api/v1/customers"),
                 ("POST", "/api/v1/customers/1")):
        r = expect(s.request(m, p, token=ctx.tok["admin"], body=b"{}", bad=True), 405,
                   "%s %s" % (m, p))
        check(r.is_error_body(), "405 body %s" % short(r.body))


def concrete(pattern):
    return pattern.replace("{id}", "1")


def case_auth_required(ctx, routes):
    problems = []
    for m, p, roles, public, ent in routes:
        if public:
            continue
        body = {} if m in ("POST", "PATCH") else None
        r = ctx.srv.request(m, concrete(p), body=body, bad=True)  # an empty body on purpose
        if r.status != 401 or not r.is_error_body():
            problems.append("%s %s without credentials: %s" % (m, p, r))
        r = ctx.srv.request(m, concrete(p), body=body, bad=True,
                            token="shk_0123456789abcdef0123456789abcdef01234567")
        if r.status != 401:
            problems.append("%s %s with a bad token: %s" % (m, p, r))
    r = ctx.srv.request("GET", "/api/v1/customers", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    if r.status != 401:
        problems.append("Basic auth header: %s" % r)
    r = ctx.srv.request("GET", "/api/v1/customers", cookie="sh_session=deadbeef")
    if r.status != 401:
        problems.append("unknown session cookie: %s" % r)
    return problems


def sign_in(srv, username, password=PASSWORD):
    return srv.request("POST", "/api/v1/session", body={"username": username,
                                                        "password": password})


def cookie_of(r):
    for v in r.headers_all("Set-Cookie"):
        if v.startswith("sh_session="):
            return v
    return None


def case_session(ctx):
    s = ctx.srv
    r = expect(sign_in(s, ctx.uname["agent"]), 201, "sign-in")
    sc = cookie_of(r)
    check(sc, "no sh_session cookie in %s" % r.headers_all("Set-Cookie"))
    attrs = [a.strip().lower() for a in sc.split(";")]
    check("httponly" in attrs, "cookie lacks HttpOnly: %s" % sc)
    check("samesite=lax" in attrs, "cookie lacks SameSite=Lax: %s" % sc)
    # plain HTTP without cookie_secure: a Secure cookie would never come back
    check("secure" not in attrs, "cookie over plain HTTP marked Secure: %s" % sc)
    csrf = r.json.get("csrf_token")
    check(csrf and len(csrf) >= 16, "no csrf_token in %s" % short(r.body))
    cookie = sc.split(";")[0]
    r = expect(s.request("GET", "/api/v1/session", cookie=cookie), 200, "GET session by cookie")
    check(r.json["user"]["username"] == ctx.uname["agent"], "session user %s" % short(r.body))
    body = {"name": "会话客户" + uniq(), "type": "individual"}
    n0 = ctx.count("customers")
    r = expect(s.request("POST", "/api/v1/customers", body=body, cookie=cookie), 403,
               "cookie POST without X-CSRF-Token")
    check(r.err_field() == "X-CSRF-Token", "403 names %r" % r.err_field())
    expect(s.request("POST", "/api/v1/customers", body=body, cookie=cookie,
                     headers={"X-CSRF-Token": "0" * 64}), 403, "cookie POST with a wrong token")
    check(ctx.count("customers") == n0, "a refused cookie POST created a customer")
    r = expect(s.request("POST", "/api/v1/customers", body=body, cookie=cookie,
                         headers={"X-CSRF-Token": csrf}), 201, "cookie POST with X-CSRF-Token")
    ctx.writes.append(("customer", r.json["id"], "create"))
    expect(s.request("DELETE", "/api/v1/session", cookie=cookie), 403, "sign-out without CSRF")
    expect(s.request("DELETE", "/api/v1/session", cookie=cookie,
                     headers={"X-CSRF-Token": csrf}), 204, "sign-out")
    expect(s.request("GET", "/api/v1/session", cookie=cookie), 401, "cookie after sign-out")
    expect(s.request("GET", "/api/v1/customers", cookie=cookie), 401, "cookie after sign-out")
    # a stale cookie must not stop a new sign-in
    expect(s.request("POST", "/api/v1/session", cookie=cookie,
                     body={"username": ctx.uname["agent"], "password": PASSWORD}), 201,
           "sign-in with a stale cookie")


def case_tokens(ctx):
    a = ctx.api("sales")
    r = expect(a.post("/api/v1/tokens", {"name": "集成测试"}), 201, "create token")
    tok, tid = r.json.get("token"), r.json.get("id")
    check(tok and tok.startswith("shk_") and len(tok) > 20, "token %r" % tok)
    r = expect(a.get("/api/v1/tokens"), 200, "list tokens")
    check(tok.encode() not in r.body, "token list shows the whole token")
    mine = [t for t in r.json["items"] if t["id"] == tid]
    check(mine, "new token %s not listed" % tid)
    check(tok.startswith(mine[0]["prefix"]) and len(mine[0]["prefix"]) < len(tok) // 2,
          "prefix %r" % mine[0]["prefix"])
    check("token" not in mine[0], "list item has a token field")
    check(all(t["user_id"] == ctx.uid["sales"] for t in r.json["items"]),
          "a non-admin sees other users' tokens")
    expect(ctx.srv.request("GET", "/api/v1/customers", token=tok), 200, "use new token")
    # another non-admin cannot revoke it
    expect(ctx.api("agent").delete("/api/v1/tokens/%d" % tid), 404, "agent revokes sales token")
    expect(ctx.srv.request("GET", "/api/v1/customers", token=tok), 200, "token still valid")
    expect(a.delete("/api/v1/tokens/%d" % tid), 204, "revoke")
    expect(ctx.srv.request("GET", "/api/v1/customers", token=tok), 401, "revoked token")
    # a non-admin cannot mint tokens for others
    expect(a.post("/api/v1/tokens", {"name": "x", "user_id": ctx.uid["admin"]}), 403,
           "token for another user")


# ---- authorization matrix

def own_customer(ctx, role):
    return {"customer": ctx.fx["A"], "dealer": ctx.fx["D"]}.get(role, ctx.fx["A"])


def own(ctx, role, what):
    k = {"customer": "A", "dealer": "D"}.get(role, "A")
    return ctx.fx[what + k]


def fresh(ctx, coll, role):
    """A throwaway record to delete."""
    c = own_customer(ctx, role)
    bodies = {
        "departments": {"code": "X-" + uniq(), "name": "临时部门"},
        "customers": {"name": "临时客户" + uniq(), "type": "individual"},
        "contacts": {"customer_id": c, "name": "临时联系人"},
        "sites": {"customer_id": c, "name": "临时院区", "address": "临时地址"},
        "models": {"code": "TMP-" + uniq(), "name": "临时型号", "category": "part"},
        "contracts": {"number": "TMP-" + uniq(), "customer_id": c, "start_date": "2024-01-01"},
        "units": {"serial_no": "TMP-" + uniq(), "model_id": ctx.fx["M"], "customer_id": c},
    }
    return ctx.create(coll, bodies[coll])["id"]


# service requests and their configuration (src/api/tickets.c)
TICKET_CFG = ("fault-categories", "calendars", "calendar-days", "sla-policies")
# docs/tickets.md: who may escalate a repair from `new` (work + dispatcher + qc + gm)
ESCALATE_ROLES = {"admin", "gm", "dept_head", "agent", "dispatcher", "technician", "qc"}


def ticket_fx(ctx):
    """Tickets of A and D assigned to the technician, an attachment each visible to the customer,
    a 24x7 calendar of our own and one of each configuration record."""
    fx = ctx.fx
    if "tkA" in fx:
        return fx
    a = ctx.api()
    for k in ("A", "D"):
        r = expect(a.post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                              "unit_id": fx["unit" + k],
                                              "assignee_id": ctx.uid["technician"],
                                              "description": "矩阵工单"}), 201, "matrix ticket")
        fx["tk" + k] = r.json["id"]
        role = "customer" if k == "A" else "dealer"
        r = expect(ctx.srv.request("POST", "/api/v1/tickets/%d/attachments?filename=m.png"
                                   % fx["tk" + k], body=PNG_1PX, token=ctx.tok[role],
                                   headers={"Content-Type": "image/png"}), 201,
                   "matrix attachment")
        fx["att" + k] = r.json["id"]
    fx["cal"] = fresh_cfg(ctx, "calendars")
    for coll in TICKET_CFG:
        fx["cfg:" + coll] = fresh_cfg(ctx, coll)
    return fx


_day_seq = [0]


def cfg_body(ctx, coll):
    if coll == "fault-categories":
        return {"code": "mx-" + uniq(), "name": "矩阵故障"}
    if coll == "calendars":
        return {"code": "mx-" + uniq(), "name": "矩阵日历", "kind": "24x7"}
    if coll == "calendar-days":
        _day_seq[0] += 1
        t = time.gmtime(time.mktime((2040, 1, 1, 12, 0, 0, 0, 0, 0)) + _day_seq[0] * 86400)
        return {"day": time.strftime("%Y-%m-%d", t), "kind": "holiday",
                "calendar_id": ctx.fx["cal"]}
    return {"code": "mx-" + uniq(), "name": "矩阵策略", "calendar_id": ctx.fx["cal"],
            "active": False}


def fresh_cfg(ctx, coll):
    r = expect(ctx.api().post("/api/v1/" + coll, cfg_body(ctx, coll)), 201, "create " + coll)
    return r.json["id"]


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def ticket_call(ctx, m, p, role, allowed, state):
    """Valid requests on the ticket routes; a 6th element is the exact status expected."""
    fx = ticket_fx(ctx)
    ext = role in ("customer", "dealer")
    tk = fx["tkD"] if role == "dealer" else fx["tkA"]
    seg = p.split("/")
    coll = seg[3]
    if coll in TICKET_CFG:
        if "{id}" not in p:
            return m, p, (cfg_body(ctx, coll) if m == "POST" else None), None, None
        if m == "DELETE":
            rid = fresh_cfg(ctx, coll) if allowed else state["victim"][coll]
        else:
            rid = fx["cfg:" + coll]
        body = {"name": "矩阵" + uniq()[:4]} if m == "PATCH" else None
        if m == "PATCH" and coll == "calendar-days":
            body = {"name": "矩阵假日"}
        return m, p.replace("{id}", str(rid)), body, None, None
    if p == "/api/v1/tickets":
        if m == "GET":
            return m, p, None, None, None
        unit = fx["unitD"] if role == "dealer" else fx["unitA"]
        body = {"channel": "portal" if ext else "phone", "type": "repair", "unit_id": unit,
                "description": "矩阵报修"}
        if role == "technician":  # a technician only sees tickets assigned to them
            body["assignee_id"] = ctx.uid["technician"]
        return m, p, body, None, None
    if p == "/api/v1/attachments/{id}":
        return m, p.replace("{id}", str(fx["attD"] if role == "dealer" else fx["attA"])), \
            None, None, None
    if p == "/api/v1/reports/repeat-repairs":
        return m, p, None, None, None
    path = p.replace("{id}", str(tk))
    if p.endswith("/actions/{action}"):
        return (m, path.replace("{action}", "escalate"), {"note": "矩阵升级"}, None, None,
                200 if role in ESCALATE_ROLES else 403)
    if m == "GET":
        return m, path, None, None, None
    if m == "PATCH":
        return m, path, {"priority": "high"}, None, None
    if p.endswith("/comments"):
        return m, path, {"body": "矩阵评论"}, None, None
    if p.endswith("/calls"):
        return m, path, {"direction": "inbound", "summary": "矩阵通话"}, None, None
    if p.endswith("/attachments"):
        return m, path, PNG_1PX, {"Content-Type": "image/png"}, None
    if p.endswith("/exclusion"):
        return m, path, {"cause": "quality", "reason": "矩阵"}, None, None
    if p.endswith("/merge"):
        if not allowed:
            return m, p.replace("{id}", str(state["victim"]["tickets"])), {"into": tk}, None, \
                None
        r = expect(ctx.api().post("/api/v1/tickets", {"channel": "email", "type": "repair",
                                                      "customer_id": fx["A"]}), 201, "dup")
        return m, p.replace("{id}", str(r.json["id"])), {"into": tk}, None, None
    return None


def public_call(ctx, m, p, state):
    """Public QR routes: a real serial and status token (they act for nobody)."""
    if p.startswith("/api/v1/public/surveys/"):  # issue 11 item 6: a survey link
        return __import__("test_surveys").matrix_call(ctx, m, p, state)
    if p.startswith("/api/v1/public/calendars/"):  # issue 15 item 5: a calendar feed
        return __import__("test_notify_tmpl").matrix_call(ctx, m, p, state)
    if p.startswith("/api/v1/public/quotes/"):  # issue 13 item 5: a quote's link
        return __import__("test_quotes").matrix_call(ctx, m, p, state)
    if "pub" not in state:
        serial = "PUB-" + uniq()
        expect(ctx.api().post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                                "customer_id": ctx.fx["A"]}), 201, "pub unit")
        state["pub"] = serial
    serial = state["pub"]
    # each call gets a report of its own (a report takes at most 5 photos), from a phone of
    # its own (the same phone again would join the open ticket)
    state["n"] = state.get("n", 0) + 1
    r = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial,
                               body={"description": "矩阵", "phone": "1390000%04d" % state["n"]}), 201,
               "pub report")
    token = r.json["token"]
    path = p.replace("{serial}", serial).replace("{token}", token)
    if p.endswith("/reports") and m == "POST":
        return m, path, {"description": "矩阵", "phone": "13900003333"}, None, None
    if p.endswith("/photos"):
        return m, path, b"\x89PNG\r\n\x1a\n" + b"\0" * 8, {"Content-Type": "image/png"}, None
    return m, path, None, None, None


def build_call(ctx, m, p, role, allowed, state):
    """(method, path, body, headers, cookie) for route p called by role."""
    c = own_customer(ctx, role)
    seg = p.split("/")
    coll = seg[3] if len(seg) > 3 else ""
    if coll == "public":
        return public_call(ctx, m, p, state)
    if coll in TICKET_CFG or coll in ("tickets", "attachments", "reports"):
        return ticket_call(ctx, m, p, role, allowed, state)
    if p == "/api/v1/session":
        if m == "POST":
            return m, p, {"username": ctx.uname[role], "password": PASSWORD}, None, None
        if m == "DELETE":
            ck = state.get(("cookie", role))
            if ck:
                return m, p, None, {"X-CSRF-Token": ck[1]}, ck[0]
        return m, p, None, None, None
    if p == "/api/v1/tokens" and m == "POST":
        return m, p, {"name": "matrix"}, None, None
    if p == "/api/v1/tokens/{id}":
        tid = state.get(("token", role), 999999)
        return m, "/api/v1/tokens/%d" % tid, None, None, None
    if p == "/api/v1/users" and m == "POST":
        return m, p, {"username": "m_" + uniq(), "roles": "agent", "password": PASSWORD}, \
            None, None
    if p == "/api/v1/users/{id}":
        if m == "PATCH":
            return m, "/api/v1/users/%d" % ctx.uid["qc"], {"display_name": "质检" + uniq()[:4]}, \
                None, None
        return m, "/api/v1/users/%d" % ctx.uid["admin"], None, None, None
    if p == "/api/v1/users/{id}/password":
        return m, "/api/v1/users/%d/password" % ctx.uid[role], \
            {"password": PASSWORD, "current_password": PASSWORD}, None, None
    if p.startswith("/api/v1/customers/{id}/"):
        return m, p.replace("{id}", str(c)), None, None, None
    if p == "/api/v1/account":  # an external account's own; staff name the customer
        ext = role in ("customer", "dealer")
        return m, p if ext else p + "?customer_id=%d" % c, None, None, None
    if p.endswith("/history"):
        return m, p.replace("{id}", str(own(ctx, role, "unit"))), None, None, None
    if p.endswith("/upgrade-entitlement"):  # kind is required (docs/versions.md)
        return m, p.replace("{id}", str(own(ctx, role, "unit"))) + "?kind=display", None, None, \
            None
    if "{id}" not in p:
        if m == "GET":
            return m, p, None, None, None
        bodies = {
            "departments": {"code": "M-" + uniq(), "name": "矩阵部门"},
            "customers": {"name": "矩阵客户" + uniq(), "type": "company"},
            "contacts": {"customer_id": c, "name": "矩阵联系人"},
            "sites": {"customer_id": c, "name": "矩阵院区", "address": "矩阵地址"},
            "models": {"code": "MX-" + uniq(), "name": "矩阵型号", "category": "part"},
            "contracts": {"number": "MX-" + uniq(), "customer_id": c,
                          "start_date": "2024-01-01"},
            "units": {"serial_no": "MX-" + uniq(), "model_id": ctx.fx["M"], "customer_id": c},
        }
        if coll not in bodies:
            return None
        return m, p, bodies[coll], None, None
    if coll not in ENTITY or p.count("/") > 5 or (p.count("/") == 5 and m != "GET"):
        return None  # a route this suite has no valid request for yet
    # /coll/{id}
    ids = {"departments": ctx.fx["dept"], "customers": c, "contacts": own(ctx, role, "contact"),
           "sites": own(ctx, role, "site"), "models": ctx.fx["M"],
           "contracts": own(ctx, role, "contract"), "units": own(ctx, role, "unit")}
    if m == "DELETE":
        rid = fresh(ctx, coll, role) if allowed else state["victim"][coll]
        return m, p.replace("{id}", str(rid)), None, None, None
    rid = ids[coll]
    if m == "PATCH":
        field = {"departments": "name_en", "customers": "notes", "contacts": "notes",
                 "sites": "city", "models": "series", "contracts": "notes",
                 "units": "notes"}[coll]
        return m, p.replace("{id}", str(rid)), {field: "矩阵" + uniq()[:6]}, None, None
    return m, p.replace("{id}", str(rid)), None, None, None


def matrix_roles(k, m, public, allowed_roles):
    """The roles the k-th route of the matrix is called as: all 14, or under a sanitizer
    (SANITIZED) every allowed role of a write (later cases use what it makes), 3 allowed roles
    of a GET, and 3 of the forbidden ones, in turn over the routes so that each role is still
    refused somewhere (a refusal is the router's role check, the same code for every route);
    a public GET (the same answer for anyone: a quote's PDF took 11 s of CPU under TSan as
    14 roles) as 3 roles. The plain build calls every route as all 14 on both databases."""
    if not SANITIZED:
        return ROLES
    if public:
        return [ROLES[(k + i) % len(ROLES)] for i in range(3)] if m == "GET" else ROLES

    def some(roles):  # 3 of them, in turn over the routes
        return {roles[(k + i) % len(roles)] for i in range(3)} if len(roles) > 3 else set(roles)
    allowed = [r for r in ROLES if r in allowed_roles]
    # an allowed GET writes nothing later cases use: 3 allowed roles too
    called = some(allowed) if m == "GET" else set(allowed)
    refused = some([r for r in ROLES if r not in allowed_roles])
    return [r for r in ROLES if r in called or r in refused]


def case_matrix(ctx, routes, runner):
    state = {"victim": {}}
    for coll in ("departments", "customers", "contacts", "sites", "models", "contracts",
                 "units"):
        state["victim"][coll] = fresh(ctx, coll, "admin")
    ticket_fx(ctx)
    for coll in TICKET_CFG:
        state["victim"][coll] = fresh_cfg(ctx, coll)
    r = expect(ctx.api().post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                                  "customer_id": ctx.fx["A"]}), 201, "victim")
    state["victim"]["tickets"] = r.json["id"]
    for k, (m, p, allowed_roles, public, ent) in enumerate(routes):
        def one():
            problems = []
            for role in matrix_roles(k, m, public, allowed_roles):
                allowed = public or role in allowed_roles
                call = build_call(ctx, m, p, role, allowed, state)
                exact = None
                if call is not None and len(call) == 6:
                    exact, call = call[5], call[:5]
                lenient = call is None
                if lenient:  # unknown route: an id that exists for staff, an empty body
                    call = (m, p.replace("{id}", str(ctx.fx["A"])),
                            {} if m in ("POST", "PATCH", "PUT") else None, None, None)
                meth, path, body, hdrs, cookie = call
                r = ctx.srv.request(meth, path, body=body, headers=hdrs, cookie=cookie,
                                    token=None if cookie else ctx.tok[role], bad=lenient)
                if exact is not None:
                    if r.status != exact:
                        problems.append("%s got %s (want %d)" % (role, r, exact))
                elif allowed and lenient:
                    if r.status in (401, 403) or r.status >= 500:
                        problems.append("%s (allowed) got %s" % (role, r))
                elif allowed:
                    if r.status == 403 or not 200 <= r.status < 300:
                        problems.append("%s (allowed) got %s" % (role, r))
                        continue
                    if p == "/api/v1/session" and m == "POST":
                        ck = cookie_of(r)
                        if ck:
                            state[("cookie", role)] = (ck.split(";")[0], r.json["csrf_token"])
                    if p == "/api/v1/tokens" and m == "POST":
                        state[("token", role)] = r.json["id"]
                    if m == "POST" and r.status == 201 and r.json and "{id}" not in p:
                        coll = p.split("/")[3]
                        if coll in ENTITY:
                            ctx.writes.append((ENTITY[coll], r.json["id"], "create"))
                else:
                    if r.status != 403 or not r.is_error_body():
                        problems.append("%s (forbidden) got %s" % (role, r))
            return problems
        runner.multi("authz %s %s" % (m, p), one)

    def victims():
        problems = []
        for coll, rid in state["victim"].items():
            r = ctx.api().get("/api/v1/%s/%d" % (coll, rid))
            if r.status != 200:
                problems.append("%s %d touched by a forbidden call: %s" % (coll, rid, r))
            elif coll == "tickets" and r.json.get("merged_into"):
                problems.append("ticket %d merged by a forbidden call" % rid)
        return problems
    runner.multi("authz forbidden deletes left their records", victims)


def case_scope(ctx, role, mine, theirs):
    problems = []
    a = ctx.api(role)
    fx = ctx.fx
    for coll in ("units", "contacts", "sites", "contracts", "customers"):
        r = a.get("/api/v1/%s?limit=500" % coll)
        if r.status != 200:
            problems.append("list %s: %s" % (coll, r))
            continue
        key = "id" if coll == "customers" else "customer_id"
        bad = [i["id"] for i in r.json["items"] if i[key] != fx[mine]]
        if bad:
            problems.append("list %s shows other customers' rows %s" % (coll, bad[:5]))
        if r.json["total"] != len(r.json["items"]):
            problems.append("list %s total %s but %d items" % (coll, r.json["total"],
                                                               len(r.json["items"])))
        want = fx[mine] if coll == "customers" else fx[coll[:-1] + mine]
        if want not in [i["id"] for i in r.json["items"]]:
            problems.append("list %s misses own record %s" % (coll, want))
    r = a.get("/api/v1/units?q=" + urllib.parse.quote("瑞金"))
    if r.status != 200 or r.json["total"] != 0:
        problems.append("q= finds another customer's units: %s" % r)
    r = a.get("/api/v1/customers?q=" + urllib.parse.quote("瑞金医院"))
    if r.status != 200 or r.json["total"] != 0:
        problems.append("q= finds another customer: %s" % r)
    for path in ("/api/v1/units/%d" % fx["unit" + theirs],
                 "/api/v1/customers/%d" % fx[theirs],
                 "/api/v1/contracts/%d" % fx["contract" + theirs],
                 "/api/v1/contacts/%d" % fx["contact" + theirs],
                 "/api/v1/sites/%d" % fx["site" + theirs],
                 "/api/v1/customers/%d/units" % fx[theirs],
                 "/api/v1/customers/%d/contacts" % fx[theirs],
                 "/api/v1/customers/%d/sites" % fx[theirs],
                 "/api/v1/customers/%d/contracts" % fx[theirs],
                 "/api/v1/units/%d/history" % fx["unit" + theirs]):
        r = a.get(path)
        if r.status != 404:
            problems.append("GET %s: %s (want 404)" % (path, r))
    for path in ("/api/v1/units/%d" % fx["unit" + mine], "/api/v1/customers/%d" % fx[mine],
                 "/api/v1/customers/%d/units" % fx[mine]):
        r = a.get(path)
        if r.status != 200:
            problems.append("GET own %s: %s" % (path, r))
    # filters cannot widen the scope
    r = a.get("/api/v1/units?customer_id=%d" % fx[theirs])
    if r.status != 200 or r.json["total"] != 0:
        problems.append("customer_id filter widens the scope: %s" % r)
    return problems


# ---- CRUD

CRUD = {
    "customers": ({"name": "CRUD客户", "type": "company", "province": "江苏", "city": "南京"},
                  {"city": "苏州"}),
    "contacts": ({"name": "王经理", "phone": "025-1234567", "position": "科长"},
                 {"position": "主任"}),
    "sites": ({"name": "南京院区", "address": "南京市鼓楼区中山路1号", "latitude": 32.05,
               "longitude": 118.78}, {"city": "南京"}),
    "models": ({"name": "彩超 U9", "category": "equipment", "warranty_months": 18,
                "price_fen": 12345678}, {"series": "U"}),
    "contracts": ({"start_date": "2025-01-01", "end_date": "2027-12-31",
                   "warranty_months": 24, "training_seats": 3}, {"notes": "续签"}),
    "units": ({"ship_date": "2025-01-05", "status": "shipped"}, {"notes": "已巡检"}),
    "departments": ({"name": "华东服务部", "kind": "after_sales"}, {"name_en": "East"}),
}


def crud_body(ctx, coll):
    body = dict(CRUD[coll][0])
    if coll in ("contacts", "sites", "contracts", "units"):
        body["customer_id"] = ctx.fx["A"]
    if coll == "models":
        body["code"] = "CRUD-" + uniq()
    if coll == "contracts":
        body["number"] = "HT-CRUD-" + uniq()
    if coll == "units":
        body["serial_no"] = "SN-CRUD-" + uniq()
        body["model_id"] = ctx.fx["M"]
    if coll == "departments":
        body["code"] = "CRUD-" + uniq()
    if coll == "customers":
        body["name"] = body["name"] + uniq()
    return body


def case_crud(ctx, coll):
    a = ctx.api()
    ent = ENTITY[coll]
    body = crud_body(ctx, coll)
    r = expect(a.post("/api/v1/" + coll, body), 201, "create")
    rid = r.json["id"]
    ctx.writes.append((ent, rid, "create"))
    loc = r.header("Location")
    check(loc == "/api/v1/%s/%d" % (coll, rid), "Location %r" % loc)
    check(r.header("ETag") == '"1"', "ETag %r" % r.header("ETag"))
    check(r.json["version"] == 1, "version %r" % r.json.get("version"))
    for k, v in body.items():
        check(r.json.get(k) == v, "created %s = %r, sent %r" % (k, r.json.get(k), v))
    g = expect(a.get(loc), 200, "get")
    check(g.header("ETag") == '"1"', "get ETag %r" % g.header("ETag"))
    check(g.json == r.json, "get differs from create: %s" % short(g.body))
    patch = CRUD[coll][1]
    (k, v), = patch.items()
    p1 = expect(a.patch(loc, patch, headers={"If-Match": '"1"'}), 200, "PATCH with ETag")
    check(p1.json["version"] == 2 and p1.json[k] == v, "after PATCH %s" % short(p1.body))
    check(p1.header("ETag") == '"2"', "PATCH ETag %r" % p1.header("ETag"))
    ctx.writes.append((ent, rid, "update"))
    n_audit = ctx.audit_max()
    stale = {k: "陈旧" + uniq()[:4]}
    expect(a.patch(loc, stale, headers={"If-Match": '"1"'}), 412, "PATCH with stale If-Match")
    g = expect(a.get(loc), 200, "get after 412")
    check(g.json["version"] == 2 and g.json[k] == v, "412 changed the record: %s" % short(g.body))
    check(ctx.audit_max() == n_audit, "412 wrote an audit row")
    expect(a.delete(loc, headers={"If-Match": '"1"'}), 412, "DELETE with stale If-Match")
    expect(a.get(loc), 200, "record survives a stale DELETE")
    expect(a.delete(loc), 204, "delete")
    ctx.writes.append((ent, rid, "delete"))
    expect(a.get(loc), 404, "get after delete")
    expect(a.patch(loc, patch), 404, "PATCH after delete")
    expect(a.delete(loc), 404, "delete twice")


def case_delete_referenced(ctx):
    a = ctx.api()
    c = ctx.create("customers", {"name": "有设备的客户" + uniq(), "type": "company"})["id"]
    ctx.create("units", {"serial_no": "REF-" + uniq(), "model_id": ctx.fx["M"], "customer_id": c})
    n = ctx.audit_max()
    r = expect(a.delete("/api/v1/customers/%d" % c), 409, "delete customer with units")
    check(r.is_error_body(), "409 body %s" % short(r.body))
    expect(a.get("/api/v1/customers/%d" % c), 200, "customer still there")
    check(ctx.audit_max() == n, "a refused delete wrote an audit row")
    expect(a.delete("/api/v1/models/%d" % ctx.fx["M"]), 409, "delete a model with units")


# ---- warranty

def case_warranty(ctx):
    a = ctx.api()
    c = ctx.fx["A"]
    m12 = ctx.create("models", {"code": "W12-" + uniq(), "name": "保修12", "category": "equipment",
                                "warranty_months": 12})["id"]
    u = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": m12, "customer_id": c,
                             "ship_date": "2024-03-01", "install_date": "2024-03-15"})
    check(u["warranty_end"] == "2025-03-14" and u["warranty_basis"] == "install",
          "install basis: %s %s" % (u["warranty_end"], u["warranty_basis"]))
    u = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": m12, "customer_id": c,
                             "ship_date": "2024-01-10"})
    check(u["warranty_end"] == "2025-01-09" and u["warranty_basis"] == "ship",
          "ship basis: %s %s" % (u["warranty_end"], u["warranty_basis"]))
    ship_unit = u
    # leap day start, 12 months: 2024-02-29 .. 2025-02-27 or -28 (month end); never March
    u = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": m12, "customer_id": c,
                             "install_date": "2024-02-29"})
    check(u["warranty_end"] in ("2025-02-27", "2025-02-28"), "leap day: %s" % u["warranty_end"])
    k = ctx.create("contracts", {"number": "W-" + uniq(), "customer_id": c,
                                 "start_date": "2024-01-01", "warranty_months": 24})["id"]
    u = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": m12, "customer_id": c,
                             "contract_id": k, "install_date": "2024-03-15"})
    check(u["warranty_end"] == "2026-03-14", "contract override: %s" % u["warranty_end"])
    cu = u
    u = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": m12, "customer_id": c,
                             "contract_id": k, "install_date": "2024-03-15",
                             "warranty_end_override": "2030-06-30"})
    check(u["warranty_end"] == "2030-06-30" and u["warranty_basis"] == "override",
          "explicit end: %s %s" % (u["warranty_end"], u["warranty_basis"]))
    ou = u
    u = ctx.create("units", {"serial_no": "W-" + uniq(), "model_id": m12, "customer_id": c})
    check(u["warranty_end"] is None and u["warranty_basis"] == "none",
          "no dates: %s %s" % (u["warranty_end"], u["warranty_basis"]))
    # PATCH the unit's install date recomputes
    r = expect(a.patch("/api/v1/units/%d" % ship_unit["id"], {"install_date": "2024-06-01"}),
               200, "patch install date")
    ctx.writes.append(("unit", ship_unit["id"], "update"))
    check(r.json["warranty_end"] == "2025-05-31" and r.json["warranty_basis"] == "install",
          "after install date: %s %s" % (r.json["warranty_end"], r.json["warranty_basis"]))
    # PATCH the contract's months recomputes its units
    expect(a.patch("/api/v1/contracts/%d" % k, {"warranty_months": 36}), 200, "patch contract")
    ctx.writes.append(("contract", k, "update"))
    g = expect(a.get("/api/v1/units/%d" % cu["id"]), 200, "unit after contract patch").json
    check(g["warranty_end"] == "2027-03-14", "contract 36 months: %s" % g["warranty_end"])
    check(g["version"] == cu["version"] + 1, "recomputed unit version %s" % g["version"])
    g = expect(a.get("/api/v1/units/%d" % ou["id"]), 200, "override unit").json
    check(g["warranty_end"] == "2030-06-30", "override lost on recompute: %s" % g["warranty_end"])
    # contract months back to null: the model's 12 apply
    expect(a.patch("/api/v1/contracts/%d" % k, {"warranty_months": None}), 200, "null months")
    g = expect(a.get("/api/v1/units/%d" % cu["id"]), 200, "unit after null").json
    check(g["warranty_end"] == "2025-03-14", "model months after null: %s" % g["warranty_end"])
    # validation: install before ship
    r = expect(a.post("/api/v1/units", {"serial_no": "W-" + uniq(), "model_id": m12,
                                         "customer_id": c, "ship_date": "2024-05-01",
                                         "install_date": "2024-04-01"}), 400, "install < ship")
    check(r.err_field() == "install_date", "field %r" % r.err_field())


def case_warranty_cascade_audit(ctx):
    """A contract change that recomputes a unit's warranty must leave an audit row on the unit."""
    a = ctx.api()
    k = ctx.create("contracts", {"number": "WA-" + uniq(), "customer_id": ctx.fx["A"],
                                 "start_date": "2024-01-01", "warranty_months": 24})["id"]
    u = ctx.create("units", {"serial_no": "WA-" + uniq(), "model_id": ctx.fx["M"],
                             "customer_id": ctx.fx["A"], "contract_id": k,
                             "install_date": "2024-03-15"})
    expect(a.patch("/api/v1/contracts/%d" % k, {"warranty_months": 30}), 200, "patch contract")
    r = expect(a.get("/api/v1/audit?entity=unit&id=%d" % u["id"]), 200, "unit audit")
    acts = [i["action"] for i in r.json["items"]]
    check(len(acts) >= 2, "unit's warranty_end changed by the contract PATCH but its audit "
          "trail only has %s (src/app/resources.c recompute_units_of_contract writes no "
          "audit row)" % acts)


# ---- lists

def case_lists(ctx):
    a = ctx.api()
    prov = "测" + uniq()[:8]
    names = ["北京协和医院东院", "北京天坛医院", "协和医科仪器", "华山医院", "湘雅医院",
             "Alpha Clinic", "beta lab", "中山大学附属第一医院", "浙一医院", "齐鲁医院",
             "西京医院", "同济医院"]
    ids = []
    t0 = None
    for i, n in enumerate(names):
        body = {"name": n + "-" + prov, "type": ["company", "individual", "dealer"][i % 3],
                "province": prov, "is_key": i % 4 == 0}
        c = ctx.create("customers", body)
        if i == 6:
            t0 = c["created_at"]
        ids.append(c["id"])
    base = "/api/v1/customers?province=" + urllib.parse.quote(prov)
    r = expect(a.get(base + "&limit=5"), 200, "limit=5")
    check(len(r.json["items"]) == 5 and r.json["total"] == 12 and r.json["next_cursor"],
          "limit=5: %d items total %s" % (len(r.json["items"]), r.json["total"]))

    def walk(q, lim):
        seen, cur, pages = [], None, 0
        while True:
            u = base + q + "&limit=%d" % lim + ("&cursor=" + urllib.parse.quote(cur) if cur else "")
            r = expect(a.get(u), 200, "page " + u)
            check(r.json.get("total") == 12, "page total %r (%s)" % (r.json.get("total"), u))
            seen += r.json["items"]
            cur = r.json["next_cursor"]
            pages += 1
            check(pages < 50, "paging does not end")
            if not cur:
                return seen
    for q, key in (("&sort=name", lambda c: (c["name"], c["id"])),
                   ("&sort=-id", lambda c: -c["id"]),
                   ("&sort=-name", None), ("", lambda c: c["id"]),
                   ("&sort=type", lambda c: (c["type"], c["id"]))):
        for lim in (1, 5, 500):
            seen = walk(q, lim)
            sid = [c["id"] for c in seen]
            check(sorted(sid) == sorted(ids) and len(set(sid)) == len(sid),
                  "cursor walk %s limit %d: %d rows, %d distinct, want 12" %
                  (q, lim, len(sid), len(set(sid))))
            if key:
                check(seen == sorted(seen, key=key), "order %s limit %d: %s" %
                      (q, lim, [c["name"][:6] for c in seen]))
            else:
                ns = [(c["name"], c["id"]) for c in seen]
                check(ns == sorted(ns, key=lambda t: t[0], reverse=True),
                      "order -name: %s" % [n[:6] for n, _ in ns])
    # filters
    for q, pred, want in (("&type=dealer", lambda c: c["type"] == "dealer", 4),
                          ("&is_key=true", lambda c: c["is_key"] is True, 3),
                          ("&is_key=false", lambda c: c["is_key"] is False, 9),
                          ("&created_at_from=" + urllib.parse.quote(t0),
                           lambda c: c["created_at"] >= t0, None)):
        r = expect(a.get(base + q + "&limit=500"), 200, q)
        items = r.json["items"]
        check(all(pred(c) for c in items), "filter %s returned non-matching rows" % q)
        check(r.json["total"] == len(items), "filter %s total %s vs %d items" %
              (q, r.json["total"], len(items)))
        if want is not None:
            check(len(items) == want, "filter %s: %d rows, want %d" % (q, len(items), want))
        else:
            check(5 <= len(items) <= 12, "created_at_from: %d rows" % len(items))
    r = expect(a.get("/api/v1/customers?created_at_from=2999-01-01"), 200, "future from")
    check(r.json["total"] == 0, "created_at_from in the future finds %s" % r.json["total"])
    # bad parameters name the field
    for q, field in (("sort=nope", "sort"), ("sort=-notes", "sort"), ("limit=0", "limit"),
                     ("limit=501", "limit"), ("limit=abc", "limit"), ("limit=-1", "limit"),
                     ("cursor=zzz", "cursor"), ("cursor=1.zz.3", "cursor"),
                     ("nope=1", "nope"), ("is_key=maybe", "is_key"), ("type=robot", "type"),
                     ("id=abc", "id"), ("created_at_from=yesterday", "created_at_from"),
                     ("notes=x", "notes"), ("format=pdf", "format")):
        r = a.get("/api/v1/customers?" + q, bad=True)
        check(r.status == 400 and r.err_field() == field,
              "?%s: %s (want 400 naming %s)" % (q, r, field))
    # expand
    r = expect(a.get("/api/v1/units?expand=all&customer_id=%d" % ctx.fx["A"]), 200, "expand")
    it = [u for u in r.json["items"] if u["id"] == ctx.fx["unitA"]]
    check(it and it[0].get("customer_name") == "北京协和医院" and
          it[0].get("model_name") == "CT扫描仪 X1", "expand=all: %s" % (it and it[0]))
    r = expect(a.get("/api/v1/units/%d?expand=customer" % ctx.fx["unitA"]), 200, "get expand")
    check(r.json.get("customer_name") == "北京协和医院" and "model_name" not in r.json,
          "expand=customer on get: %s" % short(r.body, 600))
    r = expect(a.get("/api/v1/units?limit=1"), 200, "no expand")
    check("customer_name" not in r.json["items"][0], "customer_name without expand")


def case_search(ctx):
    a = ctx.api()
    tag = uniq()
    c1 = ctx.create("customers", {"name": "北京协和医院" + tag, "type": "company"})["id"]
    c2 = ctx.create("customers", {"name": "南方医科大学" + tag, "type": "company",
                                  "address": "广州市白云区"})["id"]
    sn = "SNQ" + uniq().upper()
    u = ctx.create("units", {"serial_no": sn, "model_id": ctx.fx["M"], "customer_id": c2})["id"]

    def q(coll, term):
        r = expect(a.get("/api/v1/%s?limit=500&q=%s" % (coll, urllib.parse.quote(term))), 200,
                   "q=" + term)
        return [i["id"] for i in r.json["items"]], r.json
    for term, want, not_want in (("北", c1, c2), ("协和", c1, c2), ("协和医院", c1, c2),
                                 ("医科大", c2, c1), ("白云", c2, c1), ("白云区", c2, c1),
                                 (tag, c1, None)):
        got, j = q("customers", term)
        check(want in got, "q=%s misses customer %d (got %s)" % (term, want, got[:10]))
        if not_want:
            check(not_want not in got, "q=%s finds customer %d" % (term, not_want))
        check(j["total"] == len(got), "q=%s total %s vs %d" % (term, j["total"], len(got)))
    got, _ = q("customers", tag)
    check(sorted(got) == sorted([c1, c2]), "q=tag: %s" % got)
    for term in (sn, sn[:6], sn.lower(), sn[-5:]):
        got, _ = q("units", term)
        check(u in got, "units q=%s misses the unit (got %s)" % (term, got[:5]))
    got, _ = q("units", "南方医科")  # customer name is part of the unit's search text
    check(u in got, "units q=customer name misses the unit")
    got, _ = q("customers", "%")
    check(len(got) == 0 or all(True for _ in got), "q=%")
    got, _ = q("customers", "不存在的名字" + tag)
    check(got == [], "q=nonsense finds %s" % got)
    got, _ = q("customers", '"' + tag)  # quotes must not break FTS syntax
    r = a.get("/api/v1/contacts?q=x")
    check(r.status == 400 and r.err_field() == "q", "q= on contacts: %s" % r)


def case_search_follows_changes(ctx):
    """q= follows a rename at once, by 3+ and by 1-2 characters, and forgets a deleted
    record; concurrent renames leave every record findable by its new name only."""
    a = ctx.api()
    tag = uniq()

    def ids(term):
        r = expect(a.get("/api/v1/customers?limit=500&q=" + urllib.parse.quote(term)), 200,
                   "q=" + term)
        return [i["id"] for i in r.json["items"]]
    c = ctx.create("customers", {"name": "旧名称甲乙" + tag, "type": "company"})["id"]
    check(c in ids("旧名称甲乙" + tag), "new record not found")
    expect(a.patch("/api/v1/customers/%d" % c, {"name": "新名字丙丁" + tag}), 200, "rename")
    check(c not in ids("旧名称甲乙" + tag), "old name still finds the renamed record")
    check(c in ids("新名字丙丁" + tag), "new name does not find the renamed record")
    check(c in ids("丙丁" + tag), "pair index: new name not found")
    expect(a.delete("/api/v1/customers/%d" % c), 204, "delete")
    check(c not in ids("新名字丙丁" + tag), "deleted record still found")
    made = [ctx.create("customers", {"name": "并发改名%02d" % i + tag, "type": "company"})["id"]
            for i in range(8)]
    res = []

    def go(i):
        res.append(a.patch("/api/v1/customers/%d" % made[i], {"name": "并发新名%02d" % i + tag}))
    concurrently(go, 8)
    check(all(r.status == 200 for r in res), "concurrent renames: %s" % [r.status for r in res])
    check(set(made) <= set(ids("并发新名")), "renamed records missing from q=")
    check(not set(made) & set(ids("并发改名")), "old names still find renamed records")
    for i in range(8):
        check(ids("并发新名%02d" % i + tag) == [made[i]], "record %d by its new name" % i)


def case_export(ctx):
    a = ctx.api()
    r = expect(a.get("/api/v1/customers?format=csv"), 200, "csv")
    ct = r.header("Content-Type") or ""
    check(ct.startswith("text/csv"), "csv content type %r" % ct)
    text = r.body.decode("utf-8-sig")
    header = text.splitlines()[0]
    check(re.search(r"[\u4e00-\u9fff]", header),
          "csv header row is not Chinese: %r (web/i18n/zh-CN.json present: %s)" %
          (header[:120], os.path.exists(os.path.join(ctx.srv.web_root, "i18n", "zh-CN.json"))))
    check("北京协和医院" in text, "csv lacks a customer name")
    r = expect(a.get("/api/v1/customers?format=xlsx"), 200, "xlsx")
    check(r.body[:4] == b"PK\x03\x04", "xlsx is not a zip: %r" % r.body[:8])
    r = expect(ctx.api("customer").get("/api/v1/units?format=csv"), 200, "customer csv")
    check("瑞金" not in r.body.decode("utf-8", "replace"), "customer csv shows other customers")


# ---- idempotency

def case_idempotency(ctx):
    a = ctx.api("agent")
    key = "idem-" + uniq()
    name = "幂等客户" + uniq()
    body = {"name": name, "type": "company"}
    r1 = expect(a.post("/api/v1/customers", body, headers={"Idempotency-Key": key}), 201, "first")
    check(r1.header("Idempotent-Replayed") is None, "first answer marked replayed")
    ctx.writes.append(("customer", r1.json["id"], "create"))
    r2 = a.post("/api/v1/customers", body, headers={"Idempotency-Key": key})
    check(r2.status == r1.status, "replay status %d" % r2.status)
    check(r2.body == r1.body, "replay body differs: %s vs %s" % (short(r1.body), short(r2.body)))
    check((r2.header("Idempotent-Replayed") or "").lower() == "true",
          "replay header %r" % r2.header("Idempotent-Replayed"))
    r = expect(ctx.api().get("/api/v1/customers?q=%s" % urllib.parse.quote(name)), 200, "count")
    check(r.json["total"] == 1, "%d records for one idempotent POST" % r.json["total"])
    # a different body with the same key is refused, not silently replayed
    r3 = a.post("/api/v1/customers", {"name": name + "改", "type": "company"},
                headers={"Idempotency-Key": key})
    check(r3.status == 422 and r3.err_field() == "Idempotency-Key",
          "same key other body: %s (want 422)" % r3)
    n = ctx.count("models")
    r = a.post("/api/v1/models", {"code": "I-" + uniq(), "name": "x", "category": "part"},
               headers={"Idempotency-Key": key})
    check(r.status in (403, 422), "same key on another path: %s" % r)
    r = ctx.api("admin").post("/api/v1/models", {"code": "I-" + uniq(), "name": "x",
                                                 "category": "part"},
                              headers={"Idempotency-Key": key})
    check(r.status == 201, "a key is per user: admin with agent's key: %s" % r)
    ctx.writes.append(("product_model", r.json["id"], "create"))
    r = ctx.api("admin").post("/api/v1/units", {"serial_no": "I-" + uniq(), "model_id": 1},
                              headers={"Idempotency-Key": key})
    check(r.status == 422 and r.err_field() == "Idempotency-Key",
          "same key on another path → %s (want 422)" % r)
    check(ctx.count("models") == n + 1, "models count")
    r = a.post("/api/v1/customers", body, headers={"Idempotency-Key": "bad key with spaces"})
    check(r.status == 400 and r.err_field() == "Idempotency-Key", "bad key: %s" % r)
    # 1 to 200 characters: 200 is a key, 201 is refused
    n = ctx.count("customers")
    r = a.post("/api/v1/customers", {"name": "长键" + uniq(), "type": "company"},
               headers={"Idempotency-Key": "k" * 200})
    check(r.status == 201, "a 200-character key: %s" % r)
    ctx.writes.append(("customer", r.json["id"], "create"))
    r = a.post("/api/v1/customers", {"name": "超长键" + uniq(), "type": "company"},
               headers={"Idempotency-Key": "k" * 201})
    check(r.status == 400 and r.err_field() == "Idempotency-Key", "a 201-character key: %s" % r)
    check(ctx.count("customers") == n + 1, "a refused key stored a customer")
    # concurrent first use of one key: one record, same answers
    key2 = "idem-" + uniq()
    name2 = "并发幂等" + uniq()
    res = []

    def go(_):
        res.append(a.post("/api/v1/customers", {"name": name2, "type": "company"},
                          headers={"Idempotency-Key": key2}))
    concurrently(go, 6)
    check(all(x.status == 201 for x in res), "concurrent: %s" % [x.status for x in res])
    check(len({x.body for x in res}) == 1, "concurrent replays differ")
    r = expect(ctx.api().get("/api/v1/customers?q=%s" % urllib.parse.quote(name2)), 200, "count")
    check(r.json["total"] == 1, "%d records for concurrent idempotent POSTs" % r.json["total"])
    ctx.writes.append(("customer", res[0].json["id"], "create"))
    # review 72 #10: every POST route either honours the key (replays a retry) or refuses it
    # (400 idempotency_unsupported) before doing anything; none silently ignores it
    posts = routes_mod.post_idempotency(ROOT)
    check(len(posts) > 50, "POST routes found: %d" % len(posts))
    bad = []
    with contract.bad_requests():
        for pattern, honours in posts:
            path = re.sub(r"\{[a-z_]+\}", "1", pattern)
            r = ctx.api("admin").post(path, {"idem_probe": 1},
                                      headers={"Idempotency-Key": "probe-" + uniq()})
            refused = (r.status == 400 and r.json and
                       r.json["error"].get("reason") == "idempotency_unsupported")
            if honours == refused or (200 <= r.status < 300):
                bad.append("%s %s → %d %s" % (pattern, "honours" if honours else "ignores",
                                              r.status, short(r.body, 120)))
        check(not bad, "POST routes neither replaying nor refusing the key: %s" % bad)
        # the review's case: a comment retried with a key is refused, not posted twice
        t = expect(a.post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                              "customer_id": ctx.fx["A"],
                                              "description": "幂等评论"}), 201, "ticket").json
        ev = "/api/v1/tickets/%d/events" % t["id"]
        n = len(expect(a.get(ev), 200, "events").json["items"])
        for _ in range(2):
            r = a.post("/api/v1/tickets/%d/comments" % t["id"], {"body": "请回电"},
                       headers={"Idempotency-Key": "dup-" + key})
            check(r.status == 400 and r.err_field() == "Idempotency-Key", "comment: %s" % r)
        check(len(expect(a.get(ev), 200, "events").json["items"]) == n, "a comment was written")


# ---- bad input on every write endpoint

def write_specs(ctx):
    """(method, path, valid body, str field, int field, required?, counted collection)"""
    fx = ctx.fx
    A = fx["A"]
    s = [
        ("POST", "/api/v1/session", {"username": "admin", "password": PASSWORD},
         "username", None, True, None),
        ("POST", "/api/v1/tokens", {"name": "t"}, "name", "user_id", True, "tokens"),
        ("POST", "/api/v1/users", {"username": "bad_" + uniq(), "roles": "agent",
                                   "password": PASSWORD}, "username", "department_id", True,
         "users"),
        ("PATCH", "/api/v1/users/%d" % ctx.uid["gm"], {"display_name": "总经理"},
         "display_name", "department_id", False, "users"),
        ("POST", "/api/v1/users/%d/password" % ctx.uid["admin"], {"password": PASSWORD},
         "password", None, True, None),
    ]
    ent = {
        "departments": ({"code": "B-" + uniq(), "name": "部门"}, "name", "parent_id",
                        fx["dept"]),
        "customers": ({"name": "坏输入客户", "type": "company"}, "name", "is_key", A),
        "contacts": ({"customer_id": A, "name": "联系人"}, "name", "customer_id",
                     fx["contactA"]),
        "sites": ({"customer_id": A, "name": "院区", "address": "地址"}, "name", "latitude",
                  fx["siteA"]),
        "models": ({"code": "B-" + uniq(), "name": "型号", "category": "part"}, "name",
                   "warranty_months", fx["M"]),
        "contracts": ({"number": "B-" + uniq(), "customer_id": A, "start_date": "2024-01-01"},
                      "number", "warranty_months", fx["contractA"]),
        "units": ({"serial_no": "B-" + uniq(), "model_id": fx["M"], "customer_id": A},
                  "serial_no", "model_id", fx["unitA"]),
    }
    for coll, (valid, sf, intf, rid) in ent.items():
        s.append(("POST", "/api/v1/" + coll, valid, sf, intf, True, coll))
        pv = {sf: "改" + uniq()[:4]} if coll != "units" else {"notes": "x"}
        pint = intf if coll not in ("contacts", "sites") else "latitude"
        if coll == "contacts":
            pint = None
        s.append(("PATCH", "/api/v1/%s/%d" % (coll, rid), pv, sf, pint, False, coll))
    return s


def bad_inputs(sf, intf, valid, required):
    """(label, raw body bytes, expected status, field that must be named or None)"""
    enc = lambda o: json.dumps(o, ensure_ascii=False).encode()  # noqa: E731
    out = [
        ("malformed JSON", b'{"' + sf.encode() + b'": "x", ', 400, None),
        ("trailing garbage", enc(valid) + b" xyz", 400, None),
        ("JSON array", b"[" + enc(valid) + b"]", 400, None),
        ("JSON string", b'"hello"', 400, None),
        ("JSON null", b"null", 400, None),
        ("empty body", b"", 400, None),
        ("integer for string", enc(dict(valid, **{sf: 12345})), 400, sf),
        ("object for string", enc(dict(valid, **{sf: {"a": 1}})), 400, sf),
        ("array for string", enc(dict(valid, **{sf: ["a"]})), 400, sf),
        ("unknown field", enc(dict(valid, no_such_field=1)), 400, "no_such_field"),
        ("read-only field", enc(dict(valid, id=5)), 400, "id"),
        ("over-long string", enc(dict(valid, **{sf: "长" * 10000})), 400, sf),
        ("invalid UTF-8", b'{"' + sf.encode() + b'": "\xff\xfe\xc3("}', 400, None),
        ("NUL via \\u0000", enc(valid)[:-1] + b', "zz_nul": "a\\u0000b"}', 400, None),
        ("NUL in field", b'{"' + sf.encode() + b'": "a\\u0000b"}', 400, None),
        ("duplicate key", b'{"' + sf.encode() + b'": "a", "' + sf.encode() + b'": "b"}', 400,
         None),
    ]
    if intf:
        out.append(("string for integer", enc(dict(valid, **{intf: "1"})), 400, intf))
        if intf not in ("latitude", "longitude"):  # reals: 1.5 is fine there
            out.append(("float for integer", enc(dict(valid, **{intf: 1.5})), 400, intf))
        out.append(("huge integer", enc(dict(valid))[:-1] + (', "%s": 1e400}' % intf).encode(),
                    400, None))
    if required:
        out.append(("missing required fields", b"{}", 400, "*"))
    return out


def case_bad_input(ctx, spec):
    method, path, valid, sf, intf, required, coll = spec
    a = ctx.api()
    problems = []
    for label, raw, status, field in bad_inputs(sf, intf, valid, required):
        n0 = ctx.count(coll) if coll else None
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
        if coll and ctx.count(coll) != n0:
            problems.append("%s: %s count changed" % (label, coll))
        if ctx.audit_max() != au0:
            problems.append("%s: an audit row was written" % label)
    # wrong content type is not an excuse to accept non-JSON
    # 50 MB body
    au0 = ctx.audit_max()
    st = ctx.srv.big_body(method, path, ctx.tok["admin"], 50 << 20)
    if st != 413:
        problems.append("50 MB body → %s (want 413)" % st)
    h = ctx.srv.request("GET", "/healthz")
    if h.status != 200:
        problems.append("server unhealthy after 50 MB body: %s" % h)
    if ctx.audit_max() != au0:
        problems.append("50 MB body: an audit row was written")
    # SQL metacharacters are data
    if path != "/api/v1/session" and not path.endswith("/password"):
        body = dict(valid, **{sf: SQL_EVIL})
        if sf == "username":
            body[sf] = "sql_" + uniq()  # usernames are restricted to [A-Za-z0-9._@-]
            body["display_name"] = SQL_EVIL
        if sf in ("code", "number", "serial_no"):
            body[sf] = SQL_EVIL + uniq()
        r = ctx.srv.request(method, path, body=body, token=ctx.tok["admin"])
        if not 200 <= r.status < 300:
            problems.append("SQL metacharacters → %s" % r)
        else:
            key = "display_name" if sf == "username" else sf
            got = r.json.get(key)
            if got != body[key]:
                problems.append("SQL metacharacters stored as %r" % got)
            if coll:
                ent = ENTITY.get(coll)
                rid = r.json.get("id")
                if ent and rid:
                    ctx.writes.append((ent, rid, "create" if method == "POST" else "update"))
                    g = a.get("/api/v1/%s/%d" % (coll, rid))
                    if g.status != 200 or g.json.get(key) != body[key]:
                        problems.append("SQL metacharacters read back as %s" % short(g.body))
            elif path == "/api/v1/tokens":
                lst = a.get("/api/v1/tokens")
                if SQL_EVIL not in lst.body.decode("utf-8", "replace") and \
                        json.dumps(SQL_EVIL)[1:-1] not in lst.body.decode():
                    problems.append("token name not stored verbatim")
        if ctx.srv.request("GET", "/api/v1/customers?limit=1", token=ctx.tok["admin"]).status \
                != 200:
            problems.append("customers table gone after SQL metacharacters")
    return problems


@contract.invalid_requests
def case_bad_generic(ctx, m, p):
    """Write routes without a hand-written spec: broken bodies are 400 and write nothing."""
    problems = []
    path = p.replace("{id}", str(ctx.fx["A"]))
    for label, raw in (("malformed JSON", b'{"a": '), ("JSON array", b"[]"),
                       ("invalid UTF-8", b'{"a": "\xff"}'),
                       ("NUL via \\u0000", b'{"a": "\\u0000"}')):
        au0 = ctx.audit_max()
        r = ctx.srv.request(m, path, body=raw, token=ctx.tok["admin"])
        if r.status not in (400, 404) or not r.is_error_body():
            problems.append("%s → %s" % (label, r))
        if ctx.audit_max() != au0:
            problems.append("%s: an audit row was written" % label)
    st = ctx.srv.big_body(m, path, ctx.tok["admin"], 50 << 20)
    if st != 413:
        problems.append("50 MB body → %s (want 413)" % st)
    return problems


@contract.invalid_requests
def case_bad_delete(ctx, coll, rid):
    a = ctx.api()
    problems = []
    au0 = ctx.audit_max()
    for path, hdrs, want, field in (
            ("/api/v1/%s/abc" % coll, None, 404, None),
            ("/api/v1/%s/0" % coll, None, 404, None),
            ("/api/v1/%s/-1" % coll, None, 404, None),
            ("/api/v1/%s/99999999" % coll, None, 404, None),
            ("/api/v1/%s/1%%27%%3B" % coll, None, 404, None),
            ("/api/v1/%s/%d" % (coll, rid), {"If-Match": "garbage"}, 400, "If-Match"),
            ("/api/v1/%s/%d" % (coll, rid), {"If-Match": '"999"'}, 412, None)):
        r = a.delete(path, headers=hdrs)
        if r.status != want or not r.is_error_body():
            problems.append("DELETE %s %s → %s (want %d)" % (path, hdrs or "", r, want))
        elif field and r.err_field() != field:
            problems.append("DELETE %s names %r" % (path, r.err_field()))
    if a.get("/api/v1/%s/%d" % (coll, rid)).status != 200:
        problems.append("record %d deleted by a bad DELETE" % rid)
    if ctx.audit_max() != au0:
        problems.append("bad DELETEs wrote audit rows")
    return problems


@contract.invalid_requests
def case_bad_other_writes(ctx):
    problems = []
    a = ctx.api()
    au0 = ctx.audit_max()
    r = a.delete("/api/v1/session")
    if r.status != 400 or not r.is_error_body():
        problems.append("DELETE /session with a bearer token → %s (want 400)" % r)
    for p, want in (("/api/v1/tokens/abc", 404), ("/api/v1/tokens/0", 404),
                    ("/api/v1/tokens/99999999", 404)):
        r = a.delete(p)
        if r.status != want:
            problems.append("DELETE %s → %s" % (p, r))
    r = a.post("/api/v1/users/99999999/password", {"password": PASSWORD})
    if r.status != 404:
        problems.append("password of a missing user → %s" % r)
    r = a.post("/api/v1/users/%d/password" % ctx.uid["admin"], {"password": "short"})
    if r.status != 400 or r.err_field() != "password":
        problems.append("short password → %s" % r)
    r = ctx.api("agent").post("/api/v1/users/%d/password" % ctx.uid["agent"],
                              {"password": PASSWORD, "current_password": "wrong-password"})
    if r.status != 403:
        problems.append("wrong current password → %s" % r)
    r = a.post("/api/v1/users", {"username": "x y", "roles": "agent", "password": PASSWORD})
    if r.status != 400 or r.err_field() != "username":
        problems.append("bad username → %s" % r)
    r = a.post("/api/v1/users", {"username": "u" + uniq(), "roles": "wizard",
                                 "password": PASSWORD})
    if r.status != 400 or r.err_field() != "roles":
        problems.append("unknown role → %s" % r)
    r = a.post("/api/v1/users", {"username": "u" + uniq(), "roles": "customer",
                                 "password": PASSWORD})
    if r.status != 400 or r.err_field() != "customer_id":
        problems.append("customer without customer_id → %s" % r)
    r = a.post("/api/v1/users", {"username": "admin", "roles": "agent", "password": PASSWORD})
    if r.status != 409:
        problems.append("duplicate username → %s" % r)
    r = a.post("/api/v1/units", {"serial_no": "R-" + uniq(), "model_id": 99999999})
    if r.status != 400 or r.err_field() != "model_id":
        problems.append("unit with a missing model → %s" % r)
    r = a.post("/api/v1/sites", {"customer_id": ctx.fx["A"], "name": "x", "address": "y",
                                 "latitude": 91, "longitude": 0})
    if r.status != 400 or r.err_field() != "latitude":
        problems.append("latitude 91 → %s" % r)
    r = a.post("/api/v1/customers", {"name": "x", "type": "company", "email": "not-mail"})
    if r.status != 400 or r.err_field() != "email":
        problems.append("bad email → %s" % r)
    r = a.post("/api/v1/customers", {"name": "   ", "type": "company"})
    if r.status != 400 or r.err_field() != "name":
        problems.append("blank name → %s" % r)
    r = a.post("/api/v1/contracts", {"number": "C-" + uniq(), "customer_id": ctx.fx["A"],
                                     "start_date": "2024-02-30"})
    if r.status != 400 or r.err_field() != "start_date":
        problems.append("2024-02-30 → %s" % r)
    r = a.patch("/api/v1/contacts/%d" % ctx.fx["contactA"], {"customer_id": ctx.fx["B"]})
    if r.status != 400 or r.err_field() != "customer_id":
        problems.append("moving a contact → %s" % r)
    r = a.patch("/api/v1/customers/%d" % ctx.fx["A"], {"name": "x"},
                headers={"If-Match": "abc"})
    if r.status != 400 or r.err_field() != "If-Match":
        problems.append("bad If-Match → %s" % r)
    if ctx.audit_max() != au0:
        problems.append("refused writes wrote audit rows")
    return problems


# ---- static files

def case_static(ctx):
    s = ctx.srv
    idx = os.path.join(s.web_root, "index.html")
    want = None
    if os.path.exists(idx):
        with open(idx, "rb") as f:
            want = f.read()
        for p in ("/", "/index.html"):
            r = expect(s.request("GET", p), 200, "GET " + p)
            check(r.body == want, "GET %s is not web/index.html" % p)
    else:
        print("# static: %s absent, GET / not checked" % idx, flush=True)
    for p in ("/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
              "/.git/config", "/../.git/config", "/%2e%2e/.git/config", "/.%2e/.git/config",
              "/../../../../../../etc/passwd", "/....//....//etc/passwd", "/%00/etc/passwd",
              "/..\\..\\etc\\passwd", "//etc/passwd", "/.env", "/i18n/../../.git/config"):
        r = s.request("GET", p)
        if r.status == 200 and os.path.exists(idx) and r.body == want:
            continue  # e.g. "/%00/…" is cut at the NUL to "/": the index page, no file leak
        check(r.status in (400, 404), "GET %s → %d %s" % (p, r.status, short(r.body, 80)))
        check(b"root:" not in r.body and b"[core]" not in r.body,
              "GET %s returned file content" % p)


# ---- audit

def case_audit(ctx):
    a = ctx.api()
    problems = []
    by = {}
    for ent, rid, act in ctx.writes:
        by.setdefault((ent, rid), []).append(act)
    for (ent, rid), acts in by.items():
        r = a.get("/api/v1/audit?entity=%s&id=%d&limit=500" % (ent, rid))
        if r.status != 200:
            problems.append("audit %s %d: %s" % (ent, rid, r))
            continue
        items = r.json["items"]
        for act in set(acts):
            rows = [i for i in items if i["action"] == act and i["entity"] == ent and
                    i["entity_id"] == rid]
            if len(rows) < acts.count(act):
                problems.append("%s %d: %d %s rows, want %d" % (ent, rid, len(rows), act,
                                                                 acts.count(act)))
                continue
            for i in rows:
                b, af = i["before"], i["after"]
                if act == "create" and (b is not None or not isinstance(af, dict) or
                                        af.get("id") != rid):
                    problems.append("%s %d create row before=%s after=%s" % (ent, rid, b, af))
                if act == "update" and (not isinstance(b, dict) or not isinstance(af, dict) or
                                        af.get("version") != b.get("version", 0) + 1):
                    problems.append("%s %d update row before/after wrong" % (ent, rid))
                if act == "delete" and (not isinstance(b, dict) or af is not None):
                    problems.append("%s %d delete row before/after wrong" % (ent, rid))
                if not i.get("username") or not i.get("at"):
                    problems.append("%s %d row lacks who/when" % (ent, rid))
    if len(by) < 50:
        problems.append("only %d records tracked" % len(by))
    r = a.get("/api/v1/audit?id=abc", bad=True)
    if r.status != 400:
        problems.append("audit ?id=abc → %s" % r)
    return problems


# ---- graceful stop

def case_graceful(ctx):
    s = ctx.srv
    results = {}
    # a request whose body is still arriving when SIGTERM comes
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=20)
    body = json.dumps({"name": "停机中的客户" + uniq(), "type": "company"},
                      ensure_ascii=False).encode()
    sock.sendall(("POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                  "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                  % (ctx.tok["admin"], len(body))).encode() + body[:10])

    def slow(i):
        try:
            r = s.request("GET", "/api/v1/customers?limit=500&format=csv", token=ctx.tok["admin"])
            results[i] = r.status
        except Exception as e:
            results[i] = repr(e)
    ts = [threading.Thread(target=slow, args=(i,)) for i in range(6)]
    [t.start() for t in ts]
    time.sleep(0.15)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.4)
    sock.sendall(body[10:])
    buf = b""
    sock.settimeout(15)
    try:
        while b"\r\n\r\n" not in buf:
            d = sock.recv(65536)
            if not d:
                break
            buf += d
    except OSError as e:
        buf += repr(e).encode()
    sock.close()
    [t.join(20) for t in ts]
    try:
        rc = s.proc.wait(20)
    except subprocess.TimeoutExpired:
        rc = "still running 20 s after SIGTERM"
    s.proc = None
    s.log.close()
    m = re.match(rb"HTTP/1\.1 (\d+)", buf)
    check(m and int(m.group(1)) == 201, "in-flight POST got %r" % short(buf, 120))
    check(all(v == 200 for v in results.values()) and len(results) == 6,
          "in-flight GETs: %s" % results)
    check(rc == 0, "exit status %r" % (rc,))


# ---- login throttling (last: it blocks sign-in from 127.0.0.1 for 15 minutes)

def case_throttle(ctx):
    # Changed for issue 10: a fresh source address (the current-password check of
    # case_bad_other_writes now counts towards 127.0.0.1's limit, L1), and ten different
    # usernames (a fourth quick failure for one account from one address now waits a
    # growing delay, item 4); the per-address limit of 10 is what this case checks.
    s = ctx.srv
    src = "127.0.0.60"
    user = ctx.uname["technician"]
    names = [user] + ["nobody-%d-%s" % (i, uniq()) for i in range(9)]
    for i, name in enumerate(names):
        r = s.request("POST", "/api/v1/session", body={"username": name,
                                                      "password": "wrong-password-%d" % i},
                      source=src)
        check(r.status == 401, "failed sign-in %d → %s" % (i + 1, r))
    r = s.request("POST", "/api/v1/session", body={"username": "nobody-x-" + uniq(),
                                                  "password": "wrong-password-x"}, source=src)
    check(r.status == 429, "11th failed sign-in → %s (want 429)" % r)
    check(r.is_error_body(), "429 body %s" % short(r.body))
    check(r.header("Retry-After"), "429 without Retry-After")
    r = s.request("POST", "/api/v1/session", body={"username": user, "password": PASSWORD},
                  source=src)
    check(r.status == 429, "right password while throttled → %s" % r)
    r = s.request("POST", "/api/v1/session", body={"username": "nobody-" + uniq(),
                                                  "password": "x"}, source=src)
    check(r.status == 429, "another user from the same IP → %s (per-IP limit)" % r)
    expect(s.request("GET", "/api/v1/session", token=ctx.tok["technician"]), 200,
           "bearer tokens still work")


# ---- crash (SQLite)

def case_crash(binary, workdir, web_root):
    d = os.path.join(workdir, "crash")
    os.makedirs(d)
    dbu = "sqlite:" + os.path.join(d, "crash.db")
    srv = Server(binary, dbu, d, web_root)
    pw = os.path.join(d, "pw")
    with open(pw, "w") as f:
        f.write(PASSWORD)
    srv.cli("init", "--db", dbu, "--admin", "admin", "--password-file", pw)
    tok = token_for(srv, dbu, "admin")
    srv.start()
    try:
        r = expect(srv.request("POST", "/api/v1/models", token=tok,
                               body={"code": "CR-1", "name": "崩溃型号", "category": "part",
                                     "warranty_months": 12}), 201, "model")
        mid = r.json["id"]
        acked_c, acked_u = [], []
        lock = threading.Lock()
        stop = threading.Event()

        def worker(t):
            i = 0
            while not stop.is_set():
                i += 1
                cb = {"name": "崩溃客户-%d-%d" % (t, i), "type": "company",
                      "province": "广东", "city": "深圳", "phone": "0755-1234%03d" % (i % 1000),
                      "notes": "线程%d 第%d条 '\";--" % (t, i), "is_key": i % 2 == 0}
                try:
                    r = srv.request("POST", "/api/v1/customers", body=cb, token=tok, timeout=10)
                except Exception:
                    return
                if r.status != 201:
                    continue
                with lock:
                    acked_c.append((r.json["id"], cb))
                ub = {"serial_no": "CR-%d-%d-%s" % (t, i, uniq()[:4]), "model_id": mid,
                      "customer_id": r.json["id"], "install_date": "2025-01-%02d" % (i % 28 + 1),
                      "notes": "并发"}
                try:
                    r = srv.request("POST", "/api/v1/units", body=ub, token=tok, timeout=10)
                except Exception:
                    return
                if r.status == 201:
                    with lock:
                        acked_u.append((r.json["id"], ub))
        ts = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
        [t.start() for t in ts]
        time.sleep(2.0)
        srv.proc.kill()  # SIGKILL mid-flight
        srv.proc.wait()
        stop.set()
        [t.join(15) for t in ts]
        srv.log.close()
        srv.proc = None
        check(len(acked_c) > 20, "only %d customers acknowledged before the kill" % len(acked_c))
        srv.start()
        missing, wrong = [], []
        for coll, acked in (("customers", acked_c), ("units", acked_u)):
            for rid, sent in acked:
                r = srv.request("GET", "/api/v1/%s/%d" % (coll, rid), token=tok)
                if r.status != 200:
                    missing.append("%s %d" % (coll, rid))
                    continue
                for k, v in sent.items():
                    if r.json.get(k) != v:
                        wrong.append("%s %d %s=%r sent %r" % (coll, rid, k, r.json.get(k), v))
        check(not missing, "%d acknowledged records lost after SIGKILL: %s" %
              (len(missing), missing[:8]))
        check(not wrong, "records differ after restart: %s" % wrong[:5])

        def all_rows(coll):
            rows, cur = [], None
            while True:
                r = expect(srv.request("GET", "/api/v1/%s?limit=500%s" % (
                    coll, "&cursor=" + urllib.parse.quote(cur) if cur else ""), token=tok),
                    200, "list " + coll)
                rows += r.json["items"]
                cur = r.json["next_cursor"]
                if not cur:
                    return rows
        cust = {c["id"] for c in all_rows("customers")}
        orphans = [u["id"] for u in all_rows("units") if u["customer_id"] not in cust]
        check(not orphans, "units whose customer is missing: %s" % orphans[:8])
        expect(srv.request("POST", "/api/v1/customers", token=tok,
                           body={"name": "重启后", "type": "company"}), 201, "write after restart")
        print("# crash: %d customers and %d units acknowledged before SIGKILL, all present"
              % (len(acked_c), len(acked_u)), flush=True)
    finally:
        srv.stop(signal.SIGKILL)


# ---------------------------------------------------------------- main

def pg_setup(dsn):
    name = "shouhou_test_" + uuid.uuid4().hex[:12]
    p = subprocess.run(["psql", dsn, "-v", "ON_ERROR_STOP=1", "-qAt", "-c",
                        "CREATE DATABASE %s" % name], capture_output=True, timeout=60)
    if p.returncode != 0:
        raise Fail("cannot create database %s: %s" % (name, short(p.stderr, 300)))
    u = urllib.parse.urlsplit(dsn)
    url = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))
    return name, url


def pg_drop(dsn, name):
    subprocess.run(["psql", dsn, "-qAt", "-c", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name],
                   capture_output=True, timeout=60)


# The modules after the suite's own cases, in the order they run: (module, what it covers,
# threaded). A threaded module exercises state the server shares between threads: the files
# of src/ with a mutex or an atomic (app/auth, i18n, passwords, report_dashboard; base/log,
# metrics, ticker; http/guard, pool, ratelimit, server, static; jobs/notify; store/db*): the
# SLA scanner and the outbox worker beside the handlers, the password-hash pool, rate limits,
# the HTTP layer, the dashboard cache, PDFs (pango's own threads), backup while writing, the
# group-commit writer. SH_API_SUBSET=threaded runs only those, and of the suite's own cases
# those that are (CI's ThreadSanitizer run, .ci/run: a race needs two threads on shared
# state, and the rest of the suite runs one request at a time through the same shared code).
MODULES = [
    ("test_tickets", "tickets: intake, actions, SLA clocks, queues, attachments", True),
    ("test_dispatch", "dispatch: technicians, skills, the optimizer's API", False),
    ("test_dispatch2", "issue 10 #13: solve time cap", True),
    ("test_public", "the public QR page and its limits", True),
    ("test_ui_api", "what the web UI asks of the API", False),
    ("test_entity2", "declarations: reasons, /meta, exports, the memory cap", True),
    ("test_http", "the HTTP layer: deadlines, limits, headers", True),
    ("test_auth2", "issue 10: sign-in limits, password hashing", True),
    ("test_tickets2", "tickets: more actions and rules", False),
    ("test_contract", "issue 17: the checker, /api/docs", False),
    ("test_surveys", "issue 11 item 6", False),
    ("test_work_orders", "issue 11: work orders", False),
    ("test_wo_dispatch", "review 71: skills, late notice, reassignment", False),
    ("test_shipments", "issue 12 items 1 and 6", False),
    ("test_visits", "issue 11 items 7 and 9", False),
    ("test_fees", "issue 13 items 1, 3, 4", False),
    ("test_charges", "issue 13 item 6: charges, costs", False),
    ("test_account", "review 68 M4, M6: account statement", False),
    ("test_charge_receipts", "review 68 M7, M11: receipts, credits", False),
    ("test_quotes", "issue 13 item 5: quotes", False),
    ("test_checklists", "issue 11 item 4: checklists, photos", False),
    ("test_reports", "issue 11 item 5: the service report", True),
    ("test_projects", "issue 12 items 2, 5: projects", False),
    ("test_proj", "issue 12: sign scope, DOA link", False),
    ("test_backup", "issue 16 item 3: backup and restore", True),
    ("test_ops", "issue 16 item 6: doctor, systemd unit", True),
    ("test_arch", "issue 9: edits carried to the tickets", False),
    ("test_approvals", "issue 12 items 3 and 7", False),
    ("test_dealer_apps", "issue 13 item 2", False),
    ("test_rmas", "issue 14 items 2 and 3: RMA, replacement", False),
    ("test_disc", "issue 18 item 7: discipline", False),
    ("test_cmpl", "issue 14 items 4-6, R-179: complaints", False),
    ("test_qual", "issue 14 gaps: R-186 work orders, credits, F-11 PDF", False),
    ("test_chain", "issue 12: the whole chain, one case", False),
    ("test_trips", "issue 12 item 4: business trips", False),
    ("test_parts", "issue 14 item 1: spare parts", False),
    ("test_ver", "issue 18 item 3: versions, upgrade campaigns", False),
    ("test_notify", "issue 15 item 1: delivery of the outbox", True),
    ("test_notify_tmpl", "issue 15 items 2 and 5", True),
    ("test_scale", "issue 16 item 2: two instances, haproxy", False),
    ("test_pgrt", "issue 16 item 1: PG round trips, PgBouncer", False),
    ("test_pgget", "issue 16: a GET in one round trip", False),
    ("test_pgdrv", "issue 16 item 1: deferred, named statements", False),
    ("test_pgw", "issue 16 item 1: statements of a write", False),
    ("test_pgs", "issue 16 item 1: q= walk, index, keyset", False),
    ("test_kpis", "issue 15 items 3 and 4: registers, KPIs", True),
    ("test_dash2", "issue 15: the first paint of the dashboard", True),
    ("test_know", "issue 18 item 4: knowledge base", False),
    ("test_kb2", "issue 18 items 4, 7, 8: attachments, q=", False),
    ("test_diag", "issue 18 items 1 and 8: diagnosis, leads", False),
    ("test_tel", "issue 18 items 2, 5, 6: calls, suppliers", False),
    ("test_rep", "R-190 warranty expiry, R-174 shipments", False),
    ("test_training_report", "R-189 training report", False),
    ("test_abuse", "review 69: upload names, SMS, staff notes, log, bounds", False),
]


def own_cases(ctx, runner, subset):
    """The suite's own cases, before the modules: the route table, authentication, the
    role matrix, CRUD, lists, exports, idempotency, bad input on every write."""
    routes = routes_mod.load_routes(ROOT)
    runner.run("route table parsed (%d routes)" % len(routes),
               lambda: check(len(routes) >= 50, "only %d routes parsed" % len(routes)))
    runner.run("health", case_health, ctx)
    runner.multi("auth: 401 without or with bad credentials on every route",
                 case_auth_required, ctx, routes)
    runner.run("auth: session cookie, CSRF, sign-out", case_session, ctx)
    runner.run("auth: tokens create/list/revoke", case_tokens, ctx)
    if not subset:  # one request at a time: the matrix, CRUD, warranty
        case_matrix(ctx, routes, runner)
        runner.multi("scope: customer account sees only its customer", case_scope, ctx,
                     "customer", "A", "B")
        runner.multi("scope: dealer account sees only its customer", case_scope, ctx,
                     "dealer", "D", "A")
        for coll in CRUD:
            runner.run("crud %s" % coll, case_crud, ctx, coll)
        runner.run("crud: delete of a referenced record → 409", case_delete_referenced, ctx)
        runner.run("warranty", case_warranty, ctx)
        runner.run("warranty: contract cascade is audited on the unit",
                   case_warranty_cascade_audit, ctx)
    runner.run("lists: limit, sort, cursor, filters, bad params, expand", case_lists, ctx)
    runner.run("lists: q= search (Chinese 1/2/3+ chars, serial number)", case_search, ctx)
    runner.run("lists: q= follows renames and deletes, also concurrent ones",
               case_search_follows_changes, ctx)
    runner.run("lists: format=csv and format=xlsx", case_export, ctx)
    runner.run("idempotency", case_idempotency, ctx)
    if not subset:  # bad input, one request at a time
        for spec in write_specs(ctx):
            runner.multi("bad input %s %s" % (spec[0], re.sub(r"/\d+", "/{id}", spec[1])),
                         case_bad_input, ctx, spec)
        for coll in ("departments", "customers", "contacts", "sites", "models", "contracts",
                     "units"):
            rid = fresh(ctx, coll, "admin")
            runner.multi("bad input DELETE /api/v1/%s/{id}" % coll, case_bad_delete, ctx,
                         coll, rid)
        covered = {(sp[0], re.sub(r"/\d+", "/{id}", sp[1])) for sp in write_specs(ctx)}
        for m, p, roles, public, ent in routes:
            if m in ("POST", "PATCH", "PUT") and (m, p) not in covered:
                runner.multi("bad input (generic) %s %s" % (m, p), case_bad_generic, ctx, m, p)
        runner.multi("bad input: other write endpoints and validation hooks",
                     case_bad_other_writes, ctx)


def tail_cases(ctx, runner, mode, binary, workdir, web_root, dsn):
    """The suite's own cases after the modules: the audit of every write made before,
    a graceful stop and a restart, throttling, a crash under writers."""
    srv = ctx.srv
    if mode == "pg":
        runner.run("tickets: two instances on one PostgreSQL escalate each breach once",
                   test_tickets.case_pg_two_scanners, binary, workdir, web_root, dsn,
                   pg_setup, pg_drop)
    runner.run("static files and path traversal", case_static, ctx)
    runner.multi("audit: every successful write has its row", case_audit, ctx)
    runner.run("graceful stop: SIGTERM drains in-flight requests, exit 0", case_graceful, ctx)
    runner.run("restart on the same database", srv.start)
    runner.run("login throttling: 11th failure → 429", case_throttle, ctx)
    if mode == "sqlite":
        runner.run("crash: SIGKILL under 8 writers loses no acknowledged write",
                   case_crash, binary, workdir, web_root)
        runner.run("public: report limits per unit and address (durable), look-ups per "
                   "address (defaults)",
                   test_public.case_limits, binary, workdir, web_root)


# SH_API_SHARDS=N runs the suite as N processes side by side, each with its own server and
# database: the first runs the suite's own cases and its share of the modules, the others their
# shares. Alone the suite waits most of its time (on SQLite, 250 s of wall for 100 s of CPU:
# slow clients, throttle windows, the SLA scanner's ticks), and where CPU is free, as at the end
# of CI's make asan, its shards fill each other's waits. The modules are dealt out by the wall
# time each took alone (WALL, seconds, on SQLite at 66eb06b: "# module" lines of a run),
# the longest first onto the shard with the least so far; the suite's own cases count OWN_WALL.
# A module not in WALL counts 0.5 s. Each shard runs its modules in MODULES' order.
OWN_WALL = 30.0
WALL = {"test_auth2": 35.1, "test_tickets": 22.4, "test_http": 17.0, "test_notify": 16.6,
        "test_dispatch2": 11.6, "test_ops": 9.3, "test_entity2": 8.7, "test_backup": 6.3,
        "test_pgs": 4.8, "test_trips": 3.5, "test_contract": 3.2, "test_dealer_apps": 2.7,
        "test_reports": 2.2, "test_dispatch": 2.1, "test_pgget": 2.0, "test_fees": 1.7,
        "test_cmpl": 1.7, "test_work_orders": 1.6, "test_rmas": 1.6, "test_quotes": 1.6,
        "test_diag": 1.5, "test_proj": 1.4, "test_approvals": 1.4, "test_parts": 1.1}


def shard_count():
    try:
        return max(1, int(os.environ.get("SH_API_SHARDS", "1") or 1))
    except ValueError:
        return 1


def shard_plan(n, names):
    """{module: shard} for n shards."""
    load = [OWN_WALL] + [0.0] * (n - 1)
    plan = {}
    for name in sorted(names, key=lambda m: -WALL.get(m, 0.5)):
        i = min(range(n), key=lambda k: load[k])
        plan[name] = i
        load[i] += WALL.get(name, 0.5)
    return plan


def run_shards(n, label):
    """Runs this suite as n shards side by side (SH_API_SHARD=0..n-1) and prints their output,
    one shard after the other, then the sum: the last line is "<label>: N passed, N failed"."""
    procs = []
    for i in range(n):
        out = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        env = dict(os.environ, SH_API_SHARD=str(i))
        procs.append((subprocess.Popen([sys.executable, "-u", os.path.abspath(__file__)] +
                                       sys.argv[1:], stdout=out, stderr=subprocess.STDOUT,
                                       env=env), out))
    passed = failed = 0
    for i, (p, out) in enumerate(procs):
        rc = p.wait()
        out.seek(0)
        text = out.read()
        print("# ---- shard %d of %d (exit %d)" % (i + 1, n, rc))
        sys.stdout.write(text)
        m = re.findall(r"^%s shard \d+/\d+: (\d+) passed, (\d+) failed$" % re.escape(label),
                       text, re.M)
        if m:
            passed, failed = passed + int(m[-1][0]), failed + int(m[-1][1])
        if not m or (rc != 0 and int(m[-1][1]) == 0):
            print("FAIL - shard %d: exit %d without its count of failures" % (i + 1, rc))
            failed += 1
    print("%s: %d passed, %d failed" % (label, passed, failed))
    return 1 if failed else 0


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("sqlite", "pg"):
        print("usage: test_api.py BUILD_DIR sqlite|pg", file=sys.stderr)
        return 2
    build, mode = sys.argv[1], sys.argv[2]
    label = "api-" + mode
    if shard_count() > 1 and "SH_API_SHARD" not in os.environ:
        return run_shards(shard_count(), label)
    subset = os.environ.get("SH_API_SUBSET", "") == "threaded"  # MODULES, above
    binary = os.path.abspath(os.path.join(build, "shouhou"))
    runner = Runner(label)
    if not os.access(binary, os.X_OK):
        runner.fail("binary", "%s not found or not executable" % binary)
        print("%s: %d passed, %d failed" % (label, runner.passed, runner.failed))
        return 1
    pg_name = None
    dsn = os.environ.get("SHOUHOU_TEST_PG", "").strip()
    if mode == "pg" and not dsn:
        print("api-pg: PostgreSQL not configured (set SHOUHOU_TEST_PG)")
        # make check starts the private cluster of scripts/pg.sh when PostgreSQL is
        # installed: a skip there means that start failed, which must not pass unseen
        if (os.environ.get("CI", "").lower() == "true"
                or os.path.exists("/usr/lib/postgresql/15/bin/initdb")):
            print("FAIL - postgresql: installed (or CI=true) but no cluster to test on")
            print("api-pg: 0 passed, 1 failed")
            return 1
        print("api-pg: 0 passed, 0 failed, 1 skipped")
        return 0
    workdir = tempfile.mkdtemp(prefix="shouhou-api-")
    # a private copy: other engineers may relink build/shouhou while this suite runs
    for _ in range(50):
        try:
            shutil.copy2(binary, os.path.join(workdir, "shouhou"))
            binary = os.path.join(workdir, "shouhou")
            break
        except OSError:
            time.sleep(0.2)
    web_root = os.path.join(ROOT, "web")
    t_start = time.time()
    srv = None
    try:
        if mode == "pg":
            pg_name, dbu = pg_setup(dsn)
        else:
            dbu = "sqlite:" + os.path.join(workdir, "test.db")
        srv = Server(binary, dbu, workdir, web_root)
        runner.srv = srv
        srv.env = {"SHOUHOU_SLA_SCAN_SECONDS": "1"}  # the SLA scanner every second (tickets)
        ctx = Ctx(srv)
        if not runner.run("setup (init, users for 14 roles, tokens, fixtures)", setup, ctx, dbu):
            raise SystemExit
        part = int(os.environ.get("SH_API_SHARD", "0") or 0)
        plan = shard_plan(shard_count(), [m for m, _, t in MODULES if t or not subset])
        if part == 0:
            own_cases(ctx, runner, subset)
        args = {"test_tickets": (bad_inputs,), "test_entity2": (binary, workdir, web_root)}
        for name, _, threaded in MODULES:
            if plan.get(name) == part:
                c0, w0 = cpu_spent(srv), time.time()
                __import__(name).run(ctx, runner, *args.get(name, ()))
                print("# module %s: %.1f s wall, %.1f s cpu" % (name, time.time() - w0,
                                                               cpu_spent(srv) - c0))
        if part == 0:
            tail_cases(ctx, runner, mode, binary, workdir, web_root, dsn)
    except SystemExit:
        pass
    except Exception as e:  # the harness itself broke
        runner.fail("harness", "%s: %s" % (type(e).__name__, e))
    finally:
        if srv and srv.proc:
            rc = srv.stop()
            if rc not in (0, None):
                runner.fail("server exit", "exit status %r at the end" % (rc,))
        if pg_name:
            pg_drop(dsn, pg_name)
        if runner.failed == 0 and not os.environ.get("SHOUHOU_TEST_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("# work directory (server logs): %s" % workdir)
        print("# %.1f s" % (time.time() - t_start))
        # where CI's time goes: this client (requests, contract checks) and the processes it
        # waited for (servers, CLI runs); PostgreSQL's backends are not counted
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
            resource.RUSAGE_CHILDREN)
        print("# cpu: client %.1f s, servers and CLI %.1f s" % (
            me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime))
    runner.cost_summary()
    runner.contract_summary()  # every exchange validated against docs/openapi.yaml (contract.py)
    if "SH_API_SHARD" in os.environ:  # run_shards() adds the shards' counts
        label += " shard %d/%d" % (int(os.environ["SH_API_SHARD"]) + 1, shard_count())
    print("%s: %d passed, %d failed" % (label, runner.passed, runner.failed))
    return 1 if runner.failed else 0


if __name__ == "__main__":
    sys.exit(main())

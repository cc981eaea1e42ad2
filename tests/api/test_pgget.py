"""A GET on PostgreSQL in one round trip (issue 16 item 1, figure 19): the server starts a
read-only request for the principal it last saw for the credential and reads the credential's
row again in the request's own first round trip, judging it before any answer is used. These
cases change a warm credential's user from outside the instance that serves the reads (on
PostgreSQL a second instance on the same database; on SQLite the one server) and require the
very next request to see the change: nothing is trusted from memory."""
import os
import uuid

from harness import Server, check, expect

STRONG = "Quiet-Harbour-7341"


def reader(ctx, name="pgget-reader"):
    """The instance the reads go to: a second one on PostgreSQL (its memory of credentials
    knows nothing of the changes the first makes), the one server on SQLite."""
    if not ctx.srv.db_url.startswith("postgres"):
        return None
    work = os.path.join(ctx.srv.workdir, name)
    os.makedirs(work, exist_ok=True)
    s = Server(ctx.srv.binary, ctx.srv.db_url, work, ctx.srv.web_root)
    s.env = {"SHOUHOU_SLA_SCAN_SECONDS": "3600", "SHOUHOU_NOTIFY_POLL_SECONDS": "3600"}
    s.start()
    return s


def user_with_token(ctx, roles, **extra):
    a = ctx.api("admin")
    body = {"username": "pg_" + uuid.uuid4().hex[:8], "roles": roles, "password": STRONG}
    body.update(extra)
    uid = expect(a.post("/api/v1/users", body), 201, "user").json["id"]
    tok = expect(a.post("/api/v1/tokens", {"name": "pgget", "user_id": uid}), 201,
                 "token").json
    return uid, tok


def warm(r, tok, path, n=12):
    for _ in range(n):
        expect(r.request("GET", path, token=tok), 200, "warm " + path)


def case_changes_hold_at_once(ctx):
    a = ctx.api("admin")
    extra = reader(ctx)
    r = extra or ctx.srv
    try:
        model = ctx.fx["M"]
        mine = ctx.create("customers", {"name": "一轮客户甲", "type": "company"})["id"]
        other = ctx.create("customers", {"name": "一轮客户乙", "type": "company"})["id"]
        u_mine = ctx.create("units", {"serial_no": "PG1-%d" % mine, "model_id": model,
                                      "customer_id": mine})["id"]
        u_other = ctx.create("units", {"serial_no": "PG1-%d" % other, "model_id": model,
                                       "customer_id": other})["id"]
        uid, tok = user_with_token(ctx, "agent")
        t = tok["token"]
        qr = "/api/v1/units/%d/qr.svg" % u_other
        warm(r, t, "/api/v1/units/%d" % u_other)
        warm(r, t, qr)
        # another role and scope: a customer account sees only its own units, no QR labels
        expect(a.patch("/api/v1/users/%d" % uid, {"roles": "customer", "customer_id": mine}),
               200, "to customer")
        expect(r.request("GET", qr, token=t), 403, "QR label right after the role change")
        expect(r.request("GET", "/api/v1/units/%d" % u_other, token=t), 404,
               "another customer's unit right after the scope change")
        warm(r, t, "/api/v1/units/%d" % u_mine)
        # and back: allowed again at once
        expect(a.patch("/api/v1/users/%d" % uid, {"roles": "agent", "customer_id": None}),
               200, "back to agent")
        expect(r.request("GET", qr, token=t), 200, "QR label right after the role is back")
        expect(r.request("GET", "/api/v1/units/%d" % u_other, token=t), 200, "unit again")
        # revoked (by the API of the other instance, and by the CLI: another process)
        warm(r, t, "/api/v1/units/%d" % u_other)
        expect(a.delete("/api/v1/tokens/%d" % tok["id"]), 204, "revoke")
        expect(r.request("GET", "/api/v1/units/%d" % u_other, token=t), 401,
               "revoked token, next request")
        uid2, tok2 = user_with_token(ctx, "agent")
        warm(r, tok2["token"], "/api/v1/units/%d" % u_other)
        ctx.srv.cli("token", "revoke", str(tok2["id"]), "--db", ctx.srv.db_url)
        expect(r.request("GET", "/api/v1/units/%d" % u_other, token=tok2["token"]), 401,
               "token revoked by the CLI, next request")
        # a disabled account
        uid3, tok3 = user_with_token(ctx, "agent")
        warm(r, tok3["token"], "/api/v1/meta")
        expect(a.patch("/api/v1/users/%d" % uid3, {"active": False}), 200, "disable")
        expect(r.request("GET", "/api/v1/meta", token=tok3["token"]), 401,
               "disabled account on a route that reads nothing")
        # the instance still answers the other callers (no refused guess sticks)
        expect(r.request("GET", "/api/v1/units/%d" % u_mine, token=ctx.tok["admin"]), 200,
               "admin")
        check(uid2 != uid3, "two users")
    finally:
        if extra:
            extra.stop()


def units_with_serial(ctx, serial):
    r = expect(ctx.api("admin").get("/api/v1/units?q=%s" % serial), 200, "units by serial")
    return [u for u in r.json["items"] if u["serial_no"] == serial]


def case_writes_hold_at_once(ctx):
    """A write may start for the caller foreseen too (POST /units, POST /tickets: the
    credential's row goes with the write's first round trip and is judged before COMMIT):
    a change made elsewhere holds from the very next write on, and the refused write stores
    nothing."""
    a = ctx.api("admin")
    extra = reader(ctx, "pgget-writer")
    r = extra or ctx.srv
    try:
        model = ctx.fx["M"]
        cust = ctx.create("customers", {"name": "一轮写入客户", "type": "company"})["id"]
        n = [0]

        def post_unit(tok, status, what):
            n[0] += 1
            serial = "PGW-%d-%d" % (cust, n[0])
            expect(r.request("POST", "/api/v1/units",
                             {"serial_no": serial, "model_id": model, "customer_id": cust},
                             token=tok), status, what)
            return serial

        def warm_writes(tok):
            for _ in range(4):
                post_unit(tok, 201, "warm POST /units")

        # revoked by the API of the other instance: the next write is refused, nothing stored
        uid, tok = user_with_token(ctx, "agent")
        warm_writes(tok["token"])
        expect(a.delete("/api/v1/tokens/%d" % tok["id"]), 204, "revoke")
        serial = post_unit(tok["token"], 401, "revoked token, next POST /units")
        check(units_with_serial(ctx, serial) == [], "the refused write stored its unit")
        # another role: a customer account may not register units
        uid2, tok2 = user_with_token(ctx, "agent")
        warm_writes(tok2["token"])
        expect(a.patch("/api/v1/users/%d" % uid2, {"roles": "customer", "customer_id": cust}),
               200, "to customer")
        serial = post_unit(tok2["token"], 403, "POST /units right after the role change")
        check(units_with_serial(ctx, serial) == [], "the forbidden write stored its unit")
        # a disabled account taking a call: refused, no ticket
        uid3, tok3 = user_with_token(ctx, "agent")
        body = {"channel": "phone", "type": "repair", "customer_id": cust,
                "caller_name": "写入测试", "caller_phone": "13800000017",
                "description": "一轮写入"}
        for _ in range(4):
            expect(r.request("POST", "/api/v1/tickets", body, token=tok3["token"]), 201,
                   "warm POST /tickets")
        before = expect(a.get("/api/v1/tickets?customer_id=%d&limit=200" % cust), 200,
                        "tickets").json["total"]
        expect(a.patch("/api/v1/users/%d" % uid3, {"active": False}), 200, "disable")
        expect(r.request("POST", "/api/v1/tickets", body, token=tok3["token"]), 401,
               "disabled account, next POST /tickets")
        after = expect(a.get("/api/v1/tickets?customer_id=%d&limit=200" % cust), 200,
                       "tickets").json["total"]
        check(after == before, "the refused intake stored a ticket (%d -> %d)" % (before, after))
        # the instance still takes the other callers' writes
        post_unit(ctx.tok["admin"], 201, "admin POST /units")
        check(uid != uid3, "two users")
    finally:
        if extra:
            extra.stop()


def run(ctx, runner):
    runner.run("pgget: role, scope, revocation and disabling hold from the next GET on",
               case_changes_hold_at_once, ctx)
    runner.run("pgget: revocation, role and disabling hold from the next POST on",
               case_writes_hold_at_once, ctx)

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


def reader(ctx):
    """The instance the reads go to: a second one on PostgreSQL (its memory of credentials
    knows nothing of the changes the first makes), the one server on SQLite."""
    if not ctx.srv.db_url.startswith("postgres"):
        return None
    work = os.path.join(ctx.srv.workdir, "pgget-reader")
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


def run(ctx, runner):
    runner.run("pgget: role, scope, revocation and disabling hold from the next GET on",
               case_changes_hold_at_once, ctx)

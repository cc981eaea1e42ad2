"""Issue 12, the rest (engineer proj): only the technicians of a project's visits sign its
acceptance and training (item 2 of the closing brief), and the DOA ticket's link to its
replacement shipment (item 3). Run by test_api.py on SQLite and PostgreSQL."""
import time

import contract
from harness import check, expect, short
from test_projects import P, TOPICS, WO, err, fixtures, on_site_done, open_project, sign_body, ts
from test_work_orders import new_tech


def book_with(ctx, pid, lead, helpers=()):
    return expect(ctx.api("dispatcher").post("%s/%d/work-orders" % (P, pid), {
        "lead_id": lead, "helper_ids": list(helpers),
        "appointment_at": ts(time.time() + 2 * 3600),
        "override_reason": "test: the same crew in every case"}), 201, "book visit").json


def sign(ctx, key, pid, form="acceptance", **over):
    return ctx.srv.request("POST", "%s/%d/%s" % (P, pid, form), body=sign_body(**over),
                           token=ctx.tok[key])


def case_sign_scope(ctx):
    """A technician signs only the forms of a project whose visit they are on (lead or helper);
    a stranger technician is refused 403 and nothing is written; planners still may."""
    new_tech(ctx, "ip_stranger")
    helper = new_tech(ctx, "ip_helper")
    f = fixtures(ctx)
    p = open_project(ctx, f)
    # no visit yet: a technician is a stranger to every project
    with contract.bad_requests():
        r = sign(ctx, "technician", p["id"])
    check(r.status == 403 and err(r).get("reason") == "forbidden",
          "no visit, no signature: %s" % short(r.body))
    w = book_with(ctx, p["id"], ctx.uid["technician"], [helper])
    on_site_done(ctx, f, w["id"])
    with contract.bad_requests():
        for form, extra in (("acceptance", {}),
                            ("training", {"trainees": [{"name": "李明", "position": "设备科"}],
                                          "topics": TOPICS[:1]})):
            r = sign(ctx, "ip_stranger", p["id"], form, **extra)
            check(r.status == 403 and err(r).get("reason") == "forbidden",
                  "a stranger technician signs no %s: %d %s" % (form, r.status, short(r.body)))
    g = expect(ctx.api("admin").get("%s/%d" % (P, p["id"])), 200, "reload").json
    check(g["status"] == "in_progress" and not (g.get("acceptance") or {}).get("signer_name"),
          "nothing signed: %s" % short(g))
    # the helper of the visit signs it
    a = expect(sign(ctx, "ip_helper", p["id"]), 201, "helper signs the acceptance").json
    check(a["status"] == "accepted", "accepted: %s" % short(a))
    # a second project: the lead signs it, and a planner (agent) signs its training
    g2 = fixtures(ctx)
    p2 = open_project(ctx, g2)
    w2 = book_with(ctx, p2["id"], ctx.uid["technician"])
    on_site_done(ctx, g2, w2["id"])
    with contract.bad_requests():
        r = sign(ctx, "ip_helper", p2["id"])
    check(r.status == 403, "the helper of another project: %d" % r.status)
    expect(sign(ctx, "technician", p2["id"]), 201, "the lead signs")
    expect(ctx.api("agent").post("%s/%d/training" % (P, p2["id"]), sign_body(
        trainees=[{"name": "李明", "position": "设备科"}], topics=TOPICS[:1])), 201, "planner signs")


def case_trip_scope(ctx):
    """Every trip write a technician can reach (edit, actions, feedback, progress report) is
    refused to a technician who is not on the trip: 404, as reading it is."""
    lead = new_tech(ctx, "ip_trip_lead")
    t = expect(ctx.api("dispatcher").post("/api/v1/trips", {
        "lead_id": lead, "purpose": "安装调试", "customer_id": fixtures(ctx)["customer"],
        "address": "杭州市西湖区", "contact_name": "王主任", "contact_phone": "13900003333",
        "est_days": 1, "planned_departure_at": ts(time.time() + 30 * 86400)}), 201, "trip").json
    tid = t["id"]
    tok = ctx.tok["ip_stranger"] if "ip_stranger" in ctx.tok else None
    if tok is None:
        new_tech(ctx, "ip_stranger")
        tok = ctx.tok["ip_stranger"]
    with contract.bad_requests():
        for method, path, body in (
                ("PATCH", "/api/v1/trips/%d" % tid, {"est_days": 2}),
                ("POST", "/api/v1/trips/%d/actions" % tid, {"action": "depart"}),
                ("POST", "/api/v1/trips/%d/feedback" % tid, {"work_done": "x", "result": "y"}),
                ("POST", "/api/v1/trips/%d/reports" % tid, {"body": "到达"})):
            r = ctx.srv.request(method, path, body=body, token=tok)
            check(r.status == 404, "%s %s by a stranger technician: %d" % (method, path, r.status))
    g = expect(ctx.srv.request("GET", "/api/v1/trips/%d" % tid, token=ctx.tok["ip_trip_lead"]),
               200, "the lead reads it").json
    check(g["status"] == "planned" and g["est_days"] == 1, "unchanged: %s" % short(g))


def case_doa_link(ctx):
    """A DOA ticket lists its replacement shipments (number, state); the shipment names the
    ticket; other tickets carry no such list."""
    import test_shipments as S
    fx = S.fixtures(ctx)
    if "shp_received" not in ctx.fx:
        S.case_chain(ctx)
    _, lines = ctx.fx["shp_received"]
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": lines[-1]["unit_id"],
        "caller_phone": "13900000012", "description": "开箱即坏"}), 201, "DOA report")
    tid = r.json["id"]
    t = expect(ctx.api("agent").get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["type"] == "doa" and t.get("replacement_shipments") == [],
          "a DOA ticket without a replacement yet: %s" % short(t))
    s = expect(ctx.api("agent").post(S.SHP, {"kind": "replacement", "ticket_id": tid,
                                             "lines": [{"model_id": fx["model"]}]}), 201,
               "replacement").json
    check(s["ticket_number"] == t["number"] and s["shipment"]["ticket_id"] == tid,
          "the shipment names its ticket: %s" % short(s))
    t = expect(ctx.api("agent").get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    rs = t.get("replacement_shipments") or []
    check(len(rs) == 1 and rs[0]["id"] == s["shipment"]["id"] and
          rs[0]["number"] == s["shipment"]["number"] and rs[0]["state"] == "requested",
          "the ticket lists its replacement: %s" % short(rs))
    S.act(ctx, s["shipment"]["id"], "issue_order", "finance")
    t = expect(ctx.api("admin").get("/api/v1/tickets/%d" % tid), 200, "ticket").json
    check(t["replacement_shipments"][0]["state"] == "ordered", "its state follows: %s" %
          short(t["replacement_shipments"]))
    other = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "consultation", "caller_phone": "13900000013",
        "customer_id": fx["cust"],
        "description": "咨询"}), 201, "another ticket").json["id"]
    o = expect(ctx.api("agent").get("/api/v1/tickets/%d" % other), 200, "other").json
    check("replacement_shipments" not in o, "only a DOA ticket has the list")


def run(ctx, runner):
    runner.run("proj: only the project's technicians sign acceptance and training",
               case_sign_scope, ctx)
    runner.run("proj: trip writes refused to a technician not on the trip", case_trip_scope, ctx)
    runner.run("proj: a DOA ticket shows its replacement shipment, and back", case_doa_link, ctx)

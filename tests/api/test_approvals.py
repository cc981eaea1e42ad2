"""Issue 12 items 3 and 7: market-support approvals (F-05, R-051, A-04) with the approval
matrix, its deputy and the roles that decide; the `approval` guard on scheduling a visit and
booking a work order with the company switch on and off; department coordination requests
(F-08, WF-22) with their steps and the overdue view. Run by test_api.py."""
import random
import time

import contract
from harness import check, expect, short, uniq

AP = "/api/v1/approvals"
RULES = "/api/v1/approval-rules"
CO = "/api/v1/coordination"


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def reason(r):
    return (r.json.get("error") or {}).get("reason")


def guard_of(r):
    return ((r.json.get("error") or {}).get("params") or {}).get("guard")


def settings(ctx, body):
    expect(ctx.api().patch("/api/v1/settings", body), 200, "PATCH settings %s" % body)


def file_request(ctx, kind="installation", role="sales", ticket=None, status=201):
    body = {"kind": kind, "purpose": "新装 CT 安装调试 " + uniq(), "customer_id": ctx.fx["B"],
            "site": "上海市黄浦区瑞金二路197号", "units": "CT扫描仪 X1 ×1",
            "technicians": 2, "trip_days": 3, "cost_fen": 456000}
    if ticket:
        body["ticket_id"] = ticket
    r = expect(ctx.api(role).post(AP, body), status, "file %s by %s" % (kind, role))
    return r.json


def decide(ctx, aid, role, decision="approve", comment=None, status=200):
    body = {"decision": decision}
    if comment is not None:
        body["comment"] = comment
    return expect(ctx.api(role).post("%s/%d/decision" % (AP, aid), body), status,
                  "%s %d by %s" % (decision, aid, role))


def inbox(ctx, role):
    r = expect(ctx.api(role).get(AP + "?inbox=mine&limit=500"), 200, "inbox of " + role)
    return [i["id"] for i in r.json["items"]]


def in_progress(ctx):
    r = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"],
        "assignee_id": ctx.uid["technician"]}), 201, "ticket")
    tid = r.json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % tid, {}), 200,
           "accept")
    return tid


def schedule(ctx, tid, status):
    at = ts(time.time() + random.randint(40, 400) * 86400)
    r = ctx.api("dispatcher").post("/api/v1/tickets/%d/actions/schedule_visit" % tid,
                                   {"visit_at": at})
    return expect(r, status, "schedule_visit on %d" % tid)


def book(ctx, tid, status):
    at = ts(time.time() + random.randint(40, 400) * 86400 + random.randint(0, 3600))
    r = ctx.api("dispatcher").post("/api/v1/work-orders", {
        "ticket_id": tid, "lead_id": ctx.uid["technician"], "appointment_at": at,
        "override_reason": "test"})
    return expect(r, status, "book a work order on %d" % tid)


# ---------------------------------------------------------------- approvals

def case_default_gm(ctx):
    """A kind without a rule goes to the general manager (A-04); the seeded rules name gm."""
    a = file_request(ctx, kind="other")
    check(a["status"] == "pending" and a["approver_role"] == "gm" and a["rule_id"] is None and
          a["requested_by"] == ctx.uid["sales"], "default gm: %s" % short(str(a)))
    check(a["decision_due_at"] > a["created_at"], "decision due after filing: %s" % a)
    b = file_request(ctx, kind="installation")
    # the seeded rule names gm too (the generic authz test may have deleted it by now)
    check(b["approver_role"] == "gm", "installation: %s" % short(str(b)))
    check(a["id"] in inbox(ctx, "gm") and b["id"] in inbox(ctx, "gm"), "gm's inbox")
    check(a["id"] not in inbox(ctx, "dept_head"), "not in the dept_head's inbox")
    r = expect(ctx.api("gm").get(AP + "?inbox=mine&expand=all&sort=decision_due_at"), 200,
               "inbox with names").json
    mine = [i for i in r["items"] if i["id"] == a["id"]]
    check(len(mine) == 1 and mine[0]["customer_name"] == "上海瑞金医院" and
          "requested_by_name" in mine[0], "expanded: %s" % short(str(mine)))
    for role in ("technician", "customer", "agent"):
        with contract.bad_requests():
            expect(ctx.api(role).post(AP, {"kind": "other", "purpose": "x",
                                           "customer_id": ctx.fx["B"]}), 403, "file as " + role)


def case_decide_roles(ctx):
    """Only the named approver decides: not an admin, not the requester; once only."""
    a = file_request(ctx, kind="other")
    for role in ("admin", "sales", "dept_head"):
        with contract.bad_requests():
            r = decide(ctx, a["id"], role, status=403)
        check(reason(r) == "not_approver", "%s refused: %s" % (role, short(r.body)))
    with contract.bad_requests():
        r = decide(ctx, a["id"], "gm", "reject", status=400)
    check(r.err_field() == "comment" and reason(r) == "required", "reject needs a comment")
    r = decide(ctx, a["id"], "gm", comment="同意，尽快安排")
    check(r.json["status"] == "approved" and r.json["decided_by"] == ctx.uid["gm"] and
          r.json["comment"] == "同意，尽快安排" and r.json["decided_at"], "approved: %s" % r.json)
    with contract.bad_requests():
        r = decide(ctx, a["id"], "gm", "reject", "改主意", status=409)
    check(reason(r) == "illegal_action", "decided once: %s" % short(r.body))
    b = file_request(ctx, kind="other")
    r = decide(ctx, b["id"], "gm", "reject", "费用过高")
    check(r.json["status"] == "rejected", "rejected: %s" % r.json)
    check(a["id"] not in inbox(ctx, "gm") and b["id"] not in inbox(ctx, "gm"), "left the inbox")
    au = expect(ctx.api().get("/api/v1/audit?entity=approval&id=%d" % b["id"]), 200,
                "audit").json["items"]
    check(any(x["action"] == "reject" for x in au), "decision audited: %s" % short(str(au)))
    with contract.bad_requests():
        r = expect(ctx.api("gm").post("%s/%d/decision" % (AP, a["id"]), {"decision": "maybe"}),
                   400, "bad decision")
    check(r.err_field() == "decision", "names decision: %s" % short(r.body))


def own(r, what):
    check(r.status == 409 and reason(r) == "guard" and guard_of(r) == "own_request",
          "%s: %s" % (what, short(r.body)))


def mine(ctx, role):
    r = expect(ctx.api(role).get(AP + "?mine=true&status=pending&limit=500"), 200, "mine")
    return [i["id"] for i in r.json["items"]]


def dept_head2(ctx):
    """A second dept_head with a token of their own (ctx.tok["dept_head2"]), made once."""
    if "dept_head2" not in ctx.tok:
        name = "u_dh2_" + uniq()[:6]
        ctx.srv.cli("user", "add", name, "--roles", "dept_head", "--password-file",
                    ctx.srv.workdir + "/pw", "--db", ctx.srv.db_url)
        p = ctx.srv.cli("token", "create", "--user", name, "--db", ctx.srv.db_url)
        ctx.tok["dept_head2"] = p.stdout.decode().strip().splitlines()[-1].strip()
        r = expect(ctx.api("dept_head2").get("/api/v1/session"), 200, "dept_head2 session")
        ctx.uid["dept_head2"] = int(r.json["user"]["id"])


def case_own_request(ctx):
    """Segregation of duties (A-04): the requester never decides their own request, and their
    inbox does not offer it (their own list still shows it, pending): 409 guard own_request
    when they hold the approver's role, another holder decides. A rule naming only the
    requester sends the request to the next level (gm). An admin's own request goes to gm, the
    admin may not decide it. Before, the dept_head filed and approved his own replacement
    (review 68 H4)."""
    dept_head2(ctx)
    a = file_request(ctx, kind="replacement", role="dept_head")
    check(a["approver_role"] == "dept_head" and a["requested_by"] == ctx.uid["dept_head"],
          "the matrix's role: %s" % short(str(a)))
    check(a["id"] not in inbox(ctx, "dept_head") and a["id"] in mine(ctx, "dept_head") and
          a["id"] in inbox(ctx, "dept_head2"), "not offered to the requester")
    with contract.bad_requests():
        own(decide(ctx, a["id"], "dept_head", status=409), "the requester decides")
    r = decide(ctx, a["id"], "dept_head2")
    check(r.json["decided_by"] == ctx.uid["dept_head2"], "the other dept_head: %s" % r.json)
    # the rule names the requester himself: the next level, gm
    rule = expect(ctx.api().get(RULES + "?kind=replacement"), 200, "matrix").json["items"][0]
    expect(ctx.api("gm").patch("%s/%d" % (RULES, rule["id"]), {
        "approver_role": None, "approver_user_id": ctx.uid["dept_head"]}), 200, "named dept_head")
    try:
        b = file_request(ctx, kind="replacement", role="dept_head")
    finally:
        expect(ctx.api("gm").patch("%s/%d" % (RULES, rule["id"]), {
            "approver_role": "dept_head", "approver_user_id": None}), 200, "rule restored")
    check(b["approver_role"] == "gm" and b["approver_user_id"] is None, "to gm: %s" % short(str(b)))
    check(b["id"] not in inbox(ctx, "dept_head") and b["id"] in inbox(ctx, "gm"), "gm's inbox")
    with contract.bad_requests():
        decide(ctx, b["id"], "dept_head", status=403)
    decide(ctx, b["id"], "gm")
    # the admin's own request: the gm decides, the admin may not
    c = file_request(ctx, kind="other", role="admin")
    check(c["id"] not in inbox(ctx, "admin") and c["id"] in inbox(ctx, "gm"), "admin's own")
    with contract.bad_requests():
        decide(ctx, c["id"], "admin", status=403)
    decide(ctx, c["id"], "gm", "reject", "不需要")


def case_one_admin(ctx):
    """A company whose only gm or admin is the requester: nobody else could decide, so they
    decide their own request (documented exception, docs/approvals.md)."""
    users = expect(ctx.api().get("/api/v1/users?active=true&limit=500"), 200, "users").json
    others = [x["id"] for x in users["items"] if x["id"] != ctx.uid["admin"] and
              {"gm", "admin"} & set(x["roles"].split(","))]
    for uid in others:
        expect(ctx.api().patch("/api/v1/users/%d" % uid, {"active": False}), 200, "disable")
    try:
        a = file_request(ctx, kind="other", role="admin")
        check(a["id"] in inbox(ctx, "admin"), "offered to the lone admin")
        r = decide(ctx, a["id"], "admin")
        check(r.json["decided_by"] == r.json["requested_by"] == ctx.uid["admin"],
              "decided: %s" % r.json)
    finally:
        for uid in others:
            expect(ctx.api().patch("/api/v1/users/%d" % uid, {"active": True}), 200, "enable")
        # disabling ended their tokens: new ones for the roles the other cases use
        for role, uid in list(ctx.uid.items()):
            if uid in others and role in ctx.uname:
                p = ctx.srv.cli("token", "create", "--user", ctx.uname[role], "--db",
                                ctx.srv.db_url)
                ctx.tok[role] = p.stdout.decode().strip().splitlines()[-1].strip()


def case_matrix_deputy(ctx):
    """The matrix is data: a kind bound to one user, with a deputy while they are away."""
    with contract.bad_requests():
        r = expect(ctx.api().post(RULES, {"kind": "training"}), 400, "rule without approver")
    check(reason(r) == "required", "approver required: %s" % short(r.body))
    with contract.bad_requests():
        expect(ctx.api("sales").post(RULES, {"kind": "training", "approver_role": "gm"}), 403,
               "sales edits the matrix")
    rule = expect(ctx.api("gm").post(RULES, {
        "kind": "training", "approver_user_id": ctx.uid["dept_head"],
        "deputy_user_id": ctx.uid["qc"], "note": "培训由部门经理审批"}), 201, "rule").json
    try:
        with contract.bad_requests():
            expect(ctx.api().post(RULES, {"kind": "training", "approver_role": "gm"}), 409,
                   "second rule for a kind")
        a = file_request(ctx, kind="training")
        check(a["approver_user_id"] == ctx.uid["dept_head"] and a["rule_id"] == rule["id"],
              "named user: %s" % short(str(a)))
        check(a["id"] in inbox(ctx, "dept_head") and a["id"] not in inbox(ctx, "gm") and
              a["id"] not in inbox(ctx, "qc"), "inbox of the named user only")
        with contract.bad_requests():
            decide(ctx, a["id"], "gm", status=403)
            decide(ctx, a["id"], "qc", status=403)  # the deputy, approver not away
        expect(ctx.api("gm").patch("%s/%d" % (RULES, rule["id"]), {"approver_away": True}), 200,
               "approver away")
        check(a["id"] in inbox(ctx, "qc"), "the deputy's inbox while away")
        r = decide(ctx, a["id"], "qc", comment="代批")
        check(r.json["decided_by"] == ctx.uid["qc"], "deputy decided: %s" % r.json)
    finally:
        expect(ctx.api("gm").delete("%s/%d" % (RULES, rule["id"])), 409, "rule in use")
        expect(ctx.api("gm").patch("%s/%d" % (RULES, rule["id"]),
                                   {"kind": "other", "approver_role": "gm",
                                    "approver_user_id": None, "approver_away": False}),
               200, "rule back to gm")


def case_overdue_view(ctx):
    """Pending more than one working day: the overdue view (a request filed now is not)."""
    a = file_request(ctx)
    r = expect(ctx.api("gm").get(AP + "?overdue=true&limit=500"), 200, "overdue").json
    check(a["id"] not in [i["id"] for i in r["items"]], "fresh request not overdue")
    check(all(i["status"] == "pending" and i["decision_due_at"] < ts(time.time() + 60)
              for i in r["items"]), "overdue rows: %s" % short(str(r["items"][:2])))


def case_guard(ctx):
    """R-051: switch on → scheduling and booking without an approved request is 409 guard
    approval; a rejected one does not count; an approved one linked to the ticket does; switch
    off → no approval needed."""
    settings(ctx, {"approval_before_dispatch": True})
    try:
        tid = in_progress(ctx)
        with contract.bad_requests():
            r = schedule(ctx, tid, 409)
        check(reason(r) == "guard" and guard_of(r) == "approval", "refused: %s" % short(r.body))
        with contract.bad_requests():
            r = book(ctx, tid, 409)
        check(reason(r) == "guard" and guard_of(r) == "approval", "booking: %s" % short(r.body))
        a = file_request(ctx, kind="onsite_repair", ticket=tid)
        with contract.bad_requests():
            schedule(ctx, tid, 409)  # pending does not count
        decide(ctx, a["id"], "gm", "reject", "先电话指导")
        with contract.bad_requests():
            schedule(ctx, tid, 409)  # rejected does not count
        b = file_request(ctx, kind="onsite_repair", ticket=tid)
        decide(ctx, b["id"], "gm")
        r = book(ctx, tid, 201)
        check(r.json["status"] == "planned", "booked with the approval: %s" % short(r.body))
        ev = expect(ctx.api().get("/api/v1/tickets/%d/events" % tid), 200, "events").json
        check(any(e["kind"] == "approval" for e in ev["items"]), "decision on the timeline")
        t2 = in_progress(ctx)
        b2 = file_request(ctx, kind="onsite_repair", ticket=t2)
        decide(ctx, b2["id"], "gm")
        schedule(ctx, t2, 200)
    finally:
        settings(ctx, {"approval_before_dispatch": False})
    schedule(ctx, in_progress(ctx), 200)  # switched off
    book(ctx, in_progress(ctx), 201)


# ---------------------------------------------------------------- coordination

def coord(ctx, due, role="agent", status=201, **extra):
    body = {"kind": "vehicle", "department_id": ctx.fx["dept"], "subject": "用车 " + uniq(),
            "due_at": ts(due)}
    body.update(extra)
    return expect(ctx.api(role).post(CO, body), status, "coordination by " + role)


def case_coordination(ctx):
    """WF-22: raise → acknowledge → fulfil with the reply → close; overdue on top."""
    late = coord(ctx, time.time() - 3600, details="明早8点需一辆车去瑞金医院",
                 project_id=987654321, shipment_id=123456789).json
    check(late["status"] == "raised" and late["requested_by"] == ctx.uid["agent"] and
          late["project_id"] == 987654321, "raised: %s" % short(str(late)))
    soon = coord(ctx, time.time() + 86400, kind="delivery_date", ticket_id=in_progress(ctx)).json
    r = expect(ctx.api("logistics").get(CO + "?overdue=true&limit=500"), 200, "overdue").json
    ids = [i["id"] for i in r["items"]]
    check(late["id"] in ids and soon["id"] not in ids, "overdue view: %s" % ids[:10])
    r = expect(ctx.api().get(CO + "?state=open&limit=500&expand=all"), 200, "open").json
    check(any(i.get("ticket_name") for i in r["items"]), "ticket numbers expanded")
    ids = [i["id"] for i in r["items"]]
    check(ids.index(late["id"]) < ids.index(soon["id"]), "overdue first")
    with contract.bad_requests():
        coord(ctx, time.time(), role="technician", status=403)
        r = coord(ctx, time.time(), kind="spaceship", status=400)
    check(r.err_field() == "kind", "bad kind: %s" % short(r.body))
    u = "%s/%d" % (CO, late["id"])
    # the owner department answers; it does not rewrite the request (its due time, its owner)
    with contract.bad_requests():
        for body in ({"due_at": ts(time.time() + 30 * 86400)}, {"subject": "改了"},
                     {"customer_id": ctx.fx["A"], "status": "acknowledged"}):
            r = expect(ctx.api("logistics").patch(u, body), 403, "logistics rewrites %s" % body)
            check(r.err_field() in body and reason(r) == "read_only", "refused: %s" % r.json)
    expect(ctx.api("agent").patch(u, {"details": "明早8点需一辆车去瑞金医院（两人）"}), 200,
           "the raiser edits")
    expect(ctx.api("logistics").patch(u, {"status": "acknowledged"}), 200, "acknowledge")
    with contract.bad_requests():
        r = expect(ctx.api("logistics").patch(u, {"status": "fulfilled"}), 400, "no reply")
    check(r.err_field() == "reply" and reason(r) == "required", "reply needed: %s" % short(r.body))
    r = expect(ctx.api("logistics").patch(u, {"status": "fulfilled", "reply": "已安排车辆 沪A12345"}),
               200, "fulfil").json
    check(r["replied_by"] == ctx.uid["logistics"] and r["replied_at"], "reply recorded: %s" % r)
    with contract.bad_requests():
        r = expect(ctx.api().patch(u, {"status": "raised"}), 409, "back to raised")
    check(reason(r) == "illegal_action", "illegal step: %s" % short(r.body))
    expect(ctx.api("agent").patch(u, {"status": "closed"}), 200, "close")
    r = expect(ctx.api("logistics").get(CO + "?overdue=true&limit=500"), 200, "overdue").json
    check(late["id"] not in [i["id"] for i in r["items"]], "closed is not overdue")


def case_other_customer(ctx):
    """A request for one customer does not unlock another customer's ticket (400
    other_customer naming ticket_id)."""
    tid = in_progress(ctx)  # customer B's unit
    with contract.bad_requests():
        r = expect(ctx.api("sales").post(AP, {
            "kind": "onsite_repair", "purpose": "上门 " + uniq(), "customer_id": ctx.fx["A"],
            "ticket_id": tid}), 400, "another customer's ticket")
    check(r.err_field() == "ticket_id" and reason(r) == "other_customer", short(r.body))
    file_request(ctx, kind="onsite_repair", ticket=tid)


# ---------------------------------------------------------------- subjects (review 68 M2)

def case_quote_subject(ctx):
    """A quote approval carries its quote (review 68 M2): the ticket, customer, lines and total,
    and the purpose's code and parameters; the purpose the server writes has a grouped amount
    (L12). Before, the card had only the trip fields ("1 人 · 1 天 · ¥14,680.00")."""
    import test_quotes as tq
    tq.listed_part(ctx)
    settings(ctx, {"quote_approval_above_fen": 100000})
    try:
        tid = tq.chargeable(ctx)
        q = tq.draft(ctx, tid)
        aid = tq.send(ctx, q["id"])["quote"]["approval_id"]
    finally:
        settings(ctx, {"quote_approval_above_fen": 1000000})
    a = expect(ctx.api("gm").get("%s/%d" % (AP, aid)), 200, "quote approval").json
    s = a.get("subject") or {}
    check(s.get("kind") == "quote" and s["quote"]["id"] == q["id"] and
          s["quote"]["number"] == q["number"] and s["quote"]["total_fen"] == tq.TOTAL and
          s["quote"]["status"] == "pending_approval", "the quote: %s" % short(str(s)))
    check(s["ticket"]["id"] == tid and s["ticket"]["number"] and s["customer_name"],
          "ticket and customer: %s" % short(str(s)))
    lines = [(ln["pos"], ln["name"], ln["amount_fen"]) for ln in s["lines"]]
    check([x[2] for x in lines] == [70000, 18000, 35050, 12345] and lines[0][1] == "电源板" and
          s["lines"][0]["qty_centi"] == 200 and s["lines"][0]["rate_fen"] == 35000,
          "lines: %s" % short(str(s["lines"])))
    check(s["purpose"] == {"code": "quote", "params": {"number": q["number"],
                                                       "amount_fen": tq.TOTAL}},
          "purpose code: %s" % s["purpose"])
    check(a["purpose"].endswith("%s ¥1,353.95" % q["number"]), "grouped: %s" % a["purpose"])
    r = expect(ctx.api("gm").get(AP + "?inbox=mine&limit=500&expand=all"), 200, "inbox").json
    card = [i for i in r["items"] if i["id"] == aid]
    check(len(card) == 1 and card[0]["subject"] == s, "the inbox's item has it too")
    # scope: who may not read the request does not get it, nor its subject
    with contract.bad_requests():
        for role in ("technician", "customer"):
            x = expect(ctx.api(role).get("%s/%d" % (AP, aid)), 403, "get as " + role)
            check("subject" not in (x.json or {}), "%s: no subject" % role)
            expect(ctx.api(role).get(AP + "?inbox=mine"), 403, "list as " + role)
    # the goods roles read approvals but not quotes: the total, not the lines
    w = expect(ctx.api("warehouse").get("%s/%d" % (AP, aid)), 200, "warehouse").json
    check(w["subject"]["lines"] is None and w["subject"]["quote"]["total_fen"] == tq.TOTAL,
          "warehouse: no quote lines: %s" % short(str(w["subject"])))
    expect(ctx.api("warehouse").get("/api/v1/quotes/%d" % q["id"]), 403, "nor the quote")
    # a trip request has no subject: its own columns say it all
    t = file_request(ctx)
    g = expect(ctx.api("gm").get("%s/%d" % (AP, t["id"])), 200, "trip").json
    check("subject" in g and g["subject"] is None, "trip subject null: %s" % short(str(g)))
    decide(ctx, aid, "gm", "reject", "价格偏高")


def case_replacement_subject(ctx):
    """A replacement approval carries the unit, the RMA with its cause analysis and the
    warranty with the eligibility (review 68 M2: before, "1 人 · 1 天 · ¥0.00")."""
    import test_rmas as tr
    fx = tr.fixtures(ctx)
    subjects = {}
    for when, cause in ((tr.today(-30), "manufacturing"), (tr.today(-3 * 365), "material")):
        tid, v = tr.to_analysed(ctx, fx, when, cause)
        ap = expect(ctx.api("sales").post(AP, {
            "kind": "replacement", "purpose": "整机更换 " + uniq(), "customer_id": fx["cust"],
            "ticket_id": tid}), 201, "replacement request").json
        s = expect(ctx.api("dept_head").get("%s/%d" % (AP, ap["id"])), 200,
                   "replacement").json.get("subject") or {}
        rma = expect(ctx.api("agent").get("/api/v1/rmas/%d" % v["rma"]["id"]), 200, "rma").json
        subjects[cause] = (s, rma, tid)
    s, rma, tid = subjects["manufacturing"]
    check(s.get("kind") == "replacement" and s["rma"]["id"] == rma["rma"]["id"] and
          s["rma"]["number"] == rma["rma"]["number"] and
          s["rma"]["cause_category"] == "manufacturing" and
          s["rma"]["cause_analysis"] == "分析: manufacturing", "the RMA: %s" % short(str(s)))
    check(s["unit"]["id"] == rma["rma"]["unit_id"] and s["unit"]["serial_no"].startswith("RM") and
          s["unit"]["model_name"] == "返厂型号" and s["ticket"]["id"] == tid,
          "the unit: %s" % short(str(s)))
    check(s["warranty_status"] == "in" and s["eligible"] is True and s["reason"] is None,
          "in warranty, eligible: %s" % short(str(s)))
    s = subjects["material"][0]
    check(s["warranty_status"] == "out" and s["eligible"] is False and s["reason"] == "charge",
          "out of warranty: %s" % short(str(s)))


# ---------------------------------------------------------------- one rule of who decides

def case_inbox_agrees(ctx):
    """The inbox offers a request exactly to those whose decision the server accepts (one
    predicate, app/approvals.c MAY_DECIDE): every role, their own requests included. A
    rejection without a comment probes it without deciding: 400 comment when they may."""
    dept_head2(ctx)
    reqs = [file_request(ctx, kind="other"), file_request(ctx, kind="installation"),
            file_request(ctx, kind="replacement", role="dept_head"),
            file_request(ctx, kind="replacement", role="sales"),
            file_request(ctx, kind="other", role="admin")]
    roles = [r for r in ("admin", "gm", "dept_head", "dept_head2", "agent", "sales", "finance",
                         "logistics", "warehouse", "dispatcher", "qc", "purchasing")
             if r in ctx.tok]
    offered = 0
    for role in roles:
        box = inbox(ctx, role)
        for a in reqs:
            with contract.bad_requests():
                r = ctx.api(role).post("%s/%d/decision" % (AP, a["id"]), {"decision": "reject"})
            may = r.status == 400 and r.err_field() == "comment"
            check(may or r.status in (403, 409), "%s on %d: %s" % (role, a["id"], short(r.body)))
            check(may == (a["id"] in box), "%s on %d (%s by %s): inbox %s, decision %s" % (
                role, a["id"], a["kind"], a["requested_by"], a["id"] in box, r.status))
            if a["requested_by"] == ctx.uid.get(role) and a["approver_role"] == role:
                own(r, "%s's own" % role)
            offered += may
    check(offered >= len(reqs), "each request offered to someone (%d)" % offered)


def case_nobody_else(ctx):
    """No active gm or admin at all (nor anyone the request names) but its requester, who would
    not decide it either (sales): the decision refuses them, and so does the inbox now. Before
    the one predicate (review 68 mend) the inbox offered it to them all the same."""
    a = file_request(ctx, kind="other")
    users = expect(ctx.api().get("/api/v1/users?active=true&limit=500"), 200, "users").json
    level = [(x["id"], x["username"]) for x in users["items"]
             if {"gm", "admin"} & set(x["roles"].split(","))]
    db = ("--db", ctx.srv.db_url)
    for _, name in level:
        ctx.srv.cli("user", "disable", name, *db)
    try:
        box = inbox(ctx, "sales")
        with contract.bad_requests():
            r = decide(ctx, a["id"], "sales", "reject", status=403)
        check(reason(r) == "not_approver", "refused: %s" % short(r.body))
        check(a["id"] not in box, "the inbox agrees with the decision: %s" % box[:5])
    finally:
        for _, name in level:
            ctx.srv.cli("user", "enable", name, *db)
        ids = {uid for uid, _ in level}
        for role, uid in list(ctx.uid.items()):  # disabling ended their tokens
            if uid in ids and role in ctx.uname:
                p = ctx.srv.cli("token", "create", "--user", ctx.uname[role], *db)
                ctx.tok[role] = p.stdout.decode().strip().splitlines()[-1].strip()
    decide(ctx, a["id"], "gm", "reject", "测试结束")


def run(ctx, runner):
    runner.run("approvals: the ticket is the request's customer's (review 2026-12-07)",
               case_other_customer, ctx)
    runner.run("approvals: default gm, seeded rules, inbox, who files", case_default_gm, ctx)
    runner.run("approvals: only the named approver decides, once, audited",
               case_decide_roles, ctx)
    runner.run("approvals: matrix is data, named user and deputy while away",
               case_matrix_deputy, ctx)
    runner.run("approvals: the requester does not decide their own request (review 68 H4)",
               case_own_request, ctx)
    runner.run("approvals: a lone admin decides their own request", case_one_admin, ctx)
    runner.run("approvals: the inbox and the decision agree, every role (review 68 mend)",
               case_inbox_agrees, ctx)
    runner.run("approvals: nobody else, a requester who would not decide: not offered",
               case_nobody_else, ctx)
    runner.run("approvals: a quote's subject, lines and total (review 68 M2, L12)",
               case_quote_subject, ctx)
    runner.run("approvals: a replacement's unit, RMA, cause, warranty (review 68 M2)",
               case_replacement_subject, ctx)
    runner.run("approvals: overdue view", case_overdue_view, ctx)
    runner.run("approvals: guard on schedule and booking (switch on/off)", case_guard, ctx)
    runner.run("coordination: steps, reply, overdue on top", case_coordination, ctx)

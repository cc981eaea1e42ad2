"""Issue 18 items 2, 5 and 6 (docs/telephone.md): telephone records (F-12, R-038) with the
forward to a superior, its task, reply and overdue; suppliers' commitments and the supplier
cases purchasing follows (R-013, R-068, WF-09 S3a) with met / late; a contract's service
requirements reviewed before delivery and shown on its units' tickets and work orders (R-200).
Run by test_api.py on SQLite and PostgreSQL."""
import datetime
import urllib.parse

import contract
from harness import check, expect, uniq

PR = "/api/v1/phone-records"


def err(r):
    return (r.json or {}).get("error") or {} if isinstance(r.json, dict) else {}


NOW = datetime.datetime.utcnow().replace(microsecond=0)


def ts(hours=0, fixed=False):
    d = (NOW if fixed else datetime.datetime.utcnow()) + datetime.timedelta(hours=hours)
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def bad(ctx, role, method, path, body, status, what):
    with contract.bad_requests():
        r = ctx.srv.request(method, path, body=body, token=ctx.tok[role], bad=True)
    expect(r, status, what)
    return r


def fixtures(ctx):
    if "tel" in ctx.fx:
        return ctx.fx["tel"]
    a = ctx.api()
    cust = expect(a.post("/api/v1/customers", {"name": "电话记录客户" + uniq()[:4],
                                               "type": "company"}), 201, "customer").json["id"]
    dealer = expect(a.post("/api/v1/customers", {"name": "外地经销商" + uniq()[:4],
                                                 "type": "dealer"}), 201, "dealer").json["id"]
    fx = {"cust": cust, "dealer": dealer}
    ctx.fx["tel"] = fx
    return fx


def case_phone_records(ctx):
    fx = fixtures(ctx)
    ag = ctx.api("agent")
    # an incoming call of an out-of-town dealer keeps the dealer's phone and address
    body = {"direction": "in", "called_at": ts(-1), "caller": "王经理", "callee": "客服小李",
            "out_of_town_dealer": True, "dealer_id": fx["dealer"],
            "content": "询问新机型的到货时间", "key_matters": "要求本周内答复",
            "result": "已记录，转主管"}
    for miss in ("phone", "address"):
        r = bad(ctx, "agent", "POST", PR, body, 400, "out-of-town dealer without " + miss)
        check(err(r).get("reason") == "required" and err(r).get("field") == miss,
              "names the missing %s: %s" % (miss, err(r)))
        body.update({"phone": "0871-6543210"} if miss == "phone" else {"address": "昆明市五华区"})
    r = expect(ag.post(PR, body), 201, "phone record")
    rec = r.json
    # ?phone= matches the number however it is typed (review 69 follow-up)
    for typed in ("0871-6543210", "+86 871 654 3210", "08716543210"):
        r = expect(ag.get(PR + "?phone=" + urllib.parse.quote(typed)), 200, "by phone")
        check(rec["id"] in [i["id"] for i in r.json["items"]], "phone %r" % typed)
    check(rec["status"] == "recorded" and rec["recorded_by"] == ctx.uid["agent"],
          "recorded by the agent %s" % rec)
    # linked to something, references checked, a dealer must be a dealer
    r = bad(ctx, "agent", "POST", PR, {"direction": "out", "called_at": ts(-1), "content": "x"},
            400, "no link")
    check(err(r).get("reason") == "required", "one link is required %s" % err(r))
    r = bad(ctx, "agent", "POST", PR, {"direction": "out", "called_at": ts(-1), "content": "x",
                                       "ticket_id": 10 ** 9}, 400, "unknown ticket")
    check(err(r).get("reason") == "unknown_reference" and err(r).get("field") == "ticket_id",
          "unknown ticket %s" % err(r))
    r = bad(ctx, "agent", "POST", PR, {"direction": "out", "called_at": ts(-1), "content": "x",
                                       "dealer_id": fx["cust"]}, 400, "not a dealer")
    check(err(r).get("reason") == "unknown_reference", "not a dealer %s" % err(r))
    # customers and dealers never see telephone records
    for role in ("customer", "dealer"):
        bad(ctx, role, "GET", PR, None, 403, role + " lists")
        bad(ctx, role, "GET", "%s/%d" % (PR, rec["id"]), None, 403, role + " reads")
        bad(ctx, role, "POST", PR, body, 403, role + " writes")
    # forward to the department head: a task for them, due at the due time
    sups = expect(ag.get(PR + "/superiors"), 200, "superiors").json["items"]
    check(any(s["id"] == ctx.uid["dept_head"] for s in sups), "dept head offered %s" % sups)
    due = ts(24)
    r = bad(ctx, "agent", "POST", "%s/%d/forward" % (PR, rec["id"]),
            {"superior_id": ctx.uid["customer"], "due_at": due}, 400, "forward to a customer")
    check(err(r).get("reason") == "unknown_reference", "superior checked %s" % err(r))
    r = expect(ag.post("%s/%d/forward" % (PR, rec["id"]),
                       {"superior_id": ctx.uid["dept_head"], "due_at": due, "note": "请指示"}),
               200, "forward")
    check(r.json["status"] == "forwarded" and r.json["forwarded_to"] == ctx.uid["dept_head"]
          and r.json["reply_due_at"] == due and r.json["task_id"], "forwarded %s" % r.json)
    task_id = r.json["task_id"]
    bad(ctx, "agent", "POST", "%s/%d/forward" % (PR, rec["id"]),
        {"superior_id": ctx.uid["dept_head"], "due_at": due}, 409, "forwarded twice")
    tasks = expect(ctx.api("dept_head").get("/api/v1/tasks?scope=mine&limit=200"), 200,
                   "tasks").json["items"]
    t = [k for k in tasks if k["id"] == task_id]
    check(t and t[0]["kind"] == "phone_record_forward" and t[0]["due_at"] == due
          and t[0]["overdue"] is False, "the superior's task %s" % t)
    # only the superior replies; the reply is on the record and closes the task
    bad(ctx, "agent", "POST", "%s/%d/reply" % (PR, rec["id"]), {"reply": "好"}, 403,
        "someone else replies")
    r = expect(ctx.api("dept_head").post("%s/%d/reply" % (PR, rec["id"]),
                                         {"reply": "周四前发货，告知经销商"}), 200, "reply")
    check(r.json["status"] == "answered" and r.json["reply"] == "周四前发货，告知经销商"
          and r.json["replied_by"] == ctx.uid["dept_head"], "answered %s" % r.json)
    tasks = expect(ctx.api("dept_head").get("/api/v1/tasks?scope=mine&status=done&limit=200"),
                   200, "done tasks").json["items"]
    check(any(k["id"] == task_id and k["reply"] == "周四前发货，告知经销商" for k in tasks),
          "the task is done with the reply")
    bad(ctx, "dept_head", "POST", "%s/%d/reply" % (PR, rec["id"]), {"reply": "again"}, 409,
        "answered twice")


def case_phone_overdue(ctx):
    """A forwarded telephone record overdue: the call was yesterday, the reply was due an
    hour ago and nobody answered; the task done from the task list answers it."""
    fx = fixtures(ctx)
    ag = ctx.api("agent")
    rec = expect(ag.post(PR, {"direction": "out", "called_at": ts(-30), "callee": "李工",
                              "phone": "13800000000", "customer_id": fx["cust"],
                              "content": "回访客户，客户反映设备噪音大",
                              "key_matters": "客户要求上门"}), 201, "outgoing call").json
    r = bad(ctx, "agent", "POST", "%s/%d/forward" % (PR, rec["id"]),
            {"superior_id": ctx.uid["gm"], "due_at": ts(-31)}, 400, "due before the call")
    check(err(r).get("field") == "due_at", "due_at after the call %s" % err(r))
    fwd = expect(ag.post("%s/%d/forward" % (PR, rec["id"]),
                         {"superior_id": ctx.uid["gm"], "due_at": ts(-1)}), 200,
                 "forward late").json
    items = expect(ag.get(PR + "?overdue=true&limit=200"), 200, "overdue").json["items"]
    check(any(i["id"] == rec["id"] for i in items), "listed overdue")
    tasks = expect(ctx.api("gm").get("/api/v1/tasks?scope=mine&limit=200"), 200,
                   "gm tasks").json["items"]
    t = [k for k in tasks if k["id"] == fwd["task_id"]]
    check(t and t[0]["overdue"] is True, "the task shows overdue %s" % t)
    expect(ctx.api("gm").post("/api/v1/tasks/%d/done" % fwd["task_id"], {"reply": "明天派人"}),
           200, "task done")
    r = expect(ag.get("%s/%d" % (PR, rec["id"])), 200, "record").json
    check(r["status"] == "answered" and r["reply"] == "明天派人", "answered via the task %s" % r)
    items = expect(ag.get(PR + "?overdue=true&limit=200"), 200, "overdue").json["items"]
    check(all(i["id"] != rec["id"] for i in items), "no longer overdue")


SC = "/api/v1/supplier-cases"


def day(delta=0):
    d = datetime.datetime.utcnow() + datetime.timedelta(hours=8, days=delta)
    return d.strftime("%Y-%m-%d")


def supplier_fx(ctx):
    if "sup" in ctx.fx:
        return ctx.fx["sup"]
    a = ctx.api()
    part = expect(a.post("/api/v1/parts", {"code": "SUP-" + uniq()[:6], "name": "外购电机",
                                           "price_fen": 12000, "cost_fen": 8000}), 201,
                  "part").json["id"]
    other = expect(a.post("/api/v1/parts", {"code": "SUQ-" + uniq()[:6], "name": "自制支架",
                                            "price_fen": 500, "cost_fen": 300}), 201,
                   "part").json["id"]
    model = expect(a.post("/api/v1/models", {"code": "SUP-" + uniq()[:6], "name": "外协整机",
                                             "category": "equipment", "warranty_months": 12}),
                   201, "model").json["id"]
    pu = ctx.api("purchasing")
    sup = expect(pu.post("/api/v1/suppliers", {"name": "东莞宏达电机" + uniq()[:4],
                                               "contact": "陈经理", "phone": "0769-2233445"}),
                 201, "supplier").json["id"]
    r = bad(ctx, "purchasing", "POST", "/api/v1/supplier-commitments",
            {"supplier_id": sup, "response_hours": 24, "valid_from": day(-10)}, 400, "covers nothing")
    check(err(r).get("reason") == "required", "model or part required %s" % err(r))
    bad(ctx, "agent", "POST", "/api/v1/supplier-commitments",
        {"supplier_id": sup, "part_id": part, "response_hours": 24, "valid_from": day(-10)}, 403,
        "an agent records commitments")
    com = expect(pu.post("/api/v1/supplier-commitments", {
        "supplier_id": sup, "part_id": part, "response_hours": 24, "contacts": "陈经理 13700000000",
        "terms": "24小时内答复，72小时内到场", "valid_from": day(-10), "valid_to": day(300)}),
        201, "commitment").json
    expect(pu.post("/api/v1/supplier-commitments", {
        "supplier_id": sup, "model_id": model, "response_hours": 48, "valid_from": day(-10)}),
        201, "model commitment")
    fx = {"part": part, "other": other, "model": model, "sup": sup, "com": com["id"]}
    ctx.fx["sup"] = fx
    return fx


def case_supplier_routing(ctx):
    """A third-party faulty part covered by a commitment goes to purchasing as a supplier case
    (the parts route's task reused); sent to the supplier and answered within the commitment
    is met, closing closes the task; another answered after the committed hours is late."""
    fx = supplier_fx(ctx)
    fp = expect(ctx.api("agent").post("/api/v1/faulty-parts", {
        "part_id": fx["part"], "third_party": True, "supplier": "东莞宏达电机",
        "fault": "电机轴承卡死"}), 201, "faulty part").json
    cases = expect(ctx.api("purchasing").get(SC + "?faulty_part_id=%d" % fp["id"]), 200,
                   "cases").json["items"]
    check(len(cases) == 1, "one case for the faulty part %s" % cases)
    c = cases[0]
    check(c["state"] == "to_purchasing" and c["supplier_id"] == fx["sup"]
          and c["commitment_id"] == fx["com"] and c["response_hours"] == 24
          and c["task_id"] == fp["task_id"], "routed to purchasing %s" % c)
    # a part nobody committed to: the faulty part's purchasing task only, no case
    fp2 = expect(ctx.api("agent").post("/api/v1/faulty-parts", {
        "part_id": fx["other"], "third_party": True, "fault": "支架变形"}), 201, "faulty").json
    check(not expect(ctx.api().get(SC + "?faulty_part_id=%d" % fp2["id"]), 200, "none")
          .json["items"], "no commitment, no case")
    r = bad(ctx, "agent", "POST", SC, {"part_id": fx["other"], "problem": "x"}, 422,
            "no commitment")
    check(err(r).get("reason") == "no_commitment", "no_commitment %s" % err(r))
    bad(ctx, "agent", "POST", "%s/%d/actions" % (SC, c["id"]), {"action": "send"}, 403,
        "an agent moves the case")
    bad(ctx, "purchasing", "POST", "%s/%d/actions" % (SC, c["id"]),
        {"action": "answer", "answer": "x"}, 409, "answer before sent")
    pu = ctx.api("purchasing")
    r = expect(pu.post("%s/%d/actions" % (SC, c["id"]), {"action": "send", "at": ts(-30, True)}),
               200, "send").json
    check(r["state"] == "sent_to_supplier" and r["sent_at"] == ts(-30, True), "sent %s" % r)
    bad(ctx, "purchasing", "POST", "%s/%d/actions" % (SC, c["id"]), {"action": "answer"}, 400,
        "answer without text")
    bad(ctx, "purchasing", "POST", "%s/%d/actions" % (SC, c["id"]),
        {"action": "answer", "answer": "x", "at": ts(2)}, 400, "answer in the future")
    r = expect(pu.post("%s/%d/actions" % (SC, c["id"]), {
        "action": "answer", "answer": "确认批次问题，免费更换", "at": ts(-10, True)}), 200, "answer").json
    check(r["state"] == "answered" and r["hours_taken"] == 20 and r["outcome"] == "met",
          "met within 24 h %s" % r)
    r = expect(pu.post("%s/%d/actions" % (SC, c["id"]), {"action": "close"}), 200, "close").json
    check(r["state"] == "closed" and r["closed_at"], "closed %s" % r)
    tasks = expect(pu.get("/api/v1/tasks?scope=role&status=done&limit=200"), 200,
                   "tasks").json["items"]
    check(any(k["id"] == c["task_id"] for k in tasks), "the purchasing task is done")
    # by model: a ticket-less case on the model's 48 h commitment answered in 50 h is late
    c2 = expect(ctx.api("agent").post(SC, {"model_id": fx["model"], "problem": "整机异响"}), 201,
                "open by model").json
    check(c2["response_hours"] == 48 and c2["task_id"], "model commitment %s" % c2)
    expect(pu.post("%s/%d/actions" % (SC, c2["id"]), {"action": "send", "at": ts(-51, True)}), 200,
           "send")
    r = expect(pu.post("%s/%d/actions" % (SC, c2["id"]), {"action": "answer",
                                                          "answer": "需返厂检测",
                                                          "at": ts(-1, True)}), 200, "answer").json
    check(r["outcome"] == "late" and r["hours_taken"] == 50, "late %s" % r)
    for role in ("customer", "dealer"):
        bad(ctx, role, "GET", SC, None, 403, role + " reads supplier cases")


def ticket_and_wo(ctx, unit):
    tid = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": unit, "caller_phone": "13900000007",
        "assignee_id": ctx.uid["technician"]}), 201, "ticket").json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % tid, {}), 200,
           "accept")
    wo = expect(ctx.api("dispatcher").post("/api/v1/work-orders", {
        "ticket_id": tid, "kind": "onsite_repair", "lead_id": ctx.uid["technician"],
        "appointment_at": ts(50), "override_reason": "test: the same crew in every case"}),
        201, "work order").json["id"]
    return tid, wo


def case_contract_requirements(ctx):
    """A contract's service requirements reviewed once before delivery and shown on a ticket
    and a work order of a covered unit, absent on those of another unit."""
    fx = fixtures(ctx)
    a = ctx.api()
    bare = expect(a.post("/api/v1/contracts", {"number": "HT-" + uniq()[:8],
                                               "customer_id": fx["cust"],
                                               "start_date": day(-30)}), 201, "contract").json
    r = bad(ctx, "sales", "POST", "/api/v1/contracts/%d/review" % bare["id"], None, 409,
            "nothing to review")
    check(err(r).get("reason") == "guard", "no requirements %s" % err(r))
    k = expect(a.post("/api/v1/contracts", {
        "number": "HT-" + uniq()[:8], "customer_id": fx["cust"], "start_date": day(-30),
        "service_owed": "两年免费上门维护，每季度巡检一次",
        "special_requirements": "特殊包装：防潮木箱；进入洁净车间须穿防静电服"}), 201,
        "contract").json
    bad(ctx, "technician", "POST", "/api/v1/contracts/%d/review" % k["id"], None, 403,
        "a technician reviews")
    bad(ctx, "customer", "POST", "/api/v1/contracts/%d/review" % k["id"], None, 403,
        "a customer reviews")
    r = expect(ctx.srv.request("POST", "/api/v1/contracts/%d/review" % k["id"],
                               token=ctx.tok["sales"]), 200, "review").json
    check(r["requirements_reviewed_by"] == ctx.uid["sales"] and r["requirements_reviewed_at"],
          "reviewed %s" % r)
    bad(ctx, "sales", "POST", "/api/v1/contracts/%d/review" % k["id"], None, 409, "twice")
    model = expect(a.post("/api/v1/models", {"code": "HT-" + uniq()[:6], "name": "合同机型",
                                             "category": "equipment"}), 201, "model").json["id"]
    units = [expect(a.post("/api/v1/units", dict(
        {"serial_no": "HT" + uniq()[:9], "model_id": model, "customer_id": fx["cust"],
         "ship_date": day(-20)}, **extra)), 201, "unit").json["id"]
        for extra in ({"contract_id": k["id"]}, {})]
    (t1, w1), (t2, w2) = ticket_and_wo(ctx, units[0]), ticket_and_wo(ctx, units[1])
    for path in ("/api/v1/tickets/%d" % t1, "/api/v1/work-orders/%d" % w1):
        cr = expect(a.get(path), 200, path).json.get("contract_requirements")
        check(cr and cr["contract_id"] == k["id"] and cr["special_requirements"].startswith(
            "特殊包装") and cr["reviewed_by"] == ctx.uid["sales"], "%s shows %s" % (path, cr))
    for path in ("/api/v1/tickets/%d" % t2, "/api/v1/work-orders/%d" % w2):
        check("contract_requirements" not in expect(a.get(path), 200, path).json,
              "absent on %s" % path)


def run(ctx, runner):
    runner.run("tel: telephone record, forward to a superior, reply closes the task (R-038)",
               case_phone_records, ctx)
    runner.run("tel: a forwarded telephone record overdue", case_phone_overdue, ctx)
    runner.run("tel: supplier routing to purchasing, answer met / late (R-013, R-068)",
               case_supplier_routing, ctx)
    runner.run("tel: contract requirements reviewed, on a covered ticket and work order (R-200)",
               case_contract_requirements, ctx)

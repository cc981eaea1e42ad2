"""Messages from templates (issue 15 item 2) and the technicians' calendar feeds (item 5): a
ticket received sends the company's Chinese template with its number, an English customer gets
English; the pre-arrival call (R-121) is a phone task made once; the warranty-ending message
(R-190) once per unit; a customer reached by phone gets a call task, by letter a printable page
marked printed; the template editor refuses an unknown variable and previews with samples.
Run by test_api.py on the shared server (no channel is enabled there: messages stay pending)."""
import datetime
import time

import contract
from harness import check, expect, short, uniq
from test_visits import sql

TZ8 = datetime.timezone(datetime.timedelta(hours=8))


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def customer(ctx, **extra):
    body = {"code": "NT-" + uniq(), "name": "通知客户" + uniq()[-4:], "type": "company",
            "phone": "1390000" + str(int(time.time() * 1000))[-4:], "email": "c@example.cn"}
    body.update(extra)
    return expect(ctx.api().post("/api/v1/customers", body), 201, "customer").json


def unit(ctx, cust, **extra):
    body = {"serial_no": "NT" + uniq(), "model_id": ctx.fx["M"], "customer_id": cust}
    body.update(extra)
    return expect(ctx.api().post("/api/v1/units", body), 201, "unit").json


def ticket(ctx, cust, u, phone="13911112222", **extra):
    body = {"channel": "phone", "type": "repair", "customer_id": cust, "unit_id": u,
            "caller_phone": phone}
    body.update(extra)
    return expect(ctx.api("agent").post("/api/v1/tickets", body), 201, "ticket").json


def put(ctx, path, body, bad=False):
    return ctx.srv.request("PUT", path, body=body, token=ctx.tok["admin"], bad=bad)


def post0(ctx, path, role="admin"):
    """A POST without a body."""
    return ctx.srv.request("POST", path, token=ctx.tok[role])


def outbox(ctx, where):
    cols = ["id", "kind", "channel", "recipient", "subject", "body", "locale", "state",
            "task_id", "dedupe_key", "ticket_id"]
    rows = sql(ctx, "SELECT %s FROM outbox WHERE %s ORDER BY id" % (", ".join(cols), where))
    return [dict(zip(cols, r)) for r in rows]


def case_received_zh(ctx):
    a = ctx.api()
    # the company's own wording is used (not the built-in default)
    expect(put(ctx, "/api/v1/notification-templates/ticket_received/zh-CN", {
        "subject": "【售后】工单 {number} 已受理",
        "body": "您好，您的报修已登记，工单号 {number}，进度查询：{status_url}"}), 200, "tpl")
    c = customer(ctx)
    t = ticket(ctx, c["id"], unit(ctx, c["id"])["id"], phone="13911113333")
    m = outbox(ctx, "kind = 'ticket_received' AND ticket_id = %d" % t["id"])
    check(len(m) == 1, "one received message: %s" % short(m))
    m = m[0]
    check(m["subject"] == "【售后】工单 %s 已受理" % t["number"], "subject: %s" % m["subject"])
    check(t["number"] in m["body"] and "/r/s/" in m["body"] and "{" not in m["body"],
          "body with number and status link: %s" % m["body"])
    check(m["channel"] == "sms" and m["recipient"] == "13911113333" and m["locale"] == "zh-CN",
          "to the caller by SMS in Chinese: %s" % short(m))
    # the status link works
    tok = m["body"].split("/r/s/")[1].split()[0]
    st = ctx.srv.request("GET", "/api/v1/public/reports/" + tok)
    check(st.status == 200, "status link answers: %d" % st.status)


def case_received_en(ctx):
    c = customer(ctx, locale="en")
    check(c["locale"] == "en", "customer locale stored: %s" % c.get("locale"))
    t = ticket(ctx, c["id"], unit(ctx, c["id"])["id"])
    m = outbox(ctx, "kind = 'ticket_received' AND ticket_id = %d" % t["id"])
    check(len(m) == 1 and m[0]["locale"] == "en", "one English message: %s" % short(m))
    check(m[0]["subject"] == "Ticket %s received" % t["number"], "English subject: %s" %
          m[0]["subject"])
    check(not any("\u4e00" <= ch <= "\u9fff" for ch in m[0]["body"]), "no Chinese in the body")


def case_precall_once(ctx):
    c = customer(ctx, address="昆明市北京路 88 号")
    end = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    u = unit(ctx, c["id"], warranty_end_override=end)
    t = ticket(ctx, c["id"], u["id"], assignee_id=ctx.uid["technician"])
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % t["id"], {}), 200,
           "accept")
    at = int(time.time()) + 90 * 60
    expect(ctx.api("dispatcher").post("/api/v1/tickets/%d/actions/schedule_visit" % t["id"],
                                      {"visit_at": ts(at)}), 200, "schedule")
    for _ in range(2):
        r = expect(post0(ctx, "/api/v1/notifications/reminders"), 200, "reminders").json
        check(set(r) == {"precalls", "warranties"}, "counts: %s" % r)
    m = outbox(ctx, "kind = 'precall' AND ticket_id = %d" % t["id"])
    check(len(m) == 1, "one pre-arrival call after two passes: %s" % short(m))
    m = m[0]
    check(m["channel"] == "phone" and m["state"] == "sent" and m["task_id"],
          "a phone task: %s" % short(m))
    check(c["name"] in m["body"] and "北京路" in m["body"], "customer and address: %s" % m["body"])
    task = sql(ctx, "SELECT assignee_id, due_at, status, kind FROM tasks WHERE id = %s" %
               m["task_id"])[0]
    check(int(task[0]) == ctx.uid["technician"] and task[1] == ts(at - 3600) and
          task[2] == "open" and task[3] == "phone_call",
          "the lead calls, due an hour before: %s" % (task,))
    # the call's outcome is recorded on the task
    r = expect(ctx.api("technician").post("/api/v1/tasks/%s/done" % m["task_id"],
                                          {"reply": "已确认地址，告知 10:30 到达"}), 200, "done")
    check(r.json["status"] == "done", "recorded: %s" % short(r.body))
    # the confirmation gives the tolerance (HW 1.1.3)
    wo = expect(ctx.api().get("/api/v1/work-orders?ticket_id=%d" % t["id"]), 200, "wo").json
    wid = wo["items"][0]["id"]
    expect(ctx.api("dispatcher").post("/api/v1/work-orders/%d/actions" % wid,
                                      {"action": "confirm"}), 200, "confirm")
    ap = outbox(ctx, "kind = 'appointment_confirmed' AND ticket_id = %d" % t["id"])
    check(len(ap) == 1 and "30 分钟" in ap[0]["body"], "tolerance told: %s" % short(ap))
    # the late notice carries the new arrival time (Asia/Shanghai)
    eta = at + 3600
    expect(ctx.api("technician").post("/api/v1/work-orders/%d/actions" % wid,
                                      {"action": "running_late", "eta_at": ts(eta)}), 200, "late")
    local = datetime.datetime.fromtimestamp(eta, TZ8).strftime("%Y-%m-%d %H:%M")
    late = outbox(ctx, "kind = 'late_notice' AND ticket_id = %d AND recipient <> ''" % t["id"])
    check(len(late) == 1 and local in late[0]["body"], "new arrival %s: %s" % (local, short(late)))


def case_warranty_once(ctx):
    c = customer(ctx)
    end = (datetime.datetime.now(TZ8).date() + datetime.timedelta(days=20)).isoformat()
    u = unit(ctx, c["id"], warranty_end_override=end)
    check(u["warranty_end"] == end, "warranty end: %s" % u.get("warranty_end"))
    far = unit(ctx, c["id"], warranty_end_override=(datetime.date.today() +
                                                    datetime.timedelta(days=90)).isoformat())
    for _ in range(2):
        expect(post0(ctx, "/api/v1/notifications/reminders"), 200, "reminders")
    m = outbox(ctx, "kind = 'warranty_ending' AND dedupe_key LIKE 'warranty:%d:%%'" % u["id"])
    check(len(m) == 1, "one warranty message per unit: %s" % short(m))
    check(end in m[0]["subject"] and u["serial_no"] in m[0]["body"], "text: %s" % short(m[0]))
    check(m[0]["recipient"] == c["phone"], "to the customer's phone: %s" % m[0]["recipient"])
    none = outbox(ctx, "kind = 'warranty_ending' AND dedupe_key LIKE 'warranty:%d:%%'" % far["id"])
    check(not none, "a warranty ending in 90 days waits: %s" % short(none))


def case_phone_and_letter(ctx):
    c = customer(ctx, notify_channel="phone")
    t = ticket(ctx, c["id"], unit(ctx, c["id"])["id"], assignee_id=ctx.uid["agent"])
    m = outbox(ctx, "kind = 'ticket_received' AND ticket_id = %d" % t["id"])
    check(len(m) == 1 and m[0]["channel"] == "phone" and m[0]["task_id"], "phone: %s" % short(m))
    task = sql(ctx, "SELECT assignee_id, title, ticket_id FROM tasks WHERE id = %s" %
               m[0]["task_id"])[0]
    check(int(task[0]) == ctx.uid["agent"] and t["number"] in task[1] and
          int(task[2]) == t["id"], "a call task for the ticket's owner: %s" % (task,))
    mine = expect(ctx.api("agent").get("/api/v1/tasks?scope=mine&status=open&limit=200"), 200,
                  "tasks").json
    check(any(x["id"] == int(m[0]["task_id"]) for x in mine["items"]), "in the owner's tasks")
    # a letter: a printable page, then marked printed (sent)
    c = customer(ctx, notify_channel="letter", locale="en")
    t = ticket(ctx, c["id"], unit(ctx, c["id"])["id"])
    m = outbox(ctx, "kind = 'ticket_received' AND ticket_id = %d" % t["id"])
    check(len(m) == 1 and m[0]["channel"] == "letter" and m[0]["state"] == "pending",
          "a letter waits for printing: %s" % short(m))
    page = ctx.srv.request("GET", "/api/v1/notifications/%s/letter" % m[0]["id"],
                           token=ctx.tok["agent"])
    body = page.body.decode()
    check(page.status == 200 and "text/html" in page.header("Content-Type"), "letter page")
    check(t["number"] in body and c["name"] in body and 'lang="en"' in body,
          "letter text: %s" % body[:300])
    r = expect(post0(ctx, "/api/v1/notifications/%s/printed" % m[0]["id"], "agent"), 200,
               "printed").json
    check(r["state"] == "sent" and r["printed_at"], "printed: %s" % r)
    lst = expect(ctx.api().get("/api/v1/notifications?channel=letter&limit=50"), 200,
                 "list").json
    row = [x for x in lst["items"] if x["id"] == int(m[0]["id"])]
    check(row and row[0]["printed_at"] and row[0]["locale"] == "en", "listed: %s" % short(row))


@contract.invalid_requests  # bad-input cases inside
def case_editor(ctx):
    a = ctx.api()
    with contract.bad_requests():
        r = put(ctx, "/api/v1/notification-templates/shipment_sent/zh-CN",
                {"subject": "已发货 {waybill}", "body": "快递 {courier} 单号 {waybill}"}, bad=True)
    expect(r, 400, "unknown variable")
    err = r.json["error"]
    check(err["reason"] == "unknown_reference" and err["field"] == "body" and
          err["params"]["variable"] == "courier", "names the variable: %s" % short(r.body))
    with contract.bad_requests():
        r = a.post("/api/v1/notification-templates/shipment_sent/zh-CN/preview",
                   {"subject": "", "body": "x {waybill}"})
    expect(r, 400, "preview empty subject")
    check(r.json["error"]["field"] == "subject" and r.json["error"]["reason"] == "required",
          "subject required: %s" % short(r.body))
    r = expect(a.post("/api/v1/notification-templates/shipment_sent/en/preview",
                      {"subject": "Sent {waybill}", "body": "By {carrier}: {waybill} ({number})"}),
               200, "preview").json
    check(r["subject"] == "Sent SF1234567890" and "SF Express" in r["body"],
          "sample values: %s" % r)
    stored = expect(a.get("/api/v1/notification-templates"), 200, "list").json["items"]
    s = [x for x in stored if x["kind"] == "shipment_sent" and x["locale"] == "en"][0]
    check(not s["customized"], "a preview stores nothing")
    check("quote_ready" in {x["kind"] for x in stored}, "quote_ready is an event")


def tech_id(ctx, uid):
    row = sql(ctx, "SELECT id FROM technicians WHERE user_id = %d" % uid)
    if row:
        return int(row[0][0])
    return expect(ctx.api().post("/api/v1/technicians", {"user_id": uid, "name": "日历工程师"}),
                  201, "technician").json["id"]


def unfold(text):
    """RFC 5545 3.1: CRLF followed by a space or tab continues the line."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def unescape(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            out.append("\n" if v[i + 1] in "nN" else v[i + 1])
            i += 2
        else:
            out.append(v[i])
            i += 1
    return "".join(out)


def parse_ical(raw):
    """The calendar's structure: checks the octet rules and returns (calendar props, events)."""
    check(raw.endswith(b"\r\n"), "ends with CRLF")
    for line in raw.split(b"\r\n"):
        check(len(line) <= 75, "a line over 75 octets: %r" % line[:90])
        check(b"\n" not in line and b"\r" not in line, "bare CR or LF: %r" % line[:90])
        line.decode("utf-8")  # folding never splits a character
    lines = unfold(raw.decode("utf-8"))
    check(lines[-1] == "", "trailing CRLF")
    lines = lines[:-1]
    check(lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR", "VCALENDAR")
    cal, events, cur = {}, [], None
    for ln in lines[1:-1]:
        name, _, value = ln.partition(":")
        if ln == "BEGIN:VEVENT":
            check(cur is None, "nested VEVENT")
            cur = {}
        elif ln == "END:VEVENT":
            events.append(cur)
            cur = None
        elif cur is not None:
            cur[name] = value
        else:
            cal[name] = value
    check(cur is None, "VEVENT closed")
    check(cal.get("VERSION") == "2.0" and cal.get("PRODID"), "VERSION and PRODID: %s" % cal)
    for ev in events:
        for k in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            check(k in ev, "%s in every event: %s" % (k, ev))
        for k in ("DTSTAMP", "DTSTART", "DTEND"):
            check(len(ev[k]) == 16 and ev[k][8] == "T" and ev[k].endswith("Z"),
                  "UTC time with Z: %s %s" % (k, ev[k]))
    return cal, events


def case_ical(ctx):
    uid = ctx.uid["technician"]
    tid = tech_id(ctx, uid)
    base = "/api/v1/technicians/%d/calendar-feed" % tid
    r = expect(ctx.api("technician").get(base), 200, "own feed").json
    check(r["technician_id"] == tid, "feed: %s" % r)
    expect(ctx.api("agent").get(base), 403, "an agent does not see it")
    r = expect(post0(ctx, base, "technician"), 200, "make the feed").json
    path = r["path"]
    check(path and path.startswith("/api/v1/public/calendars/") and len(path) > 60, "path %s" % r)
    # a booking whose text needs escaping and folding
    c = customer(ctx, name="北方;精密,机械 " + uniq()[-4:],
                 address="北京市东城区帅府园一号院二号楼三层东侧 三零一室，请从北门进入并联系门卫登记")
    end = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    t = ticket(ctx, c["id"], unit(ctx, c["id"], warranty_end_override=end)["id"],
               assignee_id=uid)
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % t["id"], {}), 200,
           "accept")
    at = int(time.time()) // 60 * 60 + 5 * 86400
    expect(ctx.api("dispatcher").post("/api/v1/tickets/%d/actions/schedule_visit" % t["id"],
                                      {"visit_at": ts(at)}), 200, "schedule")
    wo = expect(ctx.api().get("/api/v1/work-orders?ticket_id=%d" % t["id"]), 200, "wo").json
    w = wo["items"][0]
    feed = ctx.srv.request("GET", path)
    check(feed.status == 200 and feed.header("Content-Type").startswith("text/calendar"),
          "feed answers without sign-in: %d" % feed.status)
    cal, events = parse_ical(feed.body)
    mine = [e for e in events if e["UID"] == "wo-%d@shouhou" % w["id"]]
    check(len(mine) == 1, "the booking is in the feed once: %s" % [e["UID"] for e in events][:20])
    ev = mine[0]
    check(ev["DTSTART"] == time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at)), "start %s" %
          ev["DTSTART"])
    check(ev["DTEND"] == time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(at + 60 * w["duration_min"])),
          "end %s" % ev["DTEND"])
    check(unescape(ev["SUMMARY"]) == "%s %s" % (w["number"], c["name"]), "summary: %s" %
          ev["SUMMARY"])
    check("\\;" in ev["SUMMARY"] and "\\," in ev["SUMMARY"], "escaped ; and ,: %s" % ev["SUMMARY"])
    check(unescape(ev["LOCATION"]) == c["address"], "location: %s" % ev["LOCATION"])
    check(any(len(x) == 75 for x in feed.body.split(b"\r\n")) or
          any(x.startswith(b" ") for x in feed.body.split(b"\r\n")), "long lines are folded")
    # the UID is stable across reads
    _, again = parse_ical(ctx.srv.request("GET", path + ".ics").body)
    check([e["UID"] for e in again] == [e["UID"] for e in events], "UIDs stable")
    # a trip of the technician is in it too
    start = int(time.time()) + 400 * 86400 + int(uniq()[-3:], 36) * 3600
    tr = expect(ctx.api("dispatcher").post("/api/v1/trips", {
        "lead_id": uid, "other_ids": [], "purpose": "安装调试", "customer_id": c["id"],
        "address": "昆明", "contact_name": "王", "contact_phone": "0871-1", "est_days": 2,
        "planned_departure_at": ts(start)}), 201, "trip").json
    _, events = parse_ical(ctx.srv.request("GET", path).body)
    check(any(e["UID"] == "trip-%d@shouhou" % tr["id"] for e in events), "the trip is listed")
    # rotation: the old URL is refused, the new one works
    r2 = expect(post0(ctx, base, "admin"), 200, "rotate").json
    check(r2["path"] != path, "a new token")
    old = ctx.srv.request("GET", path)
    check(old.status == 404, "the rotated URL is refused: %d" % old.status)
    check(ctx.srv.request("GET", r2["path"]).status == 200, "the new URL works")
    q = ctx.srv.request("GET", base + "/qr.svg", token=ctx.tok["technician"])
    check(q.status == 200 and b"<svg" in q.body, "QR code")


def matrix_call(ctx, m, p, state):
    """The route matrix's call of the public calendar: the current token of a real feed
    (read each time: the matrix may rotate it)."""
    base = "/api/v1/technicians/%d/calendar-feed" % tech_id(ctx, ctx.uid["technician"])
    r = ctx.srv.request("GET", base, token=ctx.tok["technician"]).json
    if not r.get("path"):
        r = expect(post0(ctx, base, "technician"), 200, "feed").json
    return m, p.replace("{token}", r["path"].rsplit("/", 1)[1]), None, None, None


def case_staff_messages_zh(ctx):
    """What the department heads are told (an escalation) comes from a template in their
    language, not English text built in C (review 2026-12-07)."""
    a = ctx.api()
    t = expect(a.post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                          "customer_id": ctx.fx["B"], "description": "升级测试"}),
               201, "ticket").json
    expect(ctx.api("agent").post("/api/v1/tickets/%d/actions/escalate" % t["id"],
                                 {"note": "客户第三次来电催促"}), 200, "escalate")
    m = outbox(ctx, "kind = 'escalation' AND ticket_id = %d" % t["id"])
    check(m and all(x["subject"] == "工单升级：" + t["number"] and "客户第三次来电催促" in x["body"]
                    and x["locale"] == "zh-CN" for x in m), "escalation told in Chinese: %s" % m)


def case_codes_labelled(ctx):
    """A decision told to the requester names it in their language (已批准), not by its code
    (review 2026-12-07: "审批结果：SH-… approved")."""
    t = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "customer_id": ctx.fx["B"]}), 201, "ticket").json
    a = expect(ctx.api("sales").post("/api/v1/approvals", {
        "kind": "installation", "purpose": "新装调试 " + uniq(), "customer_id": ctx.fx["B"],
        "ticket_id": t["id"], "site": "上海市黄浦区瑞金二路197号", "units": "CT ×1",
        "technicians": 1, "trip_days": 1, "cost_fen": 1000}), 201, "approval").json
    expect(ctx.api("gm").post("/api/v1/approvals/%d/decision" % a["id"],
                              {"decision": "approve"}), 200, "approve")
    m = outbox(ctx, "kind = 'approval_decided' AND ticket_id = %d" % t["id"])
    check(m and all(x["subject"] == "审批结果：%s 已批准" % t["number"] and
                    "approved" not in x["subject"] + x["body"] for x in m),
          "the decision in Chinese: %s" % m)


def run(ctx, runner):
    runner.run("notify tmpl: department heads are told in their language (escalation)",
               case_staff_messages_zh, ctx)
    runner.run("notify tmpl: a decision is named in the recipient's language",
               case_codes_labelled, ctx)
    runner.run("notify tmpl: ticket received in Chinese from the company's template",
               case_received_zh, ctx)
    runner.run("notify tmpl: an English customer gets English", case_received_en, ctx)
    runner.run("notify tmpl: pre-arrival call task once, tolerance, late notice",
               case_precall_once, ctx)
    runner.run("notify tmpl: warranty ending once per unit", case_warranty_once, ctx)
    runner.run("notify tmpl: phone task and printable letter channels", case_phone_and_letter, ctx)
    runner.run("notify tmpl: the editor refuses an unknown variable, previews", case_editor, ctx)
    runner.run("ical: a technician's feed parses (RFC 5545), a rotated token is refused",
               case_ical, ctx)

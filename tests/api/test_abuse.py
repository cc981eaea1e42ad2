"""Review 69 (security, 2026-12-07): uploaded file names, text messages to typed numbers,
staff notes on customers, public tokens in the access log, and the bounds of waiting days,
survey links and payment dates."""
import json
import time
import urllib.parse
import uuid

from harness import check, expect
from test_public import unit_for
from test_visits import sql

GIF = b"GIF89a=1\r\ncalc.exe\r\n"


def uniq():
    return uuid.uuid4().hex[:8]


def portal_ticket(ctx, phone=None):
    body = {"channel": "portal", "type": "repair", "unit_id": ctx.fx["unitA"],
            "description": "门禁故障 " + uniq()}
    if phone:
        body["caller_phone"] = phone
    return ctx.api("customer").post("/api/v1/tickets", body)


def upload(ctx, path, name, data, role="customer", bad=False, ctype="application/octet-stream"):
    q = "?filename=" + urllib.parse.quote(name) if name is not None else ""
    tok = ctx.tok[role] if role else None
    return ctx.srv.request("POST", path + q, body=data, token=tok, bad=bad,
                           headers={"Content-Type": ctype})


def case_upload_names(ctx):
    """M4: a name keeps no direction or format character, and its extension is the type's."""
    t = expect(portal_ticket(ctx), 201, "portal ticket").json["id"]
    path = "/api/v1/tickets/%d/attachments" % t
    cases = [("invoice\u202efdp.bat", GIF, "invoicefdp.gif"), ("x.hta", GIF, "x.gif"),
             ("x.js", GIF, "x.gif"), ("x.html", GIF, "x.gif"), ("报告.pdf ", b"%PDF-1.4\n", "报告.pdf"),
             ("\u2066a\u200fb.GIF", GIF, "ab.GIF"), ("图.jpeg", b"\xff\xd8\xff\xe0", "图.jpeg"),
             ("y.png.exe.", b"\x89PNG\r\n\x1a\n", "y.png.png"), ("\u202e", GIF, "attachment.gif"),
             (None, GIF, "attachment.gif")]
    ids = []
    for name, data, want in cases:
        r = expect(upload(ctx, path, name, data), 201, "upload %r" % name)
        check(r.json["filename"] == want, "%r stored as %r, not %r" % (name, r.json["filename"], want))
        ids.append(r.json["id"])
    r = expect(ctx.api("agent").get("/api/v1/attachments/%d" % ids[0]), 200, "download")
    cd = r.header("Content-Disposition")
    check(cd == "attachment; filename=\"attachment.gif\"; filename*=UTF-8''invoicefdp.gif",
          "served as %r" % cd)
    # a row stored before names were cleaned is served with a safe name too
    sql(ctx, "UPDATE attachments SET filename = 'old\u202efdp.bat' WHERE id = %d" % ids[1])
    r = expect(ctx.api("agent").get("/api/v1/attachments/%d" % ids[1]), 200, "old row")
    check(r.header("Content-Disposition").endswith("''oldfdp.gif"),
          "old row served as %r" % r.header("Content-Disposition"))
    # the anonymous QR photo
    # (a unit of its own: the shared fixture's serial is renamed by other modules' probes)
    r = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % unit_for(ctx)[0],
                               body={"description": "照片", "phone": "13900007%03d"
                                     % (int(uniq(), 16) % 1000)}), (200, 201), "qr report")
    expect(upload(ctx, "/api/v1/public/reports/%s/photos" % r.json["token"],
                  "照片\u202egpj.bat", GIF, role=None, ctype="image/gif"), 201, "public photo")
    got = sql(ctx, "SELECT filename FROM attachments WHERE ticket_id = (SELECT id FROM tickets "
              "WHERE number = '%s') ORDER BY id DESC" % r.json["number"])
    check(got and got[0][0] == "照片gpj.gif", "public photo stored as %r" % got)


def case_qr_phone(ctx):
    """M2: the QR report's phone must be a mainland number; nothing is written or sent else."""
    serial = "AB-" + uniq()
    expect(ctx.api().post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                            "customer_id": ctx.fx["A"]}), 201, "unit")
    n0 = sql(ctx, "SELECT count(*) FROM outbox")[0][0]
    for ph in ("abc", "+88213000000", "1", "400-000-0000", "139 0000 88881"):
        r = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial, bad=True,
                                   body={"description": "x", "phone": ph}), 400, "phone %r" % ph)
        err = r.json["error"]
        check(err.get("field") == "phone" and err.get("reason") == "invalid_format",
              "phone %r: %s" % (ph, err))
    check(sql(ctx, "SELECT count(*) FROM outbox")[0][0] == n0, "nothing queued")
    r = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial,
                               body={"description": "x", "phone": "028-42426514"}), 201, "landline")
    expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial,
                           body={"description": "x", "phone": "+86 139 0000 4321"}), 201, "mobile")


def case_portal_unknown_phone(ctx):
    """M2: a customer account opens at most 5 tickets an hour (the default) for numbers that are
    not its customer's; its own numbers and no number at all stay open."""
    known = "13700%06d" % (int(uniq(), 16) % 1000000)
    expect(ctx.api().post("/api/v1/contacts", {"customer_id": ctx.fx["A"], "name": "值班",
                                               "phone": known}), 201, "contact")
    sql(ctx, "DELETE FROM outbox WHERE recipient LIKE '+8613300%'")
    codes = [portal_ticket(ctx, "+86133%08d" % i).status for i in range(7)]
    check(codes == [201] * 5 + [429, 429], "unknown numbers: %s" % codes)
    r = portal_ticket(ctx, "+8613300000099")
    err = r.json["error"]
    check(err.get("field") == "caller_phone" and err.get("reason") == "too_many" and
          err.get("params", {}).get("max") == 5, "refusal: %s" % err)
    sent = sql(ctx, "SELECT count(*) FROM outbox WHERE recipient LIKE '+86133%'")[0][0]
    check(sent == "5", "5 messages to typed numbers, not %s" % sent)
    expect(portal_ticket(ctx, known), 201, "a contact's number")
    expect(portal_ticket(ctx), 201, "no number")
    # the contact's number however it is typed (domain/phone.h phone_cn_key)
    expect(portal_ticket(ctx, "+86 %s %s-%s" % (known[:3], known[3:7], known[7:])), 201,
           "a contact's number, spelt differently")


def case_phone_spellings(ctx):
    """Review 69: a typed phone is compared by its key, so "139 0000 1234", "+86 13900001234"
    and "13900001234" are one number: the QR report's repeat joins its open ticket, and the
    agent's intake finds the customer by a number spelt otherwise."""
    n = "%08d" % (int(uniq(), 16) % 100000000)
    serial = unit_for(ctx)[0]
    first = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial,
                                   body={"description": "坏了", "phone": "136 %s %s" % (
                                       n[:4], n[4:])}), 201, "first report").json
    r = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial,
                               body={"description": "还是坏", "phone": "+86136" + n}), 200,
               "the same number, spelt otherwise")
    check(r.json.get("repeat") is True and r.json["number"] == first["number"],
          "joins its ticket: %s" % r.json)
    c = expect(ctx.api().post("/api/v1/customers", {"name": "号码客户" + uniq(), "type": "company",
                                                    "phone": "0571-8%s" % n[1:]}), 201, "customer")
    t = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "consultation", "description": "来电咨询",
        "caller_phone": "+86 571 8%s %s" % (n[1:4], n[4:])}), 201, "intake by phone").json
    tk = t.get("ticket", t)
    check(tk["customer_id"] == c.json["id"], "the customer found: %s" % tk["customer_id"])


def case_phone_filters(ctx):
    """Review 69 follow-up: the list filters ?phone= (customers, contacts) and ?caller_phone=
    (tickets) match the same number however it is typed, as the intake's lookup does."""
    n = "%08d" % (int(uniq(), 16) % 100000000)
    c = expect(ctx.api().post("/api/v1/customers", {
        "name": "筛选号码客户" + uniq(), "type": "company",
        "phone": "138 %s %s" % (n[:4], n[4:])}), 201, "customer").json["id"]
    other = expect(ctx.api().post("/api/v1/customers", {
        "name": "别的号码" + uniq(), "type": "company", "phone": "139" + n}), 201, "other").json
    k = expect(ctx.api().post("/api/v1/contacts", {
        "customer_id": c, "name": "联系人", "phone": "+86 138-%s-%s" % (n[:4], n[4:])}), 201,
        "contact").json["id"]
    t = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "consultation", "description": "来电咨询",
        "caller_phone": "138-%s-%s" % (n[:4], n[4:])}), 201, "ticket").json
    t = t.get("ticket", t)["id"]
    landline = expect(ctx.api().post("/api/v1/customers", {
        "name": "座机客户" + uniq(), "type": "company", "phone": "0571-8%s" % n[1:]}), 201,
        "landline").json["id"]

    def ids(path, key, typed):
        r = expect(ctx.api("agent").get("%s?%s=%s" % (path, key, urllib.parse.quote(typed))),
                   200, "%s %s=%s" % (path, key, typed))
        return sorted(i["id"] for i in r.json["items"])

    for typed in ("138" + n, "138 %s %s" % (n[:4], n[4:]), "+86 138%s" % n,
                  "138-%s-%s" % (n[:4], n[4:]), "0086138" + n, "86 138 %s" % n):
        check(ids("/api/v1/customers", "phone", typed) == [c], "customers by %r" % typed)
        check(ids("/api/v1/contacts", "phone", typed) == [k], "contacts by %r" % typed)
        check(ids("/api/v1/tickets", "caller_phone", typed) == [t], "tickets by %r" % typed)
    check(ids("/api/v1/customers", "phone", "139 %s %s" % (n[:4], n[4:])) == [other["id"]],
          "another number is another")
    for typed in ("+86 571 8%s %s" % (n[1:4], n[4:]), "05718%s" % n[1:]):
        check(ids("/api/v1/customers", "phone", typed) == [landline], "landline by %r" % typed)


def case_staff_notes(ctx):
    """L1: staff notes and the key-customer class are not shown to customer or dealer accounts."""
    a, d = ctx.fx["A"], ctx.fx["D"]
    for cid in (a, d):
        expect(ctx.api().patch("/api/v1/customers/%d" % cid, {
            "notes": "重点客户：内部备注", "is_key": True, "first_contact_note": "官网留言"}),
            200, "staff notes")
    k = expect(ctx.api().post("/api/v1/contacts", {"customer_id": a, "name": "内部",
                                                   "notes": "脾气差"}), 201, "contact").json
    staff = expect(ctx.api("agent").get("/api/v1/customers/%d" % a), 200, "agent").json
    check(staff["notes"] and staff["is_key"] is True and staff["first_contact_note"],
          "staff sees them: %s" % staff)
    for role, cid in (("customer", a), ("dealer", d)):
        r = expect(ctx.api(role).get("/api/v1/customers/%d" % cid), 200, role)
        hidden = {"notes", "is_key", "first_contact_note"} & set(r.json)
        check(not hidden, "%s sees %s" % (role, sorted(hidden)))
        for it in expect(ctx.api(role).get("/api/v1/customers"), 200, role).json["items"]:
            check("notes" not in it and "is_key" not in it, "%s list: %s" % (role, it))
        expect(ctx.api(role).get("/api/v1/customers?is_key=true", bad=True), 400,
               "%s filters on is_key" % role)
    r = expect(ctx.api("customer").get("/api/v1/contacts/%d" % k["id"]), 200, "own contact")
    check("notes" not in r.json, "the customer sees its contact's notes: %s" % r.json)
    for it in expect(ctx.api("customer").get("/api/v1/contacts"), 200, "contacts").json["items"]:
        check("notes" not in it, "contacts list: %s" % it)
    m = expect(ctx.api().get("/api/v1/meta"), 200, "meta").json
    check("staff_only" in str(m), "meta")


def case_log_tokens(ctx):
    """L2: the access log keeps 6 characters of a public link's token."""
    serial = "LG-" + uniq()
    expect(ctx.api().post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                            "customer_id": ctx.fx["A"]}), 201, "unit")
    tok = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports" % serial,
                                 body={"description": "日志", "phone": "13900006666"}),
                 201, "report").json["token"]
    expect(ctx.srv.request("GET", "/api/v1/public/reports/" + tok), 200, "status")
    expect(ctx.srv.request("GET", "/r/s/" + tok), 200, "status page")
    fake = uniq() * 6
    paths = ["/api/v1/public/%s/%s" % (k, fake) for k in ("quotes", "surveys", "calendars")]
    paths += ["/api/v1/public/quotes/%s/pdf" % fake, "/r/quote/" + fake, "/r/survey/" + fake]
    for p in paths:
        ctx.srv.request("GET", p, bad=True)
    time.sleep(0.3)
    with open(ctx.srv.log.name, "rb") as f:
        lines = [json.loads(ln) for ln in f.read().splitlines() if b'"access"' in ln]
    logged = [ln["path"] for ln in lines]
    leaked = [p for p in logged if tok in p or fake in p]
    check(not leaked, "tokens in the access log: %s" % leaked)
    want = ["/api/v1/public/reports/%s…" % tok[:6], "/r/s/%s…" % tok[:6],
            "/api/v1/public/quotes/%s…/pdf" % fake[:6], "/r/survey/%s…" % fake[:6]]
    for w in want:
        check(w in logged, "%s not logged" % w)
    check("/api/v1/public/units/%s/reports" % serial in logged, "a serial is no secret")


def case_waiting_days(ctx):
    """L3: the days waited fit the period the record covers (or up to today without an end)."""
    base = {"project_id": 77, "cause": "steel_structure_unfinished", "at_fault": "customer",
            "confirmed_by": "甲方王工"}
    for extra, mx in (({"started_on": "2026-11-20", "ended_on": "2026-11-21", "days": "3650"}, 2),
                      ({"started_on": "2026-11-20", "ended_on": "2026-11-21", "days": "2.01"}, 2),
                      ({"started_on": "2026-11-20", "days": "10000"}, None)):
        r = expect(ctx.api("agent").post("/api/v1/waiting-records", dict(base, **extra),
                                         bad=True), 400, "days %s" % extra["days"])
        err = r.json["error"]
        check(err.get("field") == "days" and err.get("reason") == "out_of_range" and
              (mx is None or err.get("params", {}).get("max") == mx), "refusal: %s" % err)
    r = expect(ctx.api("agent").post("/api/v1/waiting-records", dict(
        base, started_on="2026-11-20", ended_on="2026-11-21", days="2")), 201, "2 days in 2")
    check(r.json["fee_fen"] == 60000, "fee %s" % r.json.get("fee_fen"))
    expect(ctx.api("agent").patch("/api/v1/waiting-records/%d" % r.json["id"],
                                  {"ended_on": "2026-11-20"}, bad=True), 400, "shortened period")


def case_survey_reopened(ctx):
    """L4: a survey link rates completed work: 409 while the ticket is reopened, as the staff
    route; usable again once it is resolved."""
    import test_surveys as S
    tid = S.resolved(ctx, phone="13900004444")
    tok = S.link(ctx, tid).json["token"]
    S.act(ctx, tid, "reopen", "agent", {"note": "客户反映未修好"})
    for r in (ctx.srv.request("GET", "/api/v1/public/surveys/" + tok),
              ctx.srv.request("POST", "/api/v1/public/surveys/" + tok, body=S.GOOD)):
        expect(r, 409, "link of a reopened ticket")
        check(r.json["error"].get("reason") == "illegal_action", "reason %s" % r.json)
    st = S.survey(ctx, tid).json
    check(st["status"] == "pending", "nothing recorded: %s" % st)
    S.act(ctx, tid, "resolve_remote", "technician", {"note": "再次电话指导"})
    S.pub_post(ctx, tok, S.GOOD, 201)


def case_payment_date(ctx):
    """L5: a payment is dated at most 31 days before its charge (charged_on or the day it was
    recorded, the earlier)."""
    t = expect(portal_ticket(ctx), 201, "ticket").json["id"]
    c = expect(ctx.api("finance").post("/api/v1/charges", {
        "owner_kind": "ticket", "owner_id": t, "description": "上门费", "amount_fen": 1000,
        "customer_share_bp": 10000, "charged_on": "2026-11-20"}), 201, "charge").json["id"]

    def pay(on):
        return ctx.api("finance").post("/api/v1/charge-payments", {
            "charge_id": c, "payer": "customer", "amount_fen": 1, "paid_on": on,
            "method": "transfer"}, bad=True)
    for on in ("1900-01-01", "2026-10-19"):
        r = expect(pay(on), 400, "paid on %s" % on)
        err = r.json["error"]
        check(err.get("field") == "paid_on" and err.get("reason") == "out_of_range" and
              err.get("params", {}).get("min") == "2026-10-20", "refusal: %s" % err)
    expect(pay("2026-10-20"), 201, "an advance within a month")
    expect(pay("2026-11-21"), 201, "after the charge")


def case_control_chars(ctx):
    """I3: a C0 control character (but TAB, LF, CR) or DEL in a text field is 400 control_char
    naming the field, on the entity engine's records, tickets and comments alike."""
    def refused(r, field, what):
        err = expect(r, 400, what).json["error"]
        check(err.get("field") == field and err.get("reason") == "control_char",
              "%s: %s" % (what, err))
    body = {"channel": "phone", "type": "repair", "unit_id": ctx.fx["unitA"],
            "description": "门禁\x01故障"}
    refused(ctx.api("agent").post("/api/v1/tickets", body, bad=True), "description", "ticket")
    body["description"] = "门禁故障\t第二行\r\n第三行"
    t = expect(ctx.api("agent").post("/api/v1/tickets", body), 201, "TAB, CR, LF kept").json
    check(t["description"] == body["description"], "kept as sent")
    r = ctx.api("agent").patch("/api/v1/tickets/%d" % t["id"], {"description": "x\x1b[31m"},
                               headers={"If-Match": '"%d"' % t["version"]}, bad=True)
    refused(r, "description", "ticket patch")
    refused(ctx.api("admin").post("/api/v1/customers", {"name": "客户\x7f", "type": "company"},
                                  bad=True), "name", "customer DEL")
    refused(ctx.api("agent").post("/api/v1/tickets/%d/comments" % t["id"],
                                  {"body": "备注\x07", "visibility": "internal"}, bad=True),
            "body", "comment")


def run(ctx, runner):
    runner.run("abuse: upload names follow the detected type (M4)", case_upload_names, ctx)
    runner.run("abuse: the QR report's phone is a mainland number (M2)", case_qr_phone, ctx)
    runner.run("abuse: portal tickets to unknown numbers are bounded (M2)",
               case_portal_unknown_phone, ctx)
    runner.run("abuse: phones compared however typed", case_phone_spellings, ctx)
    runner.run("abuse: list filters by phone match however it is typed", case_phone_filters,
               ctx)
    runner.run("abuse: staff notes on customers and contacts are staff-only (L1)",
               case_staff_notes, ctx)
    runner.run("abuse: the access log redacts public tokens (L2)", case_log_tokens, ctx)
    runner.run("abuse: waiting days fit their period (L3)", case_waiting_days, ctx)
    runner.run("abuse: a survey link waits while its ticket is reopened (L4)",
               case_survey_reopened, ctx)
    runner.run("abuse: a payment is not dated long before its charge (L5)", case_payment_date,
               ctx)
    runner.run("abuse: control characters in text are refused (I3)", case_control_chars, ctx)

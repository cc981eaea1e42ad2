"""The entity engine (issue 9 items 2-6, issue 10 items 6, 8, 11, 15): stable error reasons,
GET /api/v1/meta, exports (labels, local time, formula neutralisation, streaming under the
per-request memory cap), unit history for a new owner, customer-safe expand=, and an
Idempotency-Key reused with another body."""
import csv
import io
import json
import os
import re
import sqlite3
import urllib.parse
import uuid
import zipfile

import contract
from harness import PASSWORD, SANITIZED, Server, check, expect


def uniq():
    return uuid.uuid4().hex[:8]


def reason_of(r):
    j = r.json
    e = j.get("error", {}) if isinstance(j, dict) else {}
    return e.get("field"), e.get("reason"), e.get("params")


# (method, path, body, status, field, reason, params subset) — {A}, {M}, {unit} are fixtures
REASONS = [
    ("POST", "/api/v1/customers", {"type": "company"}, 400, "name", "required", None),
    ("POST", "/api/v1/customers", {"name": "   ", "type": "company"}, 400, "name", "required",
     None),
    ("POST", "/api/v1/customers", {"name": "x" * 101, "type": "company"}, 400, "name",
     "too_long", {"max": 100}),
    ("POST", "/api/v1/customers", {"name": "x", "type": "company", "colour": "red"}, 400,
     "colour", "unknown_field", None),
    ("POST", "/api/v1/customers", {"name": "x", "type": "alien"}, 400, "type", "unknown_value",
     {"allowed": ["company", "individual", "dealer"]}),
    ("POST", "/api/v1/customers", {"name": "x", "type": "company", "id": 5}, 400, "id",
     "read_only", None),
    ("POST", "/api/v1/customers", {"name": 5, "type": "company"}, 400, "name", "invalid_type",
     {"expected": "string"}),
    ("POST", "/api/v1/customers", {"name": "x", "type": "company", "phone": "abc"}, 400, "phone",
     "invalid_format", {"format": "phone"}),
    ("POST", "/api/v1/customers", {"name": "x", "type": "company", "email": "no-at"}, 400,
     "email", "invalid_format", {"format": "email"}),
    ("POST", "/api/v1/customers", {"name": "x", "type": "company",
                                   "first_contact_at": "yesterday"}, 400, "first_contact_at",
     "invalid_format", {"format": "date-time"}),
    ("POST", "/api/v1/customers", b"{not json", 400, None, "invalid_json", None),
    ("POST", "/api/v1/models", {"code": "R-{u}", "name": "x", "category": "part",
                                "warranty_months": 1000}, 400, "warranty_months",
     "out_of_range", {"max": 240}),
    ("POST", "/api/v1/units", {"serial_no": "R-{u}", "model_id": 99999999}, 400, "model_id",
     "unknown_reference", {"entity": "product_model"}),
    ("POST", "/api/v1/units", {"serial_no": "R-{u}", "model_id": "{M}",
                               "ship_date": "2026-02-01", "install_date": "2026-01-01"}, 400,
     "install_date", "date_order", {"after": "ship_date"}),
    ("POST", "/api/v1/units", {"serial_no": "R-{u}", "model_id": "{M}",
                               "production_date": "2026-03-01", "ship_date": "2026-02-01"}, 400,
     "ship_date", "date_order", {"after": "production_date"}),
    # without a ship date the install date is still not before the production date
    ("POST", "/api/v1/units", {"serial_no": "R-{u}", "model_id": "{M}",
                               "production_date": "2026-03-01", "install_date": "2026-02-01"},
     400, "install_date", "date_order", {"after": "production_date"}),
    ("POST", "/api/v1/units", {"serial_no": "{serial}", "model_id": "{M}"}, 409, "serial_no",
     "duplicate", None),
    ("PATCH", "/api/v1/units/{unit}", {"serial_no": "x", "version": 3}, 400, "version",
     "read_only", None),
    ("GET", "/api/v1/customers?limit=0", None, 400, "limit", "out_of_range",
     {"min": 1, "max": 500}),
    ("GET", "/api/v1/customers?sort=nope", None, 400, "sort", "unknown_field", None),
    ("GET", "/api/v1/customers?colour=red", None, 400, "colour", "unknown_field", None),
    ("GET", "/api/v1/customers?type=alien", None, 400, "type", "unknown_value", None),
    ("GET", "/api/v1/customers?is_key=maybe", None, 400, "is_key", "invalid_format", None),
    ("GET", "/api/v1/customers?cursor=zz", None, 400, "cursor", "invalid_format", None),
    ("GET", "/api/v1/customers?format=pdf", None, 400, "format", "unknown_value", None),
    ("GET", "/api/v1/customers?q=" + "x" * 101, None, 400, "q", "too_long", {"max": 100}),
    ("DELETE", "/api/v1/customers/{A}", None, 409, None, "referenced", None),
]


def fill(v, fx):
    if isinstance(v, str):
        for k, x in fx.items():
            if v == "{%s}" % k and isinstance(x, int):
                return x
            v = v.replace("{%s}" % k, str(x))
        return v
    if isinstance(v, dict):
        return {k: fill(x, fx) for k, x in v.items()}
    return v


@contract.invalid_requests
def case_reasons(ctx):
    a = ctx.api("admin")
    serial = "RS-" + uniq()
    unit = expect(a.post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                           "customer_id": ctx.fx["A"]}), 201, "unit").json["id"]
    fx = {"A": ctx.fx["A"], "M": ctx.fx["M"], "unit": unit, "serial": serial, "u": uniq()}
    bad = []
    for method, path, body, status, field, reason, params in REASONS:
        path = fill(path, fx)
        body = body if isinstance(body, (bytes, type(None))) else fill(body, fx)
        r = ctx.srv.request(method, path, body=body, token=ctx.tok["admin"])
        f, rs, ps = reason_of(r)
        ok = r.status == status and f == field and rs == reason
        if ok and params:
            ok = isinstance(ps, dict) and all(ps.get(k) == v for k, v in params.items())
        if not ok:
            bad.append("%s %s → %d %s %s %s (want %d %s %s %s)" % (
                method, path[:60], r.status, f, rs, ps, status, field, reason, params))
    # stale: If-Match with an old version
    r = expect(a.get("/api/v1/units/%d" % unit), 200, "get unit")
    etag = r.header("ETag")
    expect(a.patch("/api/v1/units/%d" % unit, {"notes": "一"}, headers={"If-Match": etag}), 200,
           "patch")
    r = a.patch("/api/v1/units/%d" % unit, {"notes": "二"}, headers={"If-Match": etag})
    f, rs, ps = reason_of(r)
    if r.status != 412 or rs != "stale" or not isinstance(ps, dict) or "version" not in ps:
        bad.append("stale If-Match → %d %s %s" % (r.status, rs, ps))
    r = a.patch("/api/v1/units/%d" % unit, {"notes": "三"}, headers={"If-Match": "garbage"})
    if r.status != 400 or reason_of(r)[1] != "invalid_format":
        bad.append("garbage If-Match → %d %s" % (r.status, reason_of(r)))
    check(not bad, "reasons:\n  " + "\n  ".join(bad))


def _shanghai_day(delta=0):
    import datetime
    d = datetime.datetime.utcnow() + datetime.timedelta(hours=8, days=delta)
    return d.strftime("%Y-%m-%d")


@contract.invalid_requests
def case_unit_dates_past(ctx):
    """A unit's production, ship and install dates record what happened: after the company's
    today they are 400 out_of_range naming the field with params.max today, on create and on
    a change, as the shipping chain's dates (COL_PAST, `past` in /meta), so that no warranty
    starts in the future; today is taken, and the warranty end override (a planned date) may
    be later (review 2026-12-07)."""
    a = ctx.api("admin")
    today, tomorrow = _shanghai_day(), _shanghai_day(1)
    base = {"model_id": ctx.fx["M"], "customer_id": ctx.fx["A"]}
    for field in ("production_date", "ship_date", "install_date"):
        r = a.post("/api/v1/units", dict(base, serial_no="FD-" + uniq(), **{field: tomorrow}),
                   bad=True)
        f, rs, ps = reason_of(r)
        check(r.status == 400 and f == field and rs == "out_of_range" and
              ps == {"max": today}, "POST %s tomorrow: %d %s %s %s" % (field, r.status, f, rs,
                                                                        ps))
    r = expect(a.post("/api/v1/units", dict(base, serial_no="FD-" + uniq(),
                                            production_date=today, ship_date=today,
                                            install_date=today)), 201, "a unit of today")
    unit = r.json
    check(unit["warranty_start"] == today, "the warranty starts today: %s" % unit)
    for field in ("production_date", "ship_date", "install_date"):
        r = a.patch("/api/v1/units/%d" % unit["id"], {field: _shanghai_day(30)}, bad=True)
        f, rs, ps = reason_of(r)
        check(r.status == 400 and f == field and rs == "out_of_range" and
              ps == {"max": today}, "PATCH %s later: %d %s %s %s" % (field, r.status, f, rs,
                                                                      ps))
    got = expect(a.get("/api/v1/units/%d" % unit["id"]), 200, "unit").json
    check(got["install_date"] == today and got["version"] == unit["version"],
          "the refused changes changed nothing: %s" % got)
    expect(a.patch("/api/v1/units/%d" % unit["id"], {"notes": "日期未变"}), 200,
           "a change of another field")
    expect(a.patch("/api/v1/units/%d" % unit["id"],
                   {"warranty_end_override": _shanghai_day(400)}), 200,
           "a warranty end override is planned: it may be later")
    cols = {c["name"]: c for c in expect(a.get("/api/v1/meta"), 200, "meta")
            .json["entities"]["unit"]["columns"]}
    check(all(cols[n].get("past") for n in ("production_date", "ship_date", "install_date")) and
          not cols["warranty_end_override"].get("past"), "past in /meta: %s" % cols)


def case_meta(ctx):
    a = ctx.api("agent")
    r = expect(a.get("/api/v1/meta"), 200, "meta")
    m = r.json
    etag = r.header("ETag")
    check(etag, "meta has no ETag")
    r2 = a.get("/api/v1/meta", headers={"If-None-Match": etag})
    check(r2.status == 304, "If-None-Match → %d" % r2.status)
    # a client that takes gzip gets it (about a fifth of the ~95 KB: a phone's first load)
    import gzip
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", ctx.srv.port, timeout=30)
    conn.request("GET", "/api/v1/meta", headers={"Authorization": "Bearer " + ctx.tok["agent"],
                                                 "Accept-Encoding": "gzip"})
    g = conn.getresponse()
    body = g.read()
    conn.close()
    check(g.status == 200 and g.getheader("Content-Encoding") == "gzip" and
          len(body) * 3 < len(r.body) and gzip.decompress(body) == r.body and
          g.getheader("ETag") != etag, "meta as gzip: %d bytes of %d, %s" %
          (len(body), len(r.body), g.getheader("ETag")))
    expect(ctx.srv.request("GET", "/api/v1/meta"), 401, "meta needs a sign-in")
    cust = m["entities"]["customer"]
    check(cust["path"] == "/api/v1/customers", "customer path %s" % cust["path"])
    cols = {c["name"]: c for c in cust["columns"]}
    check(cols["name"].get("required") and cols["name"].get("maxlength") == 100,
          "customer.name %s" % cols["name"])
    check(cols["type"]["type"] == "enum" and cols["type"]["enum"] ==
          ["company", "individual", "dealer"], "customer.type %s" % cols["type"])
    check(cols["id"].get("readonly"), "id not read-only")
    check(set(cust["create"]) == {"admin", "dept_head", "agent", "sales"},
          "customer create roles %s" % cust["create"])
    check("customer" in cust["read"], "customers readable by customer accounts")
    unit = {c["name"]: c for c in m["entities"]["unit"]["columns"]}
    check(unit["model_id"]["type"] == "id" and unit["model_id"]["ref"] == "product_model",
          "unit.model_id %s" % unit["model_id"])
    check(unit["notes"].get("staff_only"), "unit.notes not staff-only")
    tk = {c["name"]: c for c in m["entities"]["ticket"]["columns"]}
    check(tk["type"]["enum"] == m["enums"]["ticket_type"],
          "ticket type enum differs from the domain's: %s vs %s" %
          (tk["type"]["enum"], m["enums"]["ticket_type"]))
    check(tk["status"]["enum"] == m["enums"]["ticket_state"], "ticket states differ")
    check("customer" in m["roles"] and "admin" in m["roles"], "roles %s" % m["roles"])
    routes = {(x["method"], x["path"]): x["roles"] for x in m["routes"]}
    check(set(routes[("POST", "/api/v1/units")]) >= {"admin", "technician"}, "unit write roles")
    check(("POST", "/api/v1/session") not in routes, "public routes listed")


def rows_of(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def case_export_labels(ctx):
    a = ctx.api("admin")
    r = expect(a.get("/api/v1/tickets?format=csv&limit=1"), 200, "ticket csv")
    head = rows_of(r.body)[0]
    check("合同编号" not in head and "客户类型" not in head,
          "ticket export borrows other entities' labels: %s" % head)
    check("工单号" in head and "工单类型" in head, "ticket headers %s" % head)
    check(all(re.search(r"[\u4e00-\u9fff]", h) or h == "ID" for h in head),
          "English headers in the Chinese ticket export: %s" %
          [h for h in head if not re.search(r"[\u4e00-\u9fff]", h)])
    r = expect(a.get("/api/v1/tickets?format=csv&lang=en"), 200, "ticket csv en")
    check("Ticket number" in rows_of(r.body)[0], "English headers %s" % rows_of(r.body)[0][:5])
    serial = "EXP-" + uniq()
    u = expect(a.post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                        "customer_id": ctx.fx["A"], "status": "installed"}),
               201, "unit").json
    r = expect(a.get("/api/v1/units?format=csv&serial_no=" + serial), 200, "unit csv")
    rows = rows_of(r.body)
    head, row = rows[0], rows[1]
    cell = dict(zip(head, row))
    check(cell.get("设备状态") == "已安装", "status label: %s" % cell)
    cname = expect(a.get("/api/v1/customers/%d" % ctx.fx["A"]), 200, "A").json["name"]
    check(cell.get("客户") == cname, "customer shown by name under 客户: %s" % cell)
    created = cell.get("创建时间", "")
    check(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", created) and "Z" not in created,
          "local time: %r" % created)
    utc = u["created_at"]
    check(int(created[11:13]) == (int(utc[11:13]) + 8) % 24, "Asia/Shanghai: %s vs %s" %
          (created, utc))


EVIL = ["-2+3+cmd|' /C calc'!A0", "=1+2", "+SUM(A1)", "@SUM(A1)", "\tx=1", "\r=1",
        "-x", "=HYPERLINK(\"http://e\")"]
SAFE = ["-5", "+3.5", "-1e3", "普通文本"]


def case_column_labels(ctx):
    """Review 72 #6: every declared column of every entity has its label in both catalogues,
    as the screens (web/js/i18n.js fieldLabel: field.<entity>.<col>, field.<col>) and the
    exports (src/api/export.c field_label: a reference also by field.<entity>.<col without
    _id> or entity.<ref>) look it up; the RMA export showed `advance`, `return_due`."""
    ents = expect(ctx.api("admin").get("/api/v1/meta"), 200, "meta").json["entities"]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "web", "i18n")
    missing = []
    for lang in ("zh-CN", "en"):
        with open(os.path.join(root, lang + ".json"), encoding="utf-8") as f:
            cat = json.load(f)
        for ent, d in ents.items():
            for c in d["columns"]:
                n = c["name"]
                if not any(k in cat for k in ("field.%s.%s" % (ent, n), "field." + n)):
                    missing.append("%s field.%s.%s" % (lang, ent, n))
    check(not missing, "columns without a label: %s" % missing)
    r = expect(ctx.api("admin").get("/api/v1/rmas?format=csv&limit=1"), 200, "rma csv")
    head = rows_of(r.body)[0]
    check("先换后返" in head and "旧机应返日期" in head and "advance" not in head and
          "return_due" not in head, "RMA headers: %s" % head)


def case_formula(ctx):
    a = ctx.api("admin")
    tag = "FX" + uniq()
    for i, v in enumerate(EVIL + SAFE):
        expect(a.post("/api/v1/customers", {"name": "%s-%02d" % (tag, i), "type": "company",
                                            "notes": v, "address": v}), 201, "customer %r" % v)
    r = expect(a.get("/api/v1/customers?format=csv&limit=500&q=" + tag + "&sort=name"), 200,
               "csv")
    rows = rows_of(r.body)
    head = rows[0]
    ni = head.index("备注")
    got = [row[ni] for row in rows[1:]]
    check(len(got) == len(EVIL) + len(SAFE), "rows %d" % len(got))
    for v, g in zip(EVIL + SAFE, got):
        if v in EVIL:
            check(g == "'" + v, "csv: %r exported as %r" % (v, g))
        else:
            check(g == v, "csv: %r changed to %r" % (v, g))
    r = expect(a.get("/api/v1/customers?format=xlsx&q=" + tag + "&sort=name"), 200, "xlsx")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    shared = z.read("xl/sharedStrings.xml").decode("utf-8") if \
        "xl/sharedStrings.xml" in z.namelist() else ""
    text = xml + shared
    check("'-2+3+cmd" in text and "'=1+2" in text and "'@SUM" in text,
          "xlsx cells not neutralised")
    check(">-2+3+cmd" not in text and ">=1+2" not in text, "raw formula text in the xlsx")


def case_history(ctx):
    a = ctx.api("admin")
    serial = "HIS-" + uniq()
    u = expect(a.post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                        "customer_id": ctx.fx["D"],
                                        "notes": "经销商内部备注-秘密"}), 201, "unit").json
    expect(a.patch("/api/v1/units/%d" % u["id"], {"notes": "经销商二次备注-秘密"}), 200, "p1")
    expect(a.patch("/api/v1/units/%d" % u["id"], {"customer_id": ctx.fx["A"],
                                                  "notes": "转给终端客户"}), 200, "move")
    expect(a.patch("/api/v1/units/%d" % u["id"], {"status": "installed"}), 200, "p2")
    r = expect(ctx.api("customer").get("/api/v1/units/%d/history" % u["id"]), 200, "history")
    body = r.body.decode("utf-8")
    check("秘密" not in body and "转给终端客户" not in body, "staff notes shown: %s" % body[:300])
    check('"customer_id":%d' % ctx.fx["D"] not in body.replace(" ", ""),
          "previous owner's id shown: %s" % body[:300])
    items = r.json["items"]
    check(len(items) == 2, "new owner sees its own history only: %d rows" % len(items))
    check(all(i["username"] is None for i in items), "staff login names shown")
    r = expect(ctx.api("customer").get("/api/v1/units/%d" % u["id"]), 200, "customer GET")
    check("notes" not in r.json, "staff notes in the customer's GET: %s" % r.json.get("notes"))
    r = expect(ctx.api("customer").get("/api/v1/units?format=csv&serial_no=" + serial), 200,
               "customer csv")
    check("转给终端客户" not in r.body.decode("utf-8") and "备注" not in rows_of(r.body)[0],
          "staff notes in the customer's export")
    check(expect(a.get("/api/v1/units/%d" % u["id"]), 200, "staff GET").json["notes"] ==
          "转给终端客户", "staff see the notes")
    r = expect(a.get("/api/v1/units/%d/history" % u["id"]), 200, "staff history")
    check(len(r.json["items"]) == 4 and "秘密" in r.body.decode("utf-8"), "staff see everything")


def case_expand_external(ctx):
    a = ctx.api("admin")
    expect(a.patch("/api/v1/users/%d" % ctx.uid["technician"], {"display_name": "王工程师"}), 200,
           "display name")
    tk = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "customer_id": ctx.fx["A"],
        "unit_id": ctx.fx["unitA"], "description": "扩展字段测试",
        "assignee_id": ctx.uid["technician"]}), 201, "ticket").json
    r = expect(ctx.api("customer").get("/api/v1/tickets?expand=all&limit=500"), 200, "expand")
    it = [i for i in r.json["items"] if i["id"] == tk["id"]][0]
    check("sla_policy_name" not in it and "department_name" not in it,
          "internal names shown: %s" % sorted(k for k in it if k.endswith("_name")))
    check(ctx.uname["technician"] not in r.body.decode("utf-8"), "a staff login name is shown")
    check(it.get("assignee_name") == "王工程师", "assignee %s" % it.get("assignee_name"))
    cname = expect(a.get("/api/v1/customers/%d" % ctx.fx["A"]), 200, "A").json["name"]
    check(it.get("customer_name") == cname, "customer name %s" % it.get("customer_name"))
    r = expect(a.get("/api/v1/tickets?expand=all&limit=500"), 200, "staff")
    it = [i for i in r.json["items"] if i["id"] == tk["id"]][0]
    # staff see people by display name too (issue 10, item 16), never only by login
    check("sla_policy_name" in it and it.get("assignee_name") == "王工程师",
          "staff expand changed: %s" % {k: v for k, v in it.items() if k.endswith("_name")})


def case_idempotency_mismatch(ctx):
    a = ctx.api("agent")
    key = "idem2-" + uniq()
    body = {"name": "幂等二" + uniq(), "type": "company"}
    r1 = expect(a.post("/api/v1/customers", body, headers={"Idempotency-Key": key}), 201, "1st")
    r2 = expect(a.post("/api/v1/customers", body, headers={"Idempotency-Key": key}), 201, "2nd")
    check(r2.body == r1.body, "replay differs")
    r3 = a.post("/api/v1/customers", {"name": body["name"] + "改", "type": "company"},
                headers={"Idempotency-Key": key})
    check(r3.status == 422 and reason_of(r3)[1] == "idempotency_mismatch" and
          reason_of(r3)[0] == "Idempotency-Key", "other body, same key: %s" % r3)


def case_memory_cap(binary, workdir, web_root):
    """A server with a 2 MiB per-request cap: a 20,000-row export (8,000 under a sanitizer:
    3 MB, still past the cap) streams under it; a JSON page past it is 413 too_large, and so
    is an export of more than 100,000 rows; the server keeps answering."""
    nrows = 8000 if SANITIZED else 20000
    path = os.path.join(workdir, "cap.db")
    db = "sqlite:" + path
    s = Server(binary, db, workdir, web_root)
    pw = os.path.join(workdir, "pw-cap")
    with open(pw, "w") as f:
        f.write(PASSWORD + "\n")
    s.cli("init", "--db", db, "--admin", "admin", "--password-file", pw)
    tok = s.cli("token", "create", "--user", "admin", "--db", db).stdout.decode() \
        .strip().splitlines()[-1].strip()
    s.nstarts = 300
    s.env = {"SHOUHOU_REQUEST_MEMORY_MB": "2"}
    s.start()
    try:
        m = expect(s.request("POST", "/api/v1/models", token=tok, body={
            "code": "CAP-1", "name": "内存上限", "category": "equipment"}), 201, "model").json
        c = expect(s.request("POST", "/api/v1/customers", token=tok, body={
            "name": "上限客户", "type": "company"}), 201, "customer").json
        s.stop()
        con = sqlite3.connect(path)
        con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO units (serial_no, model_id, customer_id, status, notes, created_at, "
            "updated_at) SELECT 'CAP-' || i, ?, ?, 'installed', hex(randomblob(150)), "
            "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n", (nrows, m["id"], c["id"]))
        con.commit()
        con.close()
        s.start()
        r = expect(s.request("GET", "/api/v1/units?format=csv", token=tok, timeout=120), 200,
                   "export past the cap")
        rows = rows_of(r.body)
        check(len(rows) == nrows + 1, "exported %d rows" % (len(rows) - 1))
        check(len(r.body) > 2 << 20, "the export (%d bytes) is larger than the cap" % len(r.body))
        r = expect(s.request("GET", "/api/v1/units?format=xlsx", token=tok, timeout=120), 200,
                   "xlsx past the cap")
        check(r.body[:2] == b"PK", "xlsx")
        r = s.request("GET", "/api/v1/units?limit=500&expand=all", token=tok)
        check(r.status in (200, 413), "page: %s" % r)
        big = "长" * 4000
        con = sqlite3.connect(path)
        con.execute("UPDATE units SET notes = ?", (big,))
        con.commit()
        con.close()
        r = s.request("GET", "/api/v1/units?limit=500", token=tok)
        check(r.status == 413 and reason_of(r)[1] == "too_large",
              "a 6 MB page under a 2 MiB cap: %s" % r)
        # at most 100,000 rows in an export (docs/api.md): one more is 413 too_large at once
        con = sqlite3.connect(path)
        con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO units (serial_no, model_id, customer_id, status, created_at, "
            "updated_at) SELECT 'CAPX-' || i, ?, ?, 'installed', '2026-01-01T00:00:00Z', "
            "'2026-01-01T00:00:00Z' FROM n", (100001 - nrows, m["id"], c["id"]))
        con.commit()
        con.close()
        r = s.request("GET", "/api/v1/units?format=csv", token=tok, timeout=120)
        check(r.status == 413 and reason_of(r)[1] == "too_large" and
              r.json["error"].get("params", {}).get("max") == 100000,
              "an export of 100,001 rows: %s" % r)
        expect(s.request("GET", "/healthz"), 200, "still serving")
    finally:
        s.stop()


def value_of(col):
    """A valid filter value of a /meta column."""
    if col.get("enum"):
        return col["enum"][0]
    return {"boolean": "true", "date": "2026-01-01",
            "date-time": "2026-01-01T00:00:00Z"}.get(col["type"], "1")


def case_staff_filters(ctx):
    """A staff-only column is no filter or sort key for a customer or dealer: the matching
    rows' count would give its hidden value back (400 unknown_field, as for a column the
    record does not have). Every such column /meta declares, on every list an external role
    reads; staff keep them."""
    ents = expect(ctx.api().get("/api/v1/meta"), 200, "meta").json["entities"]
    seen = 0
    for name, e in sorted(ents.items()):
        path = e.get("path")
        for c in e.get("columns", []):
            if not path or not c.get("staff_only") or not (c.get("filter") or c.get("sort")):
                continue
            for role in ("customer", "dealer"):
                if role not in e.get("read", []):
                    continue
                q = ("%s=%s" % (c["name"], value_of(c))) if c.get("filter") \
                    else ("sort=" + c["name"])
                r = expect(ctx.api(role).get("%s?%s" % (path, q)), 400,
                           "%s: %s?%s" % (role, path, q))
                check(r.json["error"].get("reason") == "unknown_field",
                      "%s %s?%s: %s" % (role, path, q, r.json))
                seen += 1
            if c.get("filter"):
                expect(ctx.api().get("%s?%s=%s" % (path, c["name"], value_of(c))), 200,
                       "admin filters %s by %s" % (name, c["name"]))
    check(seen >= 10, "staff-only filters checked: %d" % seen)


def run(ctx, runner, binary=None, workdir=None, web_root=None):
    runner.run("entity2: staff-only columns are no filter for customers and dealers",
               case_staff_filters, ctx)
    runner.run("entity2: error reasons (request → status, field, reason)", case_reasons, ctx)
    runner.run("entity2: a unit's production, ship and install dates are not after today",
               case_unit_dates_past, ctx)
    runner.run("entity2: GET /meta from the declarations, ETag", case_meta, ctx)
    runner.run("entity2: openapi.yaml schemas equal the declarations", case_openapi_schemas, ctx)
    runner.run("entity2: exports use each field's label, enum labels, names, local time",
               case_export_labels, ctx)
    runner.run("entity2: every declared column has its label in both catalogues (review 72 #6)",
               case_column_labels, ctx)
    runner.run("entity2: formula injection neutralised in csv and xlsx", case_formula, ctx)
    runner.run("entity2: unit history for a new owner", case_history, ctx)
    runner.run("entity2: expand= shows customers no logins or policy names",
               case_expand_external, ctx)
    runner.run("entity2: Idempotency-Key with another body → 422", case_idempotency_mismatch,
               ctx)
    if binary:
        runner.run("entity2: per-request memory cap: exports stream, pages 413",
                   case_memory_cap, binary, workdir, web_root)


# ---- docs/openapi.yaml's schemas against the declarations (served by /meta)

SCHEMA_OF = {"ticket": "TicketListItem"}  # tickets' own GET renders more than the columns
# entities whose list answers are documented without an item schema yet (dispatch's records)
UNDESCRIBED = {"skill", "technician"}
# fields a custom create handler takes beyond the columns (POST /users sets the password)
CREATE_EXTRA = {"user": {"password"}}
OA_TYPE = {"string": ("string", None), "text": ("string", None), "integer": ("integer", None),
           "boolean": ("boolean", None), "date": ("string", "date"),
           "date-time": ("string", "date-time"), "number": ("number", None),
           "enum": ("string", None), "id": ("integer", None), "money": ("integer", None)}


def schema_name(ent):
    return SCHEMA_OF.get(ent) or "".join(p.capitalize() for p in ent.split("_"))


def schema_diff(ent, decl, schemas):
    """Differences between entity `ent`'s declaration and its schemas (read, Create, Update)."""
    out = []
    name = schema_name(ent)
    s = schemas.get(name)
    if not s:
        return [] if ent in UNDESCRIBED else ["%s: no schema %s" % (ent, name)]
    props = s.get("properties", {})
    cols = {c["name"]: c for c in decl["columns"]}
    for n in sorted(set(cols) - set(props)):
        out.append("%s.%s: declared, missing from %s" % (ent, n, name))
    expanded = {n[:-3] + "_name" if n.endswith("_id") else n + "_name"
                for n, c in cols.items() if c.get("ref")}
    if decl.get("extra"):  # the member the reads add (an approval's subject)
        expanded.add(decl["extra"])
    for n in sorted(set(props) - set(cols) - expanded):
        out.append("%s.%s: in %s, not declared" % (ent, n, name))
    creates = schemas.get(name + "Create", {})
    updates = schemas.get(name + "Update", {})
    for n, c in cols.items():
        for sname, sch in ((name, s), (name + "Create", creates), (name + "Update", updates)):
            p = sch.get("properties", {}).get(n)
            if p is None:
                continue
            types = p.get("type")
            types = types if isinstance(types, list) else [types]
            want, fmt = OA_TYPE[c["type"]]
            if want not in types:
                out.append("%s.%s: type %s in %s, declared %s" % (ent, n, types, sname, c["type"]))
            if fmt and p.get("format") != fmt:
                out.append("%s.%s: format %s in %s, declared %s" % (ent, n, p.get("format"),
                                                                 sname, fmt))
            if c.get("enum") and [x for x in p.get("enum", []) if x is not None] != c["enum"]:
                out.append("%s.%s: enum %s in %s, declared %s" % (ent, n, p.get("enum"), sname,
                                                                 c["enum"]))
            if c.get("maxlength") and not c.get("readonly") and \
                    p.get("maxLength") != c["maxlength"]:
                out.append("%s.%s: maxLength %s in %s, declared %s" % (
                    ent, n, p.get("maxLength"), sname, c["maxlength"]))
    if creates:
        extra_ok = CREATE_EXTRA.get(ent, set())
        want = {n for n, c in cols.items() if c.get("required") and not c.get("readonly")}
        want |= extra_ok & set(creates.get("required", []))
        got = set(creates.get("required", []))
        if want != got:
            out.append("%s: %sCreate.required %s, declared %s" % (ent, name, sorted(got),
                                                                 sorted(want)))
        writable = {n for n, c in cols.items() if not c.get("readonly")}
        extra = set(creates.get("properties", {})) - writable - extra_ok
        if extra:
            out.append("%s: %sCreate accepts read-only or unknown %s" % (ent, name, sorted(extra)))
    return out


def case_openapi_schemas(ctx):
    # docs/openapi.yaml as the contract check loaded it (libyaml's loader: PyYAML's own took
    # 2.7 s of CPU here in each of CI's four runs)
    schemas = contract.get().spec["components"]["schemas"]
    m = expect(ctx.api().get("/api/v1/meta"), 200, "meta").json
    diffs = []
    for ent, decl in m["entities"].items():
        diffs += schema_diff(ent, decl, schemas)
    check(not diffs, "docs/openapi.yaml differs from the declarations:\n  " + "\n  ".join(diffs))

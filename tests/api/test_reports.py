"""The service report (售后服务报告单, F-09; issue 11 item 5): the customer's signature after
the self-check, frozen versions, the PDF read back with pdftotext, every print audited, the
report guard on the ticket's resolve and its company switch, the technician's scope. Run by
test_api.py in the same run and summary, on SQLite and PostgreSQL."""
import base64
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib

import contract
from harness import check, expect, short, uniq

WO = "/api/v1/work-orders"


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def reason(r):
    j = r.json
    return (j.get("error") or {}).get("reason") if isinstance(j, dict) else None


def png(w=300, h=100):
    """A signature as signature_pad draws it: a dark stroke on a transparent canvas."""
    rows = []
    for y in range(h):
        row = bytearray(b"\0")
        for x in range(w):
            on = abs(y - (h // 2 + int((x - w // 2) * 0.2))) < 2
            row += bytes((17, 17, 17, 255)) if on else bytes(4)
        rows.append(bytes(row))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


SIG = None


def b64(data):
    return base64.b64encode(data).decode()


def fixtures(ctx):
    """A customer with a Chinese name, a model of its own series (for a checklist template
    that applies to these work orders only) and units under warranty."""
    if "rpt_unit" in ctx.fx:
        return
    u = uniq()[:8]
    ctx.fx["rpt_customer_name"] = "苏州华鑫精密机械有限公司" + u
    c = ctx.create("customers", {"name": ctx.fx["rpt_customer_name"], "type": "company",
                                 "address": "江苏省苏州市工业园区星湖街328号"})["id"]
    ctx.fx["rpt_series"] = "RPT" + u
    m = ctx.create("models", {"code": "HX-" + u, "name": "数控加工中心", "category": "equipment",
                              "series": ctx.fx["rpt_series"], "warranty_months": 24})["id"]
    ctx.fx["rpt_model"] = m
    ctx.fx["rpt_customer"] = c
    ctx.fx["rpt_serial"] = "HX2000-" + u
    ctx.fx["rpt_unit"] = ctx.create("units", {"serial_no": ctx.fx["rpt_serial"], "model_id": m,
                                              "customer_id": c,
                                              "install_date": "2026-01-15"})["id"]


def on_site(ctx, unit=None, tech="technician"):
    """A repair ticket whose work order is on site: (ticket id, work order id)."""
    fixtures(ctx)
    r = ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": unit or ctx.fx["rpt_unit"],
        "caller_name": "黄海燕", "caller_phone": "13900001234",
        "description": "主轴异响，加工精度下降", "assignee_id": ctx.uid[tech]})
    tid = expect(r, 201, "ticket").json["id"]
    for action, role, body in (("accept", tech, {}),
                               ("schedule_visit", "dispatcher",
                                {"visit_at": ts(time.time() + 3600)}),
                               ("arrive", tech, {})):
        expect(ctx.api(role).post("/api/v1/tickets/%d/actions/%s" % (tid, action), body), 200,
               "ticket %s" % action)
    items = expect(ctx.api().get("%s?ticket_id=%d" % (WO, tid)), 200, "wo").json["items"]
    check(len(items) == 1 and items[0]["status"] == "on_site", "on site: %s" % short(items))
    return tid, items[0]["id"]


def work(ctx, wid, findings="主轴前轴承磨损", parts=3, role="technician"):
    body = {"findings": findings, "work_done": "更换主轴轴承并校准", "labour_minutes": 150,
            "customer_comment": "服务及时",
            "parts": [{"name": "主轴轴承%02d" % (i + 1), "quantity": i + 1, "unit": "套",
                       "note": "原厂件"} for i in range(parts)]}
    expect(ctx.api(role).patch("%s/%d" % (WO, wid), body), 200, "record the work")


def sign(ctx, wid, role="technician", status=201, **over):
    body = {"signer_name": "王建国", "image_png_base64": b64(SIG), "comment": "满意"}
    body.update(over)
    body = {k: v for k, v in body.items() if v is not None}
    return expect(ctx.api(role).post("%s/%d/signature" % (WO, wid), body), status,
                  "signature %s" % short(str({k: v for k, v in over.items()
                                              if k != "image_png_base64"})))


def versions(ctx, wid, role="admin"):
    return expect(ctx.api(role).get("%s/%d/reports" % (WO, wid)), 200, "reports").json


def finish(ctx, wid):
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, wid),
                                      {"action": "finish", "result": "done"}), 200, "finish")


def pdf_text(ctx, wid, version=None, role="admin"):
    q = "?version=%d" % version if version else ""
    r = expect(ctx.api(role).get("%s/%d/report.pdf%s" % (WO, wid, q)), 200, "report.pdf")
    check(r.header("Content-Type").startswith("application/pdf") and r.body[:5] == b"%PDF-",
          "a PDF: %s %r" % (r.header("Content-Type"), r.body[:16]))
    d = tempfile.mkdtemp(prefix="rpt-")
    try:
        p = os.path.join(d, "r.pdf")
        with open(p, "wb") as f:
            f.write(r.body)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", p, "-"], check=True,
                             capture_output=True).stdout.decode("utf-8")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return "".join(out.split())  # pdftotext spaces CJK text its own way


def settings(ctx, on):
    expect(ctx.api("admin").patch("/api/v1/settings", {"report_before_resolve": on}), 200,
           "report_before_resolve %s" % on)


# ----------------------------------------------------------------------------- cases

def case_self_check_first(ctx):
    """The customer's acceptance waits for the technician's self-check (R-149)."""
    fixtures(ctx)
    tpl = expect(ctx.api("admin").post("/api/v1/checklist-templates", {
        "code": "RPT-" + uniq()[:8], "name": "报告测试自检",
        "model_series": ctx.fx["rpt_series"]}), 201, "template").json
    item = expect(ctx.api("admin").post("/api/v1/checklist-items", {
        "template_id": tpl["id"], "kind": "check", "label": "现场清理干净", "required": True}),
        201, "item").json
    tid, wid = on_site(ctx)
    work(ctx, wid)
    try:
        r = sign(ctx, wid, status=409)
        g = r.json["error"]
        check(g["reason"] == "guard" and g["params"]["guard"] == "self_check",
              "refused by the self-check: %s" % short(r.body))
        check(versions(ctx, wid)["items"][-1]["signed"] is False, "nothing signed")
    finally:
        # the item switched off before any answer is left off: the gate passes. The template
        # stays the most specific one for these units, so a broad template made by another
        # suite does not stop the signatures of the cases below.
        expect(ctx.api("admin").patch("/api/v1/checklist-items/%d" % item["id"],
                                      {"active": False}), 200, "item off")
    r = sign(ctx, wid)
    check(r.json["version"] == 1 and r.json["signed"] is True, "signed v1: %s" % short(r.body))


def case_versions(ctx):
    """Signing freezes version 1; a change after signing makes version 2, v1 stays readable."""
    tid, wid = on_site(ctx)
    v = versions(ctx, wid)
    check([x["version"] for x in v["items"]] == [1] and not v["items"][0]["signed"] and
          not v["current_signed"], "a draft before signing: %s" % short(v))
    work(ctx, wid, findings="主轴前轴承磨损")
    r = sign(ctx, wid)
    check(r.json["version"] == 1 and r.json["signer_name"] == "王建国" and
          r.json["signed_at"].endswith("Z") and len(r.json["signature_sha256"]) == 64,
          "v1: %s" % short(r.body))
    v = versions(ctx, wid)
    check(v["current_signed"] and len(v["items"]) == 1 and v["items"][0]["signed"],
          "v1 frozen and current: %s" % short(v))
    check(v["items"][0]["customer_comment"] == "满意" and v["items"][0]["signature_width"] == 300,
          "comment and size: %s" % short(v))
    ev = expect(ctx.api().get("/api/v1/tickets/%d/events" % tid), 200, "events").json["items"]
    check(any(e["kind"] == "service_report" for e in ev), "timeline event service_report")
    # finishing the work order is not a change of the report
    finish(ctx, wid)
    check(versions(ctx, wid)["current_signed"], "finish does not make a new version")
    # a change after signing: version 2, unsigned, v1 unchanged
    work(ctx, wid, findings="主轴后轴承也有磨损")
    v = versions(ctx, wid)
    check([(x["version"], x["signed"]) for x in v["items"]] == [(1, True), (2, False)] and
          not v["current_signed"] and v["current_version"] == 2, "v2 draft: %s" % short(v))
    t1, t2 = pdf_text(ctx, wid, 1), pdf_text(ctx, wid, 2)
    check("主轴前轴承磨损" in t1 and "主轴后轴承也有磨损" not in t1, "v1 as signed")
    check("主轴后轴承也有磨损" in t2 and "王建国" not in t2, "v2 is the unsigned draft")
    expect(ctx.api().get("%s/%d/report.pdf?version=3" % (WO, wid)), 404, "no version 3")
    with contract.bad_requests():
        expect(ctx.api().get("%s/%d/report.pdf?version=x" % (WO, wid)), 400, "bad version")
    # the ticket does not resolve on the signature of a version the work order left behind
    r = expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % tid,
                                          {"note": "已修复"}), 409, "resolve on v1's signature")
    check(r.json["error"]["params"].get("guard") == "report", "guard report: %s" % short(r.body))
    r = sign(ctx, wid, signer_name="李娜")
    check(r.json["version"] == 2, "the second signature freezes v2: %s" % short(r.body))
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % tid,
                                      {"note": "已修复"}), 200, "resolve on v2's signature")
    v = versions(ctx, wid)
    check([(x["version"], x["signed"]) for x in v["items"]] == [(1, True), (2, True)] and
          v["current_signed"], "two signed versions: %s" % short(v))


def case_pdf(ctx):
    """The PDF in Chinese: customer, serial, signer and the totals, read back by pdftotext;
    every print is audited."""
    tid, wid = on_site(ctx)
    work(ctx, wid, parts=4)  # quantities 1+2+3+4
    sign(ctx, wid, signer_name="王建国")
    before = expect(ctx.api().get("/api/v1/audit?entity=work_order&id=%d&limit=200" % wid), 200,
                    "audit").json["items"]
    text = pdf_text(ctx, wid)
    for want in (ctx.fx["rpt_customer_name"], ctx.fx["rpt_serial"], "王建国", "售后服务报告单",
                 "主轴轴承04", "合计10", "2.5小时", "第1页/共"):
        check(want in text, "the PDF has %r: %s" % (want, text[:600]))
    after = expect(ctx.api().get("/api/v1/audit?entity=work_order&id=%d&limit=200" % wid), 200,
                   "audit").json["items"]
    prints = [a for a in after if a["action"] == "print"]
    check(len(prints) == len([a for a in before if a["action"] == "print"]) + 1,
          "one audit row per print: %s" % short(after))
    check(any(a["action"] == "sign" for a in after), "the signature is audited")
    r = expect(ctx.api().get("%s/%d/report.pdf?lang=en" % (WO, wid)), 200, "English")
    check(r.body[:5] == b"%PDF-", "English PDF")


@contract.invalid_requests  # bad-input cases inside
def case_bad_input(ctx):
    tid, wid = on_site(ctx)
    for body, field, code, why in (
            ({"signer_name": None}, "signer_name", 400, "required"),
            ({"signer_name": "   "}, "signer_name", 400, "required"),
            ({"signer_name": "名" * 61}, "signer_name", 400, "too_long"),
            ({"image_png_base64": "@@@"}, "image_png_base64", 400, "invalid_format"),
            ({"image_png_base64": b64(b"\xff\xd8\xff\xe0" + bytes(200))}, "image_png_base64",
             400, "invalid_format"),
            ({"image_png_base64": b64(png(10, 10))}, "image_png_base64", 400, "out_of_range"),
            ({"image_png_base64": b64(SIG[:60])}, "image_png_base64", 400, "invalid_format"),
            ({"image_png_base64": b64(b"\x89PNG\r\n\x1a\n" + bytes(600 << 10))},
             "image_png_base64", 413, None),
            ({"zzz": 1}, "zzz", 400, None)):
        r = sign(ctx, wid, status=code, **body)
        check(r.err_field() == field, "%s names %s: %s" % (why, field, short(r.body)))
        if why:
            check(reason(r) == why, "reason %s: %s" % (why, short(r.body)))
    # a data: URL as a canvas gives it is accepted
    r = sign(ctx, wid, image_png_base64="data:image/png;base64," + b64(SIG))
    check(r.json["version"] == 1, "data URL: %s" % short(r.body))
    # not on site yet: illegal
    fixtures(ctx)
    r = ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": ctx.fx["rpt_unit"],
        "caller_phone": "13900001234", "assignee_id": ctx.uid["technician"]})
    t2 = expect(r, 201, "ticket").json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % t2, {}), 200, "acc")
    expect(ctx.api("dispatcher").post("/api/v1/tickets/%d/actions/schedule_visit" % t2,
                                      {"visit_at": ts(time.time() + 86400)}), 200, "book")
    w2 = expect(ctx.api().get("%s?ticket_id=%d" % (WO, t2)), 200, "wo").json["items"][0]["id"]
    r = sign(ctx, w2, status=409)
    check(reason(r) == "illegal_action", "planned: %s" % short(r.body))
    expect(ctx.api("customer").get("%s/%d/reports" % (WO, wid)), 404,
           "another customer's work order")
    expect(ctx.api("sales").post("%s/%d/signature" % (WO, wid),
                                 {"signer_name": "x", "image_png_base64": b64(SIG)}), 403,
           "sales may not take a signature")
    expect(ctx.api().get("%s/%d/reports" % (WO, 10 ** 9)), 404, "no such work order")


def case_scope(ctx):
    """A technician of another work order sees and signs nothing of this one: 404."""
    from test_work_orders import tech2
    tech2(ctx)
    tid, wid = on_site(ctx)
    sign(ctx, wid, role="tech2", status=404)
    expect(ctx.api("tech2").get("%s/%d/reports" % (WO, wid)), 404, "reports of another's")
    expect(ctx.api("tech2").get("%s/%d/report.pdf" % (WO, wid)), 404, "pdf of another's")
    expect(ctx.api("technician").get("%s/%d/reports" % (WO, wid)), 200, "the lead reads")


def case_guard(ctx):
    """resolve from on site needs the signed report (guard report, R-035); switchable (R-198)."""
    tid, wid = on_site(ctx)
    work(ctx, wid)
    finish(ctx, wid)
    r = expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % tid,
                                          {"note": "已修复"}), 409, "resolve unsigned")
    g = r.json["error"]
    check(g["reason"] == "guard" and g["params"]["guard"] == "report",
          "names the report guard: %s" % short(r.body))
    sign(ctx, wid)
    r = expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % tid,
                                          {"note": "已修复"}), 200, "resolve signed")
    check(r.json["status"] == "resolved", "resolved: %s" % r.json["status"])
    # switched off: a work order without a signed report resolves
    s = expect(ctx.api("admin").get("/api/v1/settings"), 200, "settings").json
    cur = [x for x in s["items"] if x["key"] == "report_before_resolve"]
    check(cur and cur[0]["value"] is True and cur[0]["type"] == "bool", "default on: %s" % cur)
    t2, w2 = on_site(ctx)
    finish(ctx, w2)
    settings(ctx, False)
    try:
        r = expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % t2,
                                              {"note": "已修复"}), 200, "switched off")
    finally:
        settings(ctx, True)


# ------------------------------------------------------------ parts used and money (H5, M3)

def van_part(ctx, price=8800, qty=5):
    """A catalogue part (a fan at the given price) of which `qty` are in the technician's van."""
    code = "FAN-" + uniq()[:8]
    p = expect(ctx.api("warehouse").post("/api/v1/parts", {
        "code": code, "name": "散热风扇80mm", "unit": "个", "price_fen": price,
        "cost_fen": price // 2}), 201, "part").json
    if "rpt_van" not in ctx.fx:
        vans = expect(ctx.api("technician").get("/api/v1/stock-locations?kind=van"), 200,
                      "vans").json["items"]
        ctx.fx["rpt_van"] = vans[0]["id"] if vans else expect(
            ctx.api("warehouse").post("/api/v1/stock-locations", {
                "code": "V-" + uniq(), "name": "车载库" + uniq()[-4:], "kind": "van",
                "technician_id": ctx.uid["technician"]}), 201, "van").json["id"]
        ctx.fx["rpt_wh"] = expect(ctx.api("warehouse").post("/api/v1/stock-locations", {
            "code": "W-" + uniq(), "name": "库房" + uniq()[-4:], "kind": "warehouse"}), 201,
            "warehouse").json["id"]
    for body in ({"kind": "receipt", "to_location_id": ctx.fx["rpt_wh"]},
                 {"kind": "issue", "from_location_id": ctx.fx["rpt_wh"],
                  "to_location_id": ctx.fx["rpt_van"]}):
        body.update(part_id=p["id"], qty=qty)
        expect(ctx.api("warehouse").post("/api/v1/stock-movements", body), 201, body["kind"])
    return p


def consume(ctx, wid, part, qty):
    return expect(ctx.api("technician").post("/api/v1/stock-movements", {
        "kind": "consume", "part_id": part["id"], "qty": qty, "work_order_id": wid}), 201,
        "consume").json


def quoted_on_site(ctx, code):
    """A chargeable ticket of the customer account's customer with an accepted quote (the fan
    and an hour's labour, ¥238.00), its work order on site: (ticket, work order, quote)."""
    from test_quotes import chargeable, send
    tid = chargeable(ctx)
    q = expect(ctx.api("agent").post("/api/v1/tickets/%d/quotes" % tid, {"lines": [
        {"kind": "part", "code": code, "quantity": 1},
        {"kind": "labour", "name": "维修工时", "hours": 1, "rate_fen": 15000}]}), 201,
        "quote").json
    send(ctx, q["id"])
    expect(ctx.api("agent").post("/api/v1/quotes/%d/decision" % q["id"], {
        "decision": "accept", "channel": "phone", "note": "客户电话同意"}), 200, "accepted")
    expect(ctx.api("dispatcher").post("/api/v1/tickets/%d/actions/schedule_visit" % tid,
                                      {"visit_at": ts(time.time() + 3600)}), 200, "visit")
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/arrive" % tid, {}), 200,
           "arrive")
    items = expect(ctx.api().get("%s?ticket_id=%d" % (WO, tid)), 200, "wo").json["items"]
    return tid, items[0]["id"], q


def case_parts_and_money(ctx):
    """Review 2026-12-07 H5: the report lists the catalogue parts consumed from the van on the
    work order (with the free-text ones), and for a chargeable job the accepted quote and the
    customer's charges (R-060); the signed version holds them, a later consumption makes a new
    draft. Before the fix the PDF said 使用配件 无 and showed no amount."""
    # in warranty: the van's parts are listed, nothing to pay
    tid, wid = on_site(ctx)
    work(ctx, wid, parts=1)
    fan = van_part(ctx)
    consume(ctx, wid, fan, 2)
    text = pdf_text(ctx, wid)
    check(fan["code"] + "散热风扇80mm2个" in text and "主轴轴承01" in text and "合计3" in text,
          "the van's part with its quantity beside the typed one: %s" % text[:900])
    check("收费明细" not in text and "已确认报价" not in text, "a warranty job shows no money")
    # chargeable: the accepted quote and the charges, as signed
    fan2 = van_part(ctx)
    tid, wid, q = quoted_on_site(ctx, fan2["code"])
    consume(ctx, wid, fan2, 1)
    work(ctx, wid, parts=0)
    text = pdf_text(ctx, wid)
    check(fan2["code"] + "散热风扇80mm1个" in text, "quoted part used: %s" % text[:900])
    check("已确认报价" + q["number"] + "·¥238.00" in text, "the accepted quote: %s" % text[:900])
    check("收费明细" in text and "¥88.00" in text and "¥150.00" in text and "合计¥238.00" in text,
          "the customer's charges and their total: %s" % text)
    r = sign(ctx, wid)
    signed = pdf_text(ctx, wid, r.json["version"])
    check(fan2["code"] in signed and "合计¥238.00" in signed and "王建国" in signed,
          "the signed version holds parts and money: %s" % signed[:900])
    check(versions(ctx, wid)["current_signed"], "signed is current")
    consume(ctx, wid, fan2, 1)
    check(not versions(ctx, wid)["current_signed"], "a part used after signing: a new draft")
    ctx.fx["rpt_customer_wo"] = (wid, r.json["version"])
    # the signing sheet is shown what the signature freezes; a sheet shown before a change is
    # refused (412 stale) rather than signed for something else
    cur = versions(ctx, wid)["current"]
    check([p.get("code") for p in cur["parts"]] == [fan2["code"]] and
          cur["parts"][0]["quantity"] == 2 and cur["quote"]["total_fen"] == 23800 and
          sum(c["amount_fen"] for c in cur["charges"]) == 23800, "current: %s" % short(cur))
    consume(ctx, wid, fan2, 1)
    r = sign(ctx, wid, status=412, content_sha256=cur["content_sha256"])
    check(reason(r) == "stale" and r.err_field() == "content_sha256", short(r.body))
    r = sign(ctx, wid, content_sha256=versions(ctx, wid)["current"]["content_sha256"])
    check(r.json["version"] == 2, "signed what was shown: %s" % short(r.body))
    check(fan2["code"] + "散热风扇80mm3个" in pdf_text(ctx, wid, 2), "v2 has the 3 fans")
    consume(ctx, wid, fan2, 1)  # a draft v3 the customer does not see


def case_customer_reads(ctx):
    """Review 2026-12-07 M3: a customer account reads the signed service reports of work
    orders on its own tickets (list and PDF), never the draft, never another customer's (404).
    Before the fix both answered 403."""
    if "rpt_customer_wo" not in ctx.fx:
        case_parts_and_money(ctx)
    wid, _ = ctx.fx["rpt_customer_wo"]
    v = versions(ctx, wid, role="customer")
    check([(x["version"], x["signed"]) for x in v["items"]] == [(1, True), (2, True)] and
          "current" not in v, "the signed versions only: %s" % short(v))
    text = pdf_text(ctx, wid, role="customer")
    check("王建国" in text and "草稿" not in text and "散热风扇80mm3个" in text,
          "the last signed version, not the draft: %s" % text[:600])
    check("王建国" in pdf_text(ctx, wid, 1, role="customer"), "v1")
    expect(ctx.api("customer").get("%s/%d/report.pdf?version=3" % (WO, wid)), 404, "no draft")
    tid, other = on_site(ctx)  # another customer's
    work(ctx, other)
    sign(ctx, other)
    for path in ("reports", "report.pdf", "report.pdf?version=1"):
        expect(ctx.api("customer").get("%s/%d/%s" % (WO, other, path)), 404, "other's " + path)
    expect(ctx.api("dealer").get("%s/%d/reports" % (WO, wid)), 403, "dealer")
    expect(ctx.api("customer").get("%s/%d" % (WO, wid)), 403, "the work order itself stays staff")


def run(ctx, runner):
    global SIG
    SIG = png()
    if not shutil.which("pdftotext"):
        runner.fail("reports: pdftotext", "poppler-utils is not installed (scripts/deps.sh)")
    runner.run("reports: signature refused until the self-check passes (409 self_check)",
               case_self_check_first, ctx)
    runner.run("reports: signing freezes v1; a change after signing makes v2; v1 readable",
               case_versions, ctx)
    runner.run("reports: PDF in Chinese read back by pdftotext; every print audited", case_pdf,
               ctx)
    runner.run("reports: signature input checked (name, base64, PNG magic and size), status",
               case_bad_input, ctx)
    runner.run("reports: a technician of another work order gets 404", case_scope, ctx)
    runner.run("reports: resolve needs a signed report (409 guard report); switch off",
               case_guard, ctx)
    runner.run("reports: parts consumed from the van, the accepted quote and the customer's "
               "charges are on the report and frozen by the signature (H5)", case_parts_and_money,
               ctx)
    runner.run("reports: a customer reads its own signed reports, not the draft, not another's "
               "(404) (M3)", case_customer_reads, ctx)

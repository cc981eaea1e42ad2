"""Review 69 (security, 2026-12-07): uploaded file names, text messages to typed numbers,
staff notes on customers, public tokens in the access log, and the bounds of waiting days,
survey links and payment dates."""
import urllib.parse
import uuid

from harness import check, expect
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
    r = expect(ctx.srv.request("POST", "/api/v1/public/units/%s/reports"
                               % sql(ctx, "SELECT serial_no FROM units WHERE id = %d"
                                     % ctx.fx["unitA"])[0][0],
                               body={"description": "照片", "phone": "13900007%03d"
                                     % (int(uniq(), 16) % 1000)}), (200, 201), "qr report")
    expect(upload(ctx, "/api/v1/public/reports/%s/photos" % r.json["token"],
                  "照片\u202egpj.bat", GIF, role=None, ctype="image/gif"), 201, "public photo")
    got = sql(ctx, "SELECT filename FROM attachments WHERE ticket_id = (SELECT id FROM tickets "
              "WHERE number = '%s') ORDER BY id DESC" % r.json["number"])
    check(got and got[0][0] == "照片gpj.gif", "public photo stored as %r" % got)


def run(ctx, runner):
    runner.run("abuse: upload names follow the detected type (M4)", case_upload_names, ctx)

"""Installation projects, acceptance and training (issue 12 items 2 and 5; WF-02, R-049,
R-054, R-136, R-189, F-24, F-25): a project opened for the units of a contract with
installation, the agreed date, a visit booked as an installation work order linked to the
project, the deadline clock, acceptance refused before the self-check passed, the warranty
start from the configured event, the training record with chargeable extra trainees, both
PDFs read back with pdftotext, and closing. Run by test_api.py on SQLite and PostgreSQL."""
import os
import shutil
import subprocess
import tempfile
import time

import contract
from harness import check, expect, short, uniq
from test_reports import b64, png

P = "/api/v1/installation-projects"
WO = "/api/v1/work-orders"
TOPICS = ["系统的软件安装", "设备的接地与防雷", "设备的维护保养"]


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def err(r):
    return (r.json or {}).get("error") or {}


def fixtures(ctx, seats=2, included=True):
    """A customer with a Chinese name, a model of its own series with a checklist template for
    installation work orders, a contract with installation, and two shipped units on it."""
    u = uniq()[:8]
    name = "杭州恒远医疗设备有限公司" + u
    c = ctx.create("customers", {"name": name, "type": "company", "address": "杭州市西湖区"})["id"]
    site = ctx.create("sites", {"customer_id": c, "name": "滨江院区", "address": "滨江路1号"})["id"]
    series = "AZ" + u
    m = ctx.create("models", {"code": "AZ-" + u, "name": "全自动生化分析仪", "category":
                              "equipment", "series": series, "warranty_months": 12})["id"]
    k = ctx.create("contracts", {"number": "HT-AZ-" + u, "customer_id": c,
                                 "start_date": "2026-01-01", "installation_included": included,
                                 "training_seats": seats, "warranty_months": 24})["id"]
    units, serials = [], []
    for i in range(2):
        s = "AZ%s-%02d" % (u, i + 1)
        units.append(ctx.create("units", {"serial_no": s, "model_id": m, "customer_id": c,
                                          "contract_id": k, "ship_date": "2026-11-20"})["id"])
        serials.append(s)
    tpl = expect(ctx.api("admin").post("/api/v1/checklist-templates", {
        "code": "AZ-" + u, "name": "安装自检", "model_series": series,
        "work_order_kind": "installation"}), 201, "template").json
    item = expect(ctx.api("admin").post("/api/v1/checklist-items", {
        "template_id": tpl["id"], "kind": "check", "label": "设备接地可靠", "required": True}),
        201, "item").json
    return {"customer": c, "name": name, "site": site, "units": units, "serials": serials,
            "contract": k, "item": item["id"]}


def open_project(ctx, f, **over):
    body = {"customer_id": f["customer"], "site_id": f["site"], "unit_ids": f["units"],
            "shipment_id": 424242}
    body.update(over)
    return expect(ctx.api("agent").post(P, body), 201, "open project").json


def book(ctx, pid):
    return expect(ctx.api("dispatcher").post("%s/%d/work-orders" % (P, pid), {
        "lead_id": ctx.uid["technician"], "appointment_at": ts(time.time() + 2 * 3600),
        "override_reason": "test: the same crew in every case"}), 201, "book visit").json


def on_site_done(ctx, f, wid):
    """The technician arrives, passes the self-check and finishes."""
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, wid), {"action": "arrive"}), 200,
           "arrive")
    r = ctx.srv.request("PUT", "%s/%d/checklist/items/%d" % (WO, wid, f["item"]),
                        body={"passed": True}, token=ctx.tok["technician"])
    expect(r, 200, "self-check item")
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, wid),
                                      {"action": "finish", "result": "done"}), 200, "finish")


def sign_body(**over):
    body = {"signer_name": "周立新", "image_png_base64": b64(png()), "comment": "安装调试合格"}
    body.update(over)
    return body


def pdf_text(ctx, path):
    r = expect(ctx.api("admin").get(path), 200, "pdf " + path)
    check(r.header("Content-Type").startswith("application/pdf") and r.body[:5] == b"%PDF-",
          "a PDF: %r" % r.body[:16])
    d = tempfile.mkdtemp(prefix="ip-")
    try:
        p = os.path.join(d, "f.pdf")
        with open(p, "wb") as fh:
            fh.write(r.body)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", p, "-"], check=True,
                             capture_output=True).stdout.decode("utf-8")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return "".join(out.split())


def settings(ctx, **kv):
    expect(ctx.api("admin").patch("/api/v1/settings", kv), 200, "settings %s" % kv)


# ---------------------------------------------------------------- the chain

def case_chain(ctx):
    """project → agreed date → installation work order → checklist → acceptance → warranty."""
    f = fixtures(ctx)
    p = open_project(ctx, f)
    check(p["status"] == "open" and p["shipment_id"] == 424242 and p["ticket_id"] and
          p["number"].startswith("AZ-") and p["free_seats"] == 2 and
          p["sla_state"] == "ok" and p["deadline_at"] > ts(time.time()),
          "opened: %s" % short(p))
    check(sorted(x["serial_no"] for x in p["units"]) == sorted(f["serials"]), "units")
    # the same units cannot be in a second open project
    with contract.bad_requests():
        r = ctx.api("agent").post(P, {"customer_id": f["customer"], "unit_ids": f["units"][:1]})
    check(r.status == 409 and err(r).get("reason") == "duplicate", "duplicate: %s" % r.body)
    p = expect(ctx.api("agent").post("%s/%d/schedule" % (P, p["id"]),
                                     {"agreed_date": "2026-12-20"}), 200, "schedule").json
    check(p["status"] == "scheduled" and p["agreed_date"] == "2026-12-20", "scheduled")
    w = book(ctx, p["id"])
    check(w["kind"] == "installation" and w["ticket_id"] == p["ticket_id"], "wo %s" % short(w))
    p = expect(ctx.api("technician").get("%s/%d" % (P, p["id"])), 200, "get").json
    check(p["status"] == "in_progress" and [x["id"] for x in p["work_orders"]] == [w["id"]] and
          p["work_orders"][0]["self_check_passed"] is False, "in progress: %s" % short(p))
    # acceptance before the self-check passed: 409 guard self_check
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, w["id"]), {"action": "arrive"}),
           200, "arrive")
    r = ctx.api("technician").post("%s/%d/acceptance" % (P, p["id"]), sign_body())
    check(r.status == 409 and err(r).get("reason") == "guard" and
          err(r)["params"]["guard"] == "self_check", "refused before the self-check: %s" % r.body)
    r = ctx.srv.request("PUT", "%s/%d/checklist/items/%d" % (WO, w["id"], f["item"]),
                        body={"passed": True}, token=ctx.tok["technician"])
    expect(r, 200, "self-check")
    # passed, but no visit done yet: 409 guard work_order
    r = ctx.api("technician").post("%s/%d/acceptance" % (P, p["id"]), sign_body())
    check(r.status == 409 and err(r)["params"]["guard"] == "work_order", "not done: %s" % r.body)
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, w["id"]),
                                      {"action": "finish", "result": "done"}), 200, "finish")
    p = expect(ctx.api("technician").post("%s/%d/acceptance" % (P, p["id"]), sign_body()), 201,
               "acceptance").json
    today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    check(p["status"] == "accepted" and p["acceptance"]["signer_name"] == "周立新" and
          p["sla_state"] == "met", "accepted: %s" % short(p))
    for x in p["units"]:
        check(x["install_date"] == today and x["warranty_basis"] == "install" and
              x["warranty_start"] == today, "install date and warranty: %s" % x)
    unit = expect(ctx.api().get("/api/v1/units/%d" % f["units"][0]), 200, "unit").json
    check(unit["status"] == "installed" and unit["warranty_months"] == 24 and
          unit["warranty_end"] > today, "the unit: %s" % short(unit))
    audit = expect(ctx.api("admin").get("/api/v1/audit?entity=unit&id=%d" %
                                        f["units"][0]), 200, "audit").json
    check(any(a["action"] == "warranty_start" for a in audit["items"]), "audited")
    # signed once
    with contract.bad_requests():
        r = ctx.api("technician").post("%s/%d/acceptance" % (P, p["id"]), sign_body())
    check(r.status == 409 and err(r).get("reason") == "duplicate", "once: %s" % r.body)
    text = pdf_text(ctx, "%s/%d/acceptance.pdf" % (P, p["id"]))
    check(f["name"] in text and all(s in text for s in f["serials"]) and "项目验收单" in text,
          "the acceptance PDF names the customer and serials: %s" % text[:300])
    # closing needs the training record
    r = ctx.api("agent").post("%s/%d/close" % (P, p["id"]), {})
    check(r.status == 409 and err(r)["params"]["guard"] == "training", "close: %s" % r.body)
    ctx.fx["ip_done"] = (p["id"], f)


def case_training(ctx):
    """Trainees beyond the contract's free seats are chargeable; topics from the list."""
    if "ip_done" not in ctx.fx:
        case_chain(ctx)
    pid, f = ctx.fx["ip_done"]
    topics = expect(ctx.api("technician").get("/api/v1/training-topics"), 200, "topics").json
    check(len(topics["items"]) == 9 and all(t in topics["items"] for t in TOPICS),
          "the 9 topics of the LED SLA: %s" % topics)
    trainees = [{"name": "李明", "position": "设备科"}, {"name": "陈静", "position": "检验科"},
                {"name": "赵刚", "position": "信息科"}]
    with contract.bad_requests():
        r = ctx.api("technician").post("%s/%d/training" % (P, pid), sign_body(
            trainees=trainees, topics=["不存在的课程"]))
    check(r.status == 400 and err(r).get("field") == "topics", "unknown topic: %s" % r.body)
    with contract.bad_requests():
        r = ctx.api("technician").post("%s/%d/training" % (P, pid), sign_body(
            trainees=[], topics=TOPICS))
    check(r.status == 400 and err(r).get("field") == "trainees", "no trainees: %s" % r.body)
    p = expect(ctx.api("technician").post("%s/%d/training" % (P, pid), sign_body(
        trainees=trainees, topics=TOPICS, trained_on="2026-12-05")), 201, "training").json
    t = p["training"]
    check(t["trainees"] == 3 and t["chargeable"] == 1 and
          [x["chargeable"] for x in t["content"]["trainees"]] == [False, False, True],
          "one chargeable: %s" % short(t))
    text = pdf_text(ctx, "%s/%d/training.pdf" % (P, pid))
    check(f["name"] in text and all(s in text for s in f["serials"]) and
          all(x["name"] in text for x in trainees) and "培训确认单" in text and
          "设备的接地与防雷" in text, "the training PDF: %s" % text[:300])
    tk = expect(ctx.api().get("/api/v1/tickets/%d" % p["ticket_id"]), 200, "ticket").json
    check(tk["status"] not in ("resolved", "closed"), "open before: %s" % tk["status"])
    p = expect(ctx.api("agent").post("%s/%d/close" % (P, pid), {}), 200, "close").json
    check(p["status"] == "closed" and p["closed_at"], "closed")
    # WF-02: the installation is done: the project's ticket resolves with it
    tk = expect(ctx.api().get("/api/v1/tickets/%d" % p["ticket_id"]), 200, "ticket").json
    check(tk["status"] == "resolved" and tk["resolved_at"], "ticket resolved: %s" % short(tk))
    ev = expect(ctx.api().get("/api/v1/tickets/%d/events" % p["ticket_id"]), 200, "events").json
    last = [x for x in ev["items"] if x.get("kind") == "state"][-1:]
    check(last and p["number"] in (last[0].get("body") or ""), "the step names it: %s" % last)
    lst = expect(ctx.api().get(P + "?status=closed"), 200, "list").json
    check(any(x["id"] == pid for x in lst["items"]), "listed by status")


def case_warranty_event(ctx):
    """The warranty starts from the configured event: acceptance, or the ship date."""
    try:
        for event, start in (("acceptance", None), ("ship", "2026-11-20")):
            settings(ctx, warranty_start_event=event)
            f = fixtures(ctx)
            p = open_project(ctx, f)
            w = book(ctx, p["id"])
            on_site_done(ctx, f, w["id"])
            p = expect(ctx.api("technician").post("%s/%d/acceptance" % (P, p["id"]),
                                                  sign_body()), 201, "accept").json
            today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
            for x in p["units"]:
                check(x["warranty_basis"] == event and x["install_date"] == today and
                      x["warranty_start"] == (start or today), "%s: %s" % (event, x))
        with contract.bad_requests():
            r = ctx.api("admin").patch("/api/v1/settings", {"warranty_start_event": "receipt"})
        check(r.status == 400 and err(r).get("field") == "warranty_start_event", "bad event")
    finally:
        settings(ctx, warranty_start_event="install")


def case_refusals(ctx):
    """Bad input names its field; a contract without installation; illegal actions."""
    f = fixtures(ctx, included=False)
    with contract.bad_requests():
        r = ctx.api("agent").post(P, {"customer_id": f["customer"], "unit_ids": f["units"]})
    check(r.status == 409 and err(r)["params"]["guard"] == "installation_not_included",
          "contract without installation: %s" % r.body)
    g = fixtures(ctx)
    with contract.bad_requests():
        for body, field in (({"unit_ids": g["units"]}, "customer_id"),
                            ({"customer_id": g["customer"]}, "unit_ids"),
                            ({"customer_id": g["customer"], "unit_ids": []}, "unit_ids"),
                            ({"customer_id": g["customer"], "unit_ids": f["units"]}, "unit_ids"),
                            ({"customer_id": g["customer"], "unit_ids": g["units"],
                              "site_id": 10 ** 9}, "site_id"),
                            ({"customer_id": g["customer"], "unit_ids": g["units"],
                              "colour": 1}, "colour")):
            r = ctx.api("agent").post(P, body)
            check(r.status == 400 and err(r).get("field") == field,
                  "%s refused: %s" % (field, r.body))
    p = open_project(ctx, g, deadline_days=1)
    check(p["deadline_days"] == 1, "deadline days")
    with contract.bad_requests():
        r = ctx.api("agent").post("%s/%d/acceptance" % (P, p["id"]), sign_body())
        check(r.status == 409 and err(r).get("reason") == "illegal_action", "open: %s" % r.body)
        # a technician with no visit on the project does not sign it (test_proj.py)
        r = ctx.api("technician").post("%s/%d/acceptance" % (P, p["id"]), sign_body())
    check(r.status == 403 and err(r).get("reason") == "forbidden", "no visit: %s" % r.body)
    r = ctx.api("technician").post(P, {"customer_id": g["customer"], "unit_ids": g["units"]})
    check(r.status == 403, "a technician does not open projects: %d" % r.status)
    expect(ctx.api().get("%s/%d" % (P, 10 ** 9)), 404, "unknown project")
    r = ctx.api("customer").get(P)
    check(r.status == 403, "customers do not list projects: %d" % r.status)


def run(ctx, runner):
    runner.run("projects: project → work order → checklist → acceptance → warranty start",
               case_chain, ctx)
    runner.run("projects: training record, chargeable extra trainees, PDFs, close",
               case_training, ctx)
    runner.run("projects: warranty start from acceptance or ship (setting)",
               case_warranty_event, ctx)
    runner.run("projects: refusals", case_refusals, ctx)

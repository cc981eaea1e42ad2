"""Checklists (issue 11 item 4; R-149…R-153): templates and items with validation, the
template chosen for a work order, recording values (a failed measurement kept), photos
before/after and per item with their limits, the self-check gate refusing and passing, and
the technician's scope. Run by test_api.py in the same run and summary, on SQLite and
PostgreSQL."""
import contextlib
import time

from harness import check, expect, short, tech2, uniq

try:  # issue 17: the suite validates requests against docs/openapi.yaml; these are bad on purpose
    from contract import bad_requests
except ImportError:
    bad_requests = contextlib.nullcontext

T = "/api/v1/checklist-templates"
I = "/api/v1/checklist-items"
WO = "/api/v1/work-orders"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 60


def reason(r):
    return (r.json.get("error") or {}).get("reason") if isinstance(r.json, dict) else None


def params(r):
    return (r.json.get("error") or {}).get("params") if isinstance(r.json, dict) else None


def ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def fixture(ctx, before=0, after=0):
    """A model series of its own with a template (check, measure < 2 mm, photo, conduct, an
    optional check) and an installation work order on a unit of that model."""
    series = "柜-" + uniq()
    m = ctx.create("models", {"code": "CL-" + uniq(), "name": "测试整体厨柜", "series": series,
                              "category": "appliance", "warranty_months": 24})["id"]
    unit = ctx.create("units", {"serial_no": "CL-" + uniq(), "model_id": m,
                                "customer_id": ctx.fx["B"], "install_date": "2026-01-10"})["id"]
    tpl = expect(ctx.api().post(T, {"code": "T-" + uniq(), "name": "厨柜安装自检",
                                    "product_category": "appliance", "model_series": series,
                                    "work_order_kind": "installation",
                                    "photos_before_min": before, "photos_after_min": after}),
                 201, "template").json
    items = {}
    for key, body in (("check", {"kind": "check", "label": "柜体结构牢固"}),
                      ("measure", {"kind": "measure", "label": "柜体正面基准面误差",
                                   "max_centi": 200, "unit": "mm", "source": "INSTF 二.1"}),
                      ("photo", {"kind": "photo", "label": "安装完成照片"}),
                      ("conduct", {"kind": "conduct", "label": "进门戴鞋套"}),
                      ("optional", {"kind": "check", "label": "用户满意", "required": False})):
        body["template_id"] = tpl["id"]
        items[key] = expect(ctx.api().post(I, body), 201, "item " + key).json["id"]
    r = ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": unit, "caller_phone": "13900000002",
        "assignee_id": ctx.uid["technician"]})
    tid = expect(r, 201, "ticket").json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % tid, {}), 200,
           "accept")
    w = expect(ctx.api("dispatcher").post(WO, {
        "ticket_id": tid, "kind": "installation", "lead_id": ctx.uid["technician"],
        "appointment_at": ts(time.time() + 3 * 3600),
        "override_reason": "test: the same crew in every case"}), 201, "work order").json
    return {"tpl": tpl, "items": items, "wo": w["id"], "ticket": tid, "series": series}


def put(ctx, f, key, body, role="technician", status=200):
    path = "%s/%d/checklist/items/%d" % (WO, f["wo"], f["items"][key])
    r = ctx.srv.request("PUT", path, body=body, token=ctx.tok[role])
    return expect(r, status, "record %s %s by %s" % (key, body, role))


def photo(ctx, wid, query, data=PNG, role="technician", status=201, ctype="image/png"):
    r = ctx.srv.request("POST", "%s/%d/photos?%s" % (WO, wid, query), body=data,
                        token=ctx.tok[role], headers={"Content-Type": ctype})
    return expect(r, status, "photo %s" % query)


def checklist(ctx, f, role="technician"):
    return expect(ctx.api(role).get("%s/%d/checklist" % (WO, f["wo"])), 200, "checklist").json


def line(cl, item_id):
    return next(x for x in cl["items"] if x["id"] == item_id)


# ---------------------------------------------------------------- templates

def case_template_crud(ctx):
    a = ctx.api()
    r = expect(a.post(T, {"code": "C-" + uniq(), "name": "通用", "work_order_kind": None,
                          "product_category": None}), 201, "any/any template")
    tid = r.json["id"]
    check(r.json["product_category"] is None and r.json["model_series"] == "" and
          r.json["active"] is True and r.json["photos_before_min"] == 0, "defaults: %s" %
          short(r.body))
    for body, field, why in (({"code": "x", "name": "n", "product_category": "furniture"},
                              "product_category", "unknown_value"),
                             ({"code": "x", "name": "n", "work_order_kind": "dance"},
                              "work_order_kind", "unknown_value"),
                             ({"code": "x", "name": "n", "photos_after_min": 21},
                              "photos_after_min", "out_of_range"),
                             ({"name": "n"}, "code", "required"),
                             ({"code": "x", "name": "n", "zz": 1}, "zz", "unknown_field")):
        with bad_requests():
            r = expect(a.post(T, body), 400, "bad template %s" % body)
        check(r.err_field() == field and reason(r) == why, "names %s/%s: %s" % (field, why,
                                                                              short(r.body)))
    expect(ctx.api("technician").post(T, {"code": "x", "name": "n"}), 403, "technician")
    expect(ctx.api("dept_head").post(T, {"code": "DH-" + uniq(), "name": "部门模板"}), 201,
           "dept head configures")
    # items: a measurement needs a limit, other kinds none, min below max
    for body, field, why in (({"kind": "measure", "label": "缝位"}, "max_centi", "required"),
                             ({"kind": "check", "label": "牢固", "max_centi": 200}, "max_centi",
                              "not_allowed"),
                             ({"kind": "measure", "label": "x", "min_centi": 300,
                               "max_centi": 200}, "max_centi", "out_of_range"),
                             ({"kind": "measure", "label": "x", "max_centi": 1.5}, "max_centi",
                              "invalid_type"),
                             ({"kind": "gauge", "label": "x"}, "kind", "unknown_value"),
                             ({"kind": "check"}, "label", "required"),
                             ({"kind": "check", "label": "x", "template_id": 10 ** 9},
                              "template_id", None)):
        body.setdefault("template_id", tid)
        with bad_requests():
            r = expect(a.post(I, body), 400, "bad item %s" % body)
        check(r.err_field() == field and (why is None or reason(r) == why),
              "names %s/%s: %s" % (field, why, short(r.body)))
    i1 = expect(a.post(I, {"template_id": tid, "kind": "measure", "label": "门板之间缝位",
                           "max_centi": 200, "unit": "mm"}), 201, "measure").json
    check(i1["max_centi"] == 200 and i1["max_inclusive"] is False and i1["min_centi"] is None
          and i1["position"] == 10 and i1["required"] is True, "stored exactly: %s" % i1)
    i2 = expect(a.post(I, {"template_id": tid, "kind": "measure", "label": "温度",
                           "min_centi": 500, "max_centi": 3500, "max_inclusive": True,
                           "unit": "°C"}), 201, "range").json
    check(i2["position"] == 20, "new items go last: %s" % i2["position"])
    i3 = expect(a.post(I, {"template_id": tid, "kind": "conduct", "label": "不收礼品",
                           "position": 5}), 201, "conduct").json
    lst = expect(a.get(I + "?template_id=%d&sort=position" % tid), 200, "items").json["items"]
    check([x["id"] for x in lst] == [i3["id"], i1["id"], i2["id"]], "in order: %s" %
          [x["id"] for x in lst])
    # PATCH keeps the rule: turning the measurement into a check leaves a limit behind
    r = expect(a.patch(I + "/%d" % i1["id"], {"kind": "check"}), 400, "limit left on a check")
    check(reason(r) == "not_allowed", "not_allowed: %s" % short(r.body))
    expect(a.patch(I + "/%d" % i1["id"], {"max_centi": 300, "max_inclusive": True}), 200, "patch")
    expect(a.delete(T + "/%d" % tid), 409, "a template with items is referenced")
    expect(a.delete(I + "/%d" % i3["id"]), 204, "an unused item is deleted")
    m = expect(a.get("/api/v1/meta"), 200, "meta").json["entities"]
    check("checklist_template" in m and "checklist_item" in m, "declared in /meta")
    kinds = next(c for c in m["checklist_item"]["columns"] if c["name"] == "kind")["enum"]
    check(kinds == ["check", "measure", "photo", "conduct"], "kinds %s" % kinds)
    # a template of every product and kind with required measurements would hold every later
    # work order of the run at its self-check (finish done, the signature): switched off
    expect(a.patch(T + "/%d" % tid, {"active": False}), 200, "any/any template off")


# ---------------------------------------------------------------- recording

def case_record(ctx):
    f = fixture(ctx)
    it = f["items"]
    cl = checklist(ctx, f)
    check(cl["template"]["id"] == f["tpl"]["id"] and not cl["fixed"], "template chosen: %s" %
          short(cl["template"]))
    check([x["id"] for x in cl["items"]] == [it[k] for k in ("check", "measure", "photo",
                                                             "conduct", "optional")],
          "items in order")
    check(line(cl, it["measure"])["limit"] == "< 2 mm", "limit text: %s" %
          line(cl, it["measure"])["limit"])
    check(not cl["passed"] and cl["failing"] == [it[k] for k in ("check", "measure", "photo",
                                                                 "conduct")],
          "nothing answered: %s" % cl["failing"])
    cl = put(ctx, f, "check", {"passed": True, "note": "已紧固"}).json
    check(line(cl, it["check"])["result"]["passed"] is True and cl["fixed"], "check passed")
    # a failed measurement is kept and shown, with the limit it was judged against
    cl = put(ctx, f, "measure", {"value": "2.5", "note": "左侧偏高"}).json
    res = line(cl, it["measure"])["result"]
    check(res["passed"] is False and res["value"] == "2.5" and res["value_centi"] == 250 and
          res["limit"] == "< 2 mm" and res["note"] == "左侧偏高", "failed kept: %s" % res)
    check(it["measure"] in cl["failing"], "a failed measurement stops the self-check")
    res = line(checklist(ctx, f, "dispatcher"), it["measure"])["result"]
    check(res["passed"] is False and res["value"] == "2.5", "shown to the office: %s" % res)
    # the limit itself fails ("less than 2 mm"); a JSON number is taken exactly
    cl = put(ctx, f, "measure", {"value": 2}).json
    check(line(cl, it["measure"])["result"]["passed"] is False, "2 mm is not < 2 mm")
    cl = put(ctx, f, "measure", {"value": 1.95}).json
    res = line(cl, it["measure"])["result"]
    check(res["passed"] is True and res["value"] == "1.95" and res["version"] == 3,
          "1.95 passes: %s" % res)
    for key, body, field, why in (
            ("measure", {"value": "1.005"}, "value", "invalid_format"),
            ("measure", {"value": 1.005}, "value", "invalid_format"),
            ("measure", {"value": "1e3"}, "value", "invalid_format"),
            ("measure", {}, "value", "required"),
            ("measure", {"value": "1", "passed": True}, "passed", "read_only"),
            ("check", {}, "passed", "required"),
            ("check", {"passed": "yes"}, "passed", "invalid_type"),
            ("check", {"passed": True, "value": "1"}, "value", "not_allowed"),
            ("check", {"passed": True, "zz": 1}, "zz", "unknown_field"),
            ("check", {"passed": True, "note": "长" * 2001}, "note", "too_long"),
            ("check", {"passed": True, "photo_id": 10 ** 9}, "photo_id", "unknown_reference"),
            ("photo", {"passed": True}, "photo_id", "required")):
        with bad_requests():
            r = put(ctx, f, key, body, status=400)
        check(r.err_field() == field and reason(r) == why, "%s %s names %s/%s: %s" % (
            key, body, field, why, short(r.body)))
    r = ctx.srv.request("PUT", "%s/%d/checklist/items/%d" % (WO, f["wo"], 10 ** 9),
                        body={"passed": True}, token=ctx.tok["technician"])
    expect(r, 404, "an item of no checklist")
    with bad_requests():
        r = ctx.srv.request("PUT", "%s/%d/checklist/items/%d" % (WO, f["wo"], it["check"]),
                            body=b"{", token=ctx.tok["technician"])
    expect(r, 400, "malformed JSON")
    # POST is the same as PUT
    r = ctx.api().post("%s/%d/checklist/items/%d" % (WO, f["wo"], it["conduct"]),
                       {"passed": True})
    check(line(expect(r, 200, "POST").json, it["conduct"])["result"]["passed"], "POST recorded")
    # the template is fixed by the first answer: deactivating it changes nothing here
    expect(ctx.api().patch(T + "/%d" % f["tpl"]["id"], {"active": False}), 200, "deactivate")
    cl = checklist(ctx, f)
    check(cl["template"]["id"] == f["tpl"]["id"] and cl["fixed"], "still its template")
    a = expect(ctx.api().get("/api/v1/audit?entity=work_order&id=%d" % f["wo"]), 200,
               "audit").json["items"]
    check(any(x["action"] == "checklist" for x in a), "recording is audited")


def case_no_template(ctx):
    """A repair on a model no template covers: an empty checklist that passes."""
    tid = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "unit_id": ctx.fx["unitB"],
        "caller_phone": "13900000003", "assignee_id": ctx.uid["technician"]}), 201, "t").json["id"]
    expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/accept" % tid, {}), 200, "acc")
    w = expect(ctx.api("dispatcher").post(WO, {
        "ticket_id": tid, "kind": "training", "appointment_at": ts(time.time() + 7200),
        "override_reason": "test: the same crew in every case"}),
        201, "wo").json
    cl = expect(ctx.api().get("%s/%d/checklist" % (WO, w["id"])), 200, "checklist").json
    if cl["template"] is None:
        check(cl["items"] == [] and cl["passed"], "no template: passes %s" % short(cl))


# ---------------------------------------------------------------- photos

def case_photos(ctx):
    f = fixture(ctx)
    wid, it = f["wo"], f["items"]
    p = photo(ctx, wid, "phase=before&filename=%E5%89%8D.png").json
    check(p["phase"] == "before" and p["mime"] == "image/png" and p["item_id"] is None and
          p["url"] == "%s/%d/photos/%d" % (WO, wid, p["id"]), "before: %s" % p)
    # served as ticket attachments are (review 69 M4): inline only as a sniffed image type,
    # with the cleaned name; a stored type that is not one goes out as a download
    g = expect(ctx.api().get(p["url"]), 200, "the photo")
    cd = g.header("Content-Disposition")
    check(g.header("Content-Type") == "image/png" and cd == "inline; filename=\"attachment.png\"; "
          "filename*=UTF-8''%E5%89%8D.png", "served as %r" % cd)
    from test_visits import sql
    sql(ctx, "UPDATE work_order_photos SET mime = 'text/html' WHERE id = %d" % p["id"])
    g = expect(ctx.api().get(p["url"]), 200, "a forged type")
    check(g.header("Content-Type") == "application/octet-stream" and
          g.header("Content-Disposition").startswith("attachment; "),
          "forged type served as %r %r" % (g.header("Content-Type"),
                                           g.header("Content-Disposition")))
    sql(ctx, "UPDATE work_order_photos SET mime = 'image/png' WHERE id = %d" % p["id"])
    photo(ctx, wid, "phase=after", data=JPEG, ctype="image/jpeg")
    with bad_requests():
        r = photo(ctx, wid, "phase=after", data=b"%PDF-1.4\n" + b"x" * 40,
                  ctype="application/pdf", status=400)
        check(reason(r) == "unsupported_media_type" and r.err_field() == "file", "no PDF: %s" %
              short(r.body))
        r = photo(ctx, wid, "phase=after", data=b"just text", ctype="text/plain", status=400)
        check(reason(r) == "unsupported_media_type", "no text: %s" % short(r.body))
        photo(ctx, wid, "phase=after", data=b"", status=400)
    for q, field, why in (("", "phase", "required"), ("phase=during", "phase", "unknown_value"),
                          ("phase=check", "item_id", "required"),
                          ("phase=before&item_id=%d" % it["photo"], "item_id", "not_allowed"),
                          ("phase=check&item_id=abc", "item_id", "invalid_type"),
                          ("phase=check&item_id=%d" % 10 ** 9, "item_id", "unknown_reference"),
                          ("phase=after&filename=a%2Fb.png", "filename", None)):
        with bad_requests():
            r = photo(ctx, wid, q, status=400)
        check(r.err_field() == field and (why is None or reason(r) == why),
              "%s names %s/%s: %s" % (q, field, why, short(r.body)))
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (10 << 20)
    with bad_requests():
        photo(ctx, wid, "phase=after", data=big, status=413)
    # a photo of the photo item records it
    p = photo(ctx, wid, "phase=check&item_id=%d" % it["photo"]).json
    cl = checklist(ctx, f)
    ln = line(cl, it["photo"])
    check(ln["photos"] == 1 and ln["result"]["passed"] and ln["result"]["photo_id"] == p["id"],
          "photo item answered: %s" % ln)
    check(cl["photos"] == {"before": 1, "after": 1}, "counted: %s" % cl["photos"])
    lst = expect(ctx.api("technician").get("%s/%d/photos" % (WO, wid)), 200, "list").json
    check(lst["total"] == 3 and [x["phase"] for x in lst["items"]] == ["before", "after",
                                                                      "check"], "list %s" %
          [x["phase"] for x in lst["items"]])
    img = expect(ctx.api("dispatcher").get(lst["items"][0]["url"]), 200, "image")
    check(img.body == PNG and img.header("Content-Type") == "image/png", "the image bytes")
    # a photo named on a check item
    cl = put(ctx, f, "check", {"passed": False, "photo_id": lst["items"][1]["id"],
                               "note": "背板缝隙"}).json
    check(line(cl, it["check"])["result"]["photo_id"] == lst["items"][1]["id"], "photo named")
    other = fixture(ctx)
    expect(ctx.api().get("%s/%d/photos/%d" % (WO, other["wo"], p["id"])), 404,
           "a photo of another work order")
    with bad_requests():
        put(ctx, other, "check", {"passed": True, "photo_id": p["id"]}, status=400)
    # at most 40 per work order
    for _ in range(40 - 3):
        photo(ctx, wid, "phase=after")
    r = photo(ctx, wid, "phase=after", status=422)
    check(reason(r) == "too_many" and params(r) == {"max": 40}, "limit: %s" % short(r.body))


# ---------------------------------------------------------------- the gate

def case_gate(ctx):
    f = fixture(ctx, before=1, after=1)
    wid, it = f["wo"], f["items"]
    cl = checklist(ctx, f)
    check(not cl["passed"] and cl["missing_photos"] == ["before", "after"], "photos missing")
    put(ctx, f, "check", {"passed": True})
    put(ctx, f, "conduct", {"passed": True})
    put(ctx, f, "measure", {"value": "3"})
    put(ctx, f, "optional", {"passed": False, "note": "用户要求调整"})
    photo(ctx, wid, "phase=check&item_id=%d" % it["photo"])
    cl = checklist(ctx, f)
    check(not cl["passed"] and cl["failing"] == [it["measure"]], "the failed measurement stops"
          " it: %s" % cl["failing"])
    put(ctx, f, "measure", {"value": "1.5"})
    photo(ctx, wid, "phase=before")
    cl = checklist(ctx, f)
    check(not cl["passed"] and cl["failing"] == [] and cl["missing_photos"] == ["after"],
          "after photo missing: %s" % short(cl))
    photo(ctx, wid, "phase=after")
    cl = checklist(ctx, f)
    check(cl["passed"] and cl["failing"] == [] and cl["missing_photos"] == [],
          "passes (an optional item failed is kept): %s" % short(cl))
    check(line(cl, it["optional"])["result"]["passed"] is False, "optional failure shown")
    # a conduct rule broken afterwards stops it again
    put(ctx, f, "conduct", {"passed": False, "note": "未戴鞋套"})
    check(checklist(ctx, f)["failing"] == [it["conduct"]], "conduct failure stops it")
    # an item switched off in the template after it was answered: shown, no longer required
    ci = expect(ctx.api().get(I + "/%d" % it["conduct"]), 200, "item")
    expect(ctx.api().patch(I + "/%d" % it["conduct"], {"active": False},
                           headers={"If-Match": ci.header("ETag")}), 200, "switch off")
    cl = checklist(ctx, f)
    ln = line(cl, it["conduct"])
    check(cl["passed"] and ln["active"] is False and ln["result"]["passed"] is False and
          ln["result"]["note"] == "未戴鞋套", "kept and shown, not required: %s" % short(cl))
    other = fixture(ctx)
    expect(ctx.api().patch(I + "/%d" % other["items"]["check"], {"active": False}), 200, "off")
    check(other["items"]["check"] not in [x["id"] for x in checklist(ctx, other)["items"]],
          "an item switched off before any answer is left off")


# ---------------------------------------------------------------- scope

def case_scope(ctx):
    tech2(ctx)
    f = fixture(ctx)
    wid = f["wo"]
    path = "%s/%d/checklist" % (WO, wid)
    expect(ctx.api("tech2").get(path), 404, "another technician's work order")
    put(ctx, f, "check", {"passed": True}, role="tech2", status=404)
    photo(ctx, wid, "phase=before", role="tech2", status=404)
    expect(ctx.api("tech2").get("%s/%d/photos" % (WO, wid)), 404, "photos of another's")
    for role in ("customer", "dealer"):
        expect(ctx.api(role).get(path), 403, role)
        put(ctx, f, "check", {"passed": True}, role=role, status=403)
    expect(ctx.api("technician").get(path), 200, "the lead")
    put(ctx, f, "check", {"passed": True}, role="dispatcher")  # a planner records
    r = put(ctx, f, "check", {"passed": True}, role="qc", status=403)
    check(reason(r) == "forbidden", "neither crew nor planner: %s" % short(r.body))
    photo(ctx, wid, "phase=before", role="finance", status=403)
    # tech2 joins as a helper: now crew
    w = expect(ctx.api().get("%s/%d" % (WO, wid)), 200, "wo").json
    expect(ctx.api("dispatcher").patch("%s/%d" % (WO, wid), {"helper_ids": [ctx.uid["tech2"]],
                                                             "override_reason": "test crew"},
                                       headers={"If-Match": '"%d"' % w["version"]}),
           200, "add helper")
    put(ctx, f, "conduct", {"passed": True}, role="tech2")
    photo(ctx, wid, "phase=before", role="tech2")
    # a finished work order's checklist is closed (not fixed: done waits for the self-check)
    for action in ("depart", "arrive"):
        expect(ctx.api("technician").post("%s/%d/actions" % (WO, wid), {"action": action}),
               200, action)
    expect(ctx.api("technician").post("%s/%d/actions" % (WO, wid),
                                      {"action": "finish", "result": "not_fixed"}), 200,
           "finish")
    r = put(ctx, f, "check", {"passed": False}, status=409)
    check(reason(r) == "illegal_action", "closed: %s" % short(r.body))
    photo(ctx, wid, "phase=after", status=409)
    expect(ctx.api("technician").get(path), 200, "still readable")


def act(ctx, wid, body, status=200):
    return expect(ctx.api("technician").post("%s/%d/actions" % (WO, wid), body), status,
                  "work order %s" % body)


def case_finish_gate(ctx):
    """R-149: a visit finishes as done only once its self-check has passed: 409 guard
    self_check - the signature's gate - naming the items and photos missing, while the
    checklist is still open. Before, finish done went through, closed the checklist, and the
    report could not be signed nor the ticket resolved (only a fake second visit got out).
    Not fixed and needs the factory still finish with the checklist unanswered."""
    from test_reports import b64, png
    f = fixture(ctx, before=1, after=1)
    wid, it = f["wo"], f["items"]
    act(ctx, wid, {"action": "arrive"})
    r = act(ctx, wid, {"action": "finish", "result": "done"}, 409)
    want = {"guard": "self_check", "items": [it[k] for k in ("check", "measure", "photo",
                                                             "conduct")],
            "photos": ["before", "after"]}
    check(reason(r) == "guard" and params(r) == want, "names what is missing: %s" % short(r.body))
    w = expect(ctx.api().get("%s/%d" % (WO, wid)), 200, "wo").json
    check(w["status"] == "on_site" and not w.get("finished_at"), "still on site: %s" %
          w["status"])
    # still open: the technician completes the self-check, then finishes
    put(ctx, f, "check", {"passed": True})
    put(ctx, f, "measure", {"value": "1.5"})
    put(ctx, f, "conduct", {"passed": True})
    photo(ctx, wid, "phase=check&item_id=%d" % it["photo"])
    photo(ctx, wid, "phase=before")
    r = act(ctx, wid, {"action": "finish", "result": "done"}, 409)
    check(params(r) == {"guard": "self_check", "items": [], "photos": ["after"]},
          "the after photo still missing: %s" % short(r.body))
    photo(ctx, wid, "phase=after")
    check(act(ctx, wid, {"action": "finish", "result": "done"}).json["status"] == "done", "done")
    expect(ctx.api("technician").post("%s/%d/signature" % (WO, wid), {
        "signer_name": "王建国", "image_png_base64": b64(png()), "comment": "满意"}), 201,
        "the customer signs")
    r = expect(ctx.api("technician").post("/api/v1/tickets/%d/actions/resolve" % f["ticket"],
                                          {"note": "已修复"}), 200, "resolve")
    check(r.json["status"] == "resolved", "resolved: %s" % r.json["status"])
    for result in ("not_fixed", "needs_factory"):
        g = fixture(ctx)
        act(ctx, g["wo"], {"action": "arrive"})
        w = act(ctx, g["wo"], {"action": "finish", "result": result, "note": "缺配件"}).json
        check(w["status"] == result, "%s without the self-check: %s" % (result, w["status"]))


def run(ctx, runner):
    runner.run("checklists: templates and items, validation, order, roles", case_template_crud,
               ctx)
    runner.run("checklists: recording values, a failed measurement kept, bad input",
               case_record, ctx)
    runner.run("checklists: a work order without a template passes", case_no_template, ctx)
    runner.run("checklists: photos before/after/item, types, size, count", case_photos, ctx)
    runner.run("checklists: the self-check gate refuses and passes", case_gate, ctx)
    runner.run("checklists: technician scope, crew or planner, closed when finished",
               case_scope, ctx)
    runner.run("checklists: finish done waits for the self-check (409 guard self_check); "
               "signed, resolved; not fixed finishes", case_finish_gate, ctx)

"""The API contract (issue 17): the checker itself, /api/docs and the generated schemas.

contract.py validates every exchange of the suite against docs/openapi.yaml; these cases show
that it does catch what it must (an undocumented status, an answer or a request outside its
schema), so that "0 violations" at the end of a run means something."""
import json
import os

import contract
from harness import check, expect, short


def _violations(c, *exchange, bad=False):
    method, path, body, status, answer = exchange
    req_h = {"Content-Type": "application/json"} if body is not None else {}
    req_b = json.dumps(body).encode() if body is not None else None
    ans_b = json.dumps(answer).encode() if answer is not None else b""
    return c.check(method, path, req_h, req_b, status,
                   [("Content-Type", "application/json")] if answer is not None else [], ans_b,
                   bad=bad)


def case_checker_catches(ctx):
    c = contract.Contract()  # a private one: these violations are on purpose
    err = {"error": {"code": "validation_failed", "message": "x"}}
    ok = _violations(c, "GET", "/api/v1/customers/5", None, 404,
                     {"error": {"code": "not_found", "message": "no"}})
    check(ok == [], "a documented 404 is fine: %s" % ok)
    v = _violations(c, "GET", "/api/v1/customers/5", None, 418, err)
    check(len(v) == 1 and "GET /api/v1/customers/{id} (getCustomer) → 418" in v[0]
          and "not documented" in v[0], "undocumented status: %s" % v)
    v = _violations(c, "GET", "/api/v1/customers?limit=1", None, 200,
                    {"items": [7], "total": 1, "limit": 1, "next_cursor": None})
    check(v and all("(listCustomers) → 200" in x for x in v)
          and any("at /items/0: 7 is not of type 'object'" in x for x in v),
          "answer outside its schema, with the JSON pointer: %s" % v)
    v = _violations(c, "POST", "/api/v1/customers", {"name": 5, "type": "company"}, 400, err)
    check(len(v) == 1 and "request body at /name: 5 is not of type 'string'" in v[0],
          "request outside its schema: %s" % v)
    v = _violations(c, "POST", "/api/v1/customers", {"name": 5, "type": "company"}, 400, err,
                    bad=True)
    check(v == [], "a request marked bad is not checked, its documented answer is: %s" % v)
    v = _violations(c, "POST", "/api/v1/customers", {"name": 5}, 201, {"id": 1}, bad=True)
    check(v and "→ 201: answer at (root)" in v[0], "the answer of a bad request is: %s" % v)
    v = _violations(c, "GET", "/api/v1/customers?limit=0", None, 400, err)
    check(len(v) == 1 and "query parameter limit='0'" in v[0], "query parameter: %s" % v)
    v = _violations(c, "GET", "/api/v1/no-such-route", None, 404, err)
    check(len(v) == 1 and "no operation" in v[0], "unknown route: %s" % v)
    v = _violations(c, "POST", "/api/v1/tokens", {"name": "t", "expires_at": "tomorrow"}, 400,
                    err)
    check(any("at /expires_at: 'tomorrow' is not a 'date-time'" in x for x in v),
          "formats date and date-time are asserted: %s" % v)
    check(c.requests == 6 and c.responses == 9,
          "counted %d requests, %d responses" % (c.requests, c.responses))


def case_docs_page(ctx):
    s = ctx.srv
    r = expect(s.request("GET", "/api/docs"), 200, "/api/docs")
    check((r.header("Content-Type") or "").startswith("text/html"), "type %s" % r.header(
        "Content-Type"))
    check(b"/vendor/dist/redoc.standalone.js" in r.body, "the page loads the vendored Redoc")
    csp = r.header("Content-Security-Policy") or ""
    check("worker-src blob:" in csp and "script-src 'self';" in csp, "docs CSP: %s" % csp)
    ui = expect(s.request("GET", "/"), 200, "the UI").header("Content-Security-Policy") or ""
    check("blob:" not in ui.split("img-src")[0] and "worker-src" not in ui and
          "unsafe-inline" not in ui, "the UI keeps its strict policy: %s" % ui)
    y = expect(s.request("GET", "/api/openapi.yaml"), 200, "/api/openapi.yaml")
    with open(os.path.join(contract.ROOT, "docs", "openapi.yaml"), "rb") as f:
        check(y.body == f.read(), "GET /api/openapi.yaml is not docs/openapi.yaml (rebuild?)")
    etag = y.header("ETag")
    expect(s.request("GET", "/api/openapi.yaml", headers={"If-None-Match": etag}), 304, "304")
    # npm's folder beside the vendored copies is never served, whether it exists or not
    for p in ("/vendor/node_modules/redoc/package.json", "/vendor/node_modules/",
              "/vendor/dist/../node_modules/redoc/package.json"):
        r = s.request("GET", p)
        check(r.status == 404, "%s: %d" % (p, r.status))
    expect(s.request("GET", "/vendor/dist/redoc.standalone.js"), 200, "dist is served")


def _err(r):
    e = r.json.get("error") if isinstance(r.json, dict) else None
    return e or {}


def _record_ids(ctx, path, cache):
    """The path with its parameters filled: {id} from a real record of the collection it
    follows (the first the admin lists), any other parameter with a placeholder."""
    out = []
    for seg in path.split("/"):
        if seg == "{id}":
            coll = "/".join(out)
            if coll not in cache:
                cache[coll] = 1
                with contract.bad_requests():
                    r = ctx.api().get(coll + "?limit=1")
                ok = r.status == 200 and isinstance(r.json, dict)
                items = r.json.get("items") if ok else None
                if items and isinstance(items[0], dict) and items[0].get("id"):
                    cache[coll] = items[0]["id"]
            seg = str(cache[coll])
        elif seg.startswith("{"):
            seg = {"{kind}": "ticket_received", "{locale}": "zh-CN", "{channel}": "email"}.get(
                seg, "1")
        out.append(seg)
    return "/".join(out)


def _role_for(ctx, op):
    roles = op.get("x-roles") or ["admin"]
    return "admin" if "admin" in roles else next(r for r in roles if r in ctx.tok)


def case_unknown_query(ctx):
    """docs/api.md 3.1: every GET route of the spec (entity lists, single records, reports,
    queues, the dashboard, searches, PDFs, the public pages) answers a query parameter it does
    not take with 400 unknown_field naming it, so that a typo never silently answers everything,
    and takes every query parameter its operation lists (the route table declares them,
    src/api/routes.c). A parameter without a name (`?=1`) is unknown_field with field "=", and
    one given twice is 400 duplicate_field naming it: none takes several values, and the
    first is not taken silently. A new GET route is walked too."""
    c = contract.get()
    cache = {}
    walked = 0
    for path, item in sorted(c.spec["paths"].items()):
        op = item.get("get")
        if not op or path == "/healthz":  # outside the router: the load balancer's probe
            continue
        url = _record_ids(ctx, path, cache)
        role = _role_for(ctx, op)
        r = ctx.api(role).get(url + "?zz_unknown=1", bad=True)
        e = _err(r)
        check(r.status == 400 and e.get("code") == "validation_failed" and
              e.get("reason") == "unknown_field" and e.get("field") == "zz_unknown",
              "GET %s?zz_unknown=1 as %s: %d %s" % (url, role, r.status, short(str(r.json))))
        # a parameter without a name: the field is "=", how it reads in the query
        r = ctx.api(role).get(url + "?=1", bad=True)
        e = _err(r)
        check(r.status == 400 and e.get("reason") == "unknown_field" and e.get("field") == "=",
              "GET %s?=1 as %s: %d %s" % (url, role, r.status, short(str(r.json))))
        params = [c.deref(x) for x in item.get("parameters", []) + op.get("parameters", [])]
        twice = False
        for prm in params:
            if prm.get("in") != "query":
                continue
            sch = c.deref(prm.get("schema") or {})
            value = str(sch["enum"][0]) if sch.get("enum") else "1"
            r = ctx.api(role).get("%s?%s=%s" % (url, prm["name"], value), bad=True)
            e = _err(r)
            check(not (r.status == 400 and e.get("reason") == "unknown_field" and
                       e.get("field") == prm["name"]),
                  "GET %s?%s=%s refuses a parameter its operation lists: %s" % (
                      url, prm["name"], value, short(str(r.json))))
            if twice:
                continue
            # no parameter takes several values: a second one is refused, not ignored
            twice = True
            r = ctx.api(role).get("%s?%s=%s&%s=%s" % (url, prm["name"], value, prm["name"],
                                                      value), bad=True)
            e = _err(r)
            check(r.status == 400 and e.get("reason") == "duplicate_field" and
                  e.get("field") == prm["name"],
                  "GET %s?%s twice as %s: %d %s" % (url, prm["name"], role, r.status,
                                                    short(str(r.json))))
        walked += 1
    # an entity list's filter given twice, with different values (neither is taken)
    for q in ("status=new&status=closed", "limit=5&limit=500", "status=new&q=x&status=new"):
        r = ctx.api("admin").get("/api/v1/tickets?" + q, bad=True)
        e = _err(r)
        check(r.status == 400 and e.get("reason") == "duplicate_field" and
              e.get("field") == q.split("=")[0], "GET /api/v1/tickets?%s: %d %s" % (
                  q, r.status, short(str(r.json))))
    check(walked > 150, "walked %d GET operations" % walked)


def run(ctx, runner):
    runner.run("contract: the checker catches undocumented statuses, bodies and requests "
               "outside their schemas", case_checker_catches, ctx)
    runner.run("contract: GET /api/docs (Redoc, its own CSP) and /api/openapi.yaml; "
               "web/vendor/node_modules is not served", case_docs_page, ctx)
    runner.run("contract: every GET route refuses a query parameter it does not take (400 "
               "unknown_field) or given twice (400 duplicate_field) and takes those its "
               "operation lists", case_unknown_query, ctx)

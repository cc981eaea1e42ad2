"""Technicians, skills and the dispatch API (issue 5): cases run by test_api.py in the
same run and summary. See docs/dispatch.md, section "API".
"""
import contract
from harness import PASSWORD, check, expect, short, uniq

DATE = "2030-01-09"  # a Wednesday
HOME = (31.2304, 121.4737)  # Shanghai, People's Square


def hm(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


class D:
    def __init__(self, ctx):
        self.ctx = ctx
        self.sk = {}
        self.tech = {}
        self.user = {}

    def api(self, role="admin"):
        return self.ctx.api(role)

    def skill(self, code, kind="skill"):
        r = expect(self.api().post("/api/v1/skills", {"code": code, "name": code, "kind": kind}),
                   201, "skill " + code)
        self.ctx.writes.append(("skill", r.json["id"], "create"))
        return code

    def staff_user(self, role="technician"):
        r = expect(self.api().post("/api/v1/users", {"username": "t_" + uniq(), "roles": role,
                                                     "password": PASSWORD}), 201, "user")
        return r.json["id"]

    def technician(self, body, role="admin"):
        r = expect(self.api(role).post("/api/v1/technicians", body), 201,
                   "technician " + short(str(body)))
        self.ctx.writes.append(("technician", r.json["id"], "create"))
        return r.json


def setup(d):
    p = uniq()[:6]
    d.sk = {k: d.skill("%s-%s" % (k, p)) for k in ("hvac", "elec", "gas")}
    d.sk["permit"] = d.skill("permit-" + p, "authorisation")
    lat, lon = HOME
    d.tech["T1"] = d.technician({
        "user_id": d.staff_user(), "name": "一号",
        "skills": "%s:3,%s:2:2000-01-01" % (d.sk["hvac"], d.sk["elec"]),  # elec expired
        "authorisations": d.sk["permit"],
        "home_latitude": lat, "home_longitude": lon, "shift": "1-7 08:00-18:00"})
    d.tech["T2"] = d.technician({
        "user_id": d.staff_user(), "name": "二号", "skills": "%s:3" % d.sk["elec"],
        "home_latitude": lat + 0.05, "home_longitude": lon + 0.05, "shift": "1-5 08:00-18:00"})
    d.tech["T3"] = d.technician({
        "user_id": d.staff_user(), "name": "三号", "skills": "%s:2" % d.sk["gas"],
        "home_latitude": lat - 0.05, "home_longitude": lon, "shift": "1-5 08:00-18:00",
        "leave_periods": "2030-01-07/2030-01-11"})


def case_technician_crud(d):
    a = d.api()
    t = d.tech["T1"]
    r = expect(a.get("/api/v1/technicians/%d" % t["id"]), 200, "get")
    etag = r.header("ETag")
    check(etag, "no ETag")
    check(r.json["skills"].startswith(d.sk["hvac"]), "skills stored: %s" % r.json)
    r = expect(a.patch("/api/v1/technicians/%d" % t["id"], {"max_travel_km": 400},
                       headers={"If-Match": etag}), 200, "patch")
    d.ctx.writes.append(("technician", t["id"], "update"))
    r = a.patch("/api/v1/technicians/%d" % t["id"], {"notes": "x"}, headers={"If-Match": etag})
    check(r.status == 412, "stale If-Match: %s" % r)
    r = expect(a.get("/api/v1/technicians?active=true&limit=500"), 200, "list")
    check(len([i for i in r.json["items"] if i["id"] in (d.tech["T1"]["id"],
                                                         d.tech["T2"]["id"])]) == 2, "list")
    # one technician record per user
    r = a.post("/api/v1/technicians", {"user_id": d.tech["T1"]["user_id"]})
    check(r.status == 409, "second record for one user: %s" % r)
    # a customer account is not a technician
    r = a.post("/api/v1/technicians", {"user_id": d.ctx.uid["customer"]})
    check(r.status == 400 and r.err_field() == "user_id", "customer user: %s" % r)


@contract.invalid_requests
def case_technician_bad(d):
    a = d.api()
    u = d.staff_user()
    problems = []
    for body, field in (
            ({"home_latitude": 91, "home_longitude": 0}, "home_latitude"),
            ({"home_latitude": 30, "home_longitude": -181}, "home_longitude"),
            ({"home_latitude": 30}, "home_longitude"),
            ({"skills": d.sk["hvac"]}, "skills"),             # no level
            ({"skills": "%s:9" % d.sk["hvac"]}, "skills"),    # level out of range
            ({"skills": "nosuch-%s:1" % uniq()[:5]}, "skills"),
            ({"skills": "%s:1:2030-02-30" % d.sk["hvac"]}, "skills"),
            ({"skills": d.sk["permit"] + ":1"}, "skills"),    # an authorisation
            ({"authorisations": d.sk["hvac"]}, "authorisations"),
            ({"shift": "8-9 08:00-17:00"}, "shift"),
            ({"shift": "1-5 17:00-08:00"}, "shift"),
            ({"shift": "1-5 08:00-12:00;5 13:00-17:00"}, "shift"),
            ({"leave_periods": "2030-03-05/2030-03-01"}, "leave_periods"),
            ({"leave_periods": "soon"}, "leave_periods"),
            ({"max_travel_km": -1}, "max_travel_km"),
            ({"bogus": 1}, "bogus")):
        body = dict(body, user_id=u)
        r = a.post("/api/v1/technicians", body)
        if r.status != 400 or r.err_field() != field:
            problems.append("%s → %s (want 400 %s)" % (body, r, field))
    check(not problems, "; ".join(problems))


def case_technician_scope(d):
    me = d.technician({"user_id": d.ctx.uid["technician"], "skills": "%s:1" % d.sk["hvac"],
                       "home_latitude": 31.0, "home_longitude": 121.0})
    t = d.api("technician")
    r = expect(t.get("/api/v1/technicians?limit=500"), 200, "list as technician")
    ids = [i["id"] for i in r.json["items"]]
    check(ids == [me["id"]], "technician sees %s, want only %d" % (ids, me["id"]))
    expect(t.get("/api/v1/technicians/%d" % me["id"]), 200, "own record")
    r = t.get("/api/v1/technicians/%d" % d.tech["T1"]["id"])
    check(r.status == 404, "another technician's record: %s" % r)
    r = t.patch("/api/v1/technicians/%d" % me["id"], {"notes": "mine"})
    check(r.status == 403, "technician edits a record: %s" % r)
    r = d.api("customer").get("/api/v1/technicians")
    check(r.status == 403, "customer lists technicians: %s" % r)
    # deactivate so that plans without a technician list do not pick it up
    expect(d.api().patch("/api/v1/technicians/%d" % me["id"], {"active": False}), 200, "off")
    d.ctx.writes.append(("technician", me["id"], "update"))


def jobs_small(d):
    lat, lon = HOME
    s = d.sk
    return [
        {"id": "J1", "latitude": lat + 0.02, "longitude": lon + 0.01, "duration": 60,
         "window": {"start": "09:00", "end": "12:00"}, "skills": [s["hvac"]], "priority": 2},
        {"id": "J2", "latitude": lat + 0.06, "longitude": lon + 0.04, "duration": 45,
         "skills": [s["elec"] + ":2"]},
        {"id": "J3", "latitude": lat - 0.01, "longitude": lon + 0.02, "duration": 30,
         "appointment": {"start": "14:00", "end": "15:00"}, "skills": [s["hvac"] + ":3"],
         "sla_due": "2030-01-09T08:00:00Z"},
        {"id": "J4", "latitude": lat, "longitude": lon, "duration": 30,
         "skills": [s["hvac"] + ":5"]},                        # nobody has level 5
        {"id": "J5", "latitude": lat, "longitude": lon, "duration": 30,
         "skills": [s["gas"]]},                                # only T3, on leave
        {"id": "J6", "latitude": lat, "longitude": lon, "duration": 30,
         "window": {"start": "05:00", "end": "06:00"}, "skills": [s["hvac"]]},
        {"id": "J7", "latitude": 39.9042, "longitude": 116.4074, "duration": 30,
         "skills": [s["elec"]]},                               # Beijing
        {"id": 8, "latitude": lat + 0.01, "longitude": lon, "duration": 20,
         "skills": [s["permit"]], "technician": d.tech["T1"]["id"]},
    ]


def solve(d, role="admin", **extra):
    body = {"date": DATE, "technicians": [d.tech[k]["id"] for k in ("T1", "T2", "T3")],
            "jobs": jobs_small(d), "max_iters": 300, "seed": 7}
    body.update(extra)
    return d.api(role).post("/api/v1/dispatch/solve", body)


def case_solve(d):
    r = expect(solve(d), 200, "solve")
    plan = r.json
    jobs = {j["id"]: j for j in jobs_small(d)}
    by_id = {d.tech[k]["id"]: k for k in d.tech}
    held = {"T1": {(d.sk["hvac"], 3), (d.sk["permit"], 1)}, "T2": {(d.sk["elec"], 3)},
            "T3": set()}
    assigned = {}
    for route in plan["routes"]:
        tk = by_id[route["technician"]]
        last = -1
        for stop in route["stops"]:
            j = jobs[stop["job"]]
            assigned[stop["job"]] = tk
            start = hm(stop["start_local"])
            check(start >= last, "route %s not in time order" % tk)
            last = hm(stop["end_local"])
            check(hm(stop["arrival_local"]) <= start, "starts before arrival: %s" % stop)
            for req in j.get("skills", []):
                code, _, lvl = req.partition(":")
                lvl = int(lvl or 1)
                check(any(c == code and l >= lvl for c, l in held[tk]),
                      "%s needs %s, %s has %s" % (stop["job"], req, tk, held[tk]))
            w = j.get("window") or j.get("appointment")
            if w:
                check(hm(w["start"]) <= start <= hm(w["end"]),
                      "%s starts %s outside %s" % (stop["job"], stop["start_local"], w))
            check(hm("08:00") <= start and last <= hm("18:00"), "outside the shift: %s" % stop)
    check(assigned.get("J1") == "T1" and assigned.get("J3") == "T1", "hvac jobs: %s" % assigned)
    check(assigned.get("J2") == "T2", "J2 (elec, T1's expired) on %s" % assigned.get("J2"))
    check(assigned.get(8) == "T1", "fixed job 8 on %s" % assigned.get(8))
    un = {u["job"]: u["reason"] for u in plan["unassigned"]}
    want = {"J4": "no_skilled_technician", "J5": "on_leave", "J6": "outside_shift",
            "J7": "infeasible_window"}
    check(un == want, "unassigned %s, want %s" % (un, want))
    check(all(u["message"] for u in plan["unassigned"]), "reasons have messages")
    check(plan["stats"]["assigned"] == 4 and len(plan["assignments"]) == 4, "stats %s" %
          plan["stats"])
    # SLA already due at 08:00 UTC = 16:00 local: J3 at 14:00-15:00 is on time
    j3 = [s for rt in plan["routes"] for s in rt["stops"] if s["job"] == "J3"][0]
    check(j3["sla_late_minutes"] == 0, "J3 sla: %s" % j3)
    # same seed and iterations: same plan; nothing stored
    au = d.ctx.audit_max()
    r2 = expect(solve(d), 200, "solve again")
    check(r2.json["routes"] == plan["routes"], "not deterministic for a seed")
    check(d.ctx.audit_max() == au, "solve wrote an audit row")


def case_solve_inline_and_roles(d):
    lat, lon = HOME
    body = {"date": DATE, "budget_ms": 200, "seed": 1,
            "technicians": [
                {"id": "a", "latitude": lat, "longitude": lon, "shift": "08:00-12:00",
                 "skills": [d.sk["hvac"] + ":2"], "max_travel_km": 5},
                {"id": "b", "latitude": lat + 0.1, "longitude": lon, "shift": "08:00-17:00",
                 "skills": [d.sk["hvac"] + ":2"], "leave_periods": ["2030-01-09"]}],
            "jobs": [{"id": "near", "latitude": lat + 0.005, "longitude": lon,
                      "duration": 30, "skills": [d.sk["hvac"]]},
                     {"id": "far", "latitude": lat + 0.3, "longitude": lon, "duration": 30,
                      "skills": [d.sk["hvac"]]},
                     {"id": "pm", "latitude": lat, "longitude": lon, "duration": 30,
                      "window": {"start": "13:00", "end": "16:00"}}]}
    r = expect(d.api("dispatcher").post("/api/v1/dispatch/solve", body), 200, "inline")
    un = {u["job"]: u["reason"] for u in r.json["unassigned"]}
    check(un == {"far": "too_far", "pm": "outside_shift"}, "inline unassigned %s" % un)
    check([s["job"] for s in r.json["routes"][0]["stops"]] == ["near"], "inline route")
    check(r.json["routes"][0]["technician"] == "a", "inline technician key")
    for role, want in (("gm", 200), ("dept_head", 200), ("agent", 403), ("technician", 403),
                       ("customer", 403)):
        r = d.api(role).post("/api/v1/dispatch/solve", body)
        check(r.status == want, "%s solve → %s (want %d)" % (role, r, want))


def slots_body(d, **kw):
    lat, lon = HOME
    body = {
        "date": DATE, "count": 3,
        "technicians": [
            {"id": "east", "latitude": lat, "longitude": lon + 0.1, "shift": "08:00-18:00",
             "skills": [d.sk["hvac"] + ":3"]},
            {"id": "west", "latitude": lat, "longitude": lon - 0.1, "shift": "08:00-18:00",
             "skills": [d.sk["hvac"] + ":3"]},
            {"id": "away", "latitude": lat, "longitude": lon, "shift": "08:00-18:00",
             "skills": [d.sk["hvac"] + ":3"], "leave_periods": "2030-01-01/2030-01-31"}],
        "routes": [
            {"technician": "east", "jobs": [
                {"id": "e1", "latitude": lat, "longitude": lon + 0.05, "duration": 60,
                 "start": "09:00"},
                {"id": "e2", "latitude": lat, "longitude": lon - 0.05, "duration": 60,
                 "window": {"start": "13:00", "end": "14:00"}}]},
            {"technician": "west", "jobs": []}],
        "job": {"latitude": lat, "longitude": lon, "duration": 45, "skills": [d.sk["hvac"]],
                "window": {"start": "08:00", "end": "17:00"}}}
    body.update(kw)
    return body


def case_slots(d):
    r = expect(d.api("agent").post("/api/v1/dispatch/slots", slots_body(d)), 200, "slots")
    sl = r.json["slots"]
    check(len(sl) == 3, "want 3 slots: %s" % sl)
    scores = [s["score"] for s in sl]
    check(scores == sorted(scores), "not best first: %s" % scores)
    check(all(s["technician"] in ("east", "west") for s in sl), "on leave offered: %s" % sl)
    best = sl[0]
    # between e1 and e2 the job lies on the way: no other slot adds less travel
    check(best["technician"] == "east" and best["after_job"] == "e1" and
          best["before_job"] == "e2", "best slot %s" % best)
    check(best["extra_travel_km"] <= min(s["extra_travel_km"] for s in sl) + 1e-9,
          "best adds more travel than another")
    for s in sl:
        check(hm("08:00") <= hm(s["start_local"]) <= hm(s["latest_start_local"]) <=
              hm("17:00"), "slot outside the window: %s" % s)
        check(0 <= s["lateness_risk"] <= 1 and s["risk"] in ("low", "medium", "high"), "risk")
    # an SLA due before any reachable start: every slot is late and high risk
    b = slots_body(d)
    b["job"]["sla_due"] = "07:30"
    r = expect(d.api("dispatcher").post("/api/v1/dispatch/slots", b), 200, "sla slots")
    check(r.json["slots"] and all(s["risk"] == "high" and s["sla_late_minutes"] > 0
                                  for s in r.json["slots"]), "sla risk %s" % r.json["slots"])
    # nobody qualified: no slots, a reason
    b = slots_body(d)
    b["job"]["skills"] = [d.sk["hvac"] + ":5"]
    r = expect(d.api().post("/api/v1/dispatch/slots", b), 200, "no slots")
    check(r.json["slots"] == [] and r.json["reason"] == "no_skilled_technician", short(r.body))
    # stored technicians work too
    b = {"date": DATE, "technicians": [d.tech["T1"]["id"]],
         "job": {"latitude": HOME[0], "longitude": HOME[1], "duration": 30,
                 "skills": [d.sk["hvac"]]}}
    r = expect(d.api().post("/api/v1/dispatch/slots", b), 200, "stored slots")
    check(r.json["slots"] and r.json["slots"][0]["technician"] == d.tech["T1"]["id"], "stored")
    for role, want in (("gm", 403), ("technician", 403), ("dealer", 403), ("dept_head", 200)):
        r = d.api(role).post("/api/v1/dispatch/slots", slots_body(d))
        check(r.status == want, "%s slots → %s (want %d)" % (role, r, want))


@contract.invalid_requests
def case_bad_input(d):
    lat, lon = HOME
    a = d.api()
    problems = []

    def job(**kw):
        j = {"id": "x", "latitude": lat, "longitude": lon, "duration": 30}
        j.update(kw)
        return j
    T = [d.tech["T1"]["id"]]
    cases = [
        ({"technicians": T, "jobs": [job()]}, "date"),
        ({"date": "2030-02-30", "technicians": T, "jobs": [job()]}, "date"),
        ({"date": DATE, "technicians": T, "jobs": []}, "jobs"),
        ({"date": DATE, "technicians": T, "jobs": [job(skills=["nosuch-skill"])]},
         "jobs[0].skills"),
        ({"date": DATE, "technicians": T, "jobs": [job(skills=[d.sk["hvac"] + ":7"])]},
         "jobs[0].skills"),
        ({"date": DATE, "technicians": T,
          "jobs": [job(window={"start": "12:00", "end": "09:00"})]}, "jobs[0].window.end"),
        ({"date": DATE, "technicians": T,
          "jobs": [job(appointment={"start": "9 am", "end": "10:00"})]},
         "jobs[0].appointment.start"),
        ({"date": DATE, "technicians": T, "jobs": [job(latitude=95)]}, "jobs[0].latitude"),
        ({"date": DATE, "technicians": T, "jobs": [job(longitude="121")]}, "jobs[0].longitude"),
        ({"date": DATE, "technicians": T, "jobs": [job()]}, None),
        ({"date": DATE, "technicians": T, "jobs": [job(), job()]}, "jobs[1].id"),
        ({"date": DATE, "technicians": T, "jobs": [job(duration=0)]}, "jobs[0].duration"),
        ({"date": DATE, "technicians": T, "jobs": [job(colour="red")]}, "jobs[0].colour"),
        ({"date": DATE, "technicians": T, "jobs": [job(technician=999999)]},
         "jobs[0].technician"),
        ({"date": DATE, "technicians": [999999], "jobs": [job()]}, "technicians[0]"),
        ({"date": DATE, "technicians": [{"id": "q", "latitude": -91, "longitude": 0}],
          "jobs": [job()]}, "technicians[0].latitude"),
        ({"date": DATE, "technicians": [{"id": "q", "latitude": 1, "longitude": 0,
                                         "skills": ["nosuch:1"]}], "jobs": [job()]},
         "technicians[0].skills"),
        ({"date": DATE, "technicians": [{"id": "q", "latitude": 1, "longitude": 0,
                                         "shift": "25:00-26:00"}], "jobs": [job()]},
         "technicians[0].shift"),
        ({"date": DATE, "technicians": T, "jobs": [job()], "budget_ms": 20000}, "budget_ms"),
        ({"date": DATE, "technicians": T, "jobs": [job()], "seed": -1}, "seed"),
        ({"date": DATE, "technicians": T, "jobs": [job()], "travel": {"speed_kmh": 0}},
         "travel.speed_kmh"),
        ({"date": DATE, "technicians": T, "jobs": [job()], "store": True}, "store"),
    ]
    au = d.ctx.audit_max()
    for body, field in cases:
        r = a.post("/api/v1/dispatch/solve", body)
        if field is None:
            if r.status != 200:
                problems.append("control case → %s" % r)
            continue
        if r.status != 400 or r.err_field() != field:
            problems.append("%s → %s (want 400 %s)" % (short(str(body), 120), r, field))
    sb = slots_body(d)
    for mutate, field in (
            (lambda b: b.pop("job"), "job"),
            (lambda b: b.update(count=50), "count"),
            (lambda b: b["job"].update(latitude=-100), "job.latitude"),
            (lambda b: b["routes"][0].update(technician="ghost"), "routes[0].technician"),
            (lambda b: b["routes"][0]["jobs"][1].update(window={"start": "14:00",
                                                                "end": "13:00"}),
             "routes[0].jobs[1].window.end"),
            (lambda b: b["job"].update(skills=["nosuch-skill"]), "job.skills")):
        b = slots_body(d)
        mutate(b)
        r = a.post("/api/v1/dispatch/slots", b)
        if r.status != 400 or r.err_field() != field:
            problems.append("slots %s → %s" % (field, r))
    r = a.post("/api/v1/dispatch/slots", sb)
    if r.status != 200:
        problems.append("slots control case → %s" % r)
    if d.ctx.audit_max() != au:
        problems.append("bad input wrote an audit row")
    check(not problems, "; ".join(problems))


def run(ctx, runner):
    d = D(ctx)
    if not runner.run("dispatch: set-up (skills, 3 technicians)", setup, d):
        return
    runner.run("technicians: get with ETag, If-Match update, one record per user",
               case_technician_crud, d)
    runner.run("technicians: bad input → 400 naming the field", case_technician_bad, d)
    runner.run("technicians: a technician sees only their own record", case_technician_scope, d)
    runner.run("dispatch solve: skills, windows, shifts, leave, expiry, fixed technician, "
               "reasons, deterministic, stores nothing", case_solve, d)
    runner.run("dispatch solve: inline technicians, travel limit, roles",
               case_solve_inline_and_roles, d)
    runner.run("dispatch slots: best first, on the way, SLA risk, reasons, roles", case_slots, d)
    runner.run("dispatch: bad input → 400 naming the field", case_bad_input, d)

"""The dashboard's first paint (issue 15 done-when, engineer dash): the unfiltered dashboard
reads its past months from the store (a month the jobs have not stored yet is pending, with
null rates) and computes this month only, live: right after a write, this month's figures
equal a full recomputation by the SLA report over the same month, and the write shows."""
import datetime

from harness import check, expect, uniq
from test_visits import sql


def clocks_of(ctx, m, region=None):
    q = "/api/v1/reports/sla?from=%s&to=%s" % (m["from"], m["to"])
    if region:
        q += "&region=" + region
    r = expect(ctx.api("gm").get(q), 200, "sla report").json
    return {c["target"]: (c["clocks"], c["met"], c["breached"], c["pct"]) for c in r["total"]["clocks"]}


def dash(ctx, region=None):
    return expect(ctx.api("gm").get("/api/v1/dashboard" + ("?region=" + region if region else "")),
                  200, "dashboard").json


def agree(d, rep, what):
    got = {c["target"]: (c["clocks"], c["met"], c["breached"], c["pct"]) for c in d["sla"]}
    check(got == rep, "%s: dashboard %s, report %s" % (what, got, rep))
    check(d["month"]["sla_pct"] == {k: v[3] for k, v in rep.items()}, "%s: month %s"
          % (what, d["month"]["sla_pct"]))
    check(d["trend"][-1] == d["month"] and not d["trend"][-1].get("pending"), what + ": last")
    for m in d["trend"]:
        if m.get("pending"):
            check(all(v is None for v in m["sla_pct"].values()) and m["on_time_pct"] is None,
                  "%s: pending month %s has no figures" % (what, m))


def case_fresh_month(ctx):
    d = dash(ctx)
    agree(d, clocks_of(ctx, d["month"]), "before")
    # a ticket received a minute ago: its reply clock stopped after its deadline, its onsite
    # clock met (written straight into the database, as the SLA engine leaves them)
    region = "DSH" + uniq()[:8]
    num = "DSH-" + uniq()[:10]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    ts = lambda dt: dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    recv = ts(now - datetime.timedelta(minutes=1))
    sql(ctx, "INSERT INTO tickets (number, channel, type, status, region, caller_name, "
             "received_at, created_at, updated_at) VALUES ('%s', 'phone', 'repair', 'new', '%s', "
             "'王工', '%s', '%s', '%s')" % (num, region, recv, recv, recv))
    tid = int(sql(ctx, "SELECT id FROM tickets WHERE number = '%s'" % num)[0][0])
    for tg, due, done, st in (("reply", ts(now - datetime.timedelta(seconds=50)), recv, "met"),
                              ("onsite", ts(now + datetime.timedelta(hours=2)), recv, "met")):
        sql(ctx, "INSERT INTO ticket_sla (ticket_id, target, started_at, due_at, done_at, state) "
                 "VALUES (%d, '%s', '%s', '%s', '%s', '%s')" % (tid, tg, recv, due, done, st))
    d2 = dash(ctx)
    if d2["month"]["month"] != d["month"]["month"]:
        return  # the month turned between the two requests
    rep = clocks_of(ctx, d2["month"])
    agree(d2, rep, "after")
    before = {c["target"]: c for c in d["sla"]}
    after = {c["target"]: c for c in d2["sla"]}
    check(after["onsite"]["met"] == before["onsite"]["met"] + 1 and
          after["reply"]["met"] == before["reply"]["met"] + 1 and
          after["reply"]["clocks"] == before["reply"]["clocks"] + 1,
          "the write shows at once: %s -> %s" % (before, after))
    # filtered: computed in the request, nothing pending; the one ticket's figures
    d3 = dash(ctx, region)
    check(d3["month"]["sla_pct"] == {"reply": 100.0, "onsite": 100.0, "remote": None,
                                     "resolve": None}, "filtered %s" % d3["month"]["sla_pct"])
    check(not any(m.get("pending") for m in d3["trend"]), "filtered: no month pending")
    check(clocks_of(ctx, d3["month"], region)["reply"][:3] == (1, 1, 0), "filtered report")


def run(ctx, runner):
    runner.run("dash: this month fresh after a write, equal to the report", case_fresh_month, ctx)

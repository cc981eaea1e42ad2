"""R-190 warranty expiry list and R-174 shipment monitoring (issue 15 item 3). Each KPI is
checked against a fixture written straight into the database whose figures are worked out
by hand below (not by the reports' SQL); the fixture's customers carry a region of their own,
so ?region= isolates them from every other test's records. Run on SQLite and PostgreSQL."""
import datetime
import io
import zipfile

from harness import check, expect, uniq
from test_visits import sql

P = "from=2026-03-01&to=2026-03-31"


def today_local():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def customer(ctx, region):
    return expect(ctx.api().post("/api/v1/customers", {
        "name": "报表客户" + uniq()[:6], "type": "company", "region": region}), 201,
        "customer").json["id"]


def xlsx_has(ctx, path, text):
    x = expect(ctx.api().get(path + "&format=xlsx"), 200, "xlsx")
    z = zipfile.ZipFile(io.BytesIO(x.body))
    strings = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    check(text in strings, "xlsx holds %s" % text)


def case_warranty(ctx):
    """Units ending 03-05 (notice sent), 03-31 (notice pending), 03-15 (no notice) are in
    March; 04-01 and 02-28 are not: 3 units, notified 1, queued 1, not notified 1."""
    region = "WR" + uniq()[:8]
    c = customer(ctx, region)
    units = [("W1", "2026-03-05", "sent"), ("W2", "2026-03-31", "pending"),
             ("W3", "2026-03-15", None), ("W4", "2026-04-01", "sent"), ("W5", "2026-02-28", None)]
    ids = {}
    for k, end, notice in units:
        serial = "WR-%s-%s" % (uniq()[:6], k)
        sql(ctx, "INSERT INTO units (serial_no, model_id, customer_id, warranty_start, "
                 "warranty_end, warranty_basis, created_at, updated_at) VALUES ('%s', %d, %d, "
                 "'2025-03-01', '%s', 'ship', '2025-03-01T00:00:00Z', '2025-03-01T00:00:00Z')"
            % (serial, ctx.fx["M"], c, end))
        ids[k] = int(sql(ctx, "SELECT id FROM units WHERE serial_no = '%s'" % serial)[0][0])
        if notice:
            sql(ctx, "INSERT INTO outbox (created_at, kind, channel, recipient, subject, body, "
                     "deliver_after, dedupe_key, state) VALUES ('2026-02-03T00:00:00Z', "
                     "'warranty_ending', 'sms', '13800000000', 's', 'b', '2026-02-03T00:00:00Z', "
                     "'warranty:%d:%s', '%s')" % (ids[k], end, notice))
    d = expect(ctx.api().get("/api/v1/reports/warranty?%s&region=%s" % (P, region)), 200,
               "warranty").json
    t = d["total"]
    got = (t["units"], t["notified"], t["queued"], t["not_notified"], t["truncated"])
    check(got == (3, 1, 1, 1, False), "totals %s" % (got,))
    rows = [(x["unit_id"], x["warranty_end"], x["notice"], x["days_left"]) for x in d["items"]]
    day = lambda s: (datetime.date.fromisoformat(s) - today_local()).days
    want = [(ids["W1"], "2026-03-05", "sent", day("2026-03-05")),
            (ids["W3"], "2026-03-15", "none", day("2026-03-15")),
            (ids["W2"], "2026-03-31", "pending", day("2026-03-31"))]
    check(rows == want, "rows %s" % rows)
    d = expect(ctx.api().get("/api/v1/reports/warranty?%s&region=%s&customer_id=%d&model_id=%d"
                             % (P, region, c, ctx.fx["M"] + 100000)), 200, "by model").json
    check(d["total"]["units"] == 0, "another model: none")
    xlsx_has(ctx, "/api/v1/reports/warranty?%s&region=%s" % (P, region), "保修到期")


def case_shipments(ctx):
    """Created in March (local): S1 in transit since 03-03, due 03-06 (overdue), S2 arrived
    03-13 after 3 days (unconfirmed), S3 received, arrived 03-22 after 2 days, S5 requested;
    S4 created 04-01 local is out. 4 shipments, in transit 1, overdue 1, unconfirmed 1, arrived
    2, average 2.5 days; S1 in transit today − 03-03 days."""
    region = "SH" + uniq()[:8]
    c = customer(ctx, region)
    u = uniq()[:6]
    rows = [  # key, created_at, state, dispatched_at, arrival_due_on, arrived_on, received_on
        ("S1", "2026-03-02T02:00:00Z", "in_transit", "2026-03-03T01:00:00Z", "2026-03-06", None,
         None),
        ("S2", "2026-03-10T02:00:00Z", "arrived", "2026-03-10T01:00:00Z", "2026-03-17",
         "2026-03-13", None),
        ("S3", "2026-03-20T02:00:00Z", "received", "2026-03-20T01:00:00Z", "2026-03-27",
         "2026-03-22", "2026-03-23"),
        ("S4", "2026-03-31T16:00:00Z", "requested", None, None, None, None),
        ("S5", "2026-03-25T02:00:00Z", "requested", None, None, None, None),
    ]
    q = lambda v: "NULL" if v is None else "'%s'" % v
    ids = {}
    for k, at, st, sent, due, arr, rec in rows:
        num = "SHR-%s-%s" % (u, k)
        sql(ctx, "INSERT INTO shipments (number, state, customer_id, carrier, waybill_no, "
                 "dispatched_at, arrival_due_on, arrived_on, received_on, created_at, updated_at) "
                 "VALUES ('%s', '%s', %d, '顺丰速运', 'SF%s', %s, %s, %s, %s, '%s', '%s')"
            % (num, st, c, k, q(sent), q(due), q(arr), q(rec), at, at))
        ids[k] = int(sql(ctx, "SELECT id FROM shipments WHERE number = '%s'" % num)[0][0])
    sql(ctx, "INSERT INTO shipment_lines (shipment_id, line_no, model_id, serial_no) VALUES "
             "(%d, 1, %d, 'L1'), (%d, 2, %d, 'L2')" % (ids["S1"], ctx.fx["M"], ids["S1"],
                                                         ctx.fx["M"]))
    d = expect(ctx.api().get("/api/v1/reports/shipments?%s&region=%s" % (P, region)), 200,
               "shipments").json
    t = d["total"]
    got = (t["shipments"], t["in_transit"], t["overdue"], t["unconfirmed"], t["arrived"],
           t["avg_transit_days"], t["by_state"]["in_transit"], t["by_state"]["arrived"],
           t["by_state"]["received"], t["by_state"]["requested"])
    check(got == (4, 1, 1, 1, 2, 2.5, 1, 1, 1, 1), "totals %s" % (got,))
    by = {x["id"]: x for x in d["items"]}
    check(set(by) == {ids["S1"], ids["S2"], ids["S3"], ids["S5"]}, "the March shipments")
    s1 = by[ids["S1"]]
    in_transit = (today_local() - datetime.date(2026, 3, 3)).days
    check((s1["units"], s1["dispatched_on"], s1["days_in_transit"], s1["overdue"]) ==
          (2, "2026-03-03", in_transit, True), "S1 %s" % s1)
    check((by[ids["S2"]]["days_in_transit"], by[ids["S2"]]["unconfirmed"]) == (3, True), "S2")
    check(by[ids["S5"]]["days_in_transit"] is None, "S5 not dispatched")
    d = expect(ctx.api().get("/api/v1/reports/shipments?%s&region=%s&model_id=%d"
                             % (P, region, ctx.fx["M"])), 200, "by model").json
    check([x["id"] for x in d["items"]] == [ids["S1"]], "a line of the model: S1 only")
    xlsx_has(ctx, "/api/v1/reports/shipments?%s&region=%s" % (P, region), "在途天数")


def case_scope(ctx):
    for path in ("warranty", "shipments"):
        expect(ctx.api("technician").get("/api/v1/reports/" + path), 403, path)
        expect(ctx.api().get("/api/v1/reports/%s?customer_id=x" % path, bad=True), 400, path)


def run(ctx, runner):
    runner.run("rep: warranty expiry list (R-190)", case_warranty, ctx)
    runner.run("rep: shipment monitoring (R-174)", case_shipments, ctx)
    runner.run("rep: report scope and bad filters", case_scope, ctx)

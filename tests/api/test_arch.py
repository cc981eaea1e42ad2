"""Issue 9 (the remaining points): what a ticket copies from its unit and its customer follows
an edit of them. A ticket is found by its unit's serial number and its customer's name (its
search texts) and filtered by its customer's region; PATCH /units/{id} and PATCH
/customers/{id} carry the new values to the tickets in the same transaction (the entity hooks,
app/resources.c). Run by test_api.py."""
import urllib.parse

from harness import check, expect, uniq


def found(ctx, query):
    r = expect(ctx.api("agent").get("/api/v1/tickets?limit=500&" + query), 200, query)
    return [i["id"] for i in r.json["items"]]


def q(term):
    return "q=" + urllib.parse.quote(term)


def setup(ctx):
    """A fresh customer in a region of its own, a unit of it and a ticket on the unit."""
    a = ctx.api()
    cust = expect(a.post("/api/v1/customers", {"name": "档案客户" + uniq(), "type": "company",
                                               "region": "区" + uniq()}), 201, "customer").json
    serial = "ARCH" + uniq().upper()
    unit = expect(a.post("/api/v1/units", {"serial_no": serial, "model_id": ctx.fx["M"],
                                           "customer_id": cust["id"],
                                           "ship_date": "2026-01-10"}), 201, "unit").json
    tk = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "customer_id": cust["id"], "unit_id": unit["id"],
        "description": "设备档案修改后的检索"}), 201, "ticket").json
    return cust, unit, tk


def case_unit_serial(ctx):
    cust, unit, tk = setup(ctx)
    old = unit["serial_no"]
    check(tk["id"] in found(ctx, q(old)), "q=%s before the edit" % old)
    new = "ARCH" + uniq().upper()
    expect(ctx.api().patch("/api/v1/units/%d" % unit["id"], {"serial_no": new}), 200, "PATCH unit")
    check(tk["id"] in found(ctx, q(new)), "q=<new serial> misses the unit's ticket")
    check(tk["id"] not in found(ctx, q(old)), "q=<old serial> still finds the ticket")


def case_customer_region_name(ctx):
    cust, unit, tk = setup(ctx)
    check(tk["id"] in found(ctx, "region=" + urllib.parse.quote(cust["region"])), "region before")
    region, name = "区" + uniq(), "改名客户" + uniq()
    expect(ctx.api().patch("/api/v1/customers/%d" % cust["id"], {"region": region, "name": name}),
           200, "PATCH customer")
    got = expect(ctx.api("agent").get("/api/v1/tickets/%d" % tk["id"]), 200, "ticket").json
    check(got["region"] == region, "ticket region %r, customer's %r" % (got["region"], region))
    check(tk["id"] in found(ctx, "region=" + urllib.parse.quote(region)), "region= new")
    check(tk["id"] not in found(ctx, "region=" + urllib.parse.quote(cust["region"])), "region= old")
    check(tk["id"] in found(ctx, q(name)), "q=<new customer name> misses the ticket")
    # an edit that touches neither leaves the ticket as it is
    expect(ctx.api().patch("/api/v1/customers/%d" % cust["id"], {"notes": "备注"}), 200, "notes")
    got = expect(ctx.api("agent").get("/api/v1/tickets/%d" % tk["id"]), 200, "ticket").json
    check(got["region"] == region, "region after a notes edit: %r" % got["region"])


def run(ctx, runner):
    runner.run("arch: editing a unit's serial carries it to its tickets' search",
               case_unit_serial, ctx)
    runner.run("arch: editing a customer's region and name carries them to its tickets",
               case_customer_region_name, ctx)

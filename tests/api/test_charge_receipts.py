"""Receipts and credits (review 68 M7, M11; docs/charges.md "Receipts and credits"): one bank
transfer allocated across a customer's open charges oldest first, with one reference, the last
line part-paid; more than is open refused (409 overpayment, nothing written); another
customer's charge or a settled one refused; finance only. A credit line applied to the same
customer's open charges (offset payments on the targets, its consumed part on the credit line)
until it is paid, the receivables changing with it; a credit paid back (refund); a credit used
up refused (409 credit_used). Before, each charge took its own payment with the reference typed
again, and a credit stayed unpaid, ageing in the receivables, forever."""
import time

import contract
from harness import check, expect, uniq
from test_charges import fixtures

C = "/api/v1/charges"
P = "/api/v1/charge-payments"
ALLOC = P + "/allocate"


def err(r):
    return (r.json or {}).get("error") or {}


def day(offset=0):
    """The company's calendar day (Asia/Shanghai) offset days from today."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset * 86400))


def customer(ctx, name):
    return ctx.create("customers", {"name": name + uniq()[:6], "type": "company"})["id"]


def charge(ctx, cust, amount, on, **kw):
    body = {"owner_kind": "ticket", "owner_id": fixtures(ctx)["chg_tk"], "customer_id": cust,
            "description": "维修费", "amount_fen": amount, "charged_on": on,
            "customer_share_bp": 10000}
    body.update(kw)
    return expect(ctx.api("finance").post(C, body), 201, "charge %s" % body).json["id"]


def credit(ctx, cust, amount, on):
    return charge(ctx, cust, -amount, on, category="credit", description="投诉补偿")


def get(ctx, cid):
    return expect(ctx.api("finance").get("%s/%d" % (C, cid)), 200, "charge %d" % cid).json


def payments(ctx, cust):
    r = expect(ctx.api("finance").get(P + "?customer_id=%d&limit=500" % cust), 200, "payments")
    return r.json["items"]


def receivable(ctx, cust):
    r = expect(ctx.api("finance").get("/api/v1/reports/receivables?as_of=" + day()), 200,
               "receivables").json
    rows = [x for x in r["items"] if x["party_id"] == cust]
    return (rows[0]["days_0_30"], rows[0]["days_31_60"], rows[0]["total"]) if rows else None


def case_allocate(ctx):
    x = customer(ctx, "收款客户")
    # entered newest first: the allocation goes by charged_on, not by id
    c3 = charge(ctx, x, 3000, day(-5))
    c2 = charge(ctx, x, 2000, day(-10))
    c1 = charge(ctx, x, 1000, day(-20))
    ref = "HK-" + uniq()[:8]
    fin = ctx.api("finance")
    r = expect(fin.post(ALLOC, {"payer": "customer", "customer_id": x, "amount_fen": 4500,
                                "paid_on": day(), "reference": ref}), 201, "allocate").json
    got = [(a["charge_id"], a["amount_fen"], a["open_fen"]) for a in r["allocations"]]
    check(got == [(c1, 1000, 0), (c2, 2000, 0), (c3, 1500, 1500)],
          "oldest first, the last part-paid: %s" % got)
    check(r["amount_fen"] == 4500 and r["open_fen"] == 6000 and r["kind"] == "receipt", "%s" % r)
    states = [get(ctx, c)["pay_state"] for c in (c1, c2, c3)]
    check(states == ["paid", "paid", "part_paid"], "states %s" % states)
    mine = expect(fin.get(P + "?receipt_id=%d" % r["receipt_id"]), 200, "by receipt").json["items"]
    check(len(mine) == 3 and {(p["reference"], p["method"], p["paid_on"]) for p in mine} ==
          {(ref, "transfer", day())}, "three payments, one reference: %s" % mine)
    # a retried request with the same Idempotency-Key answers the first receipt again
    key = {"Idempotency-Key": "alloc-" + uniq()}
    c4 = charge(ctx, x, 500, day(-1))
    body = {"payer": "customer", "customer_id": x, "amount_fen": 500, "paid_on": day(),
            "charge_ids": [c4]}
    a = expect(fin.post(ALLOC, body, headers=key), 201, "with a key").json
    b = expect(fin.post(ALLOC, body, headers=key), 201, "again").json
    check(a == b and a["allocations"][0]["charge_id"] == c4, "replayed: %s %s" % (a, b))
    check(get(ctx, c4)["paid_fen"] == 500, "paid once")


def case_allocate_race(ctx):
    """Review 70 H1: receipts at once over the same charges never pay more than is open, and
    each charge's stored paid part equals its payments (PostgreSQL overpaid, 2 runs in 5)."""
    import threading
    fin = ctx.api("finance")
    for rnd in range(3):
        x = customer(ctx, "并发收款")
        ids = [charge(ctx, x, 52000, day(-3 - i)) for i in range(3)]
        codes = []

        def one(i):
            r = fin.post(ALLOC, {"payer": "customer", "customer_id": x, "amount_fen": 17000,
                                 "paid_on": day(), "reference": "R%d-%d" % (rnd, i)}, bad=True)
            codes.append(r.status)
        th = [threading.Thread(target=one, args=(i,)) for i in range(12)]
        [t.start() for t in th]
        [t.join() for t in th]
        check(set(codes) <= {201, 409} and codes.count(201) == 9,
              "9 of 12 fit the 156,000 open: %s" % sorted(codes))
        paid = {}
        for p in payments(ctx, x):
            paid[p["charge_id"]] = paid.get(p["charge_id"], 0) + p["amount_fen"]
        for c in ids:
            g = get(ctx, c)
            check(g["paid_customer_fen"] == paid.get(c, 0) <= 52000,
                  "charge %d: stored %d, payments %d" % (c, g["paid_customer_fen"],
                                                         paid.get(c, 0)))


def case_allocate_refused(ctx):
    fx = fixtures(ctx)
    x = customer(ctx, "收款客户")
    c1 = charge(ctx, x, 1000, day(-20))
    c2 = charge(ctx, x, 2000, day(-10))
    other = charge(ctx, fx["B"], 700, day(-3))
    fin = ctx.api("finance")
    before = len(payments(ctx, x))

    def alloc(status, who=fin, **kw):
        body = {"payer": "customer", "customer_id": x, "amount_fen": 100, "paid_on": day()}
        body.update(kw)
        return expect(who.post(ALLOC, body), status, "allocate %s" % body)
    with contract.bad_requests():
        r = alloc(409, amount_fen=3001)
        check(err(r).get("reason") == "overpayment" and err(r)["params"]["open_fen"] == 3000,
              "more than open: %s" % err(r))
        r = alloc(409, amount_fen=2001, charge_ids=[c2])
        check(err(r).get("reason") == "overpayment" and err(r)["params"]["open_fen"] == 2000,
              "more than the named charges have open: %s" % err(r))
        r = alloc(409, amount_fen=100, charge_ids=[c1, other])
        check(err(r).get("reason") == "other_payer" and err(r)["params"]["charge_id"] == other,
              "another customer's charge: %s" % err(r))
        r = alloc(422, charge_ids=[987654321])
        check(err(r).get("reason") == "unknown_reference", "%s" % err(r))
        # review 70 L10: money received is no offset
        r = alloc(400, method="offset")
        check(err(r).get("field") == "method" and err(r).get("reason") == "unknown_value",
              "offset refused: %s" % err(r))
        # review 70 L8: a payer that does not exist is named as such, not "nothing open"
        r = alloc(422, customer_id=987654321)
        check(err(r).get("reason") == "unknown_reference" and err(r).get("field") == "customer_id",
              "no such customer: %s" % err(r))
        r = alloc(400, paid_on=day(1))
        check(err(r).get("field") == "paid_on" and err(r).get("reason") == "out_of_range",
              "tomorrow: %s" % err(r))
        r = expect(fin.post(ALLOC, {"payer": "customer", "amount_fen": 1, "paid_on": day()}),
                   400, "no customer")
        check(err(r).get("field") == "customer_id" and err(r).get("reason") == "required", "%s"
              % err(r))
        r = alloc(400, dealer_id=fx["D"])
        check(err(r).get("field") == "dealer_id" and err(r).get("reason") == "not_allowed",
              "%s" % err(r))
        alloc(403, who=ctx.api("agent"))
        alloc(403, who=ctx.api("customer"))
    check(len(payments(ctx, x)) == before, "nothing written")
    check(get(ctx, c1)["paid_fen"] == 0 and get(ctx, c2)["paid_fen"] == 0, "nothing paid")
    alloc(201, amount_fen=1000, charge_ids=[c1])
    with contract.bad_requests():
        r = alloc(409, charge_ids=[c1, c2])
    check(err(r).get("reason") == "not_open" and err(r)["params"]["charge_id"] == c1,
          "a paid charge is not open: %s" % err(r))


def case_credit_apply(ctx):
    fx = fixtures(ctx)
    y = customer(ctx, "抵扣客户")
    target = charge(ctx, y, 72600, day(-40))
    cr = credit(ctx, y, 50000, day(-3))
    check(receivable(ctx, y) == (-50000, 72600, 22600), "before: %s" % (receivable(ctx, y),))
    fin = ctx.api("finance")
    with contract.bad_requests():
        r = expect(fin.post(P, {"charge_id": cr, "payer": "customer", "amount_fen": 100,
                                "paid_on": day()}), 409, "a plain payment on a credit")
        check(err(r).get("reason") == "overpayment", "%s" % err(r))
        # a payment below zero is a credit's use, only through apply-credit and refund
        r = expect(fin.post(P, {"charge_id": cr, "payer": "customer", "amount_fen": -100,
                                "paid_on": day()}), 400, "a payment below zero")
        check(err(r).get("reason") == "out_of_range" and err(r).get("field") == "amount_fen",
              "%s" % err(r))
        r = expect(fin.post(P, {"charge_id": target, "payer": "customer", "amount_fen": 1,
                                "paid_on": day(), "receipt_id": 1}), 400, "receipt_id given")
        check(err(r).get("field") == "receipt_id", "%s" % err(r))
        r = expect(fin.post("%s/%d/apply-credit" % (C, target), {}), 409, "no credit")
        check(err(r).get("reason") == "not_credit", "%s" % err(r))
        r = expect(fin.post("%s/%d/apply-credit" % (C, cr), {"charge_ids": [
            charge(ctx, fx["B"], 100, day())]}), 409, "B's charge")
        check(err(r).get("reason") == "other_payer", "%s" % err(r))
        expect(ctx.api("agent").post("%s/%d/apply-credit" % (C, cr), {}), 403, "agent")
    r = expect(fin.post("%s/%d/apply-credit" % (C, cr), {}), 201, "apply").json
    check(r["kind"] == "offset" and r["amount_fen"] == 50000 and r["credit_fen"] == 0, "%s" % r)
    check([(a["charge_id"], a["amount_fen"]) for a in r["allocations"]] ==
          [(cr, -50000), (target, 50000)], "%s" % r["allocations"])
    t, c = get(ctx, target), get(ctx, cr)
    check(t["pay_state"] == "part_paid" and t["paid_customer_fen"] == 50000, "target %s" % t)
    check(c["pay_state"] == "paid" and c["paid_customer_fen"] == -50000, "credit %s" % c)
    off = [p for p in payments(ctx, y) if p["charge_id"] == target]
    check([(p["method"], p["reference"]) for p in off] == [("offset", "#%d" % cr)], "%s" % off)
    check(receivable(ctx, y) == (0, 22600, 22600), "after: %s" % (receivable(ctx, y),))
    with contract.bad_requests():
        r = expect(fin.post("%s/%d/apply-credit" % (C, cr), {}), 409, "used up")
    check(err(r).get("reason") == "credit_used", "%s" % err(r))
    # review 70 L10: a credit the dealer has no part of is not "used up" for the dealer
    with contract.bad_requests():
        r = expect(fin.post("%s/%d/apply-credit" % (C, cr), {"payer": "dealer"}), 409,
                   "the dealer's part")
    check(err(r).get("reason") == "other_payer" and err(r).get("field") == "payer",
          "%s" % err(r))
    # part of a second credit, then more than the target has open
    cr2 = credit(ctx, y, 30000, day(-1))
    r = expect(fin.post("%s/%d/apply-credit" % (C, cr2), {"amount_fen": 10000,
                                                         "reference": "抵-" + uniq()[:4]}),
               201, "part").json
    check(r["credit_fen"] == 20000 and get(ctx, cr2)["pay_state"] == "part_paid", "%s" % r)
    with contract.bad_requests():
        r = expect(fin.post("%s/%d/apply-credit" % (C, cr2), {"amount_fen": 20000}), 409, "over")
    check(err(r).get("reason") == "overpayment" and err(r)["params"]["open_fen"] == 12600,
          "%s" % err(r))
    check(receivable(ctx, y) == (-20000, 12600, -7400), "%s" % (receivable(ctx, y),))
    ctx.fx["rc_credit"], ctx.fx["rc_y"] = cr2, y


def case_credit_refund(ctx):
    cr, y = ctx.fx["rc_credit"], ctx.fx["rc_y"]
    fin = ctx.api("finance")
    path = "%s/%d/refund" % (C, cr)
    with contract.bad_requests():
        r = expect(fin.post(path, {"amount_fen": 20001, "paid_on": day()}), 409, "too much")
        check(err(r).get("reason") == "overpayment" and err(r)["params"]["open_fen"] == 20000,
              "%s" % err(r))
        r = expect(fin.post(path, {"amount_fen": 1}), 400, "no date")
        check(err(r).get("field") == "paid_on", "%s" % err(r))
        expect(ctx.api("agent").post(path, {"paid_on": day()}), 403, "agent")
    ref = "TK-" + uniq()[:6]
    r = expect(fin.post(path, {"paid_on": day(), "reference": ref}), 201, "refund").json
    check(r["kind"] == "refund" and r["amount_fen"] == 20000 and r["credit_fen"] == 0 and
          r["allocations"][0]["amount_fen"] == -20000, "%s" % r)
    check(get(ctx, cr)["pay_state"] == "paid", "the credit settled")
    p = [x for x in payments(ctx, y) if x["reference"] == ref]
    check([(x["charge_id"], x["amount_fen"], x["method"]) for x in p] == [(cr, -20000, "transfer")],
          "%s" % p)
    check(receivable(ctx, y) == (0, 12600, 12600), "%s" % (receivable(ctx, y),))
    with contract.bad_requests():
        r = expect(fin.post(path, {"paid_on": day()}), 409, "again")
    check(err(r).get("reason") == "credit_used", "%s" % err(r))


def case_paid_read_only(ctx):
    """What is paid comes from the payments only: a charge is not created or changed into paid
    (paid_*_fen, pay_state) nor handed to a technician (technician_user_id) by its body. Before,
    the body's values were stored: a charge created paid with no payment, a credit used up
    without being applied or refunded."""
    x = customer(ctx, "只读客户")
    cid = charge(ctx, x, 1000, day())
    fin = ctx.api("finance")
    base = {"owner_kind": "ticket", "owner_id": fixtures(ctx)["chg_tk"], "customer_id": x,
            "description": "维修费", "amount_fen": 1000, "customer_share_bp": 10000}
    with contract.bad_requests():
        for extra in ({"paid_customer_fen": 1000}, {"paid_fen": 1000}, {"pay_state": "paid"}):
            r = expect(fin.post(C, dict(base, **extra)), 400, "create with %s" % extra)
            check(err(r).get("reason") == "read_only", "%s: %s" % (extra, err(r)))
        for extra in ({"paid_customer_fen": 1000}, {"pay_state": "paid"},
                      {"technician_user_id": ctx.uid["technician"]}):
            r = expect(fin.patch("%s/%d" % (C, cid), extra), 400, "change %s" % extra)
            check(err(r).get("reason") == "read_only", "%s: %s" % (extra, err(r)))
    g = get(ctx, cid)
    check(g["pay_state"] == "unpaid" and g["paid_fen"] == 0, "still unpaid: %s" % g)


def run(ctx, runner):
    runner.run("receipts: at once over the same charges, never more than open (review 70 H1)",
               case_allocate_race, ctx)
    runner.run("receipts: one transfer across open charges, oldest first (review 68 M7)",
               case_allocate, ctx)
    runner.run("receipts: overpayment, another customer's, not open, roles: nothing written",
               case_allocate_refused, ctx)
    runner.run("credits: applied to open charges, settled, out of receivables (review 68 M11)",
               case_credit_apply, ctx)
    runner.run("credits: refunded, then used up", case_credit_refund, ctx)
    runner.run("charges: what is paid is read-only, derived from the payments",
               case_paid_read_only, ctx)

"""Charges, payments and costs (issue 13 item 6; docs/charges.md, docs/reports.md): charge
lines on a ticket split among customer, dealer and sales (the shares add up to the whole or
422 split_total), payments against a payer's part (409 overpayment, the state derived),
receivables with ageing against a fixture computed by hand, the cost report (trip expenses
plus cost lines) by month, customer, technician and department computed by hand with its
Excel export, the fee revenue by series and dealer, and who sees what."""
import io
import time
import zipfile

import contract
from harness import check, expect, uniq
from test_work_orders import mk_ticket, new_tech

C = "/api/v1/charges"
P = "/api/v1/charge-payments"
L = "/api/v1/cost-lines"


def err(r):
    return (r.json or {}).get("error") or {}


def charge(ctx, role="finance", status=201, **kw):
    body = {"owner_kind": "ticket", "owner_id": kw.pop("ticket", None) or ctx.fx["chg_tk"],
            "description": "上门维修费", "amount_fen": 10001, "customer_share_bp": 10000}
    body.update(kw)
    return expect(ctx.api(role).post(C, body), status, "charge %s" % body)


def pay(ctx, cid, payer, amount, on=None, status=201):
    # by default today (Asia/Shanghai): a payment is not dated long before its charge (L5)
    on = on or time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    return expect(ctx.api("finance").post(P, {"charge_id": cid, "payer": payer,
                                              "amount_fen": amount, "paid_on": on,
                                              "reference": "HK-" + uniq()[:6]}),
                  status, "pay %s %d" % (payer, amount))


def fixtures(ctx):
    fx = ctx.fx
    if "chg_tk" in fx:
        return fx
    fx["chg_tk"] = mk_ticket(ctx, unit=fx["unitA"])      # customer A's ticket
    fx["chg_tkB"] = mk_ticket(ctx, unit=fx["unitB"])     # customer B's ticket
    fx["chg_C"] = ctx.create("customers", {"name": "账龄客户" + uniq()[:4], "type": "company"})["id"]
    fx["chg_E"] = ctx.create("customers", {"name": "账龄经销商" + uniq()[:4], "type": "dealer"})["id"]
    return fx


def case_split(ctx):
    fx = fixtures(ctx)
    # 100.01 yuan: 50 % / 30 % / 20 % → 5000.5, 3000.3, 2000.2; the fen left goes to the
    # largest remainder (the customer): 5001 + 3000 + 2000 = 10001
    r = charge(ctx, customer_share_bp=5000, dealer_share_bp=3000, sales_share_bp=2000,
               dealer_id=fx["D"], sales_user_id=ctx.uid["sales"], invoice_no="NO-1").json
    check(r["customer_id"] == fx["A"], "the customer from the ticket: %s" % r["customer_id"])
    check((r["customer_fen"], r["dealer_fen"], r["sales_fen"]) == (5001, 3000, 2000),
          "parts %s" % r)
    check(r["pay_state"] == "unpaid" and r["paid_fen"] == 0 and r["source"] == "manual", "state")
    fx["chg_split"] = r["id"]
    with contract.bad_requests():
        r = charge(ctx, status=422, customer_share_bp=5000, dealer_share_bp=3000,
                   dealer_id=fx["D"])
        check(err(r).get("reason") == "split_total" and err(r)["params"]["total"] == 8000,
              "80 %% refused: %s" % err(r))
        r = charge(ctx, status=422, customer_share_bp=5000, sales_share_bp=5000)
        check(err(r).get("reason") == "required" and err(r).get("field") == "sales_user_id",
              "a sales share without a sales person: %s" % err(r))
        r = charge(ctx, status=422, owner_kind="trip", owner_id=987654321)
        check(err(r).get("reason") == "unknown_reference" and err(r).get("field") == "owner_id",
              "an owner that does not exist: %s" % err(r))
        r = charge(ctx, status=422, source="fee")
        check(err(r).get("field") == "fee_version_id", "a fee charge names its version %s" % err(r))
        r = charge(ctx, status=422, source="fee", fee_version_id=987654321)
        check(err(r).get("reason") == "unknown_reference", "an unknown version %s" % err(r))
    # a charge on the work order, with the fee version it was computed with
    v = expect(ctx.api("finance").post("/api/v1/fees/calculate", {
        "rule_set": "cabinet_install",
        "inputs": {"price_fen": 12345678, "series": "经典系列", "sets": 8}}), 200, "calc").json
    r = charge(ctx, source="fee", fee_version_id=v["version"]["id"], category="installation_fee",
               series="经典系列", amount_fen=325926, dealer_id=fx["chg_E"], customer_share_bp=0,
               dealer_share_bp=10000, charged_on="2026-06-01").json
    check(r["fee_version_id"] == v["version"]["id"] and r["dealer_fen"] == 325926, "fee charge")
    charge(ctx, category="management_fee", series="经典系列", amount_fen=32593,
           dealer_id=fx["chg_E"], customer_share_bp=0, dealer_share_bp=10000,
           charged_on="2026-06-02")
    # changing the split recomputes the parts
    r = expect(ctx.api("finance").patch("%s/%d" % (C, fx["chg_split"]), {
        "customer_share_bp": 6000, "dealer_share_bp": 2000}), 200, "patch").json
    check((r["customer_fen"], r["dealer_fen"], r["sales_fen"]) == (6001, 2000, 2000),
          "re-split %s" % r)


def case_payments(ctx):
    fx = fixtures(ctx)
    cid = fx["chg_split"]        # customer 6001, dealer 2000, sales 2000
    pay(ctx, cid, "customer", 2000)
    g = expect(ctx.api("finance").get("%s/%d" % (C, cid)), 200, "get").json
    check(g["pay_state"] == "part_paid" and g["paid_customer_fen"] == 2000 and
          g["paid_fen"] == 2000, "part paid %s" % g)
    with contract.bad_requests():
        r = pay(ctx, cid, "customer", 4002, status=409)
    check(err(r).get("reason") == "overpayment" and err(r)["params"]["open_fen"] == 4001,
          "overpayment 409: %s" % err(r))
    with contract.bad_requests():
        r = expect(ctx.api("finance").patch("%s/%d" % (C, cid), {"customer_share_bp": 1000,
                                                                  "dealer_share_bp": 7000}),
                   409, "split below paid")
    check(err(r).get("reason") == "below_paid", "a part below what was paid: %s" % err(r))
    pay(ctx, cid, "customer", 4001)
    pay(ctx, cid, "dealer", 2000)
    g = expect(ctx.api("finance").get("%s/%d" % (C, cid)), 200, "get").json
    check(g["pay_state"] == "part_paid" and g["paid_fen"] == 8001, "sales still open %s" % g)
    pay(ctx, cid, "sales", 2000)
    g = expect(ctx.api("finance").get("%s/%d" % (C, cid)), 200, "get").json
    check(g["pay_state"] == "paid" and g["paid_fen"] == 10001, "paid %s" % g)
    r = expect(ctx.api("finance").get("%s?charge_id=%d" % (P, cid)), 200, "payments").json
    check(r["total"] == 4, "four payments %s" % r["total"])
    with contract.bad_requests():
        pay(ctx, cid, "sales", 1, status=409)
    expect(ctx.api("agent").post(P, {"charge_id": cid, "payer": "customer", "amount_fen": 1,
                                     "paid_on": "2026-06-01"}), 403, "agent cannot pay")
    # a payment is recorded once it is received: not dated after today (the receivables
    # report would ignore it while the charge showed paid)
    with contract.bad_requests():
        r = pay(ctx, cid, "sales", 1, on="2099-12-07", status=400)
    check(r.json["error"]["field"] == "paid_on" and r.json["error"]["reason"] == "out_of_range",
          "a payment dated later: %s" % r.json)
    # review 70 M3: a payer who paid stays the payer (the payments moved with the charge to
    # another customer's statement)
    with contract.bad_requests():
        for body, field in (({"customer_id": fx["B"]}, "customer_id"),
                            ({"dealer_id": fx["chg_E"]}, "dealer_id")):
            r = expect(ctx.api("finance").patch("%s/%d" % (C, cid), body), 409, "move %s" % body)
            check(err(r).get("reason") == "payer_paid" and err(r).get("field") == field,
                  "payer_paid: %s" % err(r))
    g = expect(ctx.api("finance").get("%s/%d" % (C, cid)), 200, "get").json
    check(g["customer_id"] == fx["A"], "unchanged %s" % g["customer_id"])


def case_scope(ctx):
    fx = fixtures(ctx)
    other = charge(ctx, ticket=fx["chg_tkB"], description="B 的费用").json
    check(other["customer_id"] == fx["B"], "B's charge")
    r = expect(ctx.api("customer").get(C + "?limit=200"), 200, "customer list").json
    check(r["items"] and all(c["customer_id"] == fx["A"] for c in r["items"]),
          "customer A sees only their own charges")
    check("sales_user_id" not in r["items"][0] and "notes" not in r["items"][0],
          "staff-only columns hidden from the customer")
    expect(ctx.api("customer").get("%s/%d" % (C, other["id"])), 404, "B's charge hidden")
    r = expect(ctx.api("customer").get(P + "?limit=200"), 200, "customer payments").json
    check(all(p["customer_id"] == fx["A"] for p in r["items"]), "own payments only")
    expect(ctx.api("agent").get("%s/%d" % (C, other["id"])), 200, "an agent reads")
    expect(ctx.api("dispatcher").get(C + "?owner_kind=ticket&owner_id=%d" % fx["chg_tkB"]), 200,
           "a dispatcher reads")
    expect(ctx.api("agent").post(C, {"owner_kind": "ticket", "owner_id": fx["chg_tk"],
                                     "description": "x", "amount_fen": 1,
                                     "customer_share_bp": 10000}), 403, "an agent cannot add")
    expect(ctx.api("dealer").get(C), 403, "a dealer account: no charges list")
    r = expect(ctx.api("technician").get(C + "?limit=200"), 200, "technician").json
    check(all(c.get("owner_kind") == "trip" for c in r["items"]),
          "a technician sees no ticket charges: %s" % [c["owner_kind"] for c in r["items"]])


STAFF_ONLY = {"amount_fen", "source", "fee_version_id", "quote_id", "dealer_id", "sales_user_id",
              "technician_user_id", "customer_share_bp", "dealer_share_bp", "sales_share_bp",
              "dealer_fen", "sales_fen", "paid_dealer_fen", "paid_sales_fen", "paid_fen",
              "pay_state", "notes", "dealer_name", "sales_user_name"}


def case_customer_part(ctx):
    """RULE A-09 (docs/charges.md "Who sees what"): a customer reads its own part of a charge
    and what it paid on it, not the internal split: the whole amount, the shares, the dealer's
    and the sales person's parts and payments, the source (quote, fee version) and the whole's
    state are absent from the list, the record, the expanded names and the CSV export, and
    cannot be sorted or filtered on. Before, the customer read the sales person's share (review
    2026-12-07 #2, M5)."""
    fx = fixtures(ctx)
    c = charge(ctx, description="人为损坏维修（协商分摊）" + uniq()[:4], amount_fen=100000,
               customer_share_bp=5000, sales_share_bp=3000, dealer_share_bp=2000,
               dealer_id=fx["D"], sales_user_id=ctx.uid["sales"], notes="内部备注").json
    pay(ctx, c["id"], "sales", 30000)
    pay(ctx, c["id"], "customer", 10000)
    cust = ctx.api("customer")
    q = "?owner_kind=ticket&owner_id=%d&expand=dealer_id,sales_user_id,customer_id" % fx["chg_tk"]
    listed = [x for x in expect(cust.get(C + q), 200, "list").json["items"] if x["id"] == c["id"]]
    got = expect(cust.get("%s/%d?expand=dealer_id,sales_user_id" % (C, c["id"])), 200, "get").json
    for what, x in (("list", listed[0] if listed else {}), ("get", got)):
        check(x.get("customer_fen") == 50000 and x.get("paid_customer_fen") == 10000,
              "%s: the customer's part and what it paid: %s" % (what, x))
        check(not STAFF_ONLY & set(x), "%s: staff-only %s" % (what, sorted(STAFF_ONLY & set(x))))
    staff = expect(ctx.api("finance").get("%s/%d" % (C, c["id"])), 200, "finance").json
    check(staff["sales_fen"] == 30000 and staff["pay_state"] == "part_paid" and
          staff["source"] == "manual", "staff still read the split: %s" % staff)
    r = expect(cust.get(C + "?format=csv&lang=en&owner_kind=ticket&owner_id=%d" % fx["chg_tk"]),
               200, "csv")
    header = r.body.decode("utf-8-sig").splitlines()[0]
    for label in ("Amount", "Sales person's part", "Source", "Payment state", "Dealer", "Paid",
                  "Quote", "Customer share (bp)"):
        check(label not in header.split(","), "%r in the customer's export: %s" % (label, header))
    mine = expect(cust.get(P + "?charge_id=%d" % c["id"]), 200, "payments").json["items"]
    check([(p["payer"], p["amount_fen"]) for p in mine] == [("customer", 10000)],
          "the customer's own payment only: %s" % mine)
    theirs = expect(ctx.api("finance").get(P + "?charge_id=%d&payer=sales" % c["id"]), 200,
                    "the sales person's payment").json["items"][0]
    with contract.bad_requests():
        expect(cust.get("%s/%d" % (P, theirs["id"])), 404, "the sales person's payment")
        expect(cust.get(C + "?sort=amount_fen"), 400, "sort by the whole amount")
        expect(cust.get(C + "?source=manual"), 400, "filter by source")
    # review 70 M6: a charge the dealer pays whole, on the customer's ticket, is not theirs
    d = charge(ctx, amount_fen=30000, customer_share_bp=0, dealer_share_bp=10000,
               dealer_id=fx["D"], description="经销商承担 安装费").json
    listed = expect(cust.get(C + "?limit=200&owner_kind=ticket&owner_id=%d" % fx["chg_tk"]), 200,
                    "list").json["items"]
    check(d["id"] not in [x["id"] for x in listed], "the dealer's charge is not listed")
    expect(cust.get("%s/%d" % (C, d["id"])), 404, "nor read")
    csv_text = expect(cust.get(C + "?format=csv"), 200, "export").body.decode("utf-8-sig")
    check("经销商承担 安装费" not in csv_text, "nor exported")


def case_receivables(ctx):
    fx = fixtures(ctx)
    c, e = fx["chg_C"], fx["chg_E"]

    def ch(amount, on, **kw):
        return charge(ctx, customer_id=c, amount_fen=amount, charged_on=on, **kw).json["id"]
    # as of 2026-06-30: 10 days, 46 days, 81 days, 180 days, and one dated later
    ch(1000, "2026-06-20")
    b = ch(2000, "2026-05-15")
    ch(3000, "2026-04-10")
    d = ch(4000, "2026-01-01")
    ch(9999, "2026-07-01")
    pay(ctx, b, "customer", 500, on="2026-05-20")     # counted
    pay(ctx, d, "customer", 4000, on="2026-07-05")    # after the day: not counted
    charge(ctx, amount_fen=700, charged_on="2026-06-01", dealer_id=e, customer_share_bp=0,
           dealer_share_bp=10000)
    r = expect(ctx.api("finance").get("/api/v1/reports/receivables?as_of=2026-06-30"), 200,
               "receivables").json
    row = [x for x in r["items"] if x["party_id"] == c]
    check(len(row) == 1 and r["from"] == r["to"] == "2026-06-30", "one row for C %s" % row)
    x = row[0]
    check((x["days_0_30"], x["days_31_60"], x["days_61_90"], x["days_over_90"], x["total"]) ==
          (1000, 1500, 3000, 4000, 9500), "C's ageing by hand: %s" % x)
    r = expect(ctx.api("gm").get("/api/v1/reports/receivables?as_of=2026-06-30&by=dealer"), 200,
               "by dealer").json
    row = [x for x in r["items"] if x["party_id"] == e][0]
    # E: the installation fee 325926 (29 days), the management fee 32593 (28), 700 (29)
    check(row["days_0_30"] == 325926 + 32593 + 700 and row["total"] == 359219,
          "E's ageing %s" % row)
    expect(ctx.api("agent").get("/api/v1/reports/receivables"), 403, "agent: no receivables")
    r = expect(ctx.api("finance").get("/api/v1/reports/receivables?as_of=2031-06-30&format=xlsx"),
               200, "xlsx")
    check(r.body[:2] == b"PK", "an xlsx file")


def case_costs(ctx):
    fx = fixtures(ctx)
    lead = new_tech(ctx, "cost_lead")
    expect(ctx.api().patch("/api/v1/users/%d" % lead, {"department_id": fx["dept"]}), 200, "dept")
    t = expect(ctx.api("dispatcher").post("/api/v1/trips", {
        "lead_id": lead, "other_ids": [], "purpose": "成本测试出差", "customer_id": fx["A"],
        "address": "北京市东城区", "contact_name": "王主任", "contact_phone": "010-69156114",
        "est_days": 2, "planned_departure_at": "2031-03-10T04:00:00Z"}), 201, "trip").json
    expect(ctx.api("dispatcher").patch("/api/v1/trips/%d" % t["id"], {
        "transport_fen": 12050, "lodging_fen": 30000, "allowance_fen": 15000, "other_fen": 500}),
        200, "expenses")
    a = ctx.api("finance")
    for body in ({"owner_kind": "trip", "owner_id": t["id"], "category": "parts",
                  "amount_fen": 8800, "incurred_on": "2031-03-12", "description": "主板"},
                 {"owner_kind": "ticket", "owner_id": fx["chg_tkB"], "category": "parts",
                  "amount_fen": 20000, "incurred_on": "2031-04-02"},
                 {"owner_kind": "ticket", "owner_id": fx["chg_tkB"], "category": "travel",
                  "amount_fen": 3000, "incurred_on": "2031-04-03"},
                 {"owner_kind": "ticket", "owner_id": fx["chg_tkB"], "category": "other",
                  "amount_fen": 99999, "incurred_on": "2031-05-01"}):
        expect(a.post(L, body), 201, "cost line")
    with contract.bad_requests():
        r = expect(a.post(L, {"owner_kind": "ticket", "owner_id": 987654321, "category": "parts",
                              "amount_fen": 1, "incurred_on": "2031-04-02"}), 422, "no owner")
    check(err(r).get("reason") == "unknown_reference", "cost owner checked %s" % err(r))
    q = "/api/v1/reports/costs?from=2031-03-01&to=2031-04-30&group="
    r = expect(a.get(q + "period"), 200, "by month").json
    m = {x["key"]: x for x in r["items"]}
    # March: the trip's 12050 + 30000 + 15000 + 500 and parts 8800; April: ticket B's
    check(set(m) == {"2031-03", "2031-04"}, "months %s" % list(m))
    check((m["2031-03"]["travel"], m["2031-03"]["lodging"], m["2031-03"]["allowance"],
           m["2031-03"]["parts"], m["2031-03"]["other"], m["2031-03"]["total"]) ==
          (12050, 30000, 15000, 8800, 500, 66350), "March %s" % m["2031-03"])
    check((m["2031-04"]["travel"], m["2031-04"]["parts"], m["2031-04"]["total"]) ==
          (3000, 20000, 23000), "April %s" % m["2031-04"])
    check(r["total"]["total"] == 89350, "total %s" % r["total"])
    r = expect(a.get(q + "customer"), 200, "by customer").json
    m = {x["key"]: x["total"] for x in r["items"]}
    check(m == {str(fx["A"]): 66350, str(fx["B"]): 23000}, "by customer %s" % m)
    r = expect(a.get(q + "technician"), 200, "by technician").json
    m = {x["key"]: x["total"] for x in r["items"]}
    check(m == {str(lead): 66350, str(ctx.uid["technician"]): 23000}, "by technician %s" % m)
    r = expect(a.get(q + "department"), 200, "by department").json
    m = {x["key"]: x for x in r["items"]}
    # (the department's name is changed by other modules of the suite: only its total)
    check(m[str(fx["dept"])]["total"] == 66350 and m[""]["total"] == 23000,
          "by department %s" % m)
    r = expect(a.get(q + "trip"), 200, "by trip").json
    check(any(x["key"] == str(t["id"]) and x["total"] == 66350 for x in r["items"]), "per trip")
    r = expect(a.get(q + "ticket"), 200, "by ticket").json
    check(any(x["key"] == str(fx["chg_tkB"]) and x["total"] == 23000 for x in r["items"]),
          "per ticket %s" % r["items"])
    r = expect(a.get(q + "customer&format=xlsx"), 200, "xlsx")
    z = zipfile.ZipFile(io.BytesIO(r.body))
    shared = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    check("差旅交通" in shared and "配件 (成本)" in shared and "合计" in shared,
          "Chinese headers and the totals line")
    with contract.bad_requests():
        r = expect(a.get(q + "colour"), 400, "bad group")
    check(err(r).get("field") == "group", "group named %s" % err(r))
    expect(ctx.api("technician").get(q + "period"), 403, "technician: no cost report")


def case_revenue(ctx):
    fixtures(ctx)
    r = expect(ctx.api("finance").get("/api/v1/reports/fee-revenue?from=2026-06-01&to=2026-06-30"),
               200, "fee revenue").json
    row = [x for x in r["items"] if x["dealer_id"] == ctx.fx["chg_E"]]
    check(len(row) == 1 and row[0]["series"] == "经典系列" and
          row[0]["installation_fen"] == 325926 and row[0]["management_fen"] == 32593 and
          row[0]["total_fen"] == 358519, "by series and dealer %s" % row)
    r = expect(ctx.api("finance").get(
        "/api/v1/reports/fee-revenue?from=2026-06-01&to=2026-06-30&format=xlsx"), 200, "xlsx")
    check(r.body[:2] == b"PK", "xlsx")


def case_trip_charge(ctx):
    fx = fixtures(ctx)
    lead = new_tech(ctx, "chg_lead")
    t = expect(ctx.api("dispatcher").post("/api/v1/trips", {
        "lead_id": lead, "other_ids": [], "purpose": "收费出差", "customer_id": fx["A"],
        "address": "北京", "contact_name": "王", "contact_phone": "010-1", "est_days": 1,
        "planned_departure_at": "2031-08-10T04:00:00Z"}), 201, "trip").json
    c = charge(ctx, owner_kind="trip", owner_id=t["id"], category="travel").json
    r = expect(ctx.api("chg_lead").get(C), 200, "lead's list").json
    check([x["id"] for x in r["items"]] == [c["id"]], "the lead sees their trip's charge")
    expect(ctx.api("technician").get("%s/%d" % (C, c["id"])), 404, "another technician")


def run(ctx, runner):
    runner.run("charges: split adds up (fee_split), 422 split_total, owner checked",
               case_split, ctx)
    runner.run("charges: payments per payer, 409 overpayment, state derived", case_payments, ctx)
    runner.run("charges: a customer sees only their own; agents read; technicians none",
               case_scope, ctx)
    runner.run("charges: a customer reads its own part, not the split (A-09, review M5)",
               case_customer_part, ctx)
    runner.run("charges: receivables ageing by customer and dealer (fixture by hand)",
               case_receivables, ctx)
    runner.run("charges: cost report by month, customer, technician, department (by hand), xlsx",
               case_costs, ctx)
    runner.run("charges: fee revenue by series and dealer (R-183)", case_revenue, ctx)
    runner.run("charges: a technician sees the charges of their own trips", case_trip_charge, ctx)

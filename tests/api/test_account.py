"""A payer's account statement (review 2026-12-07 #2, M4 and M6; docs/charges.md "Account
statement"): GET /api/v1/account gives a customer its part of each charge made out to it and a
dealer its part of each charge naming it, with what each paid, their own payments and the
totals (owed, open credit, balance, paid) — never the whole or another payer's part."""
import csv
import io

from harness import check, expect
from test_charges import charge, fixtures, pay

A = "/api/v1/account"
STAFF_ONLY = {"amount_fen", "dealer_fen", "sales_fen", "customer_share_bp", "dealer_share_bp",
              "sales_share_bp", "paid_dealer_fen", "paid_sales_fen", "pay_state", "source",
              "notes", "dealer_id", "sales_user_id"}


def all_lines(api, query=""):
    out, off = [], 0
    while True:
        r = expect(api.get("%s?limit=200&offset=%d%s" % (A, off, query)), 200, "statement").json
        out += r["lines"]["items"]
        off += 200
        if off >= r["lines"]["total"]:
            return r, out


def by_hand(ctx, party):
    """The party's parts from the finance view of /charges: (owed, credit, paid)."""
    owed = credit = paid = 0
    for col, part, got in (("customer_id", "customer_fen", "paid_customer_fen"),
                           ("dealer_id", "dealer_fen", "paid_dealer_fen")):
        cursor = ""
        while True:
            r = expect(ctx.api("finance").get("/api/v1/charges?limit=200&%s=%d%s" % (
                col, party, cursor)), 200, "charges").json
            for c in r["items"]:
                if c[part] > 0:
                    owed += c[part] - c[got]
                    paid += c[got]
                elif c[part] < 0:
                    credit += c[got] - c[part]
            if not r.get("next_cursor"):
                break
            cursor = "&cursor=" + r["next_cursor"]
    return owed, credit, paid


def case_customer(ctx):
    fx = fixtures(ctx)
    c = charge(ctx, amount_fen=10000, customer_share_bp=6000, dealer_share_bp=4000,
               dealer_id=fx["D"], description="对账单 分摊").json
    pay(ctx, c["id"], "customer", 2000)
    pay(ctx, c["id"], "dealer", 4000)
    cr = charge(ctx, amount_fen=-500, category="credit", description="对账单 抵扣").json
    r, lines = all_lines(ctx.api("customer"))
    check(r["customer_id"] == fx["A"], "the customer's own statement: %s" % r["customer_id"])
    mine = [x for x in lines if x["charge_id"] == c["id"]]
    check(len(mine) == 1 and mine[0]["payer"] == "customer" and
          (mine[0]["part_fen"], mine[0]["paid_fen"], mine[0]["open_fen"], mine[0]["state"]) ==
          (6000, 2000, 4000, "part_paid"), "its part only: %s" % mine)
    check(mine[0]["ticket_id"] == fx["chg_tk"] and mine[0]["ticket_number"], "the ticket named")
    crl = [x for x in lines if x["charge_id"] == cr["id"]]
    check(crl and crl[0]["state"] == "credit" and crl[0]["open_fen"] == -500, "credit %s" % crl)
    check(not any(STAFF_ONLY & set(x) for x in lines), "no staff-only field")
    check((r["owed_fen"], r["credit_fen"], r["paid_fen"]) == by_hand(ctx, fx["A"]),
          "totals by hand %s" % ((r["owed_fen"], r["credit_fen"], r["paid_fen"]),))
    check(r["balance_fen"] == r["owed_fen"] - r["credit_fen"], "balance")
    check(all(p["payer"] == "customer" for p in r["payments"]) and
          not [p for p in r["payments"] if p["charge_id"] == c["id"] and p["amount_fen"] == 4000],
          "only the customer's own payments")
    expect(ctx.api("customer").get(A + "?customer_id=%d" % fx["B"]), 404, "another customer")
    expect(ctx.api("customer").get(A + "?customer_id=%d" % fx["A"]), 200, "its own by id")
    r2 = expect(ctx.api("finance").get(A + "?customer_id=%d&limit=200" % fx["A"]), 200,
                "finance").json
    check(r2["owed_fen"] == r["owed_fen"] and r2["credit_fen"] == r["credit_fen"], "same totals")


def case_dealer(ctx):
    """M6: the dealer reads what it owes (its part of charges naming it), not the customer's."""
    fx = fixtures(ctx)
    c = charge(ctx, amount_fen=30000, customer_share_bp=5000, dealer_share_bp=5000,
               dealer_id=fx["D"], description="经销商 安装费").json
    pay(ctx, c["id"], "customer", 15000)
    pay(ctx, c["id"], "dealer", 1000)
    r, lines = all_lines(ctx.api("dealer"))
    check(r["customer_id"] == fx["D"], "the dealer's own statement")
    mine = [x for x in lines if x["charge_id"] == c["id"]]
    check(len(mine) == 1 and mine[0]["payer"] == "dealer" and
          (mine[0]["part_fen"], mine[0]["paid_fen"], mine[0]["state"]) == (15000, 1000, "part_paid"),
          "the dealer's part: %s" % mine)
    check(all(p["payer"] == "dealer" for p in r["payments"]) and
          any(p["charge_id"] == c["id"] and p["amount_fen"] == 1000 for p in r["payments"]),
          "the dealer's own payments")
    check((r["owed_fen"], r["credit_fen"], r["paid_fen"]) == by_hand(ctx, fx["D"]), "totals")
    _, open_lines = all_lines(ctx.api("dealer"), "&open=true")
    check(open_lines and all(x["open_fen"] != 0 for x in open_lines), "open=true")
    expect(ctx.api("dealer").get(A + "?customer_id=%d" % fx["A"]), 404, "not a customer's")


def case_file(ctx):
    """The statement as a file (对账单): every line, Chinese headers, the reader's own only."""
    fixtures(ctx)
    r = expect(ctx.api("customer").get(A + "?format=csv"), 200, "csv")
    rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
    check(rows[0][:3] == ["计费日期", "工单", "说明"], "headers %s" % rows[0])
    _, lines = all_lines(ctx.api("customer"))
    check(len(rows) - 1 == len(lines), "every line: %d vs %d" % (len(rows) - 1, len(lines)))
    check({x[4] for x in rows[1:]} <= {"客户"}, "the customer's parts only %s" % {x[4] for x in rows[1:]})
    x = expect(ctx.api("finance").get(A + "?format=xlsx&customer_id=%d" % ctx.fx["D"]), 200, "xlsx")
    check(x.body[:2] == b"PK", "an xlsx file")


def case_refusals(ctx):
    fixtures(ctx)
    r = expect(ctx.api("finance").get(A), 400, "staff name the customer").json
    check(r["error"]["field"] == "customer_id" and r["error"]["reason"] == "required", r)
    expect(ctx.api("finance").get(A + "?customer_id=99999999"), 404, "no such customer")
    expect(ctx.api("finance").get(A + "?customer_id=x", bad=True), 400, "not an id")
    expect(ctx.api("customer").get(A + "?limit=0", bad=True), 400, "limit")
    for role in ("technician", "sales", "warehouse"):
        expect(ctx.api(role).get(A + "?customer_id=%d" % ctx.fx["A"]), 403, role)
    r = expect(ctx.api("customer").get(A + "?limit=1"), 200, "paged").json
    check(len(r["lines"]["items"]) == 1 and r["lines"]["total"] >= 2, "limit 1")


def run(ctx, runner):
    runner.run("account: a customer's statement, its part and payments (M4)", case_customer, ctx)
    runner.run("account: a dealer reads what it owes (M6)", case_dealer, ctx)
    runner.run("account: customer_id required for staff, 404, 403, paging", case_refusals, ctx)
    runner.run("account: the statement as a csv / xlsx file", case_file, ctx)

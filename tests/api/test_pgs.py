"""q= search in id order on PostgreSQL: the walk of the newest ids, then the search index
(issue 16 item 1, src/app/entity_list.c walk_page): keyset paging while tickets are
added, 2-character terms against a substring scan, and the total's flags (total_capped,
total_estimated). A second server with SHOUHOU_SEARCH_WALK_IDS=3 makes the index step serve
most of each page on this small database; SQLite answers the same lists from FTS5."""
from urllib.parse import quote

from harness import check, expect
from test_pgrt import psql, second_server


def body(cust, desc):
    return {"channel": "phone", "type": "repair", "customer_id": cust,
            "caller_name": "检索测试", "caller_phone": "13900001111", "description": desc}


def add(srv, tok, cust, desc):
    return expect(srv.request("POST", "/api/v1/tickets", body(cust, desc), token=tok), 201,
                  "ticket").json["id"]


def search(srv, tok, term, extra=""):
    return expect(srv.request("GET", "/api/v1/tickets?q=%s%s" % (quote(term), extra), token=tok),
                  200, "search %s" % term).json


def walk_pages(srv, tok, term, sort, on_page):
    seen, cur = [], None
    while True:
        r = search(srv, tok, term, "&limit=2&sort=%s%s" % (sort, "&cursor=" + cur if cur else ""))
        seen += [i["id"] for i in r["items"]]
        check(len(r["items"]) <= 2, "page longer than its limit")
        cur = r["next_cursor"]
        if not cur:
            return seen
        on_page()


def case_keyset(ctx):
    """Pages of 2 newest first (and oldest first) while a matching ticket is added after each
    page: newest first gives exactly the matches of before, each once; oldest first each once,
    the added ones at the end."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "键集翻页客户", "type": "company"})["id"]
    mine = set()
    for i in range(7):
        mine.add(add(ctx.srv, tok, cust, "键集蜗杆第%d台" % i))
        add(ctx.srv, tok, cust, "普通描述%d" % i)
    walk3 = second_server(ctx, "pgs-walk3", {"SHOUHOU_SEARCH_WALK_IDS": "3"})
    try:
        for srv in (ctx.srv, walk3):
            for term in ("键集蜗", "蜗杆"):
                for sort in ("-id", "id"):
                    before, added = set(mine), []

                    def more():
                        added.append(add(ctx.srv, tok, cust, "键集蜗杆新增"))
                        mine.add(added[-1])
                    seen = walk_pages(srv, tok, term, sort, more)
                    check(len(seen) == len(set(seen)), "%s %s: repeated rows %s" % (term, sort, seen))
                    check(seen == sorted(seen, reverse=sort == "-id"),
                          "%s %s: out of order %s" % (term, sort, seen))
                    if sort == "-id":
                        check(set(seen) == before, "%s -id: %s, expected %s" % (term, seen, before))
                    else:
                        check(before <= set(seen) and set(seen) - before <= set(added),
                              "%s id: %s, expected %s + some of %s" % (term, seen, before, added))
    finally:
        walk3.stop()


def case_two_char(ctx):
    """A 2-character term finds exactly the tickets whose text holds the two characters
    side by side (a substring scan of the fixture), on both servers."""
    tok = ctx.tok["admin"]
    cust = ctx.create("customers", {"name": "双字检索客户", "type": "company"})["id"]
    texts = ["甲鳞齿乙", "鳞 齿分开", "齿鳞倒序", "鳞齿鳞齿", "XY鳞齿7", "鳞，齿", "某鳞齿", "无关"]
    ids = {add(ctx.srv, tok, cust, t): t for t in texts}
    want = {i for i, t in ids.items() if "鳞齿" in t}
    walk3 = second_server(ctx, "pgs-2char", {"SHOUHOU_SEARCH_WALK_IDS": "3"})
    try:
        for srv in (ctx.srv, walk3):
            for limit in (500, 2):
                got, cur = set(), None
                while True:
                    r = search(srv, tok, "鳞齿", "&limit=%d%s" % (limit, "&cursor=" + cur if cur else ""))
                    got |= {i["id"] for i in r["items"]}
                    cur = r["next_cursor"]
                    if not cur:
                        break
                check(got == want, "鳞齿 limit %d: %s, expected %s" % (limit, got, want))
            r = search(srv, tok, "鳞齿", "&limit=500")
            check(r["total"] == len(want) and "total_capped" not in r
                  and "total_estimated" not in r, "exact total: %s" % r)
    finally:
        walk3.stop()


def case_total_flags(ctx):
    """SQLite counts every match. PostgreSQL: a frequent term (the walk fills the page) has an
    estimated total (total_estimated), a first page whose walk saw the whole table an exact
    one. A rare term (the index step serves the page) is exact when the page is not filled,
    exact up to 200 matches when it is and estimated past that; other orders count up to
    1000 matches, then say total 1000 with total_capped."""
    tok = ctx.tok["admin"]
    pg = ctx.srv.db_url.startswith("postgres")
    cust = ctx.create("customers", {"name": "总数标记客户", "type": "company"})["id"]
    for i in range(6):
        add(ctx.srv, tok, cust, "总数标记棘轮%d" % i)
    # a walk longer than the table sees all of it (the suite's default walk of 2000 ids does
    # not once the other modules have added more tickets than that)
    whole = second_server(ctx, "pgs-whole", {"SHOUHOU_SEARCH_WALK_IDS": "1000000"}) if pg else None
    try:
        r = search(whole or ctx.srv, tok, "标记棘轮", "&limit=2")
    finally:
        if whole:
            whole.stop()
    check(r["total"] == 6 and "total_estimated" not in r and "total_capped" not in r,
          "first page, walk over the whole table: exact %s" % r)
    r2 = search(ctx.srv, tok, "标记棘轮", "&limit=2&cursor=" + r["next_cursor"])
    if not pg:
        check(r2["total"] == 6 and "total_estimated" not in r2, "sqlite: exact %s" % r2)
        return
    check(r2.get("total_estimated") is True and r2["total"] >= 4, "cursor page: estimated %s" % r2)
    walk3 = second_server(ctx, "pgs-flags", {"SHOUHOU_SEARCH_WALK_IDS": "3"})
    try:
        r = search(walk3, tok, "标记棘轮", "&limit=2")
        check(r.get("total_estimated") is True and "total_capped" not in r and r["total"] >= 3,
              "walk of 3 ids filled: estimated %s" % r)
        # 1,005 copies of one match, then newer tickets without it: the index serves the page
        one = add(ctx.srv, tok, cust, "封顶标记蜗轮")
        cols = [c for c in psql(ctx.srv.db_url, "SELECT column_name FROM information_schema."
                                "columns WHERE table_name = 'tickets' ORDER BY ordinal_position")
                if c not in ("id", "number", "public_token")]
        psql(ctx.srv.db_url, "INSERT INTO tickets (number, %s) SELECT 'PGS-' || g, %s FROM "
             "tickets, generate_series(1, 1005) g WHERE id = %d"
             % (", ".join(cols), ", ".join(cols), one))
        for i in range(4):
            add(ctx.srv, tok, cust, "其他描述%d" % i)
        # the index step fills the page past 200 matches: the count stops at 201 and the
        # total is estimated from the ids the page walked (a first search read every one
        # of 1,000 matches from the table before)
        r = search(walk3, tok, "标记蜗轮", "&limit=5")
        check(r.get("total_estimated") is True and "total_capped" not in r
              and r["total"] >= 201 and len(r["items"]) == 5,
              "index step filled: estimated %s %s" % (r["total"], r.get("total_estimated")))
        # another order reads the index in one query and counts up to the cap
        r = search(walk3, tok, "标记蜗轮", "&limit=5&sort=number")
        check(r["total"] == 1000 and r.get("total_capped") is True
              and "total_estimated" not in r and len(r["items"]) == 5,
              "index count capped: %s %s" % (r["total"], r.get("total_capped")))
        # a rare term the index step does not fill is counted exactly, without the count
        for i in range(3):
            add(ctx.srv, tok, cust, "稀少标记棘爪%d" % i)
        for i in range(4):
            add(ctx.srv, tok, cust, "其他描述%d" % i)
        r = search(walk3, tok, "标记棘爪", "&limit=5")
        check(r["total"] == 3 and "total_estimated" not in r and "total_capped" not in r
              and len(r["items"]) == 3, "index step, all seen: exact %s" % r)
        r = search(walk3, tok, "标记棘爪", "&limit=2")
        check(r["total"] == 3 and "total_estimated" not in r and "total_capped" not in r
              and len(r["items"]) == 2, "index step filled, 3 matches: exact %s" % r)
    finally:
        walk3.stop()


def run(ctx, runner):
    runner.run("pgs: q= keyset paging newest/oldest first while tickets are added",
               case_keyset, ctx)
    runner.run("pgs: 2-character q= equals a substring scan", case_two_char, ctx)
    runner.run("pgs: q= total exact, estimated (total_estimated) or capped (total_capped)",
               case_total_flags, ctx)

/* SPDX-License-Identifier: MIT */
/* The technician picker's list (issue 10 #14): who can take the work, what they can do
 * today and how busy they are today. */
#include "app/technicians.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "domain/tech_text.h"

#define UTC_OFFSET_S (8 * 3600) /* the company's time zone: Asia/Shanghai */

struct pick {
    const struct uc *u;
    const struct tech_pick_in *in;
    struct db_rows rows, catalogue;
    struct sh_date today;
};

static enum sh_code pick_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pick *p = arg;
    int64_t local = p->u->now + UTC_OFFSET_S;
    int64_t day0 = (local / 86400) * 86400 - UTC_OFFSET_S;
    char from[21], to[21];
    sh_ts_format(day0, from);
    sh_ts_format(day0 + 86400, to);
    enum sh_code rc =
        db_query(tx, p->u->a,
                 "SELECT u.id, u.username, u.display_name, u.department_id, t.id AS technician_id, "
                 "t.name AS tech_name, t.skills, t.authorisations, "
                 "(SELECT COUNT(*) FROM tickets k WHERE k.assignee_id = u.id AND k.status NOT IN "
                 "('resolved', 'closed', 'cancelled')) AS open_count, "
                 "(SELECT COUNT(*) FROM tickets k WHERE k.assignee_id = u.id AND k.status NOT IN "
                 "('resolved', 'closed', 'cancelled') AND k.visit_at >= $1 AND k.visit_at < $2) AS "
                 "today_count "
                 "FROM users u LEFT JOIN technicians t ON t.user_id = u.id AND t.active = 1 "
                 "WHERE u.active = 1 AND u.customer_id IS NULL AND (t.id IS NOT NULL OR "
                 "(',' || u.roles || ',') LIKE '%,technician,%') ORDER BY u.id LIMIT 2000",
                 DB_P(DB_TEXT(from), DB_TEXT(to)), &p->rows, e);
    if (rc)
        return rc;
    return db_query(tx, p->u->a, "SELECT code, name, kind FROM skills", DB_NOP, &p->catalogue, e);
}

/* ASCII case-insensitive substring (names in Chinese match byte for byte). */
static bool contains(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++) {
        size_t i = 0;
        while (i < n && h[i] && tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

static const char *catalogue_name(const struct pick *p, const char *code)
{
    for (int i = 0; i < p->catalogue.nrows; i++)
        if (!strcmp(db_get(&p->catalogue, i, "code"), code))
            return db_get(&p->catalogue, i, "name");
    return code;
}

/* The skills and authorisations held today; stored text that no longer parses shows
 * none rather than failing the whole list. */
static void held_skills(const struct pick *p, int row, struct tech_pick_item *it)
{
    struct tech_skill *k = sh_arena_alloc(p->u->a, sizeof(struct tech_skill) * TECH_SKILL_MAX * 2);
    int n1 = 0, n2 = 0;
    struct sh_err ignore;
    if (tech_skills_parse(db_get(&p->rows, row, "skills"), true, "skills", k, &n1, &ignore))
        n1 = 0;
    if (tech_skills_parse(db_get(&p->rows, row, "authorisations"), false, "authorisations", k + n1,
                          &n2, &ignore))
        n2 = 0;
    it->skills = sh_arena_alloc(p->u->a, sizeof(struct tech_pick_skill) * (size_t)(n1 + n2 + 1));
    it->nskills = 0;
    for (int i = 0; i < n1 + n2; i++) {
        if (k[i].expires && sh_date_cmp(k[i].expires_on, p->today) < 0)
            continue;
        it->skills[it->nskills++] =
            (struct tech_pick_skill){.code = sh_arena_strdup(p->u->a, k[i].code),
                                     .name = catalogue_name(p, k[i].code),
                                     .kind = i < n1 ? "skill" : "authorisation",
                                     .level = k[i].level};
    }
}

static bool has_skill(const struct tech_pick_item *it, const char *code)
{
    for (int i = 0; i < it->nskills; i++)
        if (!strcmp(it->skills[i].code, code))
            return true;
    return false;
}

static void item_of(const struct pick *p, int row, struct tech_pick_item *it)
{
    const struct db_rows *r = &p->rows;
    const char *dn = db_get(r, row, "display_name"), *tn = db_get(r, row, "tech_name");
    it->user_id = db_get_int(r, row, "id", 0);
    it->technician_id = db_get_int(r, row, "technician_id", 0);
    it->department_id = db_get_int(r, row, "department_id", 0);
    it->username = db_get(r, row, "username");
    it->name = dn && *dn ? dn : tn && *tn ? tn : it->username;
    it->open = db_get_int(r, row, "open_count", 0);
    it->visits_today = db_get_int(r, row, "today_count", 0);
    held_skills(p, row, it);
}

static bool matches(const struct pick *p, int row, const struct tech_pick_item *it)
{
    const char *q = p->in->q;
    if (q && *q &&
        !(contains(it->name, q) || contains(it->username, q) ||
          contains(db_get(&p->rows, row, "tech_name"), q)))
        return false;
    return !p->in->skill || !*p->in->skill || has_skill(it, p->in->skill);
}

static int by_load(const void *a, const void *b)
{
    const struct tech_pick_item *x = a, *y = b;
    if (x->visits_today != y->visits_today)
        return x->visits_today < y->visits_today ? -1 : 1;
    if (x->open != y->open)
        return x->open < y->open ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->user_id < y->user_id ? -1 : 1);
}

enum sh_code uc_technicians_pick(const struct uc *u, const struct tech_pick_in *in,
                                 struct tech_pick_out *out, struct sh_err *e)
{
    struct pick p = {.u = u, .in = in};
    memset(out, 0, sizeof *out);
    int64_t local = u->now + UTC_OFFSET_S;
    p.today = sh_civil_from_days(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
    enum sh_code rc = u->tx ? pick_run(u->tx, &p, e) : db_read(u->app->db, pick_run, &p, e);
    if (rc)
        return rc;
    struct tech_pick_item *all =
        sh_arena_alloc(u->a, sizeof(struct tech_pick_item) * ((size_t)p.rows.nrows + 1));
    size_t n = 0;
    for (int i = 0; i < p.rows.nrows; i++) {
        item_of(&p, i, &all[n]);
        if (matches(&p, i, &all[n]))
            n++;
    }
    qsort(all, n, sizeof *all, by_load);
    out->items = all;
    out->total = n;
    out->n = n < (size_t)in->limit ? n : (size_t)in->limit;
    return SH_OK;
}

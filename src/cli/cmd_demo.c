/* SPDX-License-Identifier: MIT */
/* shouhou demo: loads a realistic Chinese data set for trying the system out.
 *
 * Every record goes through uc_ent_insert() (validation, warranty derivation,
 * search text, audit rows), all in ONE db_write transaction. The data comes
 * from fixed tables and a fixed-seed PRNG over a fixed calendar window, so two
 * databases loaded with the same options hold the same rows. The customer
 * coded DEMO-0001 marks a loaded demo: a second run only adds demo users that
 * are missing (when --password-file is given) and otherwise changes nothing. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/users.h"
#include "app/passwords.h"
#include "app/resources.h"
#include "app/technicians.h"
#include "base/date.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/demo_work_orders.h"
#include "cli/demo.h"
#include "cli/demo_approvals.h"
#include "cli/demo_checklists.h"
#include "cli/demo_shipments.h"
#include "cli/demo_projects.h"
#include "cli/demo_notifications.h"
#include "cli/demo_reports.h"
#include "cli/demo_surveys.h"
#include "cli/demo_tables.h"
#include "cli/demo_charges.h"
#include "cli/demo_dealer.h"
#include "cli/demo_dept.h"
#include "cli/demo_fees.h"
#include "cli/demo_know.h"
#include "cli/demo_parts.h"
#include "cli/demo_quotes.h"
#include "cli/demo_rma.h"

#define MARKER_CODE "DEMO-0001"
#define MAX_UNITS   1000000
#define NCUST       (DEMO_NCITIES * 3) /* three customers per city */

/* ---- state ---- */

struct cust {
    int64_t id;
    int city;
    enum demo_family fam;
    const char *type;
    bool key;
    int64_t site[2];
    int nsite;
    int64_t contract[2];
    int ncontract;
};

struct demo {
    struct app app;
    struct sh_arena row; /* one record's allocations */
    struct sh_arena keep;
    uint64_t rng;
    int nunits;
    const char *hash; /* NULL: no users */
    bool loaded_before;
    struct cust cust[NCUST];
    int64_t model_id[DEMO_NMODELS];
    int first_dealer;
    /* counts */
    int n_cust, n_contacts, n_sites, n_models, n_contracts, n_units, n_installed, n_users;
    int n_users_existing, n_surveys;
    int n_plans, n_visits;
};

/* splitmix64: small, fast, and the same sequence everywhere */
static uint64_t rnd(struct demo *d)
{
    uint64_t z = (d->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rndn(struct demo *d, int n)
{
    return (int)(rnd(d) % (uint64_t)n);
}

static bool chance(struct demo *d, int percent)
{
    return rndn(d, 100) < percent;
}

static double jitter(struct demo *d, double span)
{
    return ((double)rndn(d, 20001) / 10000.0 - 1.0) * span;
}

static const char *person(struct demo *d)
{
    return sh_arena_printf(&d->row, "%s%s", demo_surnames[rndn(d, demo_nsurnames)],
                           demo_given[rndn(d, demo_ngiven)]);
}

static const char *mobile(struct demo *d)
{
    static const char *const pre[] = {"138", "139", "135", "136", "150",
                                      "158", "186", "177", "189", "199"};
    return sh_arena_printf(&d->row, "%s%08d", pre[rndn(d, 10)], rndn(d, 100000000));
}

static const char *landline(struct demo *d, const struct demo_city *c)
{
    return sh_arena_printf(&d->row, "%s-%d%07d", c->area, 2 + rndn(d, 7), rndn(d, 10000000));
}

static const char *address(struct demo *d, const struct demo_city *c, const char *district)
{
    const char *street = demo_streets[rndn(d, demo_nstreets)];
    int no = 1 + rndn(d, 399);
    const char *p = c->province;
    if (!strcmp(p + strlen(p) - strlen("市"), "市")) /* a municipality */
        return sh_arena_printf(&d->row, "%s%s%s%d号", p, district, street, no);
    return sh_arena_printf(&d->row, "%s%s市%s%s%d号", p, c->city, district, street, no);
}

/* Days since the epoch of the demo window's ends: 2022-01-03 … 2026-10-30. */
static int64_t day0(void)
{
    return sh_days_from_civil(2022, 1, 3);
}

static int64_t day_end(void)
{
    return sh_days_from_civil(2026, 10, 30);
}

static const char *datestr(struct demo *d, int64_t days)
{
    char buf[11];
    sh_date_format(sh_civil_from_days(days), buf);
    return sh_arena_strdup(&d->row, buf);
}

/* ---- records through the entity engine ---- */

/* One record being built: values are validated by ent_parse_value() as they
 * are set; the first error sticks and is reported by rec_insert(). Everything
 * lives in d->row, which rec_insert() empties once the record is stored. */
struct rec {
    struct demo *d;
    const struct entity *ent;
    struct fval *vals;
    enum sh_code rc;
    struct sh_err e;
};

static void rec_begin(struct rec *r, struct demo *d, const struct entity *ent)
{
    r->d = d;
    r->ent = ent;
    r->vals = sh_arena_alloc(&d->row, sizeof(struct fval) * (size_t)ent->ncols);
    r->rc = SH_OK;
    sh_err_clear(&r->e);
}

static void put(struct rec *r, const char *name, json_t *v)
{
    int i = ent_colidx(r->ent, name);
    if (!r->rc && i < 0)
        r->rc = sh_err_set(&r->e, SH_INTERNAL, "%s has no column '%s'", r->ent->name, name);
    if (!r->rc && !v)
        r->rc = sh_err_set(&r->e, SH_INTERNAL, "cannot build '%s'", name);
    if (!r->rc)
        r->rc = ent_parse_value(&r->d->row, &r->ent->cols[i], v, &r->vals[i], &r->e);
    json_decref(v);
}

static void put_s(struct rec *r, const char *name, const char *s)
{
    if (s)
        put(r, name, json_string(s));
}

static void put_i(struct rec *r, const char *name, int64_t i)
{
    put(r, name, json_integer(i));
}

static void put_b(struct rec *r, const char *name, bool b)
{
    put(r, name, json_boolean(b));
}

static void put_r(struct rec *r, const char *name, double x)
{
    put(r, name, json_real(x));
}

static enum sh_code rec_insert(struct rec *r, struct db_tx *tx, const char *label, int64_t *id,
                               struct sh_err *e)
{
    enum sh_code rc = r->rc;
    struct sh_err *src = &r->e;
    if (!rc) {
        const struct uc u = cli_uc(tx, &r->d->row, &r->d->app);
        rc = uc_ent_insert(&u, r->ent, r->vals, id, NULL, &r->e);
    }
    if (rc)
        sh_err_field(e, rc, src->field, "%s %s: %s", r->ent->name, label, src->msg);
    sh_arena_release(&r->d->row);
    sh_arena_init(&r->d->row, 0);
    return rc;
}

/* ---- the data ---- */

/* The skill catalogue: every code the models' required_skills use (review 71 #15); the demo
 * technicians hold them in demo_work_orders.c. */
static enum sh_code load_skills(struct demo *d, struct db_tx *tx, struct sh_err *e)
{
    static const char *const skills[][3] = {
        {"led", "LED显示屏", "skill"},
        {"electrical", "电气", "skill"},
        {"high_work", "高处作业证", "authorisation"},
        {"dental", "口腔设备", "skill"},
        {"plumbing", "水路管道", "skill"},
        {"xray", "放射工作人员证", "authorisation"},
        {"analysis", "分析仪器", "skill"},
        {"gas", "气路与气瓶", "skill"},
        {"software", "软件安装调试", "skill"},
        {"carpentry", "木作安装", "skill"},
        {"server", "服务器", "skill"},
        {"network", "网络", "skill"},
    };
    for (size_t i = 0; i < sizeof skills / sizeof skills[0]; i++) {
        struct rec r;
        rec_begin(&r, d, &ent_skills);
        put_s(&r, "code", skills[i][0]);
        put_s(&r, "name", skills[i][1]);
        put_s(&r, "kind", skills[i][2]);
        put_b(&r, "active", true);
        enum sh_code rc = rec_insert(&r, tx, skills[i][0], &(int64_t){0}, e);
        if (rc)
            return rc;
    }
    return SH_OK;
}

static enum sh_code load_models(struct demo *d, struct db_tx *tx, struct sh_err *e)
{
    for (int i = 0; i < DEMO_NMODELS; i++) {
        const struct demo_model *m = &demo_models[i];
        struct rec r;
        rec_begin(&r, d, &ent_models);
        put_s(&r, "code", m->code);
        put_s(&r, "name", m->name);
        put_s(&r, "series", m->series);
        put_s(&r, "category", m->category);
        put_i(&r, "warranty_months", m->months);
        put_b(&r, "install_required", m->install);
        put_s(&r, "required_skills", m->skills);
        put_i(&r, "price_fen", m->price_fen);
        enum sh_code rc = rec_insert(&r, tx, m->code, &d->model_id[i], e);
        if (rc)
            return rc;
        d->n_models++;
    }
    return SH_OK;
}

static enum sh_code load_customer(struct demo *d, struct db_tx *tx, int k, struct sh_err *e)
{
    struct cust *cu = &d->cust[k];
    cu->city = k / 3;
    const struct demo_city *c = &demo_cities[cu->city];
    int slot = k % 3;
    const char *name, *district = c->district[rndn(d, 3)];
    if (slot == 0) {
        cu->type = "company";
        cu->fam = c->inst_family;
        cu->key = cu->city % 2 == 0 || cu->fam == FAM_DENTAL;
        name = c->inst;
    } else if (slot == 1) {
        cu->type = "company";
        cu->fam = (enum demo_family)((cu->city + 2) % FAM_COUNT);
        cu->key = cu->city % 5 == 1;
        name = sh_arena_printf(&d->row, "%s市%s%s", c->city, demo_brands[cu->city % demo_nbrands],
                               demo_industries[cu->fam]);
    } else if (cu->city % 3 != 1) {
        cu->type = "dealer";
        cu->fam = (enum demo_family)(cu->city % FAM_COUNT);
        cu->key = false;
        name = sh_arena_printf(&d->row, "%s%s商贸有限公司", c->city,
                               demo_brands[(cu->city + 7) % demo_nbrands]);
        if (d->first_dealer < 0)
            d->first_dealer = k;
    } else {
        cu->type = "individual";
        cu->fam = FAM_KITCHEN;
        cu->key = false;
        name = person(d);
    }
    bool person_kind = !strcmp(cu->type, "individual");
    const char *code = sh_arena_printf(&d->row, "DEMO-%04d", k + 1);
    struct rec r;
    rec_begin(&r, d, &ent_customers);
    put_s(&r, "code", code);
    put_s(&r, "name", name);
    put_s(&r, "type", cu->type);
    put_b(&r, "is_key", cu->key);
    put_s(&r, "province", c->province);
    put_s(&r, "city", c->city);
    put_s(&r, "region", c->region);
    put_s(&r, "address", address(d, c, district));
    put_s(&r, "phone", person_kind ? mobile(d) : landline(d, c));
    if (!person_kind)
        put_s(&r, "email", sh_arena_printf(&d->row, "service%04d@demo.shouhou.cn", k + 1));
    if (cu->key)
        put_s(&r, "notes", "重点客户：每季度回访，故障 4 小时内响应");
    put_s(&r, "first_contact_at",
          sh_arena_printf(&d->row, "%sT%02d:%02d:00+08:00", datestr(d, day0() - 400 + rndn(d, 380)),
                          9 + rndn(d, 8), rndn(d, 60)));
    put_s(&r, "first_contact_note", slot == 2 ? "展会现场登记" : "官网留言咨询");
    enum sh_code rc = rec_insert(&r, tx, code, &cu->id, e);
    if (rc)
        return rc;
    d->n_cust++;

    /* two contacts */
    static const char *const pos_org[] = {"设备科科长", "采购经理", "行政主管",
                                          "IT运维主管", "总经理",   "售后对接人"};
    static const char *const pos_person[] = {"本人", "家属"};
    for (int i = 0; i < 2; i++) {
        rec_begin(&r, d, &ent_contacts);
        put_i(&r, "customer_id", cu->id);
        put_s(&r, "name", person(d));
        put_s(&r, "phone", mobile(d));
        put_s(&r, "position", person_kind ? pos_person[i] : pos_org[rndn(d, 6)]);
        int64_t id;
        if ((rc = rec_insert(&r, tx, code, &id, e)))
            return rc;
        d->n_contacts++;
    }

    /* sites: one, two for key customers */
    cu->nsite = cu->key ? 2 : 1;
    static const char *const kinds[] = {"院区", "办公区", "厂区", "机房", "门店"};
    for (int i = 0; i < cu->nsite; i++) {
        const char *dist = c->district[(rndn(d, 3) + i) % 3];
        rec_begin(&r, d, &ent_sites);
        put_i(&r, "customer_id", cu->id);
        put_s(&r, "name",
              person_kind
                  ? "家庭住址"
                  : sh_arena_printf(&d->row, "%s%s", dist, kinds[slot == 0 ? 0 : 1 + rndn(d, 4)]));
        put_s(&r, "province", c->province);
        put_s(&r, "city", c->city);
        put_s(&r, "address", address(d, c, dist));
        put_r(&r, "latitude", c->lat + jitter(d, 0.08));
        put_r(&r, "longitude", c->lon + jitter(d, 0.08));
        if ((rc = rec_insert(&r, tx, code, &cu->site[i], e)))
            return rc;
        d->n_sites++;
    }

    /* contracts: organisations have one, key customers two */
    cu->ncontract = person_kind ? 0 : cu->key ? 2 : 1;
    for (int i = 0; i < cu->ncontract; i++) {
        int64_t signed_day = day0() + rndn(d, 365 * 3);
        int64_t start = signed_day + rndn(d, 30);
        struct sh_date sd = sh_civil_from_days(signed_day);
        const char *number = sh_arena_printf(&d->row, "HT-%d-%04d", sd.y, d->n_contracts + 1);
        rec_begin(&r, d, &ent_contracts);
        put_s(&r, "number", number);
        put_i(&r, "customer_id", cu->id);
        put_s(&r, "signed_date", datestr(d, signed_day));
        put_s(&r, "start_date", datestr(d, start));
        put_s(&r, "end_date", datestr(d, start + 365 * (1 + rndn(d, 3)) - 1));
        if (cu->key || chance(d, 25))
            put_i(&r, "warranty_months", cu->key ? 36 : 24);
        put_b(&r, "installation_included", chance(d, 70));
        put_i(&r, "training_seats", chance(d, 50) ? 3 : 0);
        if (cu->key)
            put_s(&r, "notes", "含年度预防性维护两次");
        if ((rc = rec_insert(&r, tx, number, &cu->contract[i], e)))
            return rc;
        d->n_contracts++;
    }
    return SH_OK;
}

/* Picks a model of family f by weight. */
static int pick_model(struct demo *d, enum demo_family f)
{
    int total = 0;
    for (int i = 0; i < DEMO_NMODELS; i++)
        if (demo_models[i].fam == f)
            total += demo_models[i].weight;
    int x = rndn(d, total);
    for (int i = 0; i < DEMO_NMODELS; i++)
        if (demo_models[i].fam == f && (x -= demo_models[i].weight) < 0)
            return i;
    return 0;
}

static enum sh_code load_unit(struct demo *d, struct db_tx *tx, int n, struct sh_err *e)
{
    /* key customers buy about three times as much */
    int k;
    do
        k = rndn(d, NCUST);
    while (!d->cust[k].key && chance(d, 60));
    struct cust *cu = &d->cust[k];
    int mi = pick_model(d, chance(d, 85) ? cu->fam : (enum demo_family)rndn(d, FAM_COUNT));
    const struct demo_model *m = &demo_models[mi];
    int64_t prod = day0() + rndn(d, (int)(day_end() - day0() - 20));
    int64_t ship = prod + 5 + rndn(d, 56);
    bool shipped = ship <= day_end();
    int64_t inst = ship + 3 + rndn(d, 38);
    bool installed = shipped && m->install && inst <= day_end() && chance(d, 88);
    struct sh_date pd = sh_civil_from_days(prod);
    struct rec r;
    rec_begin(&r, d, &ent_units);
    const char *serial =
        sh_arena_printf(&d->row, "%s-%02d%02d-%05d", m->code, pd.y % 100, pd.m, n + 1);
    put_s(&r, "serial_no", serial);
    put_i(&r, "model_id", d->model_id[mi]);
    put_s(&r, "production_date", datestr(d, prod));
    if (!shipped) {
        put_s(&r, "status", "in_stock");
    } else {
        put_i(&r, "customer_id", cu->id);
        put_s(&r, "ship_date", datestr(d, ship));
        if (installed) {
            put_s(&r, "install_date", datestr(d, inst));
            if (cu->nsite && chance(d, 80))
                put_i(&r, "site_id", cu->site[rndn(d, cu->nsite)]);
            if (chance(d, 3))
                put_s(&r, "status", chance(d, 70) ? "in_repair" : "scrapped");
        } else if (chance(d, 2)) {
            put_s(&r, "status", "returned");
        }
        if (cu->ncontract && chance(d, 45))
            put_i(&r, "contract_id", cu->contract[rndn(d, cu->ncontract)]);
        if (chance(d, 1))
            put_s(&r, "warranty_end_override", datestr(d, ship + 365 * 5));
        if (chance(d, 3))
            put_s(&r, "notes", "客户要求每年巡检一次");
    }
    int64_t id;
    enum sh_code rc = rec_insert(&r, tx, serial, &id, e);
    if (!rc) {
        d->n_units++;
        d->n_installed += installed;
    }
    return rc;
}

/* The id of the record of ent whose col is value; 0 when there is none. */
static enum sh_code find_id(const struct uc *u, const struct entity *ent, const char *col,
                            const char *value, int64_t *id, struct sh_err *e)
{
    *id = 0;
    enum sh_code rc = uc_ent_find(u, ent, col, value, id, e);
    if (rc == SH_NOT_FOUND) {
        sh_err_clear(e);
        rc = SH_OK;
    }
    return rc;
}

static enum sh_code load_users(struct demo *d, struct db_tx *tx, struct sh_err *e)
{
    const struct uc uc = cli_uc(tx, &d->keep, &d->app);
    enum sh_code rc;
    for (int i = 0; i < demo_nusers; i++) {
        const struct demo_user *u = &demo_users[i];
        int64_t id;
        if ((rc = find_id(&uc, &ent_users, "username", u->username, &id, e)))
            return rc;
        if (id) {
            d->n_users_existing++;
            continue;
        }
        struct user_in in = {.username = u->username,
                             .display_name = u->display,
                             .roles = u->roles,
                             .phone = mobile(d),
                             .password_hash = d->hash};
        if (u->dept && (rc = find_id(&uc, &ent_departments, "code", u->dept, &in.department_id, e)))
            return rc;
        if (u->customer != -1) {
            /* the demo customers by code, so that this also works on a second run */
            int k = u->customer == -2 ? d->first_dealer : u->customer;
            const char *code = sh_arena_printf(&d->keep, "DEMO-%04d", k + 1);
            if ((rc = find_id(&uc, &ent_customers, "code", code, &in.customer_id, e)))
                return rc;
        }
        struct sh_err ue;
        sh_err_clear(&ue);
        if ((rc = uc_user_create(&uc, &in, &id, &ue)))
            return sh_err_field(e, rc, ue.field, "user %s: %s", u->username, ue.msg);
        d->n_users++;
    }
    return SH_OK;
}

static enum sh_code demo_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct demo *d = arg;
    const struct uc uc = cli_uc(tx, &d->keep, &d->app);
    int64_t marker;
    enum sh_code rc = find_id(&uc, &ent_customers, "code", MARKER_CODE, &marker, e);
    if (rc)
        return rc;
    /* the same sequence of dealers whether or not this run loads the data */
    d->first_dealer = 2;
    d->loaded_before = marker > 0;
    if (!d->loaded_before) {
        d->first_dealer = -1;
        if ((rc = load_skills(d, tx, e)) || (rc = load_models(d, tx, e)))
            return rc;
        for (int k = 0; k < NCUST; k++)
            if ((rc = load_customer(d, tx, k, e)))
                return rc;
        for (int n = 0; n < d->nunits; n++)
            if ((rc = load_unit(d, tx, n, e)))
                return rc;
    }
    if (d->hash && (rc = load_users(d, tx, e)))
        return rc;
    /* completed tickets with their satisfaction surveys (issue 11 item 6) */
    if (!d->loaded_before && d->hash &&
        (rc = demo_surveys(&d->app, tx, &d->keep, &d->n_surveys, e)))
        return rc;
    /* the checklists of the source documents (issue 11 item 4) */
    const struct uc u = cli_uc(tx, &d->keep, &d->app);
    int ncl, n_wo, nrep;
    if ((rc = demo_checklists(&u, &ncl, e)))
        return rc;
    /* issue 11: a work order in every state (needs the demo users), periodic visits, then
     * signed reports */
    if (d->hash && (rc = demo_work_orders(tx, &d->keep, &d->app, &n_wo, e)))
        return rc;
    if ((rc = demo_visits(&u, &d->n_plans, &d->n_visits, e)))
        return rc;
    int n_shp; /* issue 12: a shipment in every state */
    if ((rc = demo_shipments(&u, &n_shp, e)))
        return rc;
    int nproj; /* issue 12: installation projects in every state, before the reports sign */
    if ((rc = demo_projects(&u, &nproj, e)))
        return rc;
    if (d->hash && (rc = demo_trips(&u, e))) /* issue 12 item 4: business trips */
        return rc;
    if ((rc = demo_fees(&u, &(int){0}, e))) /* issue 13: secondments, waiting on site */
        return rc;
    if ((rc = demo_charges(&u, &(int){0}, e))) /* issue 13 item 6: charges, payments */
        return rc;
    if ((rc = demo_quotes(&u, &(int){0}, e))) /* issue 13 item 5: a quote in every state */
        return rc;
    if ((rc = demo_dealer(&u, &(int){0}, e))) /* issue 13 item 2: dealers' applications */
        return rc;
    if ((rc = demo_parts(&u, &(int){0}, e))) /* issue 14 item 1: parts, vans, the ledger */
        return rc;
    if ((rc = demo_know(&u, &(int){0}, e))) /* issue 18 item 4: knowledge base */
        return rc;
    if ((rc = demo_reports(&u, &nrep, e)))
        return rc;
    if ((rc = demo_approvals(&u, &nrep, e))) /* issue 12 items 3 and 7 */
        return rc;
    if ((rc = demo_rma(&u, &(int){0}, e))) /* issue 14 item 2: an RMA in every state */
        return rc;
    if ((rc = demo_dept(&u, e))) /* issue 14 items 4-5, issue 18 */
        return rc;
    return demo_notifications(&u, e); /* issue 15: a message in every state */
}

int cmd_demo(int argc, char **argv)
{
    static const char usage[] =
        "usage: shouhou demo [--db URL] [--config FILE] [--units N] [--password-file FILE]\n"
        "loads demo data (customers, contacts, sites, models, contracts, units) in one\n"
        "transaction; with --password-file also a user per role (gm, dept_head, agent,\n"
        "sales, finance, logistics, warehouse, dispatcher, technician, qc, purchasing,\n"
        "customer, dealer) with that password. A second run changes nothing.\n";
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"config", required_argument, NULL, 'c'},
        {"units", required_argument, NULL, 'u'}, {"password-file", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *db_url = NULL, *config = NULL, *pwfile = NULL;
    long units = 3000;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db_url = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 'u': {
            char *end;
            units = strtol(optarg, &end, 10);
            if (*end || units < 0 || units > MAX_UNITS) {
                fprintf(stderr, "shouhou: --units must be 0 to %d\n", MAX_UNITS);
                return 2;
            }
            break;
        }
        case 'p':
            pwfile = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return 2;
    }
    struct sh_err e;
    sh_err_clear(&e);
    struct sh_config cfg; /* first: it sets the cost of the hash below */
    if (!cli_config(config, &cfg))
        return CLI_EXIT_CONFIG;
    char hash[128];
    if (pwfile) {
        /* argon2id is slow: hash once, before the write transaction */
        char pw[256];
        if (!cli_read_secret(pwfile, pw, sizeof(pw)))
            return 1;
        bool weak = password_policy_check(pw, NULL, "password", &e) != SH_OK;
        for (int i = 0; !weak && i < demo_nusers; i++) /* every demo user shares it */
            weak = password_policy_check(pw, demo_users[i].username, "password", &e) != SH_OK;
        if (weak || pw_hash(pw, hash, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            return 1;
        }
    }
    if (db_url && config_set(&cfg, "db", db_url, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    struct db *db;
    if (!cli_open_db(&cfg, &db))
        return 1;
    struct demo *d = calloc(1, sizeof(*d));
    if (!d) {
        db_close(db);
        return 1;
    }
    d->app.db = db;
    d->app.web_root = cfg.web_root;
    d->app.data_dir = cfg.data_dir;
    sh_arena_init(&d->row, 0);
    sh_arena_init(&d->keep, 0);
    d->rng = 0x5348554F48F0ull; /* "SHOUHOU" */
    d->nunits = (int)units;
    d->hash = pwfile ? hash : NULL;
    int64_t t0 = sh_mono_ns();
    int ret = 0;
    if (db_write(db, demo_run, d, &e)) {
        fprintf(stderr, "shouhou: demo not loaded (nothing written): %s\n", e.msg);
        ret = 1;
    } else if (d->loaded_before) {
        if (d->n_users)
            printf("demo data already loaded; added %d missing demo users\n", d->n_users);
        else
            printf("demo data already loaded (customer %s exists); nothing changed\n", MARKER_CODE);
    } else {
        int provinces = 0;
        for (int i = 0; i < DEMO_NCITIES; i++) {
            bool seen = false;
            for (int j = 0; j < i; j++)
                seen |= !strcmp(demo_cities[i].province, demo_cities[j].province);
            provinces += !seen;
        }
        printf("demo loaded in %.2f s: %d customers in %d provinces, %d contacts, %d sites, "
               "%d models, %d contracts, %d units (%d installed), %d users, %d visit plans "
               "(%d visits), %d surveys%s\n",
               (double)(sh_mono_ns() - t0) / 1e9, d->n_cust, provinces, d->n_contacts, d->n_sites,
               d->n_models, d->n_contracts, d->n_units, d->n_installed, d->n_users, d->n_plans,
               d->n_visits, d->n_surveys, d->hash ? "" : " (no --password-file: no users)");
    }
    sh_arena_release(&d->row);
    sh_arena_release(&d->keep);
    free(d);
    db_close(db);
    return ret;
}

/* SPDX-License-Identifier: MIT */
#include "app/report_doc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/sh_buf.h"

#define BEIJING_OFFSET_S (8 * 3600) /* Asia/Shanghai has no daylight saving time */

struct bld {
    struct sh_arena *a;
    const struct report_doc_in *in;
};

static const char *L(const struct bld *b, const char *key, const char *fallback)
{
    const char *s = b->in->label ? b->in->label(b->in->label_ctx, key, fallback) : NULL;
    return s ? s : fallback;
}

/* A string member ("" when missing or null); numbers as their text. */
static const char *S(struct sh_arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return sh_arena_strdup(a, json_string_value(v));
    if (json_is_integer(v))
        return sh_arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return sh_arena_printf(a, "%g", json_real_value(v));
    return "";
}

/* fmt with each {name} of kv (name, value, ..., NULL) replaced by its value. */
static const char *fill(struct sh_arena *a, const char *fmt, const char *const *kv)
{
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    for (const char *p = fmt; *p;) {
        bool done = false;
        for (int i = 0; *p == '{' && kv[i]; i += 2) {
            size_t n = strlen(kv[i]);
            if (!strncmp(p + 1, kv[i], n) && p[1 + n] == '}') {
                if (sh_buf_adds(&b, kv[i + 1] ? kv[i + 1] : "")) {
                } /* a label over 64 KB is cut */
                p += n + 2;
                done = true;
                break;
            }
        }
        if (!done && sh_buf_addc(&b, *p++)) {
        }
    }
    const char *out = sh_arena_strdup(a, b.buf);
    sh_buf_release(&b);
    return out;
}

const char *report_local_time(struct sh_arena *a, const char *ts)
{
    int64_t t;
    if (!ts || !*ts || !sh_ts_parse(ts, &t))
        return ts ? ts : "";
    char u[21];
    sh_ts_format(t + BEIJING_OFFSET_S, u); /* YYYY-MM-DDTHH:MM:SSZ */
    return sh_arena_printf(a, "%.10s %.5s", u, u + 11);
}

static const char *lateness(const struct bld *b, json_t *wo)
{
    json_t *v = json_object_get(wo, "lateness_min");
    const char *late = S(b->a, wo, "late_notice"), *txt;
    if (!json_is_integer(v))
        txt = L(b, "report.pdf.not_arrived", "—");
    else if (json_integer_value(v) <= 0)
        txt = L(b, "report.pdf.on_time", "on time");
    else
        txt = fill(b->a, L(b, "report.pdf.late_by", "{n} min late"),
                   (const char *const[]){"n", S(b->a, wo, "lateness_min"), NULL});
    if (*late) {
        const char *k = sh_arena_printf(b->a, "report.pdf.late_notice.%s", late);
        txt = sh_arena_printf(b->a, "%s；%s", txt, L(b, k, late));
    }
    return txt;
}

static const char *technicians(const struct bld *b, json_t *snap)
{
    json_t *t = json_object_get(snap, "technicians");
    const char *s = S(b->a, t, "lead");
    json_t *h = json_object_get(t, "helpers");
    for (size_t i = 0; i < json_array_size(h); i++) {
        json_t *x = json_array_get(h, i);
        if (json_is_string(x))
            s = *s ? sh_arena_printf(b->a, "%s、%s", s, json_string_value(x))
                   : sh_arena_strdup(b->a, json_string_value(x));
    }
    return s;
}

/* 4.5, 10, 0.3: hours to a tenth, without a trailing ".0" */
static const char *hours_text(struct sh_arena *a, double h)
{
    char *s = sh_arena_printf(a, "%.1f", h);
    size_t n = strlen(s);
    if (n > 2 && !strcmp(s + n - 2, ".0"))
        s[n - 2] = '\0';
    return s;
}

#define NFIELDS 14

static void fields(const struct bld *b, json_t *snap, struct rpdf_doc *d)
{
    struct sh_arena *a = b->a;
    json_t *wo = json_object_get(snap, "work_order"), *tk = json_object_get(snap, "ticket"),
           *cu = json_object_get(snap, "customer"), *un = json_object_get(snap, "unit");
    struct rpdf_field *f = sh_arena_alloc(a, sizeof(*f) * NFIELDS);
    int n = 0;
    const char *contact = S(a, tk, "caller_name"), *phone = S(a, tk, "caller_phone");
    const char *addr = S(a, un, "site_address");
    const char *model = S(a, un, "model"), *code = S(a, un, "model_code");
    const char *billing = S(a, tk, "billing");
    json_t *lm = json_object_get(wo, "labour_minutes");
    double hours = json_is_integer(lm) ? (double)json_integer_value(lm) / 60.0 : 0;
    f[n++] = (struct rpdf_field){L(b, "report.pdf.customer", "Customer"), S(a, cu, "name")};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.contact", "Contact"),
                                 *phone ? sh_arena_printf(a, "%s %s", contact, phone) : contact};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.address", "Address"),
                                 *addr ? addr : S(a, cu, "address")};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.unit", "Unit"),
                                 *code ? sh_arena_printf(a, "%s（%s）", model, code) : model};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.serial", "Serial no."), S(a, un, "serial_no")};
    f[n++] = (struct rpdf_field){
        L(b, "report.pdf.billing", "Billing"),
        *billing ? L(b, sh_arena_printf(a, "report.pdf.billing.%s", billing), billing) : ""};
    const char *appt = S(a, wo, "appointment_at"); /* none for a factory repair step */
    f[n++] = (struct rpdf_field){
        L(b, "report.pdf.appointment", "Appointment"),
        *appt ? fill(a, L(b, "report.pdf.window", "{time} ± {tolerance} min"),
                     (const char *const[]){"time", report_local_time(a, appt), "tolerance",
                                           S(a, wo, "tolerance_min"), NULL})
              : ""};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.arrival", "Arrival"),
                                 report_local_time(a, S(a, wo, "arrived_at"))};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.lateness", "Lateness"), lateness(b, wo)};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.labour", "Labour"),
                                 fill(a, L(b, "report.pdf.hours", "{h} h"),
                                      (const char *const[]){"h", hours_text(a, hours), NULL})};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.technician", "Technician"), technicians(b, snap)};
    f[n++] = (struct rpdf_field){L(b, "report.pdf.fault_category", "Fault category"),
                                 S(a, tk, "fault_category")};
    json_t *q = json_object_get(snap, "quote"), *qt = json_object_get(q, "total_fen");
    if (json_is_object(q)) { /* a chargeable job: what the customer accepted */
        long long fen = json_is_integer(qt) ? (long long)json_integer_value(qt) : 0;
        f[n++] = (struct rpdf_field){L(b, "report.pdf.quote", "Accepted quote"),
                                     sh_arena_printf(a, "%s · ¥%lld.%02lld", S(a, q, "number"),
                                                     fen / 100, llabs(fen % 100))};
    }
    d->fields = f;
    d->nfields = n;
}

static void texts(const struct bld *b, json_t *snap, struct rpdf_doc *d)
{
    struct sh_arena *a = b->a;
    json_t *wo = json_object_get(snap, "work_order"), *tk = json_object_get(snap, "ticket");
    struct rpdf_text *t = sh_arena_alloc(a, sizeof(*t) * 5);
    int n = 0;
    t[n++] = (struct rpdf_text){L(b, "report.pdf.fault", "Fault"), S(a, tk, "description")};
    t[n++] = (struct rpdf_text){L(b, "report.pdf.findings", "Findings"), S(a, wo, "findings")};
    t[n++] = (struct rpdf_text){L(b, "report.pdf.work_done", "Work done"), S(a, wo, "work_done")};
    t[n++] = (struct rpdf_text){L(b, "report.pdf.result", "Result"), S(a, wo, "result_note")};
    const char *comment =
        b->in->is_signed && b->in->comment ? b->in->comment : S(a, wo, "customer_comment");
    t[n++] = (struct rpdf_text){L(b, "report.pdf.comment", "Customer's comment"), comment};
    d->texts = t;
    d->ntexts = n;
}

static void parts_table(const struct bld *b, json_t *snap, struct rpdf_table *t)
{
    struct sh_arena *a = b->a;
    json_t *p = json_object_get(snap, "parts");
    int n = (int)json_array_size(p);
    const char **cells = sh_arena_alloc(a, sizeof(char *) * 5 * (size_t)(n ? n : 1));
    double total = 0;
    for (int i = 0; i < n; i++) {
        json_t *r = json_array_get(p, (size_t)i);
        json_t *q = json_object_get(r, "quantity");
        total += json_is_number(q) ? json_number_value(q) : 0;
        const char **c = cells + i * 5;
        c[0] = sh_arena_printf(a, "%d", i + 1);
        const char *code = S(a, r, "code"); /* a catalogue part consumed from a van */
        c[1] = *code ? sh_arena_printf(a, "%s %s", code, S(a, r, "name")) : S(a, r, "name");
        c[2] = json_is_number(q) ? sh_arena_printf(a, "%g", json_number_value(q)) : "";
        c[3] = S(a, r, "unit");
        c[4] = S(a, r, "note");
    }
    *t = (struct rpdf_table){
        .title = L(b, "report.pdf.parts", "Parts used"),
        .ncols = 5,
        .head = {L(b, "report.pdf.col.no", "No."), L(b, "report.pdf.col.part", "Part"),
                 L(b, "report.pdf.col.quantity", "Qty"), L(b, "report.pdf.col.unit", "Unit"),
                 L(b, "report.pdf.col.note", "Note")},
        .width = {0.6, 4, 1, 1, 3},
        .cells = cells,
        .nrows = n,
        .empty = L(b, "report.pdf.none", "none"),
        .foot = {L(b, "report.pdf.total", "Total"), "", sh_arena_printf(a, "%g", total), "", ""},
    };
    if (!n)
        t->foot[0] = NULL;
}

static void checklist_table(const struct bld *b, json_t *snap, struct rpdf_table *t)
{
    struct sh_arena *a = b->a;
    json_t *cl = json_object_get(snap, "checklist"), *items = json_object_get(cl, "items");
    int n = (int)json_array_size(items);
    const char **cells = sh_arena_alloc(a, sizeof(char *) * 5 * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        json_t *r = json_array_get(items, (size_t)i), *ok = json_object_get(r, "passed");
        const char **c = cells + i * 5;
        c[0] = S(a, r, "label");
        c[1] = json_is_true(ok)    ? L(b, "report.pdf.pass", "pass")
               : json_is_false(ok) ? L(b, "report.pdf.fail", "FAIL")
                                   : L(b, "report.pdf.unanswered", "—");
        const char *v = S(a, r, "value");
        c[2] = *v ? sh_arena_printf(a, "%s %s", v, S(a, r, "unit")) : "";
        c[3] = S(a, r, "limit");
        c[4] = S(a, r, "note");
    }
    *t = (struct rpdf_table){
        .title = fill(a, L(b, "report.pdf.checklist", "Self-check {name}"),
                      (const char *const[]){"name", S(a, cl, "template"), NULL}),
        .ncols = 5,
        .head = {L(b, "report.pdf.col.item", "Item"), L(b, "report.pdf.col.result", "Result"),
                 L(b, "report.pdf.col.value", "Measured"), L(b, "report.pdf.col.limit", "Limit"),
                 L(b, "report.pdf.col.note", "Note")},
        .width = {4, 1, 1.4, 1.4, 2.4},
        .cells = cells,
        .nrows = n,
        .empty = json_is_object(cl) ? L(b, "report.pdf.none", "none") : NULL,
    };
}

static void photos_table(const struct bld *b, json_t *snap, struct rpdf_table *t)
{
    struct sh_arena *a = b->a;
    json_t *p = json_object_get(snap, "photos");
    int n = (int)json_array_size(p);
    const char **cells = sh_arena_alloc(a, sizeof(char *) * 3 * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        json_t *r = json_array_get(p, (size_t)i);
        const char **c = cells + i * 3;
        const char *ph = S(a, r, "phase");
        c[0] = L(b, sh_arena_printf(a, "report.pdf.phase.%s", ph), ph);
        c[1] = S(a, r, "filename");
        c[2] = report_local_time(a, S(a, r, "taken_at"));
    }
    *t = (struct rpdf_table){
        .title = L(b, "report.pdf.photos", "Photos"),
        .ncols = 3,
        .head = {L(b, "report.pdf.col.phase", "When"), L(b, "report.pdf.col.file", "File"),
                 L(b, "report.pdf.col.time", "Time")},
        .width = {1, 4, 2},
        .cells = cells,
        .nrows = n,
    };
}

/* Charges (when there are any): item and amount in yuan, with their total. */
static void charges_table(const struct bld *b, json_t *snap, struct rpdf_table *t)
{
    struct sh_arena *a = b->a;
    json_t *p = json_object_get(snap, "charges");
    int n = (int)json_array_size(p);
    const char **cells = sh_arena_alloc(a, sizeof(char *) * 2 * (size_t)(n ? n : 1));
    long long total = 0;
    for (int i = 0; i < n; i++) {
        json_t *r = json_array_get(p, (size_t)i), *f = json_object_get(r, "amount_fen");
        long long fen = json_is_integer(f) ? (long long)json_integer_value(f) : 0;
        total += fen;
        cells[i * 2] = S(a, r, "item");
        cells[i * 2 + 1] = sh_arena_printf(a, "¥%lld.%02lld", fen / 100, llabs(fen % 100));
    }
    *t = (struct rpdf_table){
        .title = L(b, "report.pdf.charges", "Charges"),
        .ncols = 2,
        .head = {L(b, "report.pdf.col.charge", "Item"), L(b, "report.pdf.col.amount", "Amount")},
        .width = {4, 1.5},
        .cells = cells,
        .nrows = n,
        .foot = {L(b, "report.pdf.total", "Total"),
                 sh_arena_printf(a, "¥%lld.%02lld", total / 100, llabs(total % 100))},
    };
}

static void signature(const struct bld *b, struct rpdf_doc *d)
{
    const struct report_doc_in *in = b->in;
    d->sign_title = L(b, "report.pdf.signature", "Customer's signature");
    d->unsigned_note = L(b, "report.pdf.unsigned", "not signed yet");
    if (!in->is_signed)
        return;
    d->signature = in->signature;
    d->signature_len = in->signature_len;
    struct rpdf_field *f = sh_arena_alloc(b->a, sizeof(*f) * 2);
    f[0] = (struct rpdf_field){L(b, "report.pdf.signer", "Signed by"),
                               in->signer_name ? in->signer_name : ""};
    f[1] = (struct rpdf_field){L(b, "report.pdf.signed_at", "Signed at"),
                               report_local_time(b->a, in->signed_at)};
    d->sign_fields = f;
    d->nsign_fields = 2;
}

enum sh_code report_doc_build(struct sh_arena *a, const struct report_doc_in *in,
                              struct rpdf_doc *d, struct sh_err *e)
{
    json_error_t je;
    json_t *snap = in->snapshot ? json_loads(in->snapshot, 0, &je) : NULL;
    if (!json_is_object(snap)) {
        json_decref(snap);
        return sh_err_set(e, SH_INVALID, "the report snapshot is not a JSON object");
    }
    struct bld b = {a, in};
    *d = (struct rpdf_doc){0};
    json_t *wo = json_object_get(snap, "work_order"), *tk = json_object_get(snap, "ticket");
    d->company = in->company ? in->company : L(&b, "report.pdf.company", "After-sales service");
    d->title = L(&b, "report.pdf.title", "After-sales service report");
    const char *sub = fill(
        a, L(&b, "report.pdf.subtitle", "Ticket {ticket} · Work order {work_order} · v{version}"),
        (const char *const[]){"ticket", S(a, tk, "number"), "work_order", S(a, wo, "number"),
                              "version", sh_arena_printf(a, "%d", in->version), NULL});
    d->subtitle = in->is_signed ? sub
                                : sh_arena_printf(a, "%s %s", sub,
                                                  L(&b, "report.pdf.draft", "(draft, unsigned)"));
    d->qr_text = in->status_url;
    d->qr_caption = L(&b, "report.pdf.qr_caption", "Scan for the status");
    d->page_label = L(&b, "report.pdf.page", "Page {page} of {pages}");
    fields(&b, snap, d);
    texts(&b, snap, d);
    struct rpdf_table *t = sh_arena_alloc(a, sizeof(*t) * 4);
    parts_table(&b, snap, &t[0]);
    checklist_table(&b, snap, &t[1]);
    photos_table(&b, snap, &t[2]);
    charges_table(&b, snap, &t[3]);
    d->tables = t;
    d->ntables = 4;
    signature(&b, d);
    json_decref(snap);
    return SH_OK;
}

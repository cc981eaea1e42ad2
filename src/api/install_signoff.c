/* SPDX-License-Identifier: MIT */
/* The signed forms of an installation project: POST /{id}/acceptance (F-24), POST
 * /{id}/training (F-25), GET /{id}/acceptance.pdf and /{id}/training.pdf, and the configured
 * training topics (GET /api/v1/training-topics). */
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "api/export.h"
#include "api/install_projects.h"
#include "api/pdf.h"
#include "app/service_reports.h"

#define IMAGE_B64_MAX (1 << 20)

static const struct col sign_cols[] = {
    {"signer_name", F_STR, COL_REQUIRED, IP_NAME_MAX, NULL, 0, 0, NULL},
    {"image_png_base64", F_TEXT, COL_REQUIRED, IMAGE_B64_MAX, NULL, 0, 0, NULL},
    {"comment", F_TEXT, 0, IP_NOTE_MAX, NULL, 0, 0, NULL},
    {"trained_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
};
enum { S_SIGNER, S_IMAGE, S_COMMENT, S_DATE, S_COUNT };

struct sign_ctx {
    struct api_ctx *c;
    bool training;
    struct ip_sign_in in;
    struct ip_trainee trainees[IP_TRAINEES_MAX];
    const char *topics[IP_TOPICS_MAX];
    bool has_trainees, has_topics;
    struct ip_view out;
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static const char *str_of(struct api_ctx *c, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? sh_arena_strdup(c->a, json_string_value(v)) : NULL;
}

static enum sh_code parse_trainees(struct api_ctx *c, json_t *v, struct sign_ctx *x,
                                   struct sh_err *e)
{
    if (!json_is_array(v))
        return bad(e, "trainees", "invalid_format", "trainees is an array of objects");
    if (json_array_size(v) > IP_TRAINEES_MAX) {
        sh_err_field(e, SH_INVALID, "trainees", "at most %d trainees", IP_TRAINEES_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", IP_TRAINEES_MAX);
    }
    size_t i;
    json_t *t;
    json_array_foreach(v, i, t)
    {
        const char *key;
        json_t *f;
        if (!json_is_object(t))
            return bad(e, "trainees", "invalid_format", "a trainee is {name, position}");
        json_object_foreach(t, key, f)
        {
            if ((strcmp(key, "name") && strcmp(key, "position")) || !json_is_string(f))
                return bad(e, "trainees", "invalid_format", "a trainee is {name, position}");
        }
        x->trainees[i] = (struct ip_trainee){str_of(c, t, "name"), str_of(c, t, "position")};
    }
    x->in.ntrainees = (int)json_array_size(v);
    x->has_trainees = true;
    return SH_OK;
}

static enum sh_code sign_arr(struct api_ctx *c, void *arg, const char *key, json_t *v, bool *known,
                             struct sh_err *e)
{
    struct sign_ctx *x = arg;
    if (x->training && !strcmp(key, "trainees"))
        return parse_trainees(c, v, x, e);
    if (!x->training || strcmp(key, "topics"))
        return *known = false, SH_OK;
    if (!json_is_array(v))
        return bad(e, "topics", "invalid_format", "topics is an array of strings");
    if (json_array_size(v) > IP_TOPICS_MAX) {
        sh_err_field(e, SH_INVALID, "topics", "at most %d topics", IP_TOPICS_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", IP_TOPICS_MAX);
    }
    size_t i;
    json_t *t;
    json_array_foreach(v, i, t)
    {
        if (!json_is_string(t))
            return bad(e, "topics", "invalid_format", "topics is an array of strings");
        x->topics[i] = sh_arena_strdup(c->a, json_string_value(t));
    }
    x->in.ntopics = (int)json_array_size(v);
    x->has_topics = true;
    return SH_OK;
}

static bool decode_image(struct api_ctx *c, const char *b64, struct ip_sign_in *in,
                         struct sh_err *e)
{
    const char *comma = strncmp(b64, "data:", 5) ? NULL : strchr(b64, ',');
    if (comma)
        b64 = comma + 1;
    size_t n = strlen(b64), len = 0;
    unsigned char *bin = sh_arena_alloc(c->a, n / 4 * 3 + 3);
    if (!bin || sodium_base642bin(bin, n / 4 * 3 + 3, b64, n, " \r\n", &len, NULL,
                                  sodium_base64_VARIANT_ORIGINAL)) {
        bad(e, "image_png_base64", "invalid_format", "'image_png_base64' is not base64");
        return false;
    }
    in->png = bin;
    in->png_len = len;
    return true;
}

static enum sh_code sign_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sign_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return x->training ? uc_install_training(&u, &x->in, &x->out, e)
                       : uc_install_accept(&u, &x->in, &x->out, e);
}

static void sign(struct api_ctx *c, bool training)
{
    struct sign_ctx *x = sh_arena_alloc(c->a, sizeof(*x));
    memset(x, 0, sizeof(*x));
    *x = (struct sign_ctx){.c = c, .training = training};
    struct fval v[S_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x->in.project_id))
        return;
    if (ip_parse(c, sign_cols, training ? S_COUNT : S_DATE, v, sign_arr, x, &e) ||
        (training && !x->has_trainees &&
         bad(&e, "trainees", "required", "'trainees' is required")) ||
        (training && !x->has_topics && bad(&e, "topics", "required", "'topics' is required")) ||
        !decode_image(c, v[S_IMAGE].text, &x->in, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x->in.signer_name = v[S_SIGNER].text;
    x->in.comment = v[S_COMMENT].present && !v[S_COMMENT].is_null ? v[S_COMMENT].text : NULL;
    x->in.trained_on = training && v[S_DATE].present && !v[S_DATE].is_null ? v[S_DATE].text : NULL;
    x->in.trainees = x->trainees;
    x->in.topics = x->topics;
    if (!api_write_or_reply(c, sign_run, x))
        return;
    ip_reply(c, 201, &x->out);
}

void h_ip_acceptance(struct api_ctx *c)
{
    sign(c, false);
}

void h_ip_training(struct api_ctx *c)
{
    sign(c, true);
}

/* ---- the PDFs ---- */

struct print_ctx {
    struct api_pdf pdf; /* first: api/pdf.h */
    struct api_ctx *c;
    int64_t id;
    const char *kind;
    struct ip_print p;
};

/* a write: the print is audited */
static enum sh_code print_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct print_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_install_print(&u, x->id, x->kind, &x->p, e);
    if (!rc)
        x->pdf.filename = sh_arena_printf(x->c->a, "%s-%s.pdf", x->kind, x->p.number);
    return rc;
}

static enum sh_code print_build(struct api_ctx *c, struct api_pdf *pdf, struct sh_err *e)
{
    const struct print_ctx *x = (const struct print_ctx *)pdf;
    return install_pdf_doc(c->app, export_lang(c), c->a, &x->p, &pdf->doc, e);
}

static void pdf(struct api_ctx *c, const char *kind)
{
    static const struct api_pdf_route route = {
        .write = true, .load = print_run, .build = print_build};
    struct print_ctx x = {.c = c, .kind = kind};
    if (api_param_id(c, 0, &x.id))
        api_pdf_reply(c, &route, &x.pdf);
}

void h_ip_acceptance_pdf(struct api_ctx *c)
{
    pdf(c, "acceptance");
}

void h_ip_training_pdf(struct api_ctx *c)
{
    pdf(c, "training");
}

/* ---- the configured topics ---- */

struct topics_ctx {
    struct api_ctx *c;
    const char **items;
    int n;
};

static enum sh_code topics_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct topics_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_training_topics(&u, &x->items, &x->n, e);
}

static void topic_item(struct jw *w, int i, const void *arg)
{
    jw_str(w, ((const struct topics_ctx *)arg)->items[i]);
}

void h_training_topics(struct api_ctx *c)
{
    struct topics_ctx x = {.c = c};
    if (!api_read_or_reply(c, topics_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n, .item = topic_item, .arg = &x});
}

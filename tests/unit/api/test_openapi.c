/* SPDX-License-Identifier: MIT */
/* docs/openapi.yaml must describe the router exactly: every route of
 * api_routes[] (method + pattern) is an operation of the spec, every operation
 * of the spec under /api/ is a route, and each operation's `x-roles:` lists
 * exactly the roles of its route, and each GET takes exactly the query parameters its
 * operation lists (route.query; the entity lists check theirs against the entity). The YAML
 * is scanned line by line: path keys sit at 2-space indent under `paths:`, method keys at 4
 * spaces, and `x-roles: [a, b]` and `parameters:` at 6 spaces inside an operation, each
 * parameter an item `- {name: x, in: query, ...}`, `- name: x` with `in: query` at 8 spaces,
 * or `- {$ref: '#/components/parameters/X'}` (X under `components:` `parameters:`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/roles.h"

#define MAX_OPS 512

struct op {
    char method[8]; /* upper case */
    char path[200];
    bool has_roles;
    unsigned roles;
    bool roles_ok; /* every name in x-roles was a known role */
    int line;
    char query[800]; /* " name" per query parameter, " @X" per $ref until resolved */
};

/* a parameter of components.parameters */
struct cparam {
    char key[64], name[64];
    bool query;
};

struct spec {
    struct op ops[MAX_OPS];
    int n;
    bool saw_paths;
    struct cparam cp[64];
    int ncp;
};

/* What the scanner is inside of: an operation's parameter list (item: the one being read) or
 * components.parameters. */
struct scan_st {
    struct spec *sp;
    struct op *cur;
    bool in_params, item, in_cparams;
    char name[64], in[16], ref[64];
};

/* Operations the spec documents that are not in the API route table. */
static const char *const outside_router[] = {"GET /healthz", NULL};

static const char *const methods[] = {"get",  "put",   "post",  "delete", "options",
                                      "head", "patch", "trace", NULL};

static int indent_of(const char *s)
{
    int n = 0;
    while (s[n] == ' ')
        n++;
    return n;
}

/* Copies the key of "key: ..." (quotes removed) into out; false if the line has no key. */
static bool line_key(const char *s, char *out, size_t outlen)
{
    const char *p = s;
    char quote = 0;
    if (*p == '"' || *p == '\'')
        quote = *p++;
    const char *start = p;
    while (*p && (quote ? *p != quote : *p != ':'))
        p++;
    size_t len = (size_t)(p - start);
    if (quote) {
        if (*p != quote)
            return false;
        p++;
    }
    if (*p != ':' || (p[1] && p[1] != ' ' && p[1] != '\n' && p[1] != '\r'))
        return false;
    if (len == 0 || len >= outlen)
        return false;
    memcpy(out, start, len);
    out[len] = '\0';
    return true;
}

/* Parses "[admin, gm]" (flow sequence, optional quotes) into a mask. */
static bool parse_roles(const char *s, unsigned *mask)
{
    *mask = 0;
    while (*s == ' ')
        s++;
    if (*s != '[')
        return false;
    s++;
    for (;;) {
        while (*s == ' ' || *s == ',' || *s == '"' || *s == '\'')
            s++;
        if (*s == ']')
            return true;
        if (!*s)
            return false;
        char name[32];
        size_t n = 0;
        while (*s && (isalnum((unsigned char)*s) || *s == '_') && n < sizeof(name) - 1)
            name[n++] = *s++;
        name[n] = '\0';
        if (n == 0)
            return false;
        unsigned one;
        if (!roles_parse(name, &one))
            return false;
        *mask |= one;
    }
}

/* The value of "key: v" inside a flow mapping or a plain line ("", when absent): up to a
 * comma, a brace or the end, quotes removed. */
static void flow_value(const char *s, const char *key, char *out, size_t outlen)
{
    size_t kl = strlen(key);
    out[0] = '\0';
    for (const char *p = s; (p = strstr(p, key)); p += kl) {
        if ((p != s && p[-1] != ' ' && p[-1] != '{') || strncmp(p + kl, ": ", 2))
            continue;
        p += kl + 2;
        size_t n = strcspn(p, ",}");
        while (n && p[n - 1] == ' ')
            n--;
        if (n && (*p == '\'' || *p == '"') && p[n - 1] == *p) {
            p++;
            n -= 2;
        }
        snprintf(out, outlen, "%.*s", (int)(n < outlen ? n : outlen - 1), p);
        return;
    }
}

static void item_commit(struct scan_st *st)
{
    struct op *o = st->cur;
    if (st->item && o && (st->ref[0] || !strcmp(st->in, "query"))) {
        size_t l = strlen(o->query);
        snprintf(o->query + l, sizeof(o->query) - l, " %s%s", st->ref[0] ? "@" : "",
                 st->ref[0] ? st->ref : st->name);
    }
    st->item = false;
}

/* A line at 6 spaces or more inside an operation: its parameter list. */
static void scan_op_line(struct scan_st *st, int ind, const char *body)
{
    char key[64];
    if (ind == 6 && !strncmp(body, "- ", 2) && st->in_params) {
        item_commit(st);
        st->item = true;
        flow_value(body + 2, "name", st->name, sizeof(st->name));
        flow_value(body + 2, "in", st->in, sizeof(st->in));
        const char *r = strstr(body, "#/components/parameters/");
        snprintf(st->ref, sizeof(st->ref), "%.*s", r ? (int)strcspn(r + 24, "'\"}") : 0,
                 r ? r + 24 : "");
    } else if (ind == 6) {
        item_commit(st);
        st->in_params = line_key(body, key, sizeof(key)) && !strcmp(key, "parameters");
    } else if (ind == 8 && st->item) {
        if (!st->name[0])
            flow_value(body, "name", st->name, sizeof(st->name));
        if (!st->in[0])
            flow_value(body, "in", st->in, sizeof(st->in));
    }
}

/* A line inside components (ind >= 2): components.parameters. */
static void scan_component(struct scan_st *st, int ind, const char *body)
{
    char key[64];
    struct spec *sp = st->sp;
    if (ind == 2) {
        st->in_cparams = line_key(body, key, sizeof(key)) && !strcmp(key, "parameters");
    } else if (ind == 4 && st->in_cparams && line_key(body, key, sizeof(key))) {
        assert_true(sp->ncp < (int)(sizeof(sp->cp) / sizeof(sp->cp[0])));
        struct cparam *c = &sp->cp[sp->ncp++];
        memset(c, 0, sizeof(*c));
        snprintf(c->key, sizeof(c->key), "%s", key);
        char in[16];
        flow_value(body, "name", c->name, sizeof(c->name));
        flow_value(body, "in", in, sizeof(in));
        c->query = !strcmp(in, "query");
    } else if (ind == 6 && st->in_cparams && sp->ncp > 0) {
        struct cparam *c = &sp->cp[sp->ncp - 1];
        char v[64];
        flow_value(body, "name", v, sizeof(v));
        if (v[0])
            snprintf(c->name, sizeof(c->name), "%s", v);
        flow_value(body, "in", v, sizeof(v));
        if (v[0])
            c->query = !strcmp(v, "query");
    }
}

/* The next space-separated word of p (its length in *len), NULL at the end. */
static const char *next_word(const char *p, size_t *len)
{
    p += strspn(p, " ");
    *len = strcspn(p, " ");
    return *len ? p : NULL;
}

/* Replaces each " @X" of the operations' query lists with X's name (or nothing). */
static void resolve_refs(struct spec *sp)
{
    for (int i = 0; i < sp->n; i++) {
        char out[sizeof(sp->ops[i].query)] = "";
        size_t n;
        for (const char *t = sp->ops[i].query; (t = next_word(t, &n)); t += n) {
            char w[64];
            snprintf(w, sizeof(w), "%.*s", (int)n, t);
            const char *name = w;
            if (*w == '@') {
                name = NULL;
                for (int k = 0; k < sp->ncp; k++)
                    if (!strcmp(sp->cp[k].key, w + 1) && sp->cp[k].query)
                        name = sp->cp[k].name;
            }
            size_t l = strlen(out);
            if (name)
                snprintf(out + l, sizeof(out) - l, " %s", name);
        }
        memcpy(sp->ops[i].query, out, sizeof(out));
    }
}

/* Scans YAML text (NUL-terminated, modified in place) into spec. */
static void scan(char *text, struct spec *sp)
{
    memset(sp, 0, sizeof(*sp));
    struct scan_st st = {.sp = sp};
    bool in_paths = false, in_comp = false;
    char path[200] = "";
    struct op *cur = NULL;
    int lineno = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = '\0';
        int ind = indent_of(line);
        const char *body = line + ind;
        if (!*body || *body == '#')
            continue;
        char key[200];
        if (ind <= 4)
            item_commit(&st);
        if (ind == 0) {
            in_paths = line_key(body, key, sizeof(key)) && !strcmp(key, "paths");
            in_comp = line_key(body, key, sizeof(key)) && !strcmp(key, "components");
            sp->saw_paths |= in_paths;
            cur = st.cur = NULL;
            path[0] = '\0';
            continue;
        }
        if (in_comp)
            scan_component(&st, ind, body);
        if (!in_paths)
            continue;
        if (ind >= 6 && cur)
            scan_op_line(&st, ind, body);
        if (ind == 2) {
            cur = st.cur = NULL;
            if (line_key(body, key, sizeof(key)) && key[0] == '/')
                snprintf(path, sizeof(path), "%s", key);
            else
                path[0] = '\0';
            continue;
        }
        if (ind == 4) {
            cur = st.cur = NULL;
            st.in_params = false;
            if (!path[0] || !line_key(body, key, sizeof(key)))
                continue;
            for (const char *const *m = methods; *m; m++) {
                if (strcmp(*m, key))
                    continue;
                assert_true(sp->n < MAX_OPS);
                cur = &sp->ops[sp->n++];
                memset(cur, 0, sizeof(*cur));
                for (size_t i = 0; key[i] && i < sizeof(cur->method) - 1; i++)
                    cur->method[i] = (char)toupper((unsigned char)key[i]);
                snprintf(cur->path, sizeof(cur->path), "%s", path);
                cur->line = lineno;
                st.cur = cur;
            }
            continue;
        }
        if (ind == 6 && cur && !strncmp(body, "x-roles:", 8)) {
            cur->has_roles = true;
            cur->roles_ok = parse_roles(body + 8, &cur->roles);
        }
    }
    item_commit(&st);
    resolve_refs(sp);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static char *load_spec_text(void)
{
    char *t = slurp("docs/openapi.yaml");
#ifdef SH_SOURCE_DIR
    if (!t)
        t = slurp(SH_SOURCE_DIR "/docs/openapi.yaml");
#endif
    if (!t)
        fail_msg("cannot read docs/openapi.yaml (run from the repository root)");
    return t;
}

static int setup(void **state)
{
    struct spec *sp = malloc(sizeof(*sp));
    char *text = load_spec_text();
    if (!sp || !text) {
        free(sp);
        free(text);
        return -1;
    }
    scan(text, sp);
    free(text);
    *state = sp;
    return 0;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static const struct op *find_op(const struct spec *sp, const char *method, const char *path)
{
    for (int i = 0; i < sp->n; i++)
        if (!strcmp(sp->ops[i].method, method) && !strcmp(sp->ops[i].path, path))
            return &sp->ops[i];
    return NULL;
}

static bool is_outside_router(const struct op *o)
{
    char k[220];
    snprintf(k, sizeof(k), "%s %s", o->method, o->path);
    for (const char *const *p = outside_router; *p; p++)
        if (!strcmp(*p, k))
            return true;
    return false;
}

/* The scanner itself: a small document with the shapes the spec uses. */
static void test_scanner(void **state)
{
    (void)state;
    char doc[] = "openapi: 3.1.0\n"
                 "info:\n  title: x\n"
                 "paths:\n"
                 "  # comment\n"
                 "  /a:\n"
                 "    parameters:\n"
                 "      - $ref: '#/p'\n"
                 "    get:\n"
                 "      summary: 'get: a'\n"
                 "      x-roles: [admin, dealer]\n"
                 "      responses:\n"
                 "        '200':\n"
                 "          description: ok\n"
                 "  \"/a/{id}\":\n"
                 "    delete:\n"
                 "      x-roles: [nobody]\n"
                 "components:\n"
                 "  schemas:\n"
                 "    /not-a-path:\n"
                 "      get: {}\n";
    struct spec *sp = malloc(sizeof(*sp));
    assert_non_null(sp);
    scan(doc, sp);
    assert_true(sp->saw_paths);
    assert_int_equal(sp->n, 2);
    assert_string_equal(sp->ops[0].method, "GET");
    assert_string_equal(sp->ops[0].path, "/a");
    assert_true(sp->ops[0].has_roles && sp->ops[0].roles_ok);
    assert_int_equal(sp->ops[0].roles, RB(ADMIN) | RB(DEALER));
    assert_string_equal(sp->ops[1].method, "DELETE");
    assert_string_equal(sp->ops[1].path, "/a/{id}");
    assert_true(sp->ops[1].has_roles);
    assert_false(sp->ops[1].roles_ok);
    free(sp);
}

/* Every route of the router is in the spec. */
static void test_routes_in_spec(void **state)
{
    const struct spec *sp = *state;
    assert_true(sp->saw_paths);
    assert_true(api_nroutes > 0);
    int missing = 0;
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        if (!find_op(sp, r->method, r->pattern)) {
            print_error("docs/openapi.yaml lacks %s %s\n", r->method, r->pattern);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

/* Every operation of the spec is a route (or a documented non-API endpoint). */
static void test_spec_in_routes(void **state)
{
    const struct spec *sp = *state;
    int extra = 0;
    for (int i = 0; i < sp->n; i++) {
        const struct op *o = &sp->ops[i];
        if (is_outside_router(o))
            continue;
        bool found = false;
        for (int k = 0; k < api_nroutes && !found; k++)
            found =
                !strcmp(api_routes[k].method, o->method) && !strcmp(api_routes[k].pattern, o->path);
        if (!found) {
            print_error("docs/openapi.yaml:%d: %s %s is not in src/api/routes.c\n", o->line,
                        o->method, o->path);
            extra++;
        }
    }
    assert_int_equal(extra, 0);
}

/* No operation is listed twice. */
static void test_no_duplicates(void **state)
{
    const struct spec *sp = *state;
    int dups = 0;
    for (int i = 0; i < sp->n; i++)
        for (int k = i + 1; k < sp->n; k++)
            if (!strcmp(sp->ops[i].method, sp->ops[k].method) &&
                !strcmp(sp->ops[i].path, sp->ops[k].path)) {
                print_error("docs/openapi.yaml:%d: %s %s is listed twice\n", sp->ops[k].line,
                            sp->ops[k].method, sp->ops[k].path);
                dups++;
            }
    assert_int_equal(dups, 0);
}

/* x-roles of every operation equals the roles of its route. */
static void test_roles_match(void **state)
{
    const struct spec *sp = *state;
    int bad = 0;
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        const struct op *o = find_op(sp, r->method, r->pattern);
        if (!o)
            continue; /* reported by test_routes_in_spec */
        char want[256], got[256];
        roles_format(r->roles, want, sizeof(want));
        if (!o->has_roles || !o->roles_ok) {
            print_error("docs/openapi.yaml:%d: %s %s needs x-roles: [%s]\n", o->line, r->method,
                        r->pattern, want);
            bad++;
            continue;
        }
        if (o->roles != r->roles) {
            roles_format(o->roles, got, sizeof(got));
            print_error("docs/openapi.yaml:%d: %s %s x-roles is [%s], the router says [%s]\n",
                        o->line, r->method, r->pattern, got, want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* True when the n bytes at name are one of the space-separated words of list. */
static bool listed(const char *list, const char *name, size_t n)
{
    size_t len;
    for (const char *p = list ? list : ""; (p = next_word(p, &len)); p += len)
        if (len == n && !strncmp(p, name, n))
            return true;
    return false;
}

/* The words of a that are not in b, into out. */
static void missing_words(const char *a, const char *b, char *out, size_t outlen)
{
    out[0] = '\0';
    size_t n;
    for (const char *t = a ? a : ""; (t = next_word(t, &n)); t += n)
        if (!listed(b, t, n)) {
            size_t l = strlen(out);
            snprintf(out + l, outlen - l, " %.*s", (int)n, t);
        }
}

/* A GET route takes exactly the query parameters its operation lists (api/app.c refuses the
 * others with 400 unknown_field); the entity lists take their entity's filters. */
static void test_query_match(void **state)
{
    const struct spec *sp = *state;
    int bad = 0;
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *r = &api_routes[i];
        const struct op *o = find_op(sp, r->method, r->pattern);
        if (!o || strcmp(r->method, "GET") || r->fn == ent_list || r->fn == ent_list_child)
            continue;
        char undeclared[400], untaken[400];
        missing_words(r->query, o->query, undeclared, sizeof(undeclared));
        missing_words(o->query, r->query, untaken, sizeof(untaken));
        if (undeclared[0] || untaken[0]) {
            print_error("docs/openapi.yaml:%d: GET %s: the route takes [%s ] the spec does not "
                        "list; the spec lists [%s ] the route does not take\n",
                        o->line, r->pattern, undeclared, untaken);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The parameter scanner on the shapes the spec uses. */
static void test_scanner_params(void **state)
{
    (void)state;
    char doc[] = "paths:\n"
                 "  /a:\n"
                 "    get:\n"
                 "      parameters:\n"
                 "      - {name: id, in: path, required: true}\n"
                 "      - {name: from, in: query, description: 'a, b'}\n"
                 "      - name: sort\n"
                 "        in: query\n"
                 "      - {$ref: '#/components/parameters/Lang'}\n"
                 "      - {$ref: '#/components/parameters/Id'}\n"
                 "      - {$ref: '#/components/parameters/Region'}\n"
                 "      responses:\n"
                 "        '200': {description: ok}\n"
                 "components:\n"
                 "  parameters:\n"
                 "    Id:\n"
                 "      name: id\n"
                 "      in: path\n"
                 "    Lang:\n"
                 "      name: lang\n"
                 "      in: query\n"
                 "    Region: {name: region, in: query, schema: {type: string}}\n";
    struct spec *sp = malloc(sizeof(*sp));
    assert_non_null(sp);
    scan(doc, sp);
    assert_int_equal(sp->n, 1);
    assert_string_equal(sp->ops[0].query, " from sort lang region");
    free(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner),        cmocka_unit_test(test_routes_in_spec),
        cmocka_unit_test(test_spec_in_routes), cmocka_unit_test(test_no_duplicates),
        cmocka_unit_test(test_roles_match),    cmocka_unit_test(test_query_match),
        cmocka_unit_test(test_scanner_params),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

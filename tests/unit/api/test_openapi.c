/* SPDX-License-Identifier: MIT */
/* docs/openapi.yaml must describe the router exactly: every route of
 * api_routes[] (method + pattern) is an operation of the spec, every operation
 * of the spec under /api/ is a route, and each operation's `x-roles:` lists
 * exactly the roles of its route. The YAML is scanned line by line: path keys
 * sit at 2-space indent under `paths:`, method keys at 4 spaces, and
 * `x-roles: [a, b]` at 6 spaces inside an operation. */
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
};

struct spec {
    struct op ops[MAX_OPS];
    int n;
    bool saw_paths;
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

/* Scans YAML text (NUL-terminated, modified in place) into spec. */
static void scan(char *text, struct spec *sp)
{
    memset(sp, 0, sizeof(*sp));
    bool in_paths = false;
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
        if (ind == 0) {
            in_paths = line_key(body, key, sizeof(key)) && !strcmp(key, "paths");
            sp->saw_paths |= in_paths;
            cur = NULL;
            path[0] = '\0';
            continue;
        }
        if (!in_paths)
            continue;
        if (ind == 2) {
            cur = NULL;
            if (line_key(body, key, sizeof(key)) && key[0] == '/')
                snprintf(path, sizeof(path), "%s", key);
            else
                path[0] = '\0';
            continue;
        }
        if (ind == 4) {
            cur = NULL;
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
            }
            continue;
        }
        if (ind == 6 && cur && !strncmp(body, "x-roles:", 8)) {
            cur->has_roles = true;
            cur->roles_ok = parse_roles(body + 8, &cur->roles);
        }
    }
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner),        cmocka_unit_test(test_routes_in_spec),
        cmocka_unit_test(test_spec_in_routes), cmocka_unit_test(test_no_duplicates),
        cmocka_unit_test(test_roles_match),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/* Administration subcommands: init, migrate, user, token. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/auth.h"
#include "app/passwords.h"
#include "app/resources.h"
#include "app/users.h"
#include "base/date.h"
#include "cli/cli.h"
#include "cli/common.h"

/* Options shared by the admin commands. */
struct admin_opts {
    const char *db, *config, *password_file, *roles, *display_name, *name, *user, *department;
    int64_t customer_id;
    const char *admin;
    const char *expires_at;
};

static bool parse(int argc, char **argv, struct admin_opts *o, const char *usage_text)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"password-file", required_argument, NULL, 'p'},
        {"roles", required_argument, NULL, 'r'},
        {"display-name", required_argument, NULL, 'n'},
        {"name", required_argument, NULL, 'N'},
        {"user", required_argument, NULL, 'u'},
        {"customer-id", required_argument, NULL, 'C'},
        {"department", required_argument, NULL, 'D'},
        {"admin", required_argument, NULL, 'a'},
        {"expires-at", required_argument, NULL, 'E'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof(*o));
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            o->db = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'p':
            o->password_file = optarg;
            break;
        case 'r':
            o->roles = optarg;
            break;
        case 'n':
            o->display_name = optarg;
            break;
        case 'N':
            o->name = optarg;
            break;
        case 'u':
            o->user = optarg;
            break;
        case 'C':
            o->customer_id = strtoll(optarg, NULL, 10);
            if (o->customer_id <= 0) {
                fprintf(stderr, "shouhou: --customer-id must be a positive id\n");
                return false;
            }
            break;
        case 'D':
            o->department = optarg;
            break;
        case 'a':
            o->admin = optarg;
            break;
        case 'E':
            o->expires_at = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(0);
        default:
            fputs(usage_text, stderr);
            return false;
        }
    }
    return true;
}

/* The database of the configuration with --db on top: 0, or the exit status (2: a bad
 * configuration, 1: the database does not open). */
static int open_db(const struct admin_opts *o, struct db **db)
{
    struct sh_config cfg;
    if (!cli_config(o->config, &cfg))
        return CLI_EXIT_CONFIG;
    struct sh_err e;
    if (o->db && config_set(&cfg, "db", o->db, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return CLI_EXIT_CONFIG;
    }
    return cli_open_db(&cfg, db) ? 0 : 1;
}

/* ---- init / migrate ---- */

struct add_ctx {
    struct user_in in;
    int64_t id;
    const char *department;
    struct sh_arena a;
};

static enum sh_code add_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct add_ctx *x = arg;
    struct uc u = cli_uc(tx, &x->a, NULL);
    if (x->department) {
        enum sh_code rc =
            uc_ent_find(&u, &ent_departments, "code", x->department, &x->in.department_id, e);
        if (rc == SH_NOT_FOUND)
            return sh_err_field(e, SH_INVALID, "department", "no department with code '%s'",
                                x->department);
        if (rc)
            return rc;
    }
    return uc_user_create(&u, &x->in, &x->id, e);
}

static int add_user(struct db *db, const char *username, const char *roles,
                    const char *display_name, int64_t customer_id, const char *department,
                    const char *pwfile)
{
    char pw[256], hash[128];
    struct sh_err e;
    sh_err_clear(&e);
    if (!cli_read_secret(pwfile, pw, sizeof(pw)))
        return 1;
    if (password_policy_check(pw, username, "password", &e) || pw_hash(pw, hash, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    struct add_ctx x = {.in = {.username = username,
                               .roles = roles,
                               .display_name = display_name,
                               .customer_id = customer_id,
                               .password_hash = hash},
                        .department = department};
    sh_arena_init(&x.a, 0);
    enum sh_code rc = db_write(db, add_run, &x, &e);
    sh_arena_release(&x.a);
    if (rc) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    printf("user '%s' created (id %" PRId64 ", roles %s)\n", username, x.id, roles);
    return 0;
}

int cmd_init(int argc, char **argv)
{
    static const char usage[] =
        "usage: shouhou init [--db URL] [--config FILE] --admin NAME --password-file FILE\n"
        "creates the database (applying every migration) and the first admin account\n";
    struct admin_opts o;
    if (!parse(argc, argv, &o, usage) || !o.admin || !o.password_file || optind != argc) {
        if (!o.admin || !o.password_file)
            fputs(usage, stderr);
        return 2;
    }
    struct db *db;
    int rc = open_db(&o, &db);
    if (rc)
        return rc;
    rc = add_user(db, o.admin, "admin", "系统管理员", 0, "after_sales", o.password_file);
    db_close(db);
    return rc;
}

int cmd_migrate(int argc, char **argv)
{
    static const char usage[] = "usage: shouhou migrate [--db URL] [--config FILE]\n";
    struct admin_opts o;
    if (!parse(argc, argv, &o, usage) || optind != argc)
        return 2;
    struct db *db;
    int rc = open_db(&o, &db);
    if (rc)
        return rc;
    printf("schema version %d\n", db_schema_version(db));
    db_close(db);
    return 0;
}

/* ---- user ---- */

struct name_ctx {
    const char *username;
    const char *hash;
    int64_t id;
    bool disable;
    struct sh_arena a;
    struct db_rows rows;
};

static enum sh_code find_user(struct db_tx *tx, struct name_ctx *x, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, &x->a, "SELECT id FROM users WHERE username = $1",
                               DB_P(DB_TEXT(x->username)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "no user '%s'", x->username);
    x->id = db_get_int(&r, 0, "id", 0);
    return SH_OK;
}

static enum sh_code passwd_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct name_ctx *x = arg;
    struct uc u = cli_uc(tx, &x->a, NULL);
    enum sh_code rc = find_user(tx, x, e);
    return rc ? rc : uc_user_set_password(&u, x->id, x->hash, e);
}

/* the same use case as PATCH /api/v1/users/{id} {"active": …} */
static enum sh_code disable_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct name_ctx *x = arg;
    struct uc u = cli_uc(tx, &x->a, NULL);
    enum sh_code rc = find_user(tx, x, e);
    return rc ? rc : uc_user_set_active(&u, x->id, !x->disable, e);
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct name_ctx *x = arg;
    return db_query(tx, &x->a,
                    "SELECT id, username, display_name, roles, active FROM users ORDER BY id",
                    DB_NOP, &x->rows, e);
}

int cmd_user(int argc, char **argv)
{
    static const char usage[] =
        "usage: shouhou user add NAME --roles R[,R…] --password-file FILE [--display-name N]\n"
        "                        [--customer-id ID] [--department CODE]\n"
        "       shouhou user passwd NAME --password-file FILE\n"
        "       shouhou user disable|enable NAME\n"
        "       shouhou user list\n"
        "  (all take --db URL and --config FILE)\n";
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    struct admin_opts o;
    if (!parse(argc - 1, argv + 1, &o, usage))
        return 2;
    const char *name = optind < argc - 1 ? argv[1 + optind] : NULL;
    int extra = argc - 1 - optind - (name ? 1 : 0);
    if (extra != 0) {
        fputs(usage, stderr);
        return 2;
    }
    struct db *db = NULL;
    int rc = 0;
    struct sh_err e;
    sh_err_clear(&e);
    if (!strcmp(sub, "add")) {
        if (!name || !o.roles || !o.password_file) {
            fputs(usage, stderr);
            return 2;
        }
        if ((rc = open_db(&o, &db)))
            return rc;
        rc = add_user(db, name, o.roles, o.display_name, o.customer_id, o.department,
                      o.password_file);
    } else if (!strcmp(sub, "passwd")) {
        if (!name || !o.password_file) {
            fputs(usage, stderr);
            return 2;
        }
        char pw[256], hash[128];
        if (!cli_read_secret(o.password_file, pw, sizeof(pw)))
            return 1;
        if ((rc = open_db(&o, &db))) /* first: its configuration sets the cost of the hash */
            return rc;
        if (password_policy_check(pw, name, "password", &e) || pw_hash(pw, hash, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            db_close(db);
            return 1;
        }
        struct name_ctx x = {.username = name, .hash = hash};
        sh_arena_init(&x.a, 0);
        if (db_write(db, passwd_run, &x, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            rc = 1;
        } else {
            printf("password of '%s' changed; its sessions were signed out and its API tokens "
                   "revoked\n",
                   name);
        }
        sh_arena_release(&x.a);
    } else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        if (!name) {
            fputs(usage, stderr);
            return 2;
        }
        if ((rc = open_db(&o, &db)))
            return rc;
        struct name_ctx x = {.username = name, .disable = !strcmp(sub, "disable")};
        sh_arena_init(&x.a, 0);
        if (db_write(db, disable_run, &x, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            rc = 1;
        } else {
            printf("user '%s' %sd%s\n", name, sub,
                   x.disable ? "; its sessions were signed out and its API tokens revoked" : "");
        }
        sh_arena_release(&x.a);
    } else if (!strcmp(sub, "list")) {
        if (name) {
            fputs(usage, stderr);
            return 2;
        }
        if ((rc = open_db(&o, &db)))
            return rc;
        struct name_ctx x = {0};
        sh_arena_init(&x.a, 0);
        if (db_read(db, list_run, &x, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            rc = 1;
        } else {
            printf("%-6s %-20s %-8s %-24s %s\n", "ID", "USERNAME", "ACTIVE", "ROLES", "NAME");
            for (int i = 0; i < x.rows.nrows; i++)
                printf("%-6s %-20s %-8s %-24s %s\n", db_get(&x.rows, i, "id"),
                       db_get(&x.rows, i, "username"),
                       db_get_int(&x.rows, i, "active", 0) ? "yes" : "no",
                       db_get(&x.rows, i, "roles"), db_get(&x.rows, i, "display_name"));
        }
        sh_arena_release(&x.a);
    } else {
        fprintf(stderr, "shouhou: unknown user command '%s'\n", sub);
        fputs(usage, stderr);
        return 2;
    }
    db_close(db);
    return rc;
}

/* ---- token ---- */

struct tok_ctx {
    const char *username, *name, *expires;
    struct token_out out;
    int64_t id;
    struct sh_arena a;
};

static enum sh_code tok_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tok_ctx *t = arg;
    struct db_rows r;
    enum sh_code rc = db_query(tx, &t->a, "SELECT id FROM users WHERE username = $1 AND active = 1",
                               DB_P(DB_TEXT(t->username)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "no active user '%s'", t->username);
    struct uc u = cli_uc(tx, &t->a, NULL);
    struct token_in in = {
        .user_id = db_get_int(&r, 0, "id", 0), .name = t->name, .expires_at = t->expires};
    return uc_token_create(&u, &in, &t->out, e);
}

/* the same use case as DELETE /api/v1/tokens/{id} (the CLI acts as an admin) */
static enum sh_code revoke_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tok_ctx *t = arg;
    struct uc u = cli_uc(tx, &t->a, NULL);
    return uc_token_revoke(&u, t->id, e);
}

int cmd_token(int argc, char **argv)
{
    static const char usage[] =
        "usage: shouhou token create --user NAME [--name LABEL] [--expires-at TIME]\n"
        "       shouhou token revoke ID\n"
        "  (both take --db URL and --config FILE)\n";
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    struct admin_opts o;
    if (!parse(argc - 1, argv + 1, &o, usage))
        return 2;
    struct sh_err e;
    sh_err_clear(&e);
    struct tok_ctx t = {
        .username = o.user, .name = o.name ? o.name : "cli", .expires = o.expires_at};
    sh_arena_init(&t.a, 0);
    struct db *db = NULL;
    int rc = 0;
    if (!strcmp(sub, "create") && o.user && optind == argc - 1) {
        if ((rc = open_db(&o, &db)))
            return rc;
        if (db_write(db, tok_run, &t, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            rc = 1;
        } else {
            printf("%s\n", t.out.token);
            fprintf(stderr, "token %" PRId64 " for '%s' (shown only once)\n", t.out.id, o.user);
        }
    } else if (!strcmp(sub, "revoke") && optind == argc - 2) {
        t.id = strtoll(argv[1 + optind], NULL, 10);
        if (t.id <= 0) {
            fputs(usage, stderr);
            return 2;
        }
        if ((rc = open_db(&o, &db)))
            return rc;
        if (db_write(db, revoke_run, &t, &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            rc = 1;
        } else {
            printf("token %" PRId64 " revoked\n", t.id);
        }
    } else {
        fputs(usage, stderr);
        rc = 2;
    }
    sh_arena_release(&t.a);
    db_close(db);
    return rc;
}

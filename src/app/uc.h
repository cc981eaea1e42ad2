/* SPDX-License-Identifier: MIT */
/* The application layer's shared types: who is acting (struct principal), the
 * server's configuration the rules read (struct app), and the context every use
 * case takes (struct uc). A use case runs inside the caller's transaction, puts
 * what it returns in the arena, and knows nothing of HTTP: the API handlers, the
 * jobs and the CLI call the same functions. */
#ifndef SH_APP_UC_H
#define SH_APP_UC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/roles.h"
#include "store/db.h"

struct app {
    struct db *db;
    const char *web_root;
    const char *data_dir;
    int session_idle_s; /* idle timeout of a sign-in session */
    bool cookie_secure; /* add Secure to the session cookie */
    bool access_log;
    int public_lookups_per_minute, public_reports_per_hour, public_reports_per_unit_day;
    const char *public_url;        /* base URL of QR labels; "" = path only */
    int public_report_merge_hours; /* window for adding a repeated QR report to its ticket */
    /* tickets per hour an external account opens for a phone not its customer's (0: no limit) */
    int portal_unknown_phones_per_hour;
    /* sign-in: proxies whose X-Forwarded-For is believed; the growing delay per account
     * and address (after login_delay_after failures, login_delay_s doubling; 0 = none) */
    const char *trusted_proxies;
    const char *metrics_token; /* GET /metrics; empty: off */
    int login_delay_after, login_delay_s;
    /* the retention job: rows older than these are pruned */
    int retention_login_failures_s, retention_idempotency_s;
    size_t request_memory_cap; /* bytes of arena one API request may hold (0: the default) */
    int search_walk_ids;       /* PostgreSQL q=: ids walked before the index (0: ENT_WALK_IDS) */
    int dispatch_max_ms;       /* a dispatch solve's wall-time cap (0: DISPATCH_MAX_WALL_MS) */
};

struct principal {
    int64_t user_id; /* 0: anonymous */
    const char *username;
    unsigned roles;
    int64_t customer_id; /* customer/dealer accounts: their customer record */
    int64_t department_id;
    bool via_session;
    const char *session_hash;
    const char *csrf;
    const char *token_hash; /* bearer token: its stored hash */
};

/* The context of one use case: the transaction it runs in, the arena its results
 * live in, the principal it acts for, and the time it happens at (taken once). */
struct uc {
    struct db_tx *tx;
    struct sh_arena *a;
    const struct principal *who;
    int64_t now; /* unix seconds */
    const struct app *app;
};

/* A customer or dealer account (sees only its own customer's records). */
static inline bool principal_external(const struct principal *p)
{
    return roles_external_only(p->roles);
}

/* A technician without another staff role (sees only their own assignments). */
static inline bool principal_technician_only(const struct principal *p)
{
    return (p->roles & ROLES_STAFF) == RB(TECHNICIAN);
}

#endif

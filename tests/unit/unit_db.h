/* SPDX-License-Identifier: MIT */
/* A unit test's own SQLite database: a fresh temporary directory holding `t.db`, opened
 * (migrated or empty), and removed again with every file SQLite put beside it. Header only:
 * each unit test is one executable. Include it after cmocka.h. */
#ifndef SH_TESTS_UNIT_DB_H
#define SH_TESTS_UNIT_DB_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/metrics.h"
#include "store/db.h"

struct unit_db {
    char dir[64];
    struct db *db;
};

/* Opens u->db in a new directory under /tmp (tag names it); NULL with a message on stderr
 * when it cannot. */
static inline struct db *unit_db_open(struct unit_db *u, const char *tag, bool migrate)
{
    snprintf(u->dir, sizeof(u->dir), "/tmp/sh-%s-XXXXXX", tag);
    u->db = NULL;
    if (!mkdtemp(u->dir)) {
        perror("unit_db_open: mkdtemp");
        return NULL;
    }
    char url[128];
    snprintf(url, sizeof(url), "sqlite:%s/t.db", u->dir);
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.migrate = migrate};
    if (db_open(url, &o, &u->db, &e)) {
        fprintf(stderr, "unit_db_open: %s\n", e.msg);
        u->db = NULL;
    }
    return u->db;
}

/* The value of a gauge in the rendered metrics (the drivers' gauges of GET /metrics), -1
 * when absent. */
static inline long long unit_gauge(const char *name)
{
    struct sh_buf b;
    sh_buf_init(&b, 1u << 20);
    metrics_render(&b);
    size_t n;
    char *s = sh_buf_detach(&b, &n);
    long long v = -1;
    char key[96];
    snprintf(key, sizeof(key), "\n%s ", name);
    const char *p = s ? strstr(s, key) : NULL;
    if (p)
        v = strtoll(p + strlen(key), NULL, 10);
    free(s);
    return v;
}

/* The PostgreSQL database of SHOUHOU_TEST_PG with one pooled connection that uses named
 * statements (migrated); the calling cmocka test is skipped when no DSN is set. */
static inline struct db *unit_pg_open_one(void)
{
    const char *dsn = getenv("SHOUHOU_TEST_PG");
    if (!dsn || !*dsn) {
        print_message("SHOUHOU_TEST_PG not set: PostgreSQL part not run here\n");
        skip();
    }
    struct db *db = NULL;
    struct sh_err e;
    sh_err_clear(&e);
    struct db_options o = {.pg_pool_size = 1, .migrate = true, .prepared = DB_PREPARED_ON};
    if (db_open(dsn, &o, &db, &e))
        fail_msg("open: %s", e.msg);
    return db;
}

/* Closes the database and removes its directory (t.db, its -wal and -shm files). */
static inline void unit_db_close(struct unit_db *u)
{
    if (u->db)
        db_close(u->db);
    u->db = NULL;
    DIR *d = opendir(u->dir);
    if (!d)
        return;
    for (struct dirent *f; (f = readdir(d));) {
        if (f->d_name[0] == '.')
            continue;
        char p[400];
        snprintf(p, sizeof(p), "%s/%s", u->dir, f->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(u->dir);
}

#endif

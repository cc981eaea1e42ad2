/* SPDX-License-Identifier: MIT */
/* shouhou visits: one pass of the visit job (app/visits.h) now, or as of a given local
 * date: creates the visits of every active plan due within its lead days, each once, so it
 * is safe beside running servers and other passes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/visits.h"
#include "base/date.h"
#include "cli/cli.h"
#include "cli/common.h"

static const char usage[] =
    "usage: shouhou visits [--db URL] [--config FILE] [--date YYYY-MM-DD]\n"
    "  creates the visits of the periodic visit plans due from today (or --date, local)\n"
    "  within each plan's lead days; visits made before are not made again\n";

int cmd_visits(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"date", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_url = NULL, *config = NULL, *date = NULL;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd')
            db_url = optarg;
        else if (ch == 'c')
            config = optarg;
        else if (ch == 'D')
            date = optarg;
        else if (ch == 'h') {
            fputs(usage, stdout);
            return 0;
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    int64_t now = sh_now();
    struct sh_date d;
    if (date && !sh_date_parse(date, &d)) {
        fprintf(stderr, "shouhou: --date must be YYYY-MM-DD\n");
        return 2;
    }
    if (date) /* noon local time of that day */
        now = sh_days_from_civil(d.y, d.m, d.d) * 86400 + 4 * 3600;
    struct sh_config cfg;
    struct sh_err e;
    sh_err_clear(&e);
    if (optind != argc || !cli_config(config, &cfg))
        return optind != argc ? (fputs(usage, stderr), 2) : CLI_EXIT_CONFIG;
    if (db_url && config_set(&cfg, "db", db_url, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return CLI_EXIT_CONFIG;
    }
    struct db *db;
    if (!cli_open_db(&cfg, &db))
        return 1;
    struct app app = {.db = db, .web_root = cfg.web_root, .data_dir = cfg.data_dir};
    struct principal who = visits_job_principal();
    struct visit_gen_all out;
    enum sh_code rc = app_visits_generate(&app, &who, now, &out, &e);
    db_close(db);
    if (rc) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        return 1;
    }
    printf("plans %d, visits created %d, already there %d, plans failed %d\n", out.plans,
           out.created, out.existing, out.failed);
    if (out.failed)
        fprintf(stderr, "shouhou: %s\n", out.last_error);
    return out.failed ? 1 : 0;
}

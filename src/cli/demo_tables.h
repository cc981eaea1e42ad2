/* SPDX-License-Identifier: MIT */
/* The fixed tables of `shouhou demo` (demo_tables.c). */
#ifndef SH_CLI_DEMO_TABLES_H
#define SH_CLI_DEMO_TABLES_H

#include <stdbool.h>
#include <stdint.h>

enum demo_family { FAM_LED, FAM_DENTAL, FAM_ANALYSIS, FAM_KITCHEN, FAM_SERVER, FAM_COUNT };

struct demo_city {
    const char *province, *city, *region, *area;
    double lat, lon;
    const char *district[3];
    const char *inst; /* an institution of the city */
    enum demo_family inst_family;
};

struct demo_model {
    const char *code, *name, *series, *category;
    enum demo_family fam;
    int months;
    bool install;
    const char *skills;
    int64_t price_fen;
    int weight; /* relative share of units within the family */
};

struct demo_user {
    const char *username, *display, *roles, *dept;
    int customer; /* -1 none, -2 the first dealer, else a customer index */
};

#define DEMO_NCITIES 24
#define DEMO_NMODELS 20
extern const struct demo_city demo_cities[DEMO_NCITIES];
extern const struct demo_model demo_models[DEMO_NMODELS];
extern const struct demo_user demo_users[];
extern const int demo_nusers;
extern const char *const demo_brands[];
extern const int demo_nbrands;
extern const char *const demo_industries[FAM_COUNT]; /* company name endings per family */
extern const char *const demo_surnames[];
extern const int demo_nsurnames;
extern const char *const demo_given[];
extern const int demo_ngiven;
extern const char *const demo_streets[];
extern const int demo_nstreets;

#endif

/* SPDX-License-Identifier: MIT */
/* The route table: every API route, with the roles that may call it. The
 * OpenAPI description (docs/openapi.yaml) must list each one: a test checks. */
#include "api/api.h"
#include "api/handlers.h"
#include "api/policy.h"

extern const struct entity ent_departments, ent_customers, ent_contacts, ent_sites, ent_models,
    ent_contracts, ent_units, ent_users;

/* list, create, get, update, delete with the roles for reading, writing and deleting */
#define CRUD(path, ent, rd, wr, del)                                                               \
    {"GET", "/api/v1/" path, ent_list, (rd), 0, &(ent)},                                           \
        {"POST", "/api/v1/" path, ent_create, (wr), 0, &(ent)},                                    \
        {"GET", "/api/v1/" path "/{id}", ent_get, (rd), 0, &(ent)},                                \
        {"PATCH", "/api/v1/" path "/{id}", ent_update, (wr), 0, &(ent)},                           \
    {                                                                                              \
        "DELETE", "/api/v1/" path "/{id}", ent_delete, (del), 0, &(ent)                            \
    }

const struct route api_routes[] = {
    {"POST", "/api/v1/session", h_session_create, ROLES_ALL, ROUTE_PUBLIC | ROUTE_NO_CSRF, NULL},
    {"GET", "/api/v1/session", h_session_get, ROLES_ALL, 0, NULL},
    {"DELETE", "/api/v1/session", h_session_delete, ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/tokens", h_tokens_list, ROLES_ALL, 0, NULL},
    {"POST", "/api/v1/tokens", h_tokens_create, ROLES_ALL, 0, NULL},
    {"DELETE", "/api/v1/tokens/{id}", h_tokens_delete, ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/roles", h_roles_list, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/audit", h_audit_list, P_AUDIT_READ, 0, NULL},

    {"GET", "/api/v1/users", ent_list, P_USER_READ, 0, &ent_users},
    {"POST", "/api/v1/users", h_users_create, RB(ADMIN), 0, &ent_users},
    {"GET", "/api/v1/users/{id}", ent_get, P_USER_READ, 0, &ent_users},
    {"PATCH", "/api/v1/users/{id}", ent_update, RB(ADMIN), 0, &ent_users},
    {"POST", "/api/v1/users/{id}/password", h_users_password, ROLES_ALL, 0, &ent_users},

    CRUD("departments", ent_departments, ROLES_STAFF, RB(ADMIN), RB(ADMIN)),
    CRUD("customers", ent_customers, ROLES_ALL, P_MASTER_WRITE, P_MASTER_DELETE),
    {"GET", "/api/v1/customers/{id}/contacts", ent_list_child, ROLES_ALL, 0, &ent_contacts},
    {"GET", "/api/v1/customers/{id}/sites", ent_list_child, ROLES_ALL, 0, &ent_sites},
    {"GET", "/api/v1/customers/{id}/units", ent_list_child, ROLES_ALL, 0, &ent_units},
    {"GET", "/api/v1/customers/{id}/contracts", ent_list_child, P_CONTRACT_READ, 0, &ent_contracts},
    CRUD("contacts", ent_contacts, ROLES_ALL, P_MASTER_WRITE, P_MASTER_WRITE),
    CRUD("sites", ent_sites, ROLES_ALL, P_MASTER_WRITE, P_MASTER_WRITE),
    CRUD("models", ent_models, ROLES_ALL, P_MODEL_WRITE, RB(ADMIN)),
    CRUD("contracts", ent_contracts, P_CONTRACT_READ, P_CONTRACT_WRITE, RB(ADMIN)),
    CRUD("units", ent_units, ROLES_ALL, P_UNIT_WRITE, RB(ADMIN)),
    {"GET", "/api/v1/units/{id}/history", h_unit_history, ROLES_ALL, 0, &ent_units},
    {"GET", "/api/v1/units/{id}/qr.svg", h_unit_qr, ROLES_STAFF, 0, &ent_units},
};

const int api_nroutes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));

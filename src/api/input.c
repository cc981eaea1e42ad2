/* SPDX-License-Identifier: MIT */
/* Input validation at the API boundary: JSON bodies (jansson) are turned into
 * typed, canonical field values against a column spec, and every refusal names
 * the field at fault. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"

enum sh_code api_load_object(const char *body, size_t len, json_t **out, struct sh_err *e)
{
    if (len == 0) {
        sh_err_set(e, SH_INVALID, "request body is empty: a JSON object is expected");
        return sh_err_reason(e, "invalid_json", NULL);
    }
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        sh_err_set(e, SH_INVALID, "malformed JSON at line %d column %d: %s", je.line, je.column,
                   je.text);
        return sh_err_reason(e, "invalid_json", "{\"line\":%d,\"column\":%d}", je.line, je.column);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        sh_err_set(e, SH_INVALID, "a JSON object is expected");
        return sh_err_reason(e, "invalid_json", NULL);
    }
    *out = root;
    return SH_OK;
}

/* The column of key, or an error: unknown_field, read_only. */
static enum sh_code field_of(const struct col *cols, int ncols, bool partial, const char *key,
                             int *idx, struct sh_err *e)
{
    *idx = -1;
    for (int i = 0; i < ncols; i++)
        if (!strcmp(cols[i].name, key)) {
            *idx = i;
            break;
        }
    char safe[64];
    snprintf(safe, sizeof(safe), "%s", key);
    if (*idx < 0 || (cols[*idx].flags & COL_INTERNAL)) {
        sh_err_field(e, SH_INVALID, safe, "unknown field '%s'", safe);
        return sh_err_reason(e, "unknown_field", NULL);
    }
    if (cols[*idx].flags & COL_READONLY) {
        sh_err_field(e, SH_INVALID, safe, "field '%s' is read-only", safe);
        return sh_err_reason(e, "read_only", NULL);
    }
    if (partial && (cols[*idx].flags & COL_CREATE_ONLY)) {
        sh_err_field(e, SH_INVALID, safe, "field '%s' cannot be changed", safe);
        return sh_err_reason(e, "read_only", NULL);
    }
    return SH_OK;
}

enum sh_code api_parse_object(struct sh_arena *a, const char *body, size_t len,
                              const struct col *cols, int ncols, bool partial, struct fval *vals,
                              json_t **root_out, struct sh_err *e)
{
    json_t *root;
    enum sh_code rc = api_load_object(body, len, &root, e);
    if (rc)
        return rc;
    for (int i = 0; i < ncols; i++)
        memset(&vals[i], 0, sizeof(vals[i]));
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        int idx;
        if ((rc = field_of(cols, ncols, partial, key, &idx, e)) ||
            (rc = ent_parse_value(a, &cols[idx], v, &vals[idx], e)))
            goto out;
    }
    if (!partial)
        for (int i = 0; i < ncols; i++)
            if ((cols[i].flags & COL_REQUIRED) && (!vals[i].present || vals[i].is_null)) {
                sh_err_field(e, SH_INVALID, cols[i].name, "'%s' is required", cols[i].name);
                rc = sh_err_reason(e, "required", NULL);
                goto out;
            }
out:
    if (rc == SH_OK && root_out)
        *root_out = root;
    else
        json_decref(root);
    return rc;
}

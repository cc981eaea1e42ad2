/* SPDX-License-Identifier: MIT */
/* The state-machine table walk (domain/fsm.h). */
#include "domain/fsm.h"

#include <stdio.h>
#include <string.h>

const char *fsm_name(const char *const *names, int n, int i)
{
    return i >= 0 && i < n ? names[i] : "?";
}

bool fsm_parse(const char *const *names, int n, const char *s, int *out)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return true;
        }
    return false;
}

static const struct fsm_row *find(const struct fsm *m, int st, int action)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (m->rows[i].from == st && m->rows[i].action == action)
            return &m->rows[i];
    return NULL;
}

static enum sh_code illegal(const struct fsm *m, int st, int action, struct sh_err *err)
{
    char list[240] = "", params[300] = "";
    size_t len = 0, plen = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        if (m->rows[i].from != st)
            continue;
        const char *n = fsm_name(m->action_names, m->nactions, m->rows[i].action);
        int w = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", n);
        int pw = snprintf(params + plen, sizeof(params) - plen, "%s\"%s\"", plen ? "," : "", n);
        if (w < 0 || (size_t)w >= sizeof(list) - len || pw < 0 ||
            (size_t)pw >= sizeof(params) - plen)
            break;
        len += (size_t)w;
        plen += (size_t)pw;
    }
    const char *sn = fsm_name(m->state_names, m->nstates, st);
    const char *an = fsm_name(m->action_names, m->nactions, action);
    sh_err_set(err, SH_CONFLICT, "%s in state '%s' cannot '%s'; allowed: %s", m->what, sn, an,
               len ? list : "none");
    return sh_err_reason(err, "illegal_action",
                         "{\"status\":\"%s\",\"action\":\"%s\",\"allowed\":[%s]}", sn, an, params);
}

enum sh_code fsm_transition(const struct fsm *m, int st, int action, unsigned roles, int *to,
                            struct sh_err *err)
{
    if (st < 0 || st >= m->nstates || action < 0 || action >= m->nactions)
        return sh_err_set(err, SH_INVALID, "unknown state or action of %s", m->what);
    const struct fsm_row *r = find(m, st, action);
    if (!r)
        return illegal(m, st, action, err);
    if (!(r->roles & roles))
        return sh_err_set(err, SH_FORBIDDEN, "your roles may not '%s' %s",
                          fsm_name(m->action_names, m->nactions, action), m->what);
    *to = r->to;
    return SH_OK;
}

int fsm_allowed(const struct fsm *m, int st, unsigned roles, int *out)
{
    int n = 0;
    for (int a = 0; a < m->nactions; a++) {
        const struct fsm_row *r = find(m, st, a);
        if (r && (r->roles & roles))
            out[n++] = a;
    }
    return n;
}

/* SPDX-License-Identifier: MIT */
#include "app/notify_templates.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "notify/notify.h"

#define V(...)                                                                                     \
    (const char *const[])                                                                          \
    {                                                                                              \
        __VA_ARGS__, NULL                                                                          \
    }

const struct notify_event notify_events[] = {
    {"ticket_received",
     V("number", "status_url"),
     {"工单 {number} 已受理", "Ticket {number} received"},
     {"您的服务请求已受理，工单号 {number}。查询进度：{status_url}",
      "Your service request is registered as {number}. Follow it at {status_url}"}},
    {"technician_assigned",
     V("number", "technician", "technician_phone"),
     {"工单 {number} 已派工程师 {technician}", "Engineer {technician} assigned to {number}"},
     {"工单 {number} 由工程师 {technician}（电话 {technician_phone}）负责。",
      "Engineer {technician} (phone {technician_phone}) handles ticket {number}."}},
    {"appointment_confirmed",
     V("number", "arrival", "tolerance_min"),
     {"预约确认：{arrival} 上门", "Appointment confirmed: {arrival}"},
     {"工单 {number}：工程师将于 {arrival} 前后 {tolerance_min} 分钟内到达。",
      "Ticket {number}: the engineer arrives at {arrival}, within {tolerance_min} minutes."}},
    {"precall",
     V("number", "customer", "address", "arrival"),
     {"请致电客户确认上门：{number}", "Call the customer before the visit: {number}"},
     {"请在上门前 1–2 小时致电 {customer}，确认地址 {address}，告知到达时间 {arrival}。",
      "Call {customer} 1–2 hours ahead, confirm the address {address} and the arrival {arrival}."}},
    {"late_notice",
     V("number", "new_arrival", "technician"),
     {"上门时间变更：{new_arrival}", "New arrival time: {new_arrival}"},
     {"很抱歉，工程师 {technician} 将晚到，新的到达时间为 {new_arrival}（工单 {number}）。",
      "Sorry, engineer {technician} will be late; new arrival time {new_arrival} ({number})."}},
    {"approval_requested",
     V("number", "requester", "what"),
     {"待审批：{number} {what}", "Approval requested: {number} {what}"},
     {"{requester} 提交了 {number} 的审批申请：{what}。",
      "{requester} asks for approval on {number}: {what}."}},
    {"approval_decided",
     V("number", "decision", "approver"),
     {"审批结果：{number} {decision}", "Approval decided: {number} {decision}"},
     {"{approver} 已处理 {number} 的审批：{decision}。",
      "{approver} decided on {number}: {decision}."}},
    {"sla_at_risk",
     V("number", "clock", "due_at"),
     {"SLA 即将超时：{number}", "SLA at risk: {number}"},
     {"工单 {number} 的 {clock} 将于 {due_at} 到期。",
      "The {clock} of {number} is due at {due_at}."}},
    {"sla_breached",
     V("number", "clock", "due_at"),
     {"SLA 已超时：{number}", "SLA breached: {number}"},
     {"工单 {number} 的 {clock} 已于 {due_at} 超时，请升级处理。",
      "The {clock} of {number} was due at {due_at}: escalate."}},
    {"survey_link",
     V("number", "url"),
     {"服务满意度回访：{number}", "How did we do? {number}"},
     {"感谢您的信任，请花一分钟评价本次服务：{url}", "Thank you. Please rate our service: {url}"}},
    {"quote_ready",
     V("number", "amount", "url"),
     {"报价单已出：{number}", "Quote ready: {number}"},
     {"工单 {number} 的报价为 {amount} 元，详情：{url}",
      "The quote for {number} is CNY {amount}: {url}"}},
    /* WF-20 S4: an RMA's analysis proposes a charge; the customer accepts or declines it */
    {"rma_charge",
     V("number", "model", "serial", "amount"),
     {"返厂维修需收费：{number}", "Factory repair charge: {number}"},
     {"您返厂维修的设备 {model}（序列号 {serial}，返厂单 {number}）检测后需收取维修费 {amount} "
      "元。请在客户门户中确认接受或拒绝，或致电客服告知；接受后我们开始维修，拒绝则设备不修理原样"
      "发回。",
      "Your {model} (serial {serial}, return {number}) was examined at the factory: its repair "
      "costs CNY {amount}. Accept or decline it in the customer portal, or call us. Once you "
      "accept we repair it; declined, the unit is sent back unrepaired."}},
    {"dealer_app_approved",
     V("project", "agreement_due"),
     {"安装申请已批准：{project}", "Installation application approved: {project}"},
     {"您的安装申请（{project}）已批准，安装协议将于 {agreement_due} 前发出。",
      "Your installation application ({project}) is approved; the agreement follows by "
      "{agreement_due}."}},
    {"dealer_app_refused",
     V("project", "reason"),
     {"安装申请未获批准：{project}", "Installation application refused: {project}"},
     {"很抱歉，您的安装申请（{project}）未获批准，原因：{reason}",
      "Sorry, your installation application ({project}) was refused: {reason}"}},
    {"dealer_agreement_sent",
     V("project", "order_no", "departure_date", "fee", "confirm_due"),
     {"安装协议已发出：{project}", "Installation agreement sent: {project}"},
     {"{project} 的安装协议已发出（订单 {order_no}），安装人员 {departure_date} 出发，费用合计 "
      "{fee} 元。请于 {confirm_due} 前确认，否则不能按期出发。",
      "The installation agreement for {project} (order {order_no}) is sent: the installers "
      "leave on {departure_date}, fees CNY {fee}. Confirm by {confirm_due}, or the trip cannot "
      "start."}},
    {"shipment_sent",
     V("number", "carrier", "waybill"),
     {"已发货：{carrier} {waybill}", "Shipped: {carrier} {waybill}"},
     {"工单 {number} 的配件已由 {carrier} 发出，运单号 {waybill}。",
      "Parts for {number} were shipped by {carrier}, waybill {waybill}."}},
    {"warranty_ending",
     V("serial", "model", "end_date"),
     {"保修将于 {end_date} 到期", "Warranty ends on {end_date}"},
     {"您的设备 {model}（序列号 {serial}）保修将于 {end_date} 到期，欢迎咨询延保服务。",
      "The warranty of your {model} (serial {serial}) ends on {end_date}; ask us about extended "
      "cover."}},
    /* the department heads: an escalation, a repeat repair, a low survey
     * score; the technical department: a visit's opinions (WF-10) */
    {"escalation",
     V("number", "note"),
     {"工单升级：{number}", "Ticket escalated: {number}"},
     {"工单 {number} 已升级处理：{note}", "Ticket {number} was escalated: {note}"}},
    {"repeat_repair",
     V("number", "previous", "fault"),
     {"重复维修：{number}", "Repeat repair: {number}"},
     {"工单 {number} 是工单 {previous} 修复后同一故障（{fault}）的再次报修，请关注。",
      "Ticket {number} reports the fault ({fault}) that ticket {previous} repaired: please "
      "look into it."}},
    {"survey_low_score",
     V("number", "comment"),
     {"客户不满意：{number}", "Dissatisfied customer: {number}"},
     {"工单 {number} 的满意度回访评分偏低，客户意见：{comment}。请跟进。",
      "The survey of ticket {number} scored low; the customer said: {comment}. Please follow "
      "up."}},
    {"visit_feedback",
     V("number", "design", "assembly", "process", "usage"),
     {"走访意见：{number}", "Visit opinions: {number}"},
     {"工单 {number} 走访收集的意见——设计：{design}；装配：{assembly}；工艺：{process}；使用："
      "{usage}",
      "Opinions gathered on the visit of {number} — design: {design}; assembly: {assembly}; "
      "process: {process}; usage: {usage}"}},
    /* a serious quality problem (重大质量问题) reaches the general manager (docs/complaints.md) */
    {"quality_major",
     V("number", "customer", "product", "summary"),
     {"重大质量问题：{number} {customer}", "Serious quality problem: {number} {customer}"},
     {"客户抱怨通知单 {number}（{customer}，产品 {product}）：{summary}。请立即处理。",
      "Complaint notice {number} ({customer}, product {product}): {summary}. Please act now."}},
};
const int notify_nevents = (int)(sizeof(notify_events) / sizeof(notify_events[0]));

static const struct notify_event *event_of(const char *kind)
{
    for (int i = 0; i < notify_nevents; i++)
        if (!strcmp(notify_events[i].kind, kind))
            return &notify_events[i];
    return NULL;
}

static int locale_index(const char *l)
{
    return !strcmp(l, "zh-CN") ? 0 : !strcmp(l, "en") ? 1 : -1;
}

enum sh_code uc_notify_templates(const struct uc *u, struct notify_template_list *out,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT kind, locale, subject, body, updated_at, version FROM "
                               "notify_templates",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    out->n = 0;
    out->items = sh_arena_alloc(u->a, sizeof(*out->items) * (size_t)notify_nevents * 2);
    for (int i = 0; i < notify_nevents; i++) {
        for (int l = 0; l < 2; l++) {
            struct notify_template *t = &out->items[out->n++];
            const struct notify_event *ev = &notify_events[i];
            *t = (struct notify_template){ev->kind, l ? "en" : "zh-CN", ev->subject[l], ev->body[l],
                                          NULL,     ev->vars,           false,          0};
            for (int k = 0; k < r.nrows; k++) {
                if (strcmp(db_get(&r, k, "kind"), t->kind) ||
                    strcmp(db_get(&r, k, "locale"), t->locale))
                    continue;
                t->subject = db_get(&r, k, "subject");
                t->body = db_get(&r, k, "body");
                t->updated_at = db_get(&r, k, "updated_at");
                t->version = db_get_int(&r, k, "version", 1);
                t->customized = true;
            }
        }
    }
    return SH_OK;
}

SH_WUR static enum sh_code check_text(const struct uc *u, const char *field, const char *text,
                                      int max, const char *const *vars, struct sh_err *e)
{
    if (!text || !*text) {
        sh_err_field(e, SH_INVALID, field, "'%s' is required", field);
        return sh_err_reason(e, "required", NULL);
    }
    if ((int)strlen(text) > max) {
        sh_err_field(e, SH_INVALID, field, "'%s' is too long", field);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", max);
    }
    const char *bad;
    size_t n;
    if (nt_template_check(text, vars, &bad, &n) == 0)
        return SH_OK;
    if (!n) {
        sh_err_field(e, SH_INVALID, field, "a brace that opens no {variable}: write {{ or }}");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    const char *name = sh_arena_strndup(u->a, bad, n);
    sh_err_field(e, SH_INVALID, field, "{%s} is not a variable of this event", name);
    return sh_err_reason_str1(e, "unknown_reference", "variable", name);
}

enum sh_code uc_notify_template_set(const struct uc *u, const char *kind, const char *locale,
                                    const char *subject, const char *body,
                                    struct notify_template *out, struct sh_err *e)
{
    const struct notify_event *ev = event_of(kind);
    if (!ev || locale_index(locale) < 0)
        return sh_err_set(e, SH_NOT_FOUND, "no template %s/%s", kind, locale);
    enum sh_code rc = check_text(u, "subject", subject, 200, ev->vars, e);
    if (!rc)
        rc = check_text(u, "body", body, 2000, ev->vars, e);
    if (rc)
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_val by = u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL;
    rc = db_exec(
        u->tx,
        "INSERT INTO notify_templates (kind, locale, subject, body, updated_at, "
        "updated_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, locale) DO "
        "UPDATE SET subject = $3, body = $4, updated_at = $5, updated_by = $6, "
        "version = notify_templates.version + 1",
        DB_P(DB_TEXT(kind), DB_TEXT(locale), DB_TEXT(subject), DB_TEXT(body), DB_TEXT(now), by),
        NULL, e);
    struct notify_template_list all;
    if (!rc)
        rc = uc_notify_templates(u, &all, e);
    for (int i = 0; !rc && i < all.n; i++)
        if (!strcmp(all.items[i].kind, kind) && !strcmp(all.items[i].locale, locale))
            *out = all.items[i];
    return rc;
}

enum sh_code uc_notify_render(const struct uc *u, const char *kind, const char *locale,
                              const char *const *names, const char *const *values, int n,
                              const char **subject, const char **body, struct sh_err *e)
{
    struct notify_template_list all;
    enum sh_code rc = uc_notify_templates(u, &all, e);
    if (rc)
        return rc;
    const char *loc = locale_index(locale) < 0 ? "zh-CN" : locale;
    for (int i = 0; i < all.n; i++) {
        if (strcmp(all.items[i].kind, kind) || strcmp(all.items[i].locale, loc))
            continue;
        *subject = nt_template_render(u->a, all.items[i].subject, names, values, n);
        *body = nt_template_render(u->a, all.items[i].body, names, values, n);
        return SH_OK;
    }
    return sh_err_set(e, SH_NOT_FOUND, "no template %s", kind);
}

static const struct {
    const char *name, *zh, *en;
} samples[] = {
    {"number", "SH-20261206-0001", "SH-20261206-0001"},
    {"status_url", "https://shouhou.example.cn/r/s/3f9c2a",
     "https://shouhou.example.cn/r/s/3f9c2a"},
    {"technician", "王建国", "Wang Jianguo"},
    {"technician_phone", "13800138000", "13800138000"},
    {"arrival", "2026-12-07 09:30", "2026-12-07 09:30"},
    {"tolerance_min", "30", "30"},
    {"customer", "澜沧江精密机械有限公司", "Lancang Precision Co."},
    {"address", "昆明市盘龙区北京路 88 号", "88 Beijing Rd, Kunming"},
    {"new_arrival", "2026-12-07 10:15", "2026-12-07 10:15"},
    {"requester", "李娜", "Li Na"},
    {"what", "免费更换主板", "free main-board replacement"},
    {"decision", "已批准", "approved"},
    {"approver", "张经理", "Manager Zhang"},
    {"clock", "上门", "on-site"},
    {"due_at", "2026-12-07 18:00", "2026-12-07 18:00"},
    {"url", "https://shouhou.example.cn/r/survey/7b1e", "https://shouhou.example.cn/r/survey/7b1e"},
    {"amount", "1280.00", "1280.00"},
    {"carrier", "顺丰速运", "SF Express"},
    {"waybill", "SF1234567890", "SF1234567890"},
    {"serial", "LC-2024-00815", "LC-2024-00815"},
    {"model", "XR-200 数控车床", "XR-200 lathe"},
    {"end_date", "2027-01-06", "2027-01-06"},
    {"product", "XR-200 数控车床", "XR-200 lathe"},
    {"summary", "床身明显开裂", "obvious crack in the bed"},
};

const char *notify_sample(const char *var, const char *locale)
{
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
        if (!strcmp(samples[i].name, var))
            return strcmp(locale, "en") ? samples[i].zh : samples[i].en;
    return "";
}

enum sh_code uc_notify_template_preview(const struct uc *u, const char *kind, const char *locale,
                                        const char *subject, const char *body,
                                        const char **out_subject, const char **out_body,
                                        struct sh_err *e)
{
    const struct notify_event *ev = event_of(kind);
    if (!ev || locale_index(locale) < 0)
        return sh_err_set(e, SH_NOT_FOUND, "no template %s/%s", kind, locale);
    enum sh_code rc = check_text(u, "subject", subject, 200, ev->vars, e);
    if (!rc)
        rc = check_text(u, "body", body, 2000, ev->vars, e);
    if (rc)
        return rc;
    int n = 0;
    while (ev->vars[n])
        n++;
    const char **values = sh_arena_alloc(u->a, sizeof(char *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        values[i] = notify_sample(ev->vars[i], locale);
    *out_subject = nt_template_render(u->a, subject, ev->vars, values, n);
    *out_body = nt_template_render(u->a, body, ev->vars, values, n);
    return SH_OK;
}

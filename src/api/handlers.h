/* SPDX-License-Identifier: MIT */
/* Handlers that are not the generic entity ones. */
#ifndef SH_HANDLERS_H
#define SH_HANDLERS_H

#include "api/api.h"

void h_session_create(struct api_ctx *c);
/* api/account.c */
void h_account(struct api_ctx *c);
void h_session_get(struct api_ctx *c);
void h_session_delete(struct api_ctx *c);
void h_tokens_list(struct api_ctx *c);
void h_tokens_create(struct api_ctx *c);
void h_tokens_delete(struct api_ctx *c);
void h_users_list(struct api_ctx *c);
void h_users_get(struct api_ctx *c);
void h_users_create(struct api_ctx *c);
void h_users_update(struct api_ctx *c);
void h_users_password(struct api_ctx *c);
void h_audit_list(struct api_ctx *c);
void h_unit_history(struct api_ctx *c);
/* software versions and upgrade campaigns (api/versions.c; issue 18 item 3) */
void h_unit_versions(struct api_ctx *c);
void h_unit_version_add(struct api_ctx *c);
void h_unit_upgrade_entitlement(struct api_ctx *c);
void h_campaign_candidates(struct api_ctx *c);
void h_campaign_launch(struct api_ctx *c);
void h_campaign_progress(struct api_ctx *c);
void h_campaign_record(struct api_ctx *c);
void h_unit_qr(struct api_ctx *c);
/* the service report of a work order (service_reports.c) */
void h_wo_signature(struct api_ctx *c);
void h_wo_reports(struct api_ctx *c);
void h_wo_report_pdf(struct api_ctx *c);
void h_unit_warranty(struct api_ctx *c);
void h_roles_list(struct api_ctx *c);
/* api_docs.c: the API reference page and the OpenAPI description it shows */
void h_api_docs(struct api_ctx *c);
void h_openapi_yaml(struct api_ctx *c);

void h_ticket_create(struct api_ctx *c);
void h_ticket_get(struct api_ctx *c);
void h_ticket_action(struct api_ctx *c);
/* market-support approvals (issue 12 item 3) */
void h_approval_decide(struct api_ctx *c);
void h_ticket_events(struct api_ctx *c);
void h_ticket_queues(struct api_ctx *c);
void h_ticket_comment(struct api_ctx *c);
void h_ticket_call(struct api_ctx *c);
void h_ticket_attach(struct api_ctx *c);
void h_ticket_merge(struct api_ctx *c);
void h_ticket_exclusion(struct api_ctx *c);
void h_diagnosis_create(struct api_ctx *c);
void h_diagnosis_list(struct api_ctx *c);
void h_ticket_warranty(struct api_ctx *c);
void h_attachment_get(struct api_ctx *c);
void h_report_repeat_repairs(struct api_ctx *c);
/* shipments (issue 12 items 1 and 6; api/shipments.c, api/report_doa.c) */
void h_shipment_create(struct api_ctx *c);
void h_shipment_get(struct api_ctx *c);
void h_shipment_action(struct api_ctx *c);
void h_shipment_line(struct api_ctx *c);
void h_report_doa(struct api_ctx *c);
/* return to factory (issue 14 item 2; api/rmas.c) */
void h_rma_get(struct api_ctx *c);
void h_rma_action(struct api_ctx *c);
/* receipts and credits (api/charge_receipts.c) */
void h_charge_allocate(struct api_ctx *c);
void h_credit_apply(struct api_ctx *c);
void h_credit_refund(struct api_ctx *c);
void h_complaint_get(struct api_ctx *c);
void h_complaint_pdf(struct api_ctx *c);
void h_complaint_action(struct api_ctx *c);
void h_complaint_ack(struct api_ctx *c);
void h_rma_photo_add(struct api_ctx *c);
void h_rma_photo_get(struct api_ctx *c);
/* knowledge base (issue 18 item 4; api/kb.c) */
void h_kb_suggest(struct api_ctx *c);
void h_kb_from_ticket(struct api_ctx *c);
void h_kb_link(struct api_ctx *c);
void h_kb_links(struct api_ctx *c);
void h_kb_attach_add(struct api_ctx *c);
void h_kb_attachments(struct api_ctx *c);
void h_kb_attachment_get(struct api_ctx *c);
void h_kb_attachment_delete(struct api_ctx *c);
void h_settings_get(struct api_ctx *c); /* settings.c */
void h_settings_patch(struct api_ctx *c);

void h_public_unit(struct api_ctx *c);
void h_public_report(struct api_ctx *c);
void h_public_status(struct api_ctx *c);
void h_public_photo(struct api_ctx *c);

void h_dispatch_solve(struct api_ctx *c); /* dispatch_api.c */
void h_dispatch_slots(struct api_ctx *c);

void audit_render(struct jw *w, const struct db_rows *r, long limit);
/* The same for a customer or dealer account: only the rows of its own ownership of the
 * record (ent's scope column equals customer_id), without staff-only fields, the state
 * before a change of owner, or staff login names. */
void audit_render_owned(struct jw *w, const struct db_rows *r, long limit, const struct entity *ent,
                        int64_t customer_id);

/* satisfaction surveys and follow-up tasks (issue 11 item 6: api/surveys.c,
 * api/survey_public.c, api/tasks.c) */
void h_ticket_survey_get(struct api_ctx *c);
void h_ticket_survey_record(struct api_ctx *c);
void h_ticket_survey_link(struct api_ctx *c);
void h_public_survey_get(struct api_ctx *c);
void h_public_survey_submit(struct api_ctx *c);
void h_tasks_list(struct api_ctx *c);
void h_notify_list(struct api_ctx *c); /* notifications.c */
void h_notify_retry(struct api_ctx *c);
void h_notify_test(struct api_ctx *c);
void h_notify_channels(struct api_ctx *c);
void h_notify_channel_put(struct api_ctx *c);
void h_notify_templates(struct api_ctx *c); /* notify_templates.c */
void h_notify_template_put(struct api_ctx *c);
void h_notify_letter(struct api_ctx *c); /* notify_letters.c */
void h_ical_feed_get(struct api_ctx *c); /* ical.c */
void h_ical_feed_rotate(struct api_ctx *c);
void h_ical_feed_qr(struct api_ctx *c);
void h_ical_feed_public(struct api_ctx *c);
void h_notify_printed(struct api_ctx *c);
void h_notify_reminders(struct api_ctx *c);
void h_notify_template_preview(struct api_ctx *c);
void h_task_done(struct api_ctx *c);

#endif

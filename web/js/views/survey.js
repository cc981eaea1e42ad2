// The satisfaction survey on the ticket page (staff): its state, the link sent, the scores and
// comment once answered, and — for those who may — the answers given by phone, a refusal with
// its reason, or a new link. A technician sees the pending survey of their own work only as a
// note (the server answers 403 own_work).
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { state } from '../app.js';
import { may } from '../policy.js';
import { meta, routeRoles } from '../meta.js';
import { detailList } from './common.js';
import { errorText } from '../app.js';

// the four scores, in the order of the survey form (the domain's survey_score_names)
const questions = () => meta()?.enums?.survey_score || [];
const LOW = 2;

export function surveyCard(k) {
  const card = h('section', { class: 'card', id: 'survey', 'aria-labelledby': 'sv-t' },
    h('h2', { id: 'sv-t' }, t('survey.card')));
  // the technician whose work it rates loads it on request: while it is pending the server
  // refuses it (403 own_work), which is no error of the page
  const u = state.user;
  if (u?.roles.includes('technician') && k.assignee_id === Number(u.id)) {
    const btn = h('button', { type: 'button', class: 'btn btn-quiet', id: 'survey-show', onclick: () => { btn.remove(); load(card, k); } }, t('survey.show'));
    card.append(btn);
  } else load(card, k);
  return card;
}

async function load(card, k) {
  const body = h('div', { id: 'survey-body' });
  card.append(body);
  let s;
  try {
    s = (await api('GET', `/tickets/${k.id}/survey`)).data;
  } catch (e) {
    body.append(h('p', { class: e.reason === 'own_work' ? 'muted' : 'alert alert-error', id: 'survey-note' },
      e.reason === 'own_work' ? t('survey.own_work') : errorText(e)));
    return;
  }
  draw(card, body, k, s);
}

function scoreRows(s) {
  return h('dl', { class: 'survey-scores', id: 'survey-scores' }, questions().flatMap((q) => [
    h('dt', null, t(`survey.q.${q}`)),
    h('dd', { 'data-score': q, class: s[q] && s[q] <= LOW ? 'score-low' : null },
      s[q] ? `${s[q]} · ${t(`survey.score.${s[q]}`)}` : '—', s[q] && s[q] <= LOW ? ` (${t('survey.low')})` : ''),
  ]));
}

function draw(card, body, k, s) {
  clear(body);
  if (s.status === 'none') body.append(h('p', { class: 'muted' }, t('survey.none')));
  else {
    body.append(h('p', null, h('span', { class: `badge badge-sv-${s.status}`, id: 'survey-status', 'data-status': s.status }, t(`survey.status.${s.status}`)),
      s.status === 'pending' ? [' ', h('span', { class: 'muted', id: 'survey-link-state' }, t(`survey.link_state.${s.link_state}`))] : null));
    body.append(detailList([
      s.status === 'pending' ? [t('survey.sent_to'), s.recipient || ''] : null,
      s.status === 'pending' ? [t('survey.expires'), fmtTime(s.expires_at)] : null,
      s.status !== 'pending' ? [t('survey.how'), s.channel ? t(`survey.channel.${s.channel}`) : ''] : null,
      s.respondent ? [t('survey.respondent'), s.respondent] : null,
      s.status !== 'pending' ? [t('survey.answered_at'), fmtTime(s.answered_at)] : null,
      s.status === 'refused' ? [t('survey.refusal_reason'), s.refusal_reason] : null,
    ].filter(Boolean)));
    if (s.status === 'submitted') {
      body.append(scoreRows(s));
      if (s.comment) body.append(h('p', { class: 'description', id: 'survey-comment' }, s.comment));
    }
  }
  const open = s.status === 'none' || s.status === 'pending';
  const done = k.status === 'resolved' || k.status === 'closed';
  if (open && done && may(state.user, routeRoles('POST', '/api/v1/tickets/{id}/survey'))) body.append(actions(card, body, k));
}

function actions(card, body, k) {
  const msg = h('div', { role: 'status', 'aria-live': 'polite', id: 'survey-msg' });
  const area = h('div');
  const reload = async (text) => {
    const s = (await api('GET', `/tickets/${k.id}/survey`)).data;
    draw(card, body, k, s);
    body.prepend(h('p', { class: 'alert alert-info' }, text));
  };
  const fail = (e) => clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
  const newLink = async () => {
    try {
      const { data } = await api('POST', `/tickets/${k.id}/survey/link`, { body: {} });
      await reload(`${t('survey.link_sent')} ${data.url}`);
    } catch (e) { fail(e); }
  };
  return h('div', { class: 'survey-actions' }, msg,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn', id: 'survey-phone', onclick: () => { clear(area).append(recordForm(k, false, reload, fail)); } }, t('survey.record_phone')),
      h('button', { type: 'button', class: 'btn btn-quiet', id: 'survey-refuse', onclick: () => { clear(area).append(recordForm(k, true, reload, fail)); } }, t('survey.record_refusal')),
      h('button', { type: 'button', class: 'btn btn-quiet', id: 'survey-link', onclick: newLink }, t('survey.new_link'))),
    area);
}

function recordForm(k, refused, reload, fail) {
  const get = {};
  const rows = [];
  const field = (name, label, control, required) => {
    const id = nextId('sv');
    control.id = id;
    control.name = name;
    if (required) control.required = true;
    get[name] = control;
    rows.push(h('div', { class: 'field' }, h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control));
  };
  if (refused) field('reason', t('survey.reason'), h('textarea', { rows: '2', maxlength: '2000' }), true);
  else {
    for (const q of questions()) {
      field(q, t(`survey.q.${q}`), h('select', null, h('option', { value: '' }, t('ui.form.choose')),
        [5, 4, 3, 2, 1].map((n) => h('option', { value: String(n) }, `${n} · ${t(`survey.score.${n}`)}`))), true);
    }
    field('comment', t('survey.comment'), h('textarea', { rows: '2', maxlength: '2000' }));
  }
  field('respondent', t('survey.respondent'), h('input', { maxlength: '60' }));
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'survey-save' }, t('survey.save'));
  return h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = { outcome: refused ? 'refused' : 'answered' };
    for (const [name, c] of Object.entries(get)) {
      const v = c.value.trim();
      if (c.required && !v) { c.setAttribute('aria-invalid', 'true'); c.focus(); return; }
      if (v) body[name] = questions().includes(name) ? Number(v) : v;
    }
    ok.disabled = true;
    try {
      await api('POST', `/tickets/${k.id}/survey`, { body });
      await reload(t('survey.recorded'));
    } catch (x) { ok.disabled = false; fail(x); }
  } }, rows, h('div', { class: 'actions' }, ok));
}

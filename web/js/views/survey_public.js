// The customer's satisfaction survey from its link, without signing in (满意度调查表, F-10):
//   /r/survey/<token>   scores 1–5 for response speed, skill, attitude and overall, and a
//                       comment; Chinese first, English beside (the customer chose no language)
// A used link says so (410 used), an expired one too (410 expired), an unknown one 404; while
// the ticket is reopened (409) the link waits for the work to be completed again.
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { fmtTime } from '../i18n.js';

const cats = {};

async function catalogue(loc) {
  if (!cats[loc]) {
    const r = await fetch(`/i18n/${loc}.json`, { credentials: 'same-origin' });
    cats[loc] = r.ok ? await r.json() : {};
  }
  return cats[loc];
}

function fill(s, vars) {
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
}

// Chinese, then English beside it
function bi(key, vars) {
  const zh = fill(cats['zh-CN'][key] ?? key, vars);
  const en = fill(cats.en[key] ?? '', vars);
  return [h('span', { lang: 'zh-CN' }, zh), en ? h('span', { class: 'en', lang: 'en' }, en) : null];
}

function message(main, key, kind) {
  clear(main).append(h('h1', null, bi('survey.title')),
    h('p', { class: `alert alert-${kind || 'error'} bi`, role: 'alert', id: 'sv-error', 'data-reason': key }, bi(`survey.${key}`)));
}

export async function surveyView(main, token) {
  await Promise.all([catalogue('zh-CN'), catalogue('en')]);
  let s;
  try {
    s = (await api('GET', `/public/surveys/${encodeURIComponent(token)}`, { quiet401: true })).data;
  } catch (e) {
    message(main, e.status === 410 && (e.reason === 'used' || e.reason === 'expired') ? e.reason
      : e.status === 409 ? 'reopened' : 'unknown');
    return;
  }
  if (!main.isCurrent()) return;
  const err = h('div', { id: 'sv-msg' });
  const picked = {};
  const groups = s.questions.map((q) => {
    const shown = h('p', { class: 'score-text bi', id: `sv-${q}-text`, 'aria-live': 'polite' });
    const opts = Array.from({ length: s.max - s.min + 1 }, (_, i) => s.min + i).map((n) => h('label', { class: 'score' },
      h('input', { type: 'radio', name: q, value: String(n), 'aria-label': `${n} · ${cats['zh-CN'][`survey.score.${n}`]} ${cats.en[`survey.score.${n}`] || ''}`,
        onchange: () => { picked[q] = n; clear(err); clear(shown).append(...bi(`survey.score.${n}`)); } }),
      h('span', { 'aria-hidden': 'true' }, String(n))));
    return h('fieldset', { class: 'field scores-field', id: `sv-${q}` },
      h('legend', { class: 'bi' }, bi(`survey.q.${q}`)),
      h('div', { class: 'scores' }, opts), shown);
  });
  const comment = h('textarea', { id: 'sv-comment', name: 'comment', rows: '4', maxlength: '2000' });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-wide bi', id: 'sv-submit' }, bi('survey.submit'));
  const facts = [
    ['survey.number', s.number],
    s.model_name || s.serial_no ? ['survey.unit', [s.model_name, s.serial_no].filter(Boolean).join(' · ')] : null,
    s.engineer ? ['survey.engineer', s.engineer] : null,
  ].filter(Boolean);
  main.append(
    h('h1', { class: 'bi' }, bi('survey.title')),
    h('section', { class: 'card', id: 'sv-ticket' },
      h('p', { class: 'bi' }, bi('survey.intro')),
      h('dl', { class: 'details' }, facts.map(([k, v]) => h('div', null, h('dt', { class: 'bi' }, bi(k)), h('dd', null, v)))),
      s.expires_at ? h('p', { class: 'muted bi' }, bi('survey.valid_until', { at: fmtTime(s.expires_at) })) : null),
    h('form', { class: 'card form', id: 'sv-form', novalidate: true, onsubmit: submit },
      err, groups,
      h('div', { class: 'field' }, h('label', { for: 'sv-comment', class: 'bi' }, bi('survey.comment')), comment),
      h('div', { class: 'actions' }, btn)));

  async function submit(e) {
    e.preventDefault();
    clear(err);
    const missing = s.questions.find((q) => !picked[q]);
    if (missing) {
      err.append(h('p', { class: 'alert alert-error bi', role: 'alert' }, bi('survey.need_all')));
      document.querySelector(`#sv-${missing} input`)?.focus();
      return;
    }
    btn.disabled = true;
    try {
      const body = Object.fromEntries(s.questions.map((q) => [q, picked[q]]));
      if (comment.value.trim()) body.comment = comment.value.trim();
      await api('POST', `/public/surveys/${encodeURIComponent(token)}`, { body, quiet401: true });
      clear(main).append(h('h1', { class: 'bi' }, bi('survey.thanks')),
        h('section', { class: 'card', id: 'sv-thanks' }, h('p', { class: 'bi' }, bi('survey.thanks_text'))));
      main.focus();
    } catch (x) {
      btn.disabled = false;
      if (x.status === 410) { message(main, x.reason === 'expired' ? 'expired' : 'used'); return; }
      if (x.status === 409) { message(main, 'reopened'); return; }
      err.append(h('p', { class: 'alert alert-error bi', role: 'alert' }, bi(x.status === 404 ? 'survey.unknown' : 'survey.need_all')));
    }
  }
}

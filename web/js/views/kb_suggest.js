// The knowledge suggestions of the intake and ticket pages (issue 18 item 4;
// docs/knowledge.md), kept apart from the knowledge screens (views/know.js) so that the
// pages load only this when they ask, after they have loaded: the articles for a
// description and model, "this helped", the articles that helped a ticket, and "make an
// article" once the ticket is resolved or closed.
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { errorText, state, go } from '../app.js';
import { P, may } from '../policy.js';

// ---- suggestions: fetched after the page, never awaited by it ----

function suggestionList(items, ticketId, onHelped) {
  if (!items.length) return h('p', { class: 'empty', id: 'kb-suggest-none' }, t('kb.suggest.none'));
  return h('ul', { class: 'mini', id: 'kb-suggest-list' }, items.map((s) => h('li', { 'data-article': String(s.id) },
    h('a', { href: `#/kb/${s.id}`, class: 'kb-sug-title' }, s.title), ' ',
    h('span', { class: 'muted' }, [s.model_name, t('kb.helped_short', { n: s.helped_count })].filter(Boolean).join(' · ')),
    s.symptom ? h('div', { class: 'muted clip' }, s.symptom) : null,
    ticketId && may(state.user, P.kbLink) ? h('button', { type: 'button', class: 'btn btn-small kb-helped', onclick: (e) => onHelped(s, e.currentTarget) }, t('kb.suggest.helped_btn')) : null)));
}

// A card that shows the articles for a description and model; update(text, model) asks
// again (debounced by the caller's typing), each answer replacing only an older one.
export function kbSuggestPanel(opts = {}) {
  const body = h('div', { id: 'kb-suggest-body', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('kb.suggest.type')));
  const card = h('section', { class: 'card', id: 'kb-suggest', 'aria-labelledby': 'kb-sug-t' }, h('h2', { id: 'kb-sug-t' }, t('kb.suggest.title')), body);
  let seq = 0;
  async function helped(s, btn) {
    btn.disabled = true;
    try {
      const r = await api('POST', `/tickets/${opts.ticketId}/kb-links`, { body: { article_id: s.id } });
      btn.replaceWith(h('span', { class: 'badge badge-ok kb-marked' }, t('kb.suggest.marked'), ` (${r.data.helped_count})`));
    } catch (err) { btn.disabled = false; if (err.status !== 401) body.append(h('p', { class: 'alert alert-error' }, errorText(err))); }
  }
  async function update(text, model) {
    const my = ++seq;
    const s = (text || '').trim();
    if (s.length < 2) { clear(body).append(h('p', { class: 'muted' }, t('kb.suggest.type'))); return; }
    clear(body).append(h('p', { class: 'muted' }, t('kb.suggest.loading')));
    try {
      const r = await api('GET', '/kb-articles/suggest', { query: { text: s.slice(0, 500), model: model || undefined, limit: 5 } });
      if (my !== seq) return;
      clear(body).append(suggestionList(r.data.items, opts.ticketId, helped));
    } catch (err) {
      if (my === seq && err.status !== 401) clear(body).append(h('p', { class: 'muted' }, t('kb.suggest.error')));
    }
  }
  return { card, update };
}

// The ticket page: the suggestions for its description and model, the articles marked as
// having helped it, and "make an article" once it is resolved or closed.
export async function ticketKbCard(k) {
  const panel = kbSuggestPanel({ ticketId: k.id });
  panel.update(k.description || '', k.model_id);
  const linked = h('div', { id: 'kb-linked' });
  api('GET', `/tickets/${k.id}/kb-links`).then((r) => {
    if (r.data.items.length) linked.append(h('h3', null, t('kb.linked')), h('ul', { class: 'mini' }, r.data.items.map((a) => h('li', null, h('a', { href: `#/kb/${a.id}` }, a.title), ' ', h('span', { class: 'muted' }, t('kb.helped_short', { n: a.helped_count }))))));
  }).catch(() => {});
  panel.card.append(linked);
  if (['resolved', 'closed'].includes(k.status) && may(state.user, P.kbWrite)) {
    const msg = h('div', { role: 'status' });
    panel.card.append(h('button', { type: 'button', class: 'btn', id: 'kb-from-ticket', title: t('kb.from_ticket_hint'), onclick: async (e) => {
      e.currentTarget.disabled = true;
      try {
        const r = await api('POST', `/kb-articles/from-ticket/${k.id}`);
        go(`/kb/${r.data.id}/edit`);
      } catch (err) { e.target.disabled = false; if (err.status !== 401) clear(msg).append(h('p', { class: 'alert alert-error' }, errorText(err))); }
    } }, t('kb.from_ticket')), msg);
  }
  return panel.card;
}


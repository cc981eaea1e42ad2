// Knowledge base (issue 18 item 4; docs/knowledge.md): the list with Chinese search
// (#/kb), an article (#/kb/{id}), the editor (#/kb/new, #/kb/{id}/edit), the suggestions
// panel of the intake and ticket pages (loaded after the page, debounced while typing,
// never blocking the form), "this helped" and "make an article" on the ticket page, and
// the improvement inputs (#/improvements). Statuses, sources and kinds come from /meta.
import { h, nextId } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime, currentLocale } from '../i18n.js';
import { state, errorText } from '../app.js';
import { P, may } from '../policy.js';
import { columnMeta } from '../meta.js';
import { listView } from './list.js';
import { entityForm, fieldsOf } from './forms.js';
import { detailList } from './common.js';

const KB_FORM = ['title', 'status', 'symptom',
  ['model_id', { label: (r) => `${r.code} ${r.name}` }],
  'fault_category', 'cause', 'solution', 'source', 'source_note'];

const statusOpts = (ent) => (columnMeta(ent, 'status')?.enum || []).map((v) => [v, enumLabel('status', v)]);

export async function knowledgeView(main) {
  const actions = may(state.user, P.kbWrite) ? [h('a', { href: '#/kb/new', class: 'btn btn-primary', id: 'kb-new' }, t('kb.new'))] : [];
  if (may(state.user, P.improve)) actions.push(h('a', { href: '#/improvements', class: 'btn btn-quiet', id: 'to-improve' }, t('kb.improve.nav')));
  return listView(main, {
    title: t('kb.title'),
    path: '/kb-articles',
    hashPath: '/kb',
    expand: 'model_id',
    defaultSort: '-id',
    searchHint: t('kb.search_hint'),
    filters: [{ name: 'status', label: fieldLabel('kb_article', 'status'), options: statusOpts('kb_article') }],
    actions,
    rowLink: (r) => `#/kb/${r.id}`,
    columns: [
      { label: fieldLabel('kb_article', 'title'), key: 'title', sort: 'title' },
      { label: t('kb.col.model'), render: (r) => r.model_name || '' },
      { label: fieldLabel('kb_article', 'status'), render: (r) => enumLabel('status', r.status), sort: 'status' },
      { label: fieldLabel('kb_article', 'helped_count'), key: 'helped_count', sort: 'helped_count' },
      { label: fieldLabel('kb_article', 'updated_at'), render: (r) => fmtTime(r.updated_at), sort: 'updated_at' },
    ],
  });
}

const para = (s) => (s ? h('div', { class: 'prewrap' }, s) : '—');

export async function kbArticle(main, id) {
  const a = (await api('GET', `/kb-articles/${id}`, { query: { expand: 'all' } })).data;
  const cat = a.fault_category ? (await api('GET', '/fault-categories', { query: { code: a.fault_category, limit: 1 } }).catch(() => null))?.data.items[0] : null;
  if (!main.isCurrent()) return;
  main.append(
    h('div', { class: 'page-head' },
      h('h1', { id: 'kb-title' }, a.title, ' ', h('span', { class: `badge badge-${a.status}` }, enumLabel('status', a.status))),
      h('div', { class: 'toolbar' },
        may(state.user, P.kbWrite) ? h('a', { href: `#/kb/${a.id}/edit`, class: 'btn', id: 'kb-edit' }, t('kb.edit_btn')) : null,
        h('a', { href: '#/kb', class: 'btn btn-quiet' }, t('kb.back')))),
    h('section', { class: 'card', id: 'kb-article' },
      detailList([
        [t('kb.col.model'), a.model_name || ''],
        [fieldLabel('kb_article', 'fault_category'), cat ? (currentLocale() === 'en' && cat.name_en ? cat.name_en : cat.name) : a.fault_category],
        [t('kb.source'), [enumLabel('source', a.source), a.source_ticket_id ? h('a', { href: `#/tickets/${a.source_ticket_id}` }, ` ${a.source_ticket_name || a.source_note || `#${a.source_ticket_id}`}`) : ` ${a.source_note || ''}`]],
        [fieldLabel('kb_article', 'helped_count'), t('kb.helped', { n: a.helped_count })],
        [fieldLabel('kb_article', 'author_id'), a.author_name || ''],
      ]),
      h('h2', null, t('kb.symptom')), para(a.symptom),
      h('h2', null, t('kb.cause')), para(a.cause),
      h('h2', null, t('kb.solution')), h('div', { id: 'kb-solution' }, para(a.solution))),
    kbAttachments(a.id));
}

// ---- attachments: photos and PDFs of the solved problem, loaded after the article ----

const KB_ATT_MAX = 20 * 1024 * 1024;
const fmtSize = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

function kbAttachments(id) {
  const write = may(state.user, P.kbWrite);
  const list = h('ul', { class: 'attachments', id: 'kb-att-list' });
  const status = h('p', { class: 'list-status', role: 'status', 'aria-live': 'polite' });
  const load = async () => {
    let items;
    try { items = (await api('GET', `/kb-articles/${id}/attachments`)).data.items; } catch (e) {
      if (e.status !== 401) status.textContent = errorText(e);
      return;
    }
    list.replaceChildren(...(items.length ? items.map((x) => h('li', { class: 'kb-att' },
      x.mime.startsWith('image/') ? h('img', { src: x.url, alt: x.filename, class: 'kb-att-thumb', loading: 'lazy' }) : null,
      h('a', { href: x.url, download: x.filename }, x.filename),
      h('small', { class: 'hint' }, ` ${fmtSize(x.size)} · ${x.created_by_name || ''} · ${fmtTime(x.created_at)}`),
      write ? h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': t('kb.att.delete_of', { name: x.filename }), onclick: async () => {
        if (!window.confirm(t('kb.att.confirm', { name: x.filename }))) return;
        try { await api('DELETE', `/kb-articles/${id}/attachments/${x.id}`); await load(); } catch (e) { if (e.status !== 401) status.textContent = errorText(e); }
      } }, t('kb.att.delete')) : null)) : [h('li', { class: 'hint' }, t('kb.att.none'))]));
  };
  async function upload(files) {
    for (const f of [...files]) {
      if (f.size > KB_ATT_MAX) { status.textContent = t('ui.attach.too_big', { name: f.name }); return; }
      status.textContent = t('ui.attach.uploading', { name: f.name });
      try { await apiUpload(`/kb-articles/${id}/attachments`, f); } catch (e) {
        if (e.status !== 401) status.textContent = `${f.name}: ${errorText(e)}`;
        await load();
        return;
      }
    }
    status.textContent = t('kb.att.done');
    await load();
  }
  let form = null;
  if (write) {
    const fid = nextId('kbfile');
    const pick = h('input', { id: fid, type: 'file', multiple: true, accept: 'image/jpeg,image/png,image/gif,image/webp,application/pdf', class: 'file-input', onchange: (e) => upload(e.target.files) });
    const cam = h('input', { id: `${fid}-cam`, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', onchange: (e) => upload(e.target.files) });
    form = h('div', { class: 'actions' },
      h('label', { for: fid, class: 'btn' }, t('ui.attach.choose')), pick,
      h('label', { for: `${fid}-cam`, class: 'btn' }, t('ui.attach.camera')), cam);
  }
  load();
  return h('section', { class: 'card', id: 'kb-attachments', 'aria-labelledby': 'kb-att-t' },
    h('h2', { id: 'kb-att-t' }, t('kb.att.title')), list, form,
    write ? h('p', { class: 'hint' }, t('ui.attach.hint')) : null, status);
}

export async function kbForm(main, id) {
  const fields = await fieldsOf('kb_article', KB_FORM);
  return entityForm(main, { ent: 'kb_article', path: '/kb-articles', fields, id, title: id ? 'kb.edit' : 'kb.new', back: id ? `/kb/${id}` : '/kb' });
}

// ---- improvement input (R-072) ----

const IMPROVE_FORM = ['kind', 'title', 'body',
  ['ticket_id', { label: (r) => r.number || `#${r.id}` }],
  ['customer_id', { label: (r) => `${r.name} (${r.code})` }],
  ['model_id', { label: (r) => `${r.code} ${r.name}` }],
  'status', 'reply'];

export async function improveView(main) {
  return listView(main, {
    title: t('kb.improve.title'),
    path: '/improvement-inputs',
    hashPath: '/improvements',
    expand: 'all',
    defaultSort: '-id',
    filters: [{ name: 'status', label: fieldLabel('improvement_input', 'status'), options: statusOpts('improvement_input') }],
    actions: [h('a', { href: '#/improvements/new', class: 'btn btn-primary', id: 'improve-new' }, t('kb.improve.new'))],
    rowLink: (r) => `#/improvements/${r.id}`,
    columns: [
      { label: fieldLabel('improvement_input', 'title'), key: 'title', sort: 'title' },
      { label: fieldLabel('improvement_input', 'kind'), render: (r) => enumLabel('kind', r.kind) },
      { label: fieldLabel('improvement_input', 'customer_id'), render: (r) => r.customer_name || '' },
      { label: fieldLabel('improvement_input', 'status'), render: (r) => enumLabel('status', r.status), sort: 'status' },
      { label: fieldLabel('improvement_input', 'reply'), render: (r) => r.reply || '' },
    ],
  });
}

export async function improveForm(main, id) {
  const fields = await fieldsOf('improvement_input', IMPROVE_FORM);
  return entityForm(main, { ent: 'improvement_input', path: '/improvement-inputs', fields, id, title: id ? 'kb.improve.edit' : 'kb.improve.new', back: '/improvements' });
}

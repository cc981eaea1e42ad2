// A server-paged list: q= search, equality filters, sort=, cursor paging with
// total, and Excel export of the same query. State lives in the URL hash.
import { h, clear, nextId } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { go } from '../app.js';

const PAGE = 20;
const stacks = new Map(); // hash path -> cursors of earlier pages

export async function listView(main, cfg) {
  const p = main.params;
  const query = { limit: PAGE, expand: cfg.expand || undefined };
  const q = p.get('q') || '';
  const sort = p.get('sort') ?? cfg.defaultSort ?? '';
  const filterVals = {};
  for (const f of cfg.filters || []) filterVals[f.name] = p.get(f.name) || '';
  Object.assign(query, filterVals, { q, sort, cursor: p.get('cursor') || '' });
  const stack = stacks.get(cfg.hashPath) || [];

  const state = () => ({ q, sort, ...filterVals });
  const navigate = (extra) => go(cfg.hashPath, { ...state(), ...extra });

  // search + filters
  const qid = nextId('q');
  const search = h('input', { id: qid, type: 'search', name: 'q', value: q, maxlength: '100', 'aria-describedby': `${qid}-hint` });
  const selects = (cfg.filters || []).map((f) => {
    const id = nextId('flt');
    const sel = h('select', { id, name: f.name },
      h('option', { value: '' }, t('ui.list.any')),
      f.options.map(([v, label]) => h('option', { value: v, selected: filterVals[f.name] === v }, label)));
    return { f, sel, node: h('div', { class: 'field' }, h('label', { for: id }, f.label), sel) };
  });
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    stacks.set(cfg.hashPath, []);
    const vals = { q: search.value.trim(), sort };
    for (const s of selects) vals[s.f.name] = s.sel.value;
    go(cfg.hashPath, vals);
  } },
  h('div', { class: 'field field-grow' }, h('label', { for: qid }, t('ui.list.search')), search,
    h('small', { id: `${qid}-hint`, class: 'hint' }, cfg.searchHint)),
  selects.map((s) => s.node),
  h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn' }, t('ui.list.apply'))));

  const status = h('p', { class: 'list-status', role: 'status', 'aria-live': 'polite' }, t('ui.loading'));
  const exportHref = apiUrl(cfg.path, { ...state(), format: 'xlsx' });
  const tools = h('div', { class: 'toolbar' },
    cfg.actions || null,
    h('a', { href: exportHref, class: 'btn btn-quiet', download: '', id: 'export-xlsx' }, t('ui.list.export')),
    cfg.extraTools ? cfg.extraTools(state()) : null);
  const tableWrap = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('ui.list.pages') });
  main.append(h('div', { class: 'page-head' }, h('h1', null, cfg.title), tools), form, status, tableWrap, pager);

  const { data } = await api('GET', cfg.path, { query });
  if (!main.isCurrent()) return;
  fill(data);

  // the rows again, in place: the page keeps its scroll position, focus and selection
  async function refresh() {
    const r = await api('GET', cfg.path, { query });
    if (!main.isCurrent()) return null;
    const y = window.scrollY;
    clear(tableWrap);
    fill(r.data);
    window.scrollTo(0, y);
    return r.data;
  }
  if (cfg.onReady) cfg.onReady({ refresh, data });

  function fill(d) {
    // PostgreSQL caps a q= search's total (total_capped: more than total match) or
    // estimates it (total_estimated: a frequent term)
    const key = d.total_capped ? 'ui.list.total_capped'
      : d.total_estimated ? 'ui.list.total_estimated' : 'ui.list.total';
    status.textContent = t(key, { n: fmtNumber(d.total) });
    if (d.items.length === 0) {
      tableWrap.append(h('p', { class: 'empty' }, t('ui.list.empty')));
      return;
    }
    const sel = cfg.select;
    const headRow = h('tr', null, sel ? h('td', { class: 'sel' }, sel.all(d.items)) : null, cfg.columns.map((c) => {
      if (!c.sort) return h('th', { scope: 'col' }, c.label);
      const cur = sort === c.sort ? 'ascending' : sort === '-' + c.sort ? 'descending' : null;
      const next = cur === 'ascending' ? '-' + c.sort : c.sort;
      return h('th', { scope: 'col', 'aria-sort': cur || 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => { stacks.set(cfg.hashPath, []); navigate({ sort: next }); } },
          c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, cur === 'ascending' ? ' ▲' : cur === 'descending' ? ' ▼' : '')));
    }));
    const body = h('tbody', null, d.items.map((row) => h('tr', { 'data-id': row.id },
      sel ? h('td', { class: 'sel' }, sel.row(row)) : null,
      cfg.columns.map((c, i) => {
        const v = c.render ? c.render(row) : row[c.key];
        const cell = i === 0 && cfg.rowLink ? h('a', { href: cfg.rowLink(row) }, v === '' || v == null ? '—' : v) : v;
        return h(i === 0 ? 'th' : 'td', { 'data-label': c.label, scope: i === 0 ? 'row' : null, class: c.cls || null }, cell === '' ? null : cell);
      }))));
    tableWrap.append(h('table', { class: 'list' }, h('caption', { class: 'sr-only' }, cfg.title), h('thead', null, headRow), body));
  }

  const cursor = p.get('cursor') || '';
  if (cursor) {
    pager.append(h('button', { type: 'button', class: 'btn', onclick: () => {
      const prev = stack.pop() ?? '';
      stacks.set(cfg.hashPath, stack);
      navigate({ cursor: prev });
    } }, stack.length ? t('ui.list.prev') : t('ui.list.first')));
  }
  if (data.next_cursor) {
    pager.append(h('button', { type: 'button', class: 'btn', id: 'next-page', onclick: () => {
      stack.push(cursor);
      stacks.set(cfg.hashPath, stack);
      navigate({ cursor: data.next_cursor });
    } }, t('ui.list.next')));
  }
  return data;
}

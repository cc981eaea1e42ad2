// Software versions and upgrades (issue 18 item 3, WF-17, R-094): the versions card of a unit
// (current version per component with its compliance, the ledger, recording a version), the
// version rules per model (版本使用规范), and upgrade campaigns (list, form, detail with the
// units on a withdrawn version, the launch button and the progress of the campaign's tickets).
import { h, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, fmtTime, fmtDate, fmtNumber } from '../i18n.js';
import { state, errorText, render } from '../app.js';
import { may, P } from '../policy.js';
import { listView } from './list.js';
import { entityForm, fieldsOf } from './forms.js';
import { columnMeta } from '../meta.js';
import { detailList, section } from './common.js';
import { statusBadge } from './tk.js';

const compBadge = (c) => h('span', { class: `badge badge-ver-${c}`, 'data-compliance': c }, t(`ver.compliance.${c}`));
const fen = (n) => (n == null ? '—' : t('ver.yuan', { n: fmtNumber(n / 100) }));

// The versions card of the unit page.
export async function versionsCard(unitId) {
  const card = h('section', { class: 'card', id: 'unit-versions', 'aria-labelledby': 'ver-title' });
  let data;
  try {
    data = (await api('GET', `/units/${unitId}/versions`)).data;
  } catch (e) {
    card.append(h('h2', { id: 'ver-title' }, t('ver.title')), h('p', { class: 'alert alert-error' }, errorText(e)));
    return card;
  }
  card.append(
    h('h2', { id: 'ver-title' }, t('ver.title'), ' ', compBadge(data.compliance)),
    data.current.length === 0
      ? h('p', { class: 'empty' }, t('ver.none'))
      : h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'ver-current' },
        h('thead', null, h('tr', null, [t('ver.component'), t('ver.version'), t('ver.compliance_h'), t('ver.set_at')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, data.current.map((c) => h('tr', null,
          h('td', null, c.component), h('td', null, c.entry.sw_version), h('td', null, compBadge(c.compliance)),
          h('td', null, fmtTime(c.entry.set_at))))))),
    ruleNote(data),
    h('details', { class: 'ver-history' }, h('summary', null, t('ver.history', { n: fmtNumber(data.history.length) })),
      h('ol', { class: 'history', id: 'ver-history' }, data.history.map((e) => h('li', { class: 'event' },
        h('time', { datetime: e.set_at }, fmtTime(e.set_at)), ' ',
        h('strong', null, `${e.component} ${e.sw_version}`), ' ',
        e.ticket_number ? h('a', { href: `#/tickets/${e.ticket_id}` }, e.ticket_number) : null, ' ',
        e.set_by_name ? h('span', { class: 'muted' }, t('ui.history.by', { user: e.set_by_name })) : null,
        e.note ? h('span', { class: 'muted' }, ` · ${e.note}`) : null)))),
  );
  if (may(state.user, P.versionWrite)) card.append(recordForm(unitId));
  return card;
}

// The withdrawn versions of the unit's model, with their reason.
function ruleNote(data) {
  const w = data.rules.filter((r) => r.status === 'withdrawn');
  if (!w.length) return null;
  return h('p', { class: 'hint' }, t('ver.withdrawn_list'), ' ',
    w.map((r) => `${r.component} ${r.sw_version}${r.reason ? `（${r.reason}）` : ''}`).join('；'));
}

function recordForm(unitId) {
  const ids = { c: nextId('vc'), v: nextId('vv'), n: nextId('vn') };
  const out = h('p', { role: 'status', class: 'hint' });
  const comp = h('input', { id: ids.c, name: 'component', required: true, maxlength: 40, list: 'ver-components' });
  const ver = h('input', { id: ids.v, name: 'sw_version', required: true, maxlength: 60 });
  const note = h('input', { id: ids.n, name: 'note', maxlength: 500 });
  return h('form', { class: 'form-inline', id: 'ver-record', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('POST', `/units/${unitId}/versions`, { body: { component: comp.value.trim(), sw_version: ver.value.trim(), note: note.value.trim() } });
      render();
    } catch (err) {
      out.textContent = errorText(err);
    }
  } },
  h('div', { class: 'field' }, h('label', { for: ids.c }, t('ver.component')), comp),
  h('div', { class: 'field' }, h('label', { for: ids.v }, t('ver.version')), ver),
  h('div', { class: 'field' }, h('label', { for: ids.n }, t('ver.note')), note),
  h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn' }, t('ver.record'))), out);
}

// ---- version rules ----
const enumOpts = (ent, col) => (columnMeta(ent, col)?.enum || []).map((v) => [v, t(`ver.${col}.${v}`)]);

export function versionRulesView(main) {
  return listView(main, {
    title: t('ver.rules_title'),
    path: '/version-rules',
    hashPath: '/version-rules',
    expand: 'all',
    searchHint: t('ver.rules_hint'),
    filters: [{ name: 'status', label: fieldLabel('version_rule', 'status'), options: enumOpts('version_rule', 'status') }],
    actions: may(state.user, P.versionRuleWrite) ? h('a', { href: '#/version-rules/new', class: 'btn btn-primary' }, t('ver.new_rule')) : null,
    rowLink: may(state.user, P.versionRuleWrite) ? (r) => `#/version-rules/${r.id}` : null,
    columns: [
      { label: fieldLabel('version_rule', 'model_id'), render: (r) => r.model_name || `#${r.model_id}` },
      { label: fieldLabel('version_rule', 'component'), key: 'component', sort: 'component' },
      { label: fieldLabel('version_rule', 'sw_version'), key: 'sw_version', sort: 'sw_version' },
      { label: fieldLabel('version_rule', 'status'), render: (r) => h('span', { class: `badge badge-vr-${r.status}` }, t(`ver.status.${r.status}`)) },
      { label: fieldLabel('version_rule', 'reason'), key: 'reason' },
      { label: fieldLabel('version_rule', 'withdrawn_on'), render: (r) => fmtDate(r.withdrawn_on) },
    ],
  });
}

const MODEL = ['model_id', { label: (r) => `${r.code} ${r.name}` }];

export async function versionRuleForm(main, id) {
  const fields = await fieldsOf('version_rule', [MODEL, 'component', 'sw_version', 'status', 'reason', 'withdrawn_on']);
  await entityForm(main, { ent: 'version_rule', path: '/version-rules', fields, id, title: id ? 'ver.edit_rule' : 'ver.new_rule', back: '/version-rules' });
}

// ---- campaigns ----
export function campaignsView(main) {
  return listView(main, {
    title: t('ver.campaigns_title'),
    path: '/upgrade-campaigns',
    hashPath: '/upgrade-campaigns',
    expand: 'all',
    searchHint: t('ver.campaigns_hint'),
    filters: [{ name: 'status', label: fieldLabel('upgrade_campaign', 'status'), options: enumOpts('upgrade_campaign', 'status') }],
    actions: may(state.user, P.campaignWrite) ? h('a', { href: '#/upgrade-campaigns/new', class: 'btn btn-primary', id: 'new-campaign' }, t('ver.new_campaign')) : null,
    rowLink: (r) => `#/upgrade-campaigns/${r.id}`,
    columns: [
      { label: fieldLabel('upgrade_campaign', 'name'), key: 'name', sort: 'name' },
      { label: fieldLabel('upgrade_campaign', 'model_id'), render: (r) => r.model_name || `#${r.model_id}` },
      { label: fieldLabel('upgrade_campaign', 'component'), key: 'component' },
      { label: t('ver.change'), render: (r) => `${r.withdrawn_versions} → ${r.target_version}` },
      { label: fieldLabel('upgrade_campaign', 'status'), render: (r) => h('span', { class: `badge badge-camp-${r.status}` }, t(`ver.status.${r.status}`)) },
      { label: fieldLabel('upgrade_campaign', 'launched_at'), render: (r) => fmtTime(r.launched_at), sort: 'launched_at' },
    ],
  });
}

export async function campaignForm(main, id) {
  const fields = await fieldsOf('upgrade_campaign', ['name', MODEL, 'component', 'target_version',
    ['withdrawn_versions', { hint: 'ver.withdrawn_hint' }], 'upgrade_kind', ['cost_fen', { kind: 'number', hint: 'ver.cost_hint' }], 'notes']);
  await entityForm(main, { ent: 'upgrade_campaign', path: '/upgrade-campaigns', fields, id, title: id ? 'ver.edit_campaign' : 'ver.new_campaign', back: '/upgrade-campaigns' });
}

export async function campaignView(main, id) {
  const [{ data: c }, cand, prog] = await Promise.all([
    api('GET', `/upgrade-campaigns/${id}`, { query: { expand: 'all' } }),
    api('GET', `/upgrade-campaigns/${id}/candidates`).then((r) => r.data),
    api('GET', `/upgrade-campaigns/${id}/progress`).then((r) => r.data),
  ]);
  if (!main.isCurrent()) return;
  const F = (k) => fieldLabel('upgrade_campaign', k);
  const out = h('div', { role: 'status', 'aria-live': 'polite', id: 'launch-status' });
  const actions = [];
  if (c.status === 'draft' && may(state.user, P.campaignWrite)) {
    actions.push(h('a', { href: `#/upgrade-campaigns/${id}/edit`, class: 'btn' }, t('ui.edit')));
    const btn = h('button', { type: 'button', class: 'btn btn-primary', id: 'launch', disabled: cand.items.length === 0 || null, onclick: async () => {
      if (!confirm(t('ver.launch_confirm', { n: fmtNumber(cand.items.length) }))) return;
      btn.disabled = true;
      try {
        const r = await api('POST', `/upgrade-campaigns/${id}/launch`);
        state.notice = t('ver.launched', { n: fmtNumber(r.data.created) });
        render();
      } catch (err) {
        btn.disabled = false;
        out.className = 'alert alert-error';
        out.textContent = err.reason === 'unit_failed' ? t('ver.unit_failed', { serial: err.params.serial_no || '' }) : errorText(err);
      }
    } }, t('ver.launch'));
    actions.push(btn);
  }
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, c.name, ' ', h('span', { class: `badge badge-camp-${c.status}`, id: 'camp-status' }, t(`ver.status.${c.status}`))),
      h('div', { class: 'toolbar' }, actions)),
    out,
    h('section', { class: 'card' }, detailList([
      [F('model_id'), c.model_name || `#${c.model_id}`],
      [F('component'), c.component],
      [F('withdrawn_versions'), c.withdrawn_versions],
      [F('target_version'), c.target_version],
      [F('upgrade_kind'), t(`ver.upgrade_kind.${c.upgrade_kind}`)],
      [F('cost_fen'), c.cost_fen == null ? '' : fen(c.cost_fen)],
      [F('launched_at'), fmtTime(c.launched_at)],
      [F('notes'), c.notes],
    ])),
    progressCard(prog),
    candidatesCard(cand),
  );
}

function progressCard(p) {
  const counts = Object.entries(p.counts);
  const el = section(t('ver.progress'), { items: p.tickets, total: p.total }, [
    [t('ui.tk.f.number'), (r) => h('a', { href: `#/tickets/${r.ticket_id}` }, r.number)],
    [t('ver.serial'), (r) => h('a', { href: `#/units/${r.unit_id}` }, r.serial_no)],
    [t('ver.from'), (r) => r.from_version],
    [t('ui.tk.f.status'), (r) => statusBadge(r.status)],
    [t('ver.billing'), (r) => `${t(`ver.billing_v.${r.billing}`)} · ${t(`ver.reason.${r.reason}`)}`],
    [t('ver.amount'), (r) => (r.billing === 'chargeable' ? fen(r.amount_fen) : '')],
    [t('ver.recorded'), (r) => (r.recorded_at ? fmtTime(r.recorded_at) : '—')],
  ], counts.length ? h('p', { class: 'ver-counts', id: 'camp-counts' },
    counts.map(([s, n]) => h('span', { class: 'chip' }, statusBadge(s), ' ', fmtNumber(n))),
    ' ', t('ver.recorded_n', { n: fmtNumber(p.recorded), total: fmtNumber(p.total) })) : null);
  el.id = 'camp-progress';
  return el;
}

function candidatesCard(cand) {
  const el = section(t('ver.candidates'), cand, [
    [t('ver.serial'), (r) => h('a', { href: `#/units/${r.unit_id}` }, r.serial_no)],
    [t('ui.unit.customer'), (r) => r.customer_name || h('span', { class: 'badge badge-ver-withdrawn' }, t('ver.no_customer'))],
    [t('ver.version'), (r) => r.sw_version],
  ]);
  el.id = 'camp-candidates';
  return el;
}

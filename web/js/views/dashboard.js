// The dashboard (issue 15 item 4): the department head's and general manager's first
// screen, from one summary request (GET /api/v1/dashboard). Apache ECharts
// (web/vendor/dist/echarts.common.min.js) is loaded on this page only. Every figure is a
// link to the report or list behind it, with the same month and filters.
import { h } from '../dom.js';
import { api } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { errorText, state } from '../app.js';
import { reportQuery } from './kpi.js';
import { tasksCard } from './tasks.js';

let lib = null;
function loadECharts() {
  if (globalThis.echarts) return Promise.resolve(globalThis.echarts);
  lib ??= new Promise((res, rej) => {
    const s = h('script', { src: '/vendor/dist/echarts.common.min.js' });
    s.onload = () => res(globalThis.echarts);
    s.onerror = () => { lib = null; rej(new Error('echarts')); };
    document.head.append(s);
  });
  return lib;
}

const AGES = ['lt1d', '1to3d', '3to7d', '7to30d', 'ge30d'];
const pct = (v) => (v === null || v === undefined ? '—' : `${fmtNumber(Math.round(v * 10) / 10)}%`);
const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();

export async function dashboardView(main) {
  const q = reportQuery(main.params);
  const filters = Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'from' && k !== 'to'));
  const body = h('div', { class: 'dash', id: 'dashboard' });
  // the head's follow-up tasks (low survey scores) stay on the first screen, above the figures
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('kpi.dashboard')),
    h('a', { href: '#/reports', class: 'btn btn-quiet no-print' }, t('kpi.nav.reports'))),
  tasksCard(state.user), body);
  let d, echarts;
  try {
    [d, echarts] = await Promise.all([api('GET', '/dashboard', { query: filters }).then((r) => r.data), loadECharts()]);
  } catch (e) {
    if (e.status === 401) return;
    body.append(h('p', { role: 'alert', class: 'alert alert-error' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const month = { ...filters, from: d.month.from, to: d.month.to };
  const link = (path, extra) => `#${path}?${qs({ ...month, ...extra })}`;
  const card = (id, label, value, href, sub) => h('a', { class: 'dash-card', id, href },
    h('span', { class: 'dash-label' }, label), h('strong', { class: 'dash-value' }, value), sub ? h('span', { class: 'dash-sub' }, sub) : null);
  // the clocks as the server lists them (reply, remote, onsite, resolve)
  const CLOCKS = d.sla.map((c) => c.target);
  const sla = Object.fromEntries(d.sla.map((c) => [c.target, c]));
  body.append(h('p', { class: 'kpi-period' }, t('kpi.period', { from: d.month.from, to: d.month.to })),
    h('div', { class: 'dash-cards' },
      CLOCKS.map((c) => card(`dash-sla-${c}`, t('kpi.dash.sla_of', { clock: t(`kpi.clock.${c}`) }), pct(sla[c].pct), link('/reports/sla'),
        t('kpi.dash.met_of', { met: sla[c].met, n: sla[c].met + sla[c].breached }))),
      card('dash-on-time', t('kpi.dash.on_time'), pct(d.punctuality.on_time_pct), link('/reports/punctuality'),
        t('kpi.dash.met_of', { met: d.punctuality.on_time, n: d.punctuality.arrivals })),
      card('dash-first-time', t('kpi.dash.first_time'), pct(d.quality.first_time_pct), link('/reports/quality'),
        t('kpi.dash.met_of', { met: d.quality.first_time, n: d.quality.with_wo })),
      card('dash-repeat', t('kpi.dash.repeat'), pct(d.quality.repeat_pct), link('/reports/quality'),
        t('kpi.dash.met_of', { met: d.quality.repeats, n: d.quality.repairs })),
      card('dash-score', t('kpi.dash.score'), d.quality.score_avg === null ? '—' : fmtNumber(Math.round(d.quality.score_avg * 10) / 10),
        link('/reports/quality'), t('kpi.dash.surveys', { n: d.quality.answered, pct: pct(d.quality.survey_pct) })),
      card('dash-open', t('kpi.dash.open'), fmtNumber(d.open_total), '#/queues?queue=open'),
      card('dash-breaches', t('kpi.dash.breaches_today'), fmtNumber(d.breaches_today), '#/queues?queue=breached')));
  const chartBox = (id, title) => h('figure', { class: 'dash-chart-box' }, h('figcaption', null, title), h('div', { class: 'dash-chart', id }));
  const charts = h('div', { class: 'dash-charts' },
    chartBox('chart-sla', t('kpi.dash.chart_sla')), chartBox('chart-open', t('kpi.dash.chart_open')), chartBox('chart-trend', d.trend.some((m) => m.pending) ? `${t('kpi.dash.chart_trend')} · ${t('kpi.dash.trend_pending')}` : t('kpi.dash.chart_trend')));
  body.append(charts);
  const made = [];
  const make = (id, option, onClick) => {
    const c = echarts.init(charts.querySelector('#' + id), null, { renderer: 'canvas' });
    c.setOption({ animation: false, tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, top: 36, bottom: 28, containLabel: true }, ...option });
    c.on('click', onClick);
    made.push(c);
  };
  make('chart-sla', {
    xAxis: { type: 'category', data: CLOCKS.map((c) => t(`kpi.clock.${c}`)) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{ type: 'bar', data: CLOCKS.map((c) => (sla[c].pct === null ? null : Math.round(sla[c].pct * 10) / 10)), label: { show: true, position: 'top', formatter: '{c}%' } }],
  }, () => { location.hash = link('/reports/sla'); });
  make('chart-open', {
    grid: { left: 40, right: 16, top: 64, bottom: 28, containLabel: true },
    legend: { top: 0, data: AGES.map((a) => t(`kpi.age.${a}`)) },
    xAxis: { type: 'category', data: d.open.map((s) => t(`enum.ticket.status.${s.status}`)) },
    yAxis: { type: 'value' },
    series: AGES.map((a) => ({ name: t(`kpi.age.${a}`), type: 'bar', stack: 'age', data: d.open.map((s) => s[a]) })),
  }, () => { location.hash = '#/queues?queue=open'; });
  const trendSeries = [['reply', (m) => m.sla_pct.reply], ['onsite', (m) => m.sla_pct.onsite], ['on_time', (m) => m.on_time_pct],
    ['first_time', (m) => m.first_time_pct], ['repeat', (m) => m.repeat_pct]];
  make('chart-trend', {
    grid: { left: 40, right: 16, top: 64, bottom: 28, containLabel: true },
    legend: { top: 0, data: trendSeries.map(([k]) => t(`kpi.trend.${k}`)) },
    xAxis: { type: 'category', data: d.trend.map((m) => m.month) },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
    series: trendSeries.map(([k, get]) => ({ name: t(`kpi.trend.${k}`), type: 'line', connectNulls: false,
      data: d.trend.map((m) => (get(m) === null ? null : Math.round(get(m) * 10) / 10)) })),
  }, (p) => {
    const m = d.trend[p.dataIndex];
    if (m) location.hash = `#/reports/sla?${qs({ ...filters, from: m.from, to: m.to })}`;
  });
  const onResize = () => made.forEach((c) => c.resize());
  window.addEventListener('resize', onResize);
  window.addEventListener('hashchange', () => {
    made.forEach((c) => c.dispose());
    window.removeEventListener('resize', onResize);
  }, { once: true });
}

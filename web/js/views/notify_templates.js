// Message templates and channel settings (issue 15 item 2): the company's wording of each
// event in Chinese and English with its variables, a preview with sample values and the
// errors of a save shown at their field; the delivery channels with a test message each.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, LOCALES } from '../i18n.js';
import { errorText } from '../app.js';


function fieldError(x) {
  if (x?.reason === 'unknown_reference' && x.params?.variable) return t('tpl.err.variable', { name: x.params.variable });
  if (x?.reason === 'invalid_format') return t('tpl.err.brace');
  return errorText(x);
}

export async function templatesView(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  main.append(h('h1', null, t('tpl.title')), h('p', { class: 'hint' }, t('tpl.intro')),
    h('p', null, h('a', { href: '#/notify-channels' }, t('tpl.to_channels')), ' · ',
      h('a', { href: '#/notifications' }, t('notify.title'))));
  let items;
  try {
    items = (await api('GET', '/notification-templates')).data.items;
  } catch (x) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
    return;
  }
  const kinds = [...new Set(items.map((i) => i.kind))];
  const kind = kinds.includes(q.get('kind')) ? q.get('kind') : kinds[0];
  const sel = h('select', { id: 'tpl-kind', name: 'kind' },
    ...kinds.map((k) => h('option', { value: k, selected: k === kind }, t(`tpl.ev.${k}`))));
  sel.addEventListener('change', () => { location.hash = `#/notify-templates?kind=${sel.value}`; });
  main.append(h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'tpl-kind' }, t('tpl.event')), sel)));
  const grid = h('div', { class: 'tpl-grid' });
  for (const loc of LOCALES) {
    const tpl = items.find((i) => i.kind === kind && i.locale === loc);
    if (tpl) grid.append(editor(tpl));
  }
  main.append(grid);
}

function editor(tpl) {
  const sid = nextId('tpl');
  const bid = nextId('tpl');
  const subject = h('input', { id: sid, name: 'subject', maxlength: '200', value: tpl.subject });
  const body = h('textarea', { id: bid, name: 'body', rows: '5', maxlength: '2000' }, tpl.body);
  const errs = { subject: h('p', { class: 'field-error', 'data-err': 'subject' }), body: h('p', { class: 'field-error', 'data-err': 'body' }) };
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const preview = h('div', { class: 'tpl-preview', 'data-preview': tpl.locale });
  const vars = h('ul', { class: 'tpl-vars' }, ...tpl.variables.map((v) => {
    const b = h('button', { type: 'button', class: 'btn btn-small', 'data-var': v, title: t('tpl.insert') }, `{${v}}`);
    b.addEventListener('click', () => {
      const at = body.selectionStart ?? body.value.length;
      body.value = body.value.slice(0, at) + `{${v}}` + body.value.slice(body.selectionEnd ?? at);
      body.focus();
    });
    return h('li', null, b, ' ', t(`tpl.var.${v}`));
  }));
  const showErr = (x) => {
    for (const e of Object.values(errs)) e.textContent = '';
    const f = errs[x?.field];
    if (f) f.textContent = fieldError(x);
    else clear(out).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
  };
  const draft = () => ({ subject: subject.value, body: body.value });
  const path = `/notification-templates/${tpl.kind}/${tpl.locale}`;
  const pv = h('button', { type: 'button', class: 'btn', 'data-action': 'preview' }, t('tpl.preview'));
  pv.addEventListener('click', async () => {
    clear(out);
    try {
      const r = (await api('POST', `${path}/preview`, { body: draft() })).data;
      for (const e of Object.values(errs)) e.textContent = '';
      clear(preview).append(h('h3', null, t('tpl.preview_title')), h('p', { class: 'tpl-subject' }, r.subject), h('p', { class: 'tpl-body' }, r.body));
    } catch (x) {
      clear(preview);
      showErr(x);
    }
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('tpl.save'));
  const state = h('span', { class: 'muted' }, tpl.customized ? t('tpl.customized') : t('tpl.default'));
  return h('section', { class: 'card', 'data-locale': tpl.locale },
    h('h2', null, t(`enum.locale.${tpl.locale}`), ' ', state),
    h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      save.disabled = true;
      clear(out);
      try {
        const r = (await api('PUT', path, { body: draft() })).data;
        for (const x of Object.values(errs)) x.textContent = '';
        state.textContent = r.customized ? t('tpl.customized') : t('tpl.default');
        out.append(h('p', { class: 'alert alert-info' }, t('tpl.saved')));
      } catch (x) {
        showErr(x);
      } finally {
        save.disabled = false;
      }
    } }, out,
    h('div', { class: 'field' }, h('label', { for: sid }, t('tpl.subject')), subject, errs.subject),
    h('div', { class: 'field' }, h('label', { for: bid }, t('tpl.body')), body, errs.body),
    h('p', { class: 'hint' }, t('tpl.vars_hint')), vars,
    h('div', { class: 'actions' }, pv, save)), preview);
}

// ---- channels ----

export async function channelsView(main) {
  main.append(h('h1', null, t('tpl.ch.title')), h('p', { class: 'hint' }, t('tpl.ch.intro')),
    h('p', null, h('a', { href: '#/notify-templates' }, t('tpl.title')), ' · ',
      h('a', { href: '#/notifications' }, t('notify.title'))));
  let items;
  try {
    items = (await api('GET', '/notification-channels')).data.items;
  } catch (x) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
    return;
  }
  for (const c of items) main.append(channelCard(c));
}

function channelCard(c) {
  const eid = nextId('ch');
  const cid = nextId('ch');
  const kid = nextId('ch');
  const tid = nextId('ch');
  const enabled = h('input', { id: eid, type: 'checkbox', name: 'enabled', checked: c.enabled });
  const config = h('textarea', { id: cid, name: 'config', rows: '4', class: 'mono' }, JSON.stringify(c.config, null, 1));
  const secret = h('input', { id: kid, type: 'password', name: 'secret', autocomplete: 'new-password', placeholder: c.secret_set ? t('tpl.ch.secret_set') : '' });
  const to = h('input', { id: tid, name: 'to', maxlength: '200' });
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const say = (cls, text) => clear(out).append(h('p', { class: `alert ${cls}`, role: cls === 'alert-error' ? 'alert' : null }, text));
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('tpl.save'));
  const test = h('button', { type: 'button', class: 'btn', 'data-test': c.channel }, t('notify.test_send'));
  test.addEventListener('click', async () => {
    test.disabled = true;
    try {
      const body = { channel: c.channel };
      if (to.value.trim()) body.to = to.value.trim();
      const n = (await api('POST', '/notifications/test', { body })).data;
      say('alert-info', t('notify.test_queued', { id: n.id }));
    } catch (x) {
      say('alert-error', errorText(x));
    } finally {
      test.disabled = false;
    }
  });
  const personal = c.channel === 'email' || c.channel === 'sms';
  return h('section', { class: 'card', 'data-channel': c.channel },
    h('h2', null, t(`notify.ch.${c.channel}`)),
    h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      let cfg;
      try {
        cfg = JSON.parse(config.value || '{}');
      } catch {
        say('alert-error', t('tpl.ch.bad_json'));
        return;
      }
      save.disabled = true;
      try {
        const body = { enabled: enabled.checked, config: cfg };
        if (secret.value) body.secret = secret.value;
        const r = (await api('PUT', `/notification-channels/${c.channel}`, { body })).data;
        secret.value = '';
        secret.placeholder = r.secret_set ? t('tpl.ch.secret_set') : '';
        say('alert-info', t('tpl.saved'));
      } catch (x) {
        say('alert-error', (x.field ? `${x.field}: ` : '') + errorText(x));
      } finally {
        save.disabled = false;
      }
    } }, out,
    h('div', { class: 'field field-check' }, enabled, h('label', { for: eid }, t('tpl.ch.enabled'))),
    h('div', { class: 'field' }, h('label', { for: cid }, t('tpl.ch.config')), config),
    h('div', { class: 'field' }, h('label', { for: kid }, t('tpl.ch.secret')), secret),
    h('div', { class: 'actions' }, save),
    h('div', { class: 'field' }, h('label', { for: tid }, personal ? t('notify.test_to') : t('tpl.ch.test_to_url')), to),
    h('div', { class: 'actions' }, test)));
}

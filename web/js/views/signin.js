// Sign-in: POST /api/v1/session {username, password} -> {user, csrf_token}.
import { h } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { state, signedIn, render, errorText } from '../app.js';

export function signinView(main) {
  const msg = h('p', { id: 'signin-msg', class: 'alert', role: 'alert', hidden: true });
  if (state.notice) {
    msg.hidden = false;
    msg.classList.add(state.notice.kind === 'error' ? 'alert-error' : 'alert-info');
    msg.textContent = t(state.notice.key);
  }
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary' }, t('ui.signin.submit'));
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title', novalidate: true, onsubmit: submit },
    h('h1', { id: 'signin-title' }, t('ui.signin.title')),
    msg,
    h('div', { class: 'field' }, h('label', { for: 'username' }, t('ui.signin.username')), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('ui.signin.password')), pass),
    h('div', { class: 'actions' }, btn));

  async function submit(e) {
    e.preventDefault();
    if (!user.value.trim() || !pass.value) {
      show(t('ui.signin.missing'));
      (user.value.trim() ? pass : user).focus();
      return;
    }
    btn.disabled = true;
    try {
      const { data } = await api('POST', '/session', { body: { username: user.value.trim(), password: pass.value }, quiet401: true });
      signedIn(data);
      await render();
      document.getElementById('main')?.focus();
    } catch (err) {
      show(err.status === 401 ? t('ui.signin.wrong') : errorText(err));
      pass.value = '';
      pass.focus();
    } finally {
      btn.disabled = false;
    }
  }
  function show(text) {
    state.notice = null;
    msg.hidden = false;
    msg.className = 'alert alert-error';
    msg.textContent = text;
  }
  main.append(form);
  (state.notice ? user : user).focus();
}

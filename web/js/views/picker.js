// The technician picker (issue 10 #14): a combobox for the assign dialog. Typing part of
// a name searches GET /dispatch/technicians; every option shows the technician's name,
// the skills held today and today's workload, least busy first. The chosen user id is
// kept in input.dataset.pick (the text shows the name); typing digits alone still means
// a user id. A failed search is shown under the field, never swallowed.
// comboPicker is the combobox itself (list, keys, the search debounced and its late
// answers dropped), shared by the technician picker and the quote editor's part picker.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { errorText } from '../app.js';

function skillText(s) {
  return s.kind === 'skill' ? t('ui.pick.skill', { name: s.name, level: s.level }) : s.name;
}

// cfg: kind (data-picker), placeholder (text), search(q) → items (q '' once picked),
// text(it) (the input's text once chosen), key(it) (input.dataset.pick), chosen(it) (the
// note), option(it) → {attrs, nodes} of its <li>, onChoose(it)?, onType()?.
export function comboPicker(cfg) {
  const list = h('ul', { class: 'picker-list', role: 'listbox', id: nextId('pick'), hidden: true });
  const note = h('p', { class: 'picker-note hint', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'text', role: 'combobox', autocomplete: 'off', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': list.id, 'data-picker': cfg.kind,
    placeholder: cfg.placeholder,
  });
  let items = [];
  let active = -1;
  let seq = 0;
  let timer = null;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function open() {
    if (!items.length) return;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }
  function setActive(i) {
    active = (i + items.length) % items.length;
    list.querySelectorAll('[role="option"]').forEach((li, k) => li.setAttribute('aria-selected', String(k === active)));
    const li = list.children[active];
    input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({ block: 'nearest' });
  }
  function choose(it) {
    // a search still pending (typed before the choice) must not reopen the list over what follows
    clearTimeout(timer);
    seq++;
    list.setAttribute('aria-busy', 'false');
    input.value = cfg.text(it);
    input.dataset.pick = cfg.key(it);
    note.textContent = cfg.chosen(it);
    close();
    cfg.onChoose?.(it);
  }
  function option(it, i) {
    const o = cfg.option(it);
    return h('li', {
      role: 'option', id: `${list.id}-${i}`, class: 'picker-opt', 'aria-selected': 'false', ...o.attrs,
      onmousedown: (e) => e.preventDefault(), // keep the focus in the input
      onclick: () => choose(it),
    }, ...o.nodes);
  }
  function showError(e) {
    list.setAttribute('aria-busy', 'false');
    items = [];
    clear(list);
    close();
    note.className = 'picker-note field-error';
    note.setAttribute('role', 'alert');
    note.textContent = t('ui.pick.error', { msg: errorText(e) });
  }
  async function search() {
    const my = ++seq;
    const q = input.dataset.pick ? '' : input.value.trim();
    let r;
    try {
      r = await cfg.search(q);
    } catch (e) {
      if (my === seq && e.status !== 401) showError(e);
      return;
    }
    if (my !== seq) return;
    list.setAttribute('aria-busy', 'false');
    items = r;
    clear(list).append(...items.map(option));
    note.className = 'picker-note hint';
    note.removeAttribute('role');
    note.textContent = items.length ? '' : t('ui.pick.none');
    if (!items.length) close();
    else if (document.activeElement === input) open();
  }

  input.addEventListener('input', () => {
    delete input.dataset.pick;
    cfg.onType?.();
    list.setAttribute('aria-busy', 'true');
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener('focus', open);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!items.length) return;
      e.preventDefault();
      open();
      setActive(active < 0 ? (e.key === 'ArrowDown' ? 0 : -1) : active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });

  return {
    input,
    note,
    // After the input is in its field: adds the list and the note below it, loads the list.
    mount() {
      input.parentElement.classList.add('picker-field'); // the list overlays what follows
      input.after(list, note);
      search();
    },
  };
}

export function technicianPicker() {
  return comboPicker({
    kind: 'technician',
    placeholder: t('ui.pick.placeholder'),
    search: async (q) => (await api('GET', '/dispatch/technicians', { query: { q, limit: 20 } })).data.items,
    text: (it) => it.name,
    key: (it) => String(it.user_id),
    chosen: (it) => t('ui.pick.chosen', { name: it.name }),
    option: (it) => ({
      attrs: { 'data-user': String(it.user_id) },
      nodes: [h('span', { class: 'picker-name' }, it.name),
        h('span', { class: 'picker-load' }, t('ui.pick.load', { assigned: it.workload.assigned_today, today: it.workload.visits_today, open: it.workload.open })),
        h('span', { class: 'picker-skills' }, it.skills.map(skillText).join(' · ') || t('ui.pick.no_skills'))],
    }),
  });
}

// Start page: a greeting and the user's shortcuts.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { state } from '../app.js';
import { isStaff, isExternal, may, P } from '../policy.js';
import { tasksCard } from './tasks.js';

export function homeView(main) {
  const u = state.user;
  const links = [];
  if (may(u, P.intake)) links.push(['#/intake', 'ui.nav.intake', 'ui.home.intake']);
  if (may(u, P.queues)) links.push(['#/queues', 'ui.nav.queues', 'ui.home.queues']);
  if (isExternal(u)) links.push(['#/portal', 'ui.nav.portal', 'ui.home.portal']);
  if (isStaff(u)) links.push(['#/customers', 'ui.nav.customers', 'ui.home.customers']);
  links.push(['#/units', isStaff(u) ? 'ui.nav.units' : 'ui.nav.my_units', 'ui.home.units']);
  if (may(u, P.masterWrite)) links.push(['#/customers/new', 'ui.customer.new', 'ui.home.new_customer']);
  if (isStaff(u)) links.push(['#/labels', 'ui.nav.labels', 'ui.home.labels']);
  main.append(
    h('h1', null, t('ui.home.hello', { name: u.display_name || u.username })),
    h('ul', { class: 'tiles' }, links.map(([href, title, text]) =>
      h('li', null, h('a', { href, class: 'tile' }, h('strong', null, t(title)), h('span', null, t(text)))))),
    // follow-up tasks (a dept head's low survey scores): shown when there are any
    isStaff(u) ? tasksCard(u) : null);
}

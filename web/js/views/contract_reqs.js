// A contract's service requirements (R-200; issue 18 item 6): the service owed and the special
// requirements, with who reviewed them and when, shown on the ticket and on the technician's
// work-order page of every unit under the contract. Those who may review see the button until
// it is reviewed (once).
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, fmtTime } from '../i18n.js';
import { errorText, state } from '../app.js';
import { may, P } from '../policy.js';
import { detailList, reasonText } from './common.js';

export function contractReqsCard(cr) {
  if (!cr) return null;
  const L = (c) => fieldLabel('contract', c);
  const status = h('p', { class: 'hint', id: 'creq-review' }, cr.reviewed_at
    ? t('creq.reviewed', { who: cr.reviewed_by_name || `#${cr.reviewed_by}`, at: fmtTime(cr.reviewed_at) })
    : t('creq.not_reviewed'));
  const sec = h('section', { class: 'card creq', id: 'contract-reqs', 'aria-labelledby': 'creq-t' },
    h('h2', { id: 'creq-t' }, t('creq.title'), ' ', h('span', { class: 'muted' }, t('creq.contract', { n: cr.number }))),
    detailList([[L('service_owed'), cr.service_owed], [L('special_requirements'), cr.special_requirements]]),
    status);
  if (!cr.reviewed_at && may(state.user, P.contractReview)) {
    const btn = h('button', { type: 'button', class: 'btn', id: 'creq-review-btn', onclick: async () => {
      btn.disabled = true;
      try {
        const r = (await api('POST', `/contracts/${cr.contract_id}/review`)).data;
        clear(status).append(t('creq.reviewed', { who: state.user.display_name || state.user.username, at: fmtTime(r.requirements_reviewed_at) }));
        btn.remove();
      } catch (x) {
        btn.disabled = false;
        if (x.status !== 401) clear(status).append(reasonText(x) || errorText(x));
      }
    } }, t('creq.review'));
    sec.append(h('div', { class: 'actions' }, btn));
  }
  return sec;
}

// Kill switch (admin role), cancel-all, flatten and resume (trader role): each is one audited
// control command; the execution path applies it. The gateway refuses what the key's role cannot do.
import { api } from './api.js';
import { byId } from './dom.js';

function target() {
  const value = (id) => byId(id).value.trim() || undefined;
  return { scope: byId('control-scope').value, venue: value('control-venue'), account: value('control-account'), reason: value('control-reason') };
}

const ACTIONS = {
  'kill-engage': () => ['/control/kill-switch', { ...target(), engaged: true, cancelOpenOrders: true }],
  'kill-release': () => ['/control/kill-switch', { ...target(), engaged: false }],
  'cancel-all': () => ['/control/cancel-all', target()],
  flatten: () => {
    const { venue, account, reason } = target();
    return ['/control/flatten', { venue, account, reason }];
  },
  resume: () => ['/control/resume', target()],
};

export function setupControls() {
  for (const [id, build] of Object.entries(ACTIONS)) {
    byId(id).addEventListener('click', async () => {
      const line = byId('control-result');
      const [path, body] = build();
      try {
        const accepted = await api('POST', path, body);
        line.textContent = `${accepted.type} ${accepted.scope}${accepted.venue ? ` ${accepted.venue}` : ''}${accepted.account ? `/${accepted.account}` : ''} accepted`;
        line.className = 'result ok';
      } catch (error) {
        line.textContent = error.message;
        line.className = 'result error';
      }
    });
  }
}

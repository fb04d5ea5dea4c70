import { RouterWorker } from '@crossvenue/processors';
import { SettingError } from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

const ACCOUNT = /^[a-z0-9_-]+\|[A-Za-z0-9_.:-]+$/;

/** ROUTER_ACCOUNTS: the venue accounts to route to, as "venue|account" separated by commas. */
function routerAccounts(raw: string | undefined): Array<{ venue: string; account: string }> {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0 || !entries.every((entry) => ACCOUNT.test(entry))) {
    throw new SettingError('ROUTER_ACCOUNTS', 'a comma-separated list of venue|account, e.g. binance|main,okx|main', raw ?? '');
  }
  return entries.map((entry) => {
    const [venue = '', account = ''] = entry.split('|');
    return { venue, account };
  });
}

export const routerWorker: WorkerDefinition = {
  name: 'router',
  description: 'routes exec.intents against md.book-snapshots (co-partitioned by instrument) into exec.route-decisions',
  settings: ['ROUTER_ACCOUNTS (required: venue|account,… to route to)'],
  topics: [TOPICS.intents, TOPICS.bookSnapshots, TOPICS.symbols, TOPICS.venueHealth, TOPICS.controlCommands, TOPICS.routeDecisions],
  async start({ messages, logger, env }) {
    const worker = new RouterWorker({ messages, logger, accounts: routerAccounts(env.ROUTER_ACCOUNTS) });
    await worker.start();
    return worker;
  },
};

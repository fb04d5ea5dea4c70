import { createLogger } from '@crossvenue/runtime';
import { describeBookContract } from '../contract/describeBookContract.ts';
import { NativeBookConnector } from '@crossvenue/connectors';

const logger = createLogger('native-books-test', { level: 'silent' });

// The native adapters against the simulator's real WebSocket and REST: the shared book contract,
// with each resync (withheld update, dropped connection) reported as exactly one BOOK_RESYNC alert.
describeBookContract(
  'native ws adapter',
  async ({ name, dialect, wsUrl, restUrl }, messages, { instrument, depth }) => {
    const connector = new NativeBookConnector({ kind: dialect, venue: name, instruments: [instrument], depth, bookIntervalMs: 0, messages, logger, wsUrl, restUrl, backoff: { initialMs: 20, maxMs: 200 } });
    connector.start();
    return connector;
  },
  { resyncAlerts: true },
);

import { createClient } from '@clickhouse/client';
import { applyClickHouseSchema } from '@crossvenue/infra';
import { BookSnapshotAuditSink } from '@crossvenue/processors';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const auditSinkWorker: WorkerDefinition = {
  name: 'audit-sink',
  description: 'writes the catalogue topics to the ClickHouse audit log',
  settings: ['CLICKHOUSE_URL (default the local stack)'],
  topics: [TOPICS.bookSnapshots],
  async start({ messages, logger, endpoints }) {
    const applied = await applyClickHouseSchema(endpoints.clickhouseUrl);
    logger.info({ files: applied }, `clickhouse schema applied (${applied.length} files)`);
    const clickhouse = createClient({ url: endpoints.clickhouseUrl });
    const sink = new BookSnapshotAuditSink(messages, clickhouse);
    await sink.start();
    return {
      stop: async () => {
        await sink.stop();
        await clickhouse.close();
      },
    };
  },
};

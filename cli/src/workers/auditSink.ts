import { createClient } from '@clickhouse/client';
import { applyClickHouseSchema } from '@crossvenue/infra';
import { AuditSink } from '@crossvenue/processors';
import { AUDITED_TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const auditSinkWorker: WorkerDefinition = {
  name: 'audit-sink',
  description: 'writes the catalogue topics to the ClickHouse audit log',
  settings: ['CLICKHOUSE_URL (default the local stack)'],
  topics: AUDITED_TOPICS,
  async start({ messages, logger, endpoints }) {
    const applied = await applyClickHouseSchema(endpoints.clickhouseUrl, endpoints.clickhouseAuth);
    logger.info({ files: applied }, `clickhouse schema applied (${applied.length} files)`);
    const clickhouse = createClient({ url: endpoints.clickhouseUrl, ...endpoints.clickhouseAuth });
    const sink = new AuditSink(messages, clickhouse, AUDITED_TOPICS);
    await sink.start();
    return {
      stop: async () => {
        await sink.stop();
        await clickhouse.close();
      },
    };
  },
};

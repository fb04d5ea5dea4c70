import { NotifierWorker, notifierSettings } from '@crossvenue/processors';
import { TOPICS } from '@crossvenue/schemas';
import type { WorkerDefinition } from './WorkerDefinition.ts';

export const notifierWorker: WorkerDefinition = {
  name: 'notifier',
  description: 'sends ops.alerts (venue down, discrepancy, drift, kill switch, worker down, …) to Slack, Discord and Telegram, de-duplicated and rate-limited',
  settings: [
    'NOTIFY_SLACK_WEBHOOK_URL (secret; a Slack incoming webhook)',
    'NOTIFY_DISCORD_WEBHOOK_URL (secret; a Discord webhook)',
    'NOTIFY_TELEGRAM_BOT_TOKEN (secret) and NOTIFY_TELEGRAM_CHAT_ID (a Telegram chat); at least one of the three channels is required',
    'NOTIFY_TELEGRAM_API_URL (default https://api.telegram.org)',
    'NOTIFY_DEDUP_WINDOW_MS (default 300000: repeats of one condition within it are folded into one message)',
    'NOTIFY_RATE_LIMIT_PER_MINUTE (default 20 per channel; what is beyond is summed up when it lifts)',
    'NOTIFY_MAX_AGE_MS (default 3600000: older alerts, such as the history a first start reads, are not sent)',
  ],
  topics: [TOPICS.alerts],
  async start({ messages, logger, env }) {
    const worker = new NotifierWorker(messages, notifierSettings(env), logger);
    await worker.start();
    logger.info({ channels: worker.channels }, `notifying ${worker.channels.join(', ')}`);
    return worker;
  },
};

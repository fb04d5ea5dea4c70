import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` (files named *.int.test.ts) talks to the
// real Kafka, schema registry and ClickHouse, which the global setup starts when none is configured.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['*/src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['./test/support/stackSetup.ts'],
          // Each test process talks to Kafka through kafkajs: its harmless timer warning would fill the log.
          setupFiles: ['./test/support/quietKafkajs.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The integration files share one broker and one ClickHouse on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});

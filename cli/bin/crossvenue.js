#!/usr/bin/env node
// Runs the TypeScript sources directly: the workspace packages export `src`, so there is no build step.
import { register } from 'tsx/esm/api';

// kafkajs 2.2.4 schedules its request-queue check at `-1 - Date.now()` ms when it is not throttled
// (requestQueue scheduleCheckPendingRequests); Node 24 warns TimeoutNegativeWarning on stderr and
// runs it after 1 ms, which is what kafkajs means. That warning alone is dropped: a command's
// stderr stays its own lines. Every other warning is printed as Node would.
const [printWarning] = process.listeners('warning');
if (printWarning) {
  process.removeListener('warning', printWarning);
  process.on('warning', (warning) => {
    if (warning.name !== 'TimeoutNegativeWarning') printWarning(warning);
  });
}

register();
await import('../src/main.ts');

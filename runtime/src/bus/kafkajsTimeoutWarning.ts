let dropped = false;

/**
 * kafkajs 2.2.4 schedules its request-queue check at `-1 - Date.now()` ms when it is not
 * throttled (requestQueue scheduleCheckPendingRequests); Node 24 warns TimeoutNegativeWarning on
 * stderr and runs it after 1 ms, which is what kafkajs means. This drops that warning alone from
 * the process's warning output, so a command's stderr (and a test run's) stays its own lines;
 * every other warning is printed as Node would. Once per process.
 */
export function dropKafkajsTimeoutWarning(): void {
  if (dropped) return;
  dropped = true;
  const [printWarning] = process.listeners('warning');
  if (!printWarning) return;
  process.removeListener('warning', printWarning);
  process.on('warning', (warning) => {
    if (warning.name !== 'TimeoutNegativeWarning') printWarning(warning);
  });
}

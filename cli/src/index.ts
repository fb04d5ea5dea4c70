/** What other packages (tests, tools) use of the CLI: the embedded run as a library. */
export { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './embedded/EmbeddedRun.ts';
export { gatewayClient } from './embedded/gatewayClient.ts';
export { localApiKey } from './embedded/localApiKey.ts';
export { DEMO_VENUES } from './demoVenues.ts';
export { ccxtConnectorWorker } from './workers/ccxtConnector.ts';
export type { RunningWorker } from './workers/WorkerDefinition.ts';

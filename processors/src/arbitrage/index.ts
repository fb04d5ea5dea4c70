// Cross-venue arbitrage: the worker the CLI runs, its settings, and the strategy it runs.
export { ArbitrageWorker, type ArbitrageWorkerOptions } from './ArbitrageWorker.ts';
export { parseArbitrageSettings } from './ArbitrageSettings.ts';
export type { ArbitrageSettings } from './ArbitrageSettings.ts';
export { ArbitrageStrategy } from './ArbitrageStrategy.ts';

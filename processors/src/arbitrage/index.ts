// Cross-venue arbitrage: the worker the CLI runs, its settings, and the strategies it runs.
export { ArbitrageWorker, parseArbitrageWorkerSettings, type ArbitrageWorkerOptions, type ArbitrageWorkerSettings } from './ArbitrageWorker.ts';
export { parseArbitrageSettings } from './ArbitrageSettings.ts';
export type { ArbitrageSettings } from './ArbitrageSettings.ts';
export { parseFundingSettings, type FundingPlace, type FundingSettings } from './FundingSettings.ts';
export { ArbitrageStrategy } from './ArbitrageStrategy.ts';
export { FundingArbitrage } from './FundingArbitrage.ts';

import type { CredentialField } from '@crossvenue/connectors';

/**
 * The configuration file (crossvenue.yaml) as loadConfig returns it: validated against
 * config/crossvenue.schema.json and checked for agreement between its parts. File paths in it are
 * absolute (the file gives them relative to itself). The schema is the documentation of each field.
 */
export interface Config {
  infrastructure?: {
    kafka?: {
      brokers: string[];
      sasl?: { mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: EnvRef };
      tls?: boolean;
      caFile?: string;
    };
    schemaRegistry?: { url: string; username?: string; password?: EnvRef };
    clickhouse?: { url: string; username?: string; password?: EnvRef };
  };
  simulator?: { port: number };
  venues: VenueConfig[];
  accounts: AccountConfig[];
  portfolios: PortfolioConfig[];
  router: { symbols: string[]; accounts?: string[] };
  gateway: { port: number; host?: string; apiKeys: SecretSource; backtestsDir?: string };
  strategies?: StrategyConfig[];
  /** Copy-trading followers: parseFollowers' format (processors/src/synchronizer/FollowerConfig.ts). */
  followers?: Array<Record<string, unknown>>;
  arbitrage?: ArbitrageConfig[];
  workers?: { metricsPortBase?: number; replicas?: Record<string, number> };
}

export interface VenueConfig {
  id: string;
  ccxt: string;
  sandbox?: boolean;
  simulated?: boolean;
  urls?: { rest: string; ws: string };
}

export interface AccountConfig {
  venue: string;
  account: string;
  portfolio: string;
  /** Variable names by credential field (those the venue's ccxt class needs), or a secrets file. */
  credentials: { env: Partial<Record<CredentialField, string>> } | { secretsFile: string };
}

export interface PortfolioConfig {
  id: string;
  /** parseRiskLimits' format (processors/src/risk/RiskLimits.ts). */
  risk: Record<string, unknown>;
}

export interface StrategyConfig {
  name: string;
  /** A built-in strategy's name, or a module's path (absolute once loaded). */
  module: string;
  portfolio: string;
  settings?: Record<string, unknown>;
}

/** One arbitrage worker: its settings in parseArbitrageSettings' format (processors/src/arbitrage). */
export interface ArbitrageConfig {
  name: string;
  portfolio: string;
  settings: Record<string, unknown>;
}

export interface EnvRef {
  env: string;
}

export type SecretSource = EnvRef | { secretsFile: string };

/** "venue|account": how the router, the risk limits and the config name one account. */
export const accountKey = (account: { venue: string; account: string }) => `${account.venue}|${account.account}`;

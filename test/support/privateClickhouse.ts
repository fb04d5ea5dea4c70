// The private ClickHouse server moved to infra, where the chaos run (cli) uses it too.
export { PrivateClickhouse } from '@crossvenue/infra';

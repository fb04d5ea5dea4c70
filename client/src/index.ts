// The typed client for strategies (docs/strategies.md): intents over Kafka or HTTP, and their status.
export { HttpIntentClient, GatewayError, type HttpIntentClientOptions } from './HttpIntentClient.ts';
export { KafkaIntentClient, type KafkaIntentClientOptions } from './KafkaIntentClient.ts';
export { changeIntent, orderOf, placeIntent, targetIntent, type OrderChange, type OrderTerms, type Sender, type TargetChange, type TargetTerms } from './OrderTerms.ts';
export { hasEnded } from './StatusWatch.ts';

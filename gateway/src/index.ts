export { ApiKeys, ROLES, allows, type ApiPrincipal, type Role } from './auth/ApiKeys.ts';
export { GatewayServer, OPENAPI_DOCUMENT } from './GatewayServer.ts';
export { IdempotencyKeys } from './IdempotencyKeys.ts';
export { LIVE_TOPICS, LiveState, type LiveStateOptions, type StateChange, type TopOfBook } from './LiveState.ts';
export { apiRoutes, type GatewayDependencies, type Route } from './routes.ts';
export { HttpError } from './http/HttpError.ts';

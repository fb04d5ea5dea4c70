export { InvalidInputError } from './errors.ts';
export {
  Decimal,
  compare,
  compareDecimalStrings,
  formatDecimal,
  formatNullableDecimal,
  isMultipleOf,
  parseDecimal,
  parseNullableDecimal,
  roundToStep,
  type RoundingMode,
} from './decimal.ts';
export {
  clientOrderId,
  parseAccountId,
  parseClientOrderId,
  parseIntentId,
  parsePortfolioId,
  parseVenueId,
  type AccountId,
  type Brand,
  type ClientOrderId,
  type IntentId,
  type PortfolioId,
  type VenueId,
} from './ids.ts';
export { formatSymbol, parseSymbol, validateSymbol, type SymbolParts, type UnifiedSymbol } from './symbols.ts';
export { notional, parseSymbolMetadata, quantityUnit, toSymbolMetadata, venueQuantity, type Market } from './market.ts';
export { MAX_EPOCH_MS, orderTypeOf, parseIntentOrder, toIntentOrder, type StandardOrder } from './order.ts';
export { validateOrder, type OrderViolation, type ViolationCode } from './validateOrder.ts';
export { whyNotExecuted, type NotExecuted } from './whyNotExecuted.ts';
export { TERMINAL_ORDER_STATES, isTerminalOrderState } from './orderStates.ts';
export { ORDER_TRANSITIONS, transition, type TransitionResult, type TransitionTarget } from './orderTransitions.ts';
export { InvalidTransitionError } from './InvalidTransitionError.ts';
export { fillIdentity } from './fillIdentity.ts';
export { midPrice } from './midPrice.ts';
export { ConversionGraph } from './ConversionGraph.ts';
export { FINAL_INTENT_STATES, intentStatusEventId, statusNumber } from './intentStatusRecord.ts';

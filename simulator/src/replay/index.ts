export { ReplayVenue, type ReplayVenueOptions } from './ReplayVenue.ts';
export { BookFillModel, ProbabilisticFillModel, FILL_MODELS, type FillModel, type FillModelName, type QueueState } from './FillModel.ts';
export type { RecordedLevel, RecordedTrade, ReplayFill, ReplayOrderReport, ReplayOrderRequest, ReplayOrderStatus, ReplaySide } from './types.ts';

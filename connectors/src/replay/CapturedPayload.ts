/** One recorded payload: a REST response or a received WebSocket frame, with when it arrived. */
export interface CapturedPayload {
  kind: 'rest' | 'ws';
  /** The REST request URL, or the WebSocket connection URL. */
  url: string;
  receivedAtMs: number;
  payload: unknown;
  /** Where it came from, for error messages: `file:line`. */
  origin: string;
  /** The book rules to replay it with, when the file says (our own recordings); else the URL tells. */
  dialect?: string;
}

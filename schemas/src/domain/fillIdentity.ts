/**
 * The identity of a fill, DESIGN.md invariant 2: (venue, account, venue trade id). A second fill
 * with the same identity is the same execution, however it reached us. '|' never occurs in a
 * venue, account or trade id (see the topic catalogue).
 */
export function fillIdentity(fill: { venue: string; account: string; tradeId: string }): string {
  return `${fill.venue}|${fill.account}|${fill.tradeId}`;
}

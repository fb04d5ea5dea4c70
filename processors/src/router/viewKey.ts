/** The key of what the router holds per venue: a book or market by instrument, a health or balances by account. */
export function viewKey(venue: string, what: string): string {
  return `${venue}\u0000${what}`;
}

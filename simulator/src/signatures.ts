import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `text` under `secret`, as a venue writes it (Binance and Bybit hex, OKX base64). */
export function hmacSha256(secret: string, text: string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(text).digest(encoding);
}

/** Whether a client's signature (or passphrase) is the expected one, compared in constant time: a venue leaks no prefix. */
export function secretMatches(expected: string, given: string | undefined): boolean {
  const givenBytes = Buffer.from(given ?? '');
  const expectedBytes = Buffer.from(expected);
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

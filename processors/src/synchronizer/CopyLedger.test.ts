import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { CopyLedger } from './CopyLedger.ts';

const d = (value: string) => new Decimal(value);

describe('a follower\'s copy ledger', () => {
  it('starts in line with the position the follower holds', () => {
    const ledger = new CopyLedger(d('0.3'));
    expect(ledger.target.toFixed()).toBe('0.3');
    expect(ledger.residual.toFixed()).toBe('0');
  });

  it('accumulates what could not be sent until it is tradable, then the trade clears it', () => {
    const ledger = new CopyLedger(d('0'));
    ledger.retarget(d('0.0004'));
    expect(ledger.residual.toFixed()).toBe('0.0004');
    ledger.retarget(d('0.0008'));
    ledger.retarget(d('0.0012'));
    expect(ledger.residual.toFixed()).toBe('0.0012');
    ledger.sent(d('0.001'));
    expect(ledger.residual.toFixed()).toBe('0.0002');
  });

  it('takes the venue\'s position plus the correction as sent after a correction', () => {
    const ledger = new CopyLedger(d('0'));
    ledger.retarget(d('1'));
    ledger.sent(d('1'));
    // A fill was missed: the venue says 0.6; the correction sends 0.4.
    ledger.corrected(d('1'), d('0.6'), d('0.4'));
    expect(ledger.residual.toFixed()).toBe('0');
  });
});

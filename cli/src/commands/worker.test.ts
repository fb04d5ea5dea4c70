import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP } from './worker.ts';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('crossvenue worker --help', () => {
  it('names only settings the README configuration documents', () => {
    const settings = new Set(HELP.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\bACCOUNT\b|\bPORTFOLIO\b|\bVENUE\b|\bSYMBOLS\b|\bINSTRUMENTS\b/g));
    expect(settings.size).toBeGreaterThan(20);
    const undocumented = [...settings].filter((name) => !README.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it('says what ACCOUNT is', () => {
    expect(HELP).toMatch(/ACCOUNT \(required: our id of the venue account it trades/);
  });
});

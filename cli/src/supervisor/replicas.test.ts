import { describe, expect, it } from 'vitest';
import { parseReplicas } from './replicas.ts';

describe('--replicas', () => {
  it('reads worker=N pairs', () => {
    expect(parseReplicas('router=2, execution=3')).toEqual({ router: 2, execution: 3 });
    expect(parseReplicas(undefined)).toEqual({});
  });

  it.each([
    ['router', '--replicas: expected worker=N,… (N from 1 to 999), got "router"'],
    ['router=0', '--replicas: expected worker=N,… (N from 1 to 999), got "router=0"'],
    ['router=two', '--replicas: expected worker=N,… (N from 1 to 999), got "router=two"'],
    ['router=2,router=3', '--replicas: router is given twice'],
  ])('refuses %j', (text, message) => {
    expect(() => parseReplicas(text)).toThrow(message);
  });
});

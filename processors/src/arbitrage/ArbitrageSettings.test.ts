import { InvalidInputError } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { parseArbitrageSettings } from './ArbitrageSettings.ts';

const BASE = { instrument: 'BTC/USDT', venues: ['sim-binance-a', 'sim-bybit'], minEdgeBps: '5', maxQuantity: '0.05', maxOpenNotional: '10000', maxInventory: '0.2' };
const parse = (settings: Record<string, unknown>) => parseArbitrageSettings(settings, 'arbitrage[0].settings');

describe('parseArbitrageSettings', () => {
  it('reads the required keys and gives the rest careful defaults (BOTH_IOC)', () => {
    const settings = parse(BASE);
    expect({ ...settings, minEdgeBps: settings.minEdgeBps.toFixed(), maxQuantity: settings.maxQuantity.toFixed(), legSlippageBps: settings.legSlippageBps.toFixed(), unwindMaxCostBps: settings.unwindMaxCostBps.toFixed(), maxOpenNotional: settings.maxOpenNotional.toFixed(), maxInventory: settings.maxInventory.toFixed() }).toEqual({
      instrument: 'BTC/USDT',
      venues: ['sim-binance-a', 'sim-bybit'],
      policy: 'BOTH_IOC',
      minEdgeBps: '5',
      maxQuantity: '0.05',
      maxOpenNotional: '10000',
      maxInventory: '0.2',
      cooldownMs: 5_000,
      legSlippageBps: '2',
      unwindMaxCostBps: '20',
      maxBookAgeMs: 2_000,
      finishWithinMs: 2_000,
      maker: null,
      defaultTakerFee: null,
      defaultMakerFee: null,
    });
  });

  it('reads the policy keys of MAKER_TAKER and FINISH_OR_UNWIND', () => {
    expect(parse({ ...BASE, policy: 'MAKER_TAKER', makerVenue: 'sim-bybit', makerRestMs: 1_500, defaultMakerFee: '0.0002' })).toMatchObject({ policy: 'MAKER_TAKER', maker: { venue: 'sim-bybit', restMs: 1_500 } });
    expect(parse({ ...BASE, policy: 'FINISH_OR_UNWIND', finishWithinMs: 800 })).toMatchObject({ policy: 'FINISH_OR_UNWIND', finishWithinMs: 800, maker: null });
  });

  it.each([
    [{ ...BASE, size: '1' }, 'arbitrage[0].settings.size: unknown key; known: instrument, venues'],
    [{ ...BASE, makerVenue: 'sim-bybit' }, 'arbitrage[0].settings.makerVenue: makerVenue is only for MAKER_TAKER, the policy is BOTH_IOC'],
    [{ ...BASE, policy: 'MAKER_TAKER', makerVenue: 'sim-bybit', finishWithinMs: 100 }, 'arbitrage[0].settings.finishWithinMs: finishWithinMs is only for FINISH_OR_UNWIND, the policy is MAKER_TAKER'],
    [{ ...BASE, policy: 'MAKER_TAKER' }, 'arbitrage[0].settings.makerVenue: required'],
    [{ ...BASE, policy: 'MAKER_TAKER', makerVenue: 'okx' }, 'arbitrage[0].settings.makerVenue: must be one of venues (sim-binance-a, sim-bybit), got "okx"'],
    [{ ...BASE, policy: 'BOTH' }, 'arbitrage[0].settings.policy: "BOTH" is not one of BOTH_IOC, MAKER_TAKER, FINISH_OR_UNWIND'],
    [{ ...BASE, instrument: 'BTCUSDT' }, 'arbitrage[0].settings.instrument: invalid symbol "BTCUSDT"'],
    [{ ...BASE, venues: ['sim-bybit'] }, 'arbitrage[0].settings.venues: must list at least two venues, got ["sim-bybit"]'],
    [{ ...BASE, venues: ['sim-bybit', 'sim-bybit'] }, 'arbitrage[0].settings.venues: sim-bybit is listed twice'],
    [{ ...BASE, minEdgeBps: 5 }, 'arbitrage[0].settings.minEdgeBps: got the number 5'],
    [{ ...BASE, minEdgeBps: '-1' }, 'arbitrage[0].settings.minEdgeBps: must be zero or more, got -1'],
    [{ ...BASE, maxQuantity: '0' }, 'arbitrage[0].settings.maxQuantity: must be positive, got 0'],
    [{ ...BASE, maxOpenNotional: undefined }, 'arbitrage[0].settings.maxOpenNotional: required'],
    [{ ...BASE, cooldownMs: 1.5 }, 'arbitrage[0].settings.cooldownMs: must be a whole number of ms, at least 0, got 1.5'],
    [{ ...BASE, defaultTakerFee: '1' }, 'arbitrage[0].settings.defaultTakerFee: must be a fraction of notional between -1 and 1'],
  ])('refuses %j with one line naming the key', (settings, message) => {
    const refuse = () => parse(JSON.parse(JSON.stringify(settings)) as Record<string, unknown>);
    expect(refuse).toThrow(InvalidInputError);
    expect(refuse).toThrow(message);
  });
});

import { randomUUID } from 'node:crypto';
import { ccxtClientFor } from '@crossvenue/connectors';
import { Decimal, TOPICS, type Alert, type BookSnapshot, type ControlCommand, type Fill, type Position } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './EmbeddedRun.ts';
import { gatewayClient } from './gatewayClient.ts';
import { localApiKey } from './localApiKey.ts';

const WAIT_MS = 30_000;
const VENUE = 'sim-usdm';
const INSTRUMENT = 'BTC/USDT:USDT';
const LEVERAGE = '20';
const AMOUNT = '0.01';
/** Short, so funding settles within seconds; the venue lists it with the connector's snapshots (10 s apart). */
const FUNDING_INTERVAL_MS = 1_500;

/** A ccxt number as the exact decimal the venue sent (ccxt parsed its string; 15 significant digits round-trip). */
const exact = (value: number | undefined) => new Decimal(String(value)).toFixed();
/** The position's reported time: the receive time of the venue snapshot its figures come from (its event id's `@` suffix). */
const reportedAtMs = (position: Position) => Number(position.eventId.split('@')[1] ?? 0);

interface AccountStatusRow {
  venue: string;
  instrument: string;
  markPrice: string | null;
  leverage: string | null;
  initialMargin: string | null;
  liquidationPrice: string | null;
}
interface AccountStatus {
  positions: { byUnderlying: Array<{ underlying: string; venues: AccountStatusRow[] }>; precision: Record<string, { price: number | null; quantity: number | null }> };
}

/**
 * A perpetual position through the whole embedded pipeline (issue #17): leverage set by a control
 * command, the position opened by an intent through the gateway, funding settled by the simulated
 * USD-M venue. The published position shows the venue's leverage, liquidation price, margin and
 * mark, the funding the venue paid, and a PnL equal to the venue's own, all read back from the
 * venue by a ccxt client of the test's own.
 */
describe('a perpetual position on the embedded run shows what the venue says', () => {
  const { keys, key } = localApiKey('trader');
  const alerts: Alert[] = [];
  const fills: Fill[] = [];
  const positions: Position[] = [];
  let booked = false;
  let run: EmbeddedRun;
  let venue: ReturnType<typeof ccxtClientFor>;
  let api: ReturnType<typeof gatewayClient>;

  const usdm = () => run.venues.venues.find((one) => one.perpetuals !== undefined)!;
  const perpetual = () => positions.filter((position) => position.venue === VENUE && position.instrument === INSTRUMENT).at(-1);
  /** The USDT wallet balance as the venue sends it (its account's assets): what realized PnL, fees and funding moved. */
  const wallet = async () => {
    const { info } = (await venue.fetchBalance()) as unknown as { info: { assets: Array<{ asset: string; walletBalance: string }> } };
    return new Decimal(info.assets.find((asset) => asset.asset === 'USDT')!.walletBalance);
  };
  const fundingAtVenue = async (sinceMs: number) => (await venue.fetchFundingHistory(INSTRUMENT, sinceMs)).reduce((sum, payment) => sum.plus(exact(payment.amount)), new Decimal(0));

  beforeAll(async () => {
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('perpetual-position-e2e', { level: 'silent' }), demo: { seed: 17, flow: false, movingPrices: false, strategy: false, funding: true, fundingIntervalMs: FUNDING_INTERVAL_MS } });
    api = gatewayClient(() => run.gatewayUrl, key);
    venue = ccxtClientFor(run.venues.endpoints.find((endpoints) => endpoints.name === VENUE)!);
    await run.messages.subscribe({
      groupId: `perpetual-observer-${randomUUID()}`,
      topics: [TOPICS.alerts, TOPICS.fills, TOPICS.positions, TOPICS.bookSnapshots],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.alerts.name) alerts.push(value as Alert);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else if (topic === TOPICS.positions.name) positions.push(value as Position);
          else if ((value as BookSnapshot).venue === VENUE && (value as BookSnapshot).instrument === INSTRUMENT) booked = true;
        }
      },
    });
    await waitFor(`the ${INSTRUMENT} book of ${VENUE}`, () => booked, WAIT_MS);
  }, 40_000);

  afterAll(async () => {
    await venue?.close();
    await run?.stop();
  });

  it('opens a leveraged position through the pipeline; its leverage, liquidation price, mark, funding and PnL are the venue\'s', async () => {
    // Leverage, as the synchronizer asks a connector for it: a CONFIG_CHANGE on the account.
    const command: ControlCommand = {
      eventId: randomUUID(),
      type: 'CONFIG_CHANGE',
      scope: 'ACCOUNT',
      portfolio: null,
      venue: VENUE,
      account: 'demo',
      engaged: null,
      cancelOpenOrders: false,
      configKey: `leverage.${INSTRUMENT}`,
      configValue: LEVERAGE,
      issuedBy: 'perpetual-position-e2e',
      reason: 'leverage for the test',
      issuedAtMs: Date.now(),
    };
    await run.messages.publish(TOPICS.controlCommands, [command]);
    await waitFor('the leverage set', () => alerts.some((alert) => alert.code === 'LEVERAGE_SET' && alert.venue === VENUE && alert.subject === INSTRUMENT), WAIT_MS);
    const [risk] = (await venue.fapiPrivateV2GetPositionRisk({ symbol: 'BTCUSDT' })) as Array<{ leverage: string }>;
    expect(risk!.leverage).toBe(LEVERAGE);

    // Isolated margin, set on the venue by the test's own client: the position holds only its own margin, so it has a liquidation price in reach.
    await venue.setMarginMode('isolated', INSTRUMENT);
    // Longs pay: funding moves the wallet, and the liquidation price with it.
    usdm().setFundingRate('BTCUSDT', '0.0005');
    const walletBefore = await wallet();
    const openedAtMs = Date.now();
    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: DEMO_PORTFOLIO, instrument: INSTRUMENT, side: 'BUY', amount: AMOUNT });
    expect(placed.status).toBe(202);
    const filled = () => fills.filter((fill) => fill.intentId === placed.body.intentId).reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));
    await waitFor('the buy filled', () => filled().eq(AMOUNT), WAIT_MS);

    // Funding settles at least once on the long; then the rate goes to zero so the venue's figures hold still.
    await waitFor('funding settled on the position', async () => !(await fundingAtVenue(openedAtMs)).isZero(), WAIT_MS);
    usdm().setFundingRate('BTCUSDT', '0');
    await new Promise((resolve) => setTimeout(resolve, FUNDING_INTERVAL_MS));
    const stillSinceMs = Date.now();
    const venueFunding = await fundingAtVenue(openedAtMs);
    expect(venueFunding.isNegative()).toBe(true);

    // A venue snapshot taken after that, and every funding payment it listed, folded.
    await waitFor('the position with figures from a later snapshot and all the funding', () => {
      const position = perpetual();
      return position !== undefined && reportedAtMs(position) > stillSinceMs && new Decimal(position.funding).equals(venueFunding);
    }, WAIT_MS);
    const position = perpetual()!;
    const [atVenue] = await venue.fetchPositions([INSTRUMENT], { useV2: true });
    expect(atVenue).toMatchObject({ side: 'long', contracts: Number(AMOUNT), marginMode: 'isolated' });
    expect(atVenue!.liquidationPrice).toBeGreaterThan(0);

    // Fills made the quantity and entry; the venue's figures ride along.
    expect(position.quantity).toBe(AMOUNT);
    expect(position.averageEntryPrice).toBe(exact(atVenue!.entryPrice));
    expect(position.margin).toEqual({ leverage: LEVERAGE, marginMode: 'isolated', initialMargin: exact(atVenue!.initialMargin), liquidationPrice: exact(atVenue!.liquidationPrice) });
    expect(position.markPrice).toBe(exact(atVenue!.markPrice));

    // PnL: realized + unrealized + funding - fees, ours, equals the venue's wallet change plus its unrealized PnL at the same mark.
    expect(position.fees.map(({ currency }) => currency)).toEqual(['USDT']);
    const ours = new Decimal(position.realizedPnl).plus(position.unrealizedPnl!).plus(position.funding).minus(position.fees[0]!.amount);
    const venues = (await wallet()).minus(walletBefore).plus(exact(atVenue!.unrealizedPnl));
    expect(position.unrealizedPnl).toBe(exact(atVenue!.unrealizedPnl));
    expect(ours.toFixed()).toBe(venues.toFixed());

    // The gateway's account status shows them, with the instrument's precision to round them to.
    const { body } = await api<AccountStatus>(`/execution/account_status?portfolio=${DEMO_PORTFOLIO}`);
    const row = body.positions.byUnderlying.find((one) => one.underlying === 'BTC')!.venues.find((one) => one.venue === VENUE && one.instrument === INSTRUMENT);
    expect(row).toMatchObject({ markPrice: position.markPrice, leverage: LEVERAGE, initialMargin: position.margin!.initialMargin, liquidationPrice: position.margin!.liquidationPrice });
    expect(body.positions.precision[INSTRUMENT]?.price).toBeGreaterThan(0);
  }, 90_000);
});

import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '@crossvenue/runtime/process';
import { Decimal } from '@crossvenue/schemas';
import type { GatewayAnswer } from '../embedded/gatewayClient.ts';

type Api = <T>(path: string, body?: object, headers?: Record<string, string>) => Promise<GatewayAnswer<T>>;

/** An intent the load placed: its id, and its side (an amend prices a resting one by it). */
export interface SentIntent {
  intentId: string;
  side: 'BUY' | 'SELL';
}

export interface LoadPlan {
  portfolio: string;
  instrument: string;
  /** Intents a second, and for how long. */
  rate: number;
  seconds: number;
  seed: number;
  /** Base amount of each intent. */
  amount: string;
  /** Every other placement trades in this account (the intent's `account`); the rest leave the choice to the router. */
  pinnedAccount?: string;
}

/** How long a call is asked again while the gateway is away, does not know the intent, has no book yet (a restart takes about 20 s) or cannot publish (503: Kafka away). */
const GATEWAY_PATIENCE_MS = 90_000;

/** How far through the mid a marketable IOC limit reaches. */
const IOC_REACH = new Decimal('0.01');

/** A resting limit is placed this far from the mid (inside the demo risk's 5% price band), so that it rests. */
const RESTING_DISTANCE = new Decimal('0.03');

/**
 * Intents at a steady rate through the gateway, as a desk's traders send them, the same for the
 * same seed: market orders (their legs are IOC limits) and IOC limits 1% through the mid,
 * alternating sides so the account stays near flat; GTC limits resting 3% from the mid, some
 * amended, each cancelled a few steps later. With `pinnedAccount`, every other placement is for
 * that account alone.
 * `onStep` is told the count of steps (placements, amends, cancels) after each one: the scenario
 * injects its fault at one.
 */
export class IntentLoad {
  readonly sent: SentIntent[] = [];
  private readonly resting: SentIntent[] = [];
  private placements = 0;

  constructor(
    private readonly api: Api,
    private readonly plan: LoadPlan,
  ) {}

  async run(onStep: (steps: number) => Promise<void> = async () => undefined): Promise<void> {
    const random = seededRandom(this.plan.seed);
    const total = Math.max(1, Math.round(this.plan.rate * this.plan.seconds));
    const intervalMs = 1000 / this.plan.rate;
    const startedAt = Date.now();
    for (let i = 0; i < total; i++) {
      const wait = startedAt + i * intervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      const draw = random();
      if (this.resting.length > 0 && draw < 0.15) await this.cancelOldestResting();
      else if (this.resting.length > 0 && draw < 0.25) await this.amendNewestResting();
      else if (draw < 0.4) await this.placeResting(i % 2 === 0 ? 'BUY' : 'SELL');
      else if (draw < 0.6) await this.placeMarketableIoc(i % 2 === 0 ? 'BUY' : 'SELL');
      else await this.placeMarket(i % 2 === 0 ? 'BUY' : 'SELL');
      await onStep(i + 1);
    }
    while (this.resting.length > 0) await this.cancelOldestResting();
  }

  private async placeMarket(side: 'BUY' | 'SELL'): Promise<void> {
    const intentId = await this.place({ side });
    this.sent.push({ intentId, side });
  }

  /** An IOC limit 1% through the mid: it takes what the books offer within it, and the rest ends. */
  private async placeMarketableIoc(side: 'BUY' | 'SELL'): Promise<void> {
    const intentId = await this.place({ side, limitPrice: await this.priceFromMid(side, IOC_REACH), timeInForce: 'IOC' });
    this.sent.push({ intentId, side });
  }

  private async placeResting(side: 'BUY' | 'SELL'): Promise<void> {
    const intentId = await this.place({ side, limitPrice: await this.priceFromMid(side, RESTING_DISTANCE.negated()), timeInForce: 'GTC' });
    const intent: SentIntent = { intentId, side };
    this.sent.push(intent);
    this.resting.push(intent);
  }

  /** Half a percent further from the market than it was placed. */
  private async amendNewestResting(): Promise<void> {
    const intent = this.resting.at(-1)!;
    const limitPrice = await this.priceFromMid(intent.side, RESTING_DISTANCE.plus('0.005').negated());
    await this.expect(202, '/execution/unified_amend', { intentId: intent.intentId, limitPrice });
  }

  /** A limit price `reach` of the mid through the market for `side` (a negative reach: away from it, resting). */
  private async priceFromMid(side: 'BUY' | 'SELL', reach: Decimal): Promise<string> {
    const factor = Decimal.add(1, side === 'BUY' ? reach : reach.negated());
    return (await this.mid()).times(factor).toDecimalPlaces(2).toFixed();
  }

  private async cancelOldestResting(): Promise<void> {
    const intent = this.resting.shift()!;
    await this.expect(202, '/execution/unified_cancel', { intentId: intent.intentId });
  }

  private async place(order: { side: 'BUY' | 'SELL'; limitPrice?: string; timeInForce?: string }): Promise<string> {
    const placement = this.placements++;
    const pinned = this.plan.pinnedAccount !== undefined && placement % 2 === 1;
    const body = { portfolio: this.plan.portfolio, instrument: this.plan.instrument, amount: this.plan.amount, ...order, ...(pinned && { account: this.plan.pinnedAccount }) };
    // Sent again after a 503 or a lost answer, it is the same intent, as a desk's client does it.
    const key = `load-${this.plan.seed}-${placement}`;
    return (await this.expect<{ intentId: string }>(202, '/execution/unified_order', body, { 'idempotency-key': key })).intentId;
  }

  /**
   * The mid of the instrument's books the gateway sees now, over every venue. No book is asked
   * again for a while: a restarted gateway answers before it has read the books back.
   */
  private async mid(): Promise<Decimal> {
    const deadline = Date.now() + GATEWAY_PATIENCE_MS;
    for (;;) {
      const { body } = await this.call<{ books: Array<{ instrument: string; bestBid: string | null; bestAsk: string | null }> }>('/market/books');
      const mids = body.books.filter((book) => book.instrument === this.plan.instrument && book.bestBid && book.bestAsk).map((book) => Decimal.add(book.bestBid!, book.bestAsk!).div(2));
      if (mids.length > 0) return Decimal.sum(...mids).div(mids.length);
      if (Date.now() > deadline) throw new Error(`the gateway had no ${this.plan.instrument} book to price a limit at for ${GATEWAY_PATIENCE_MS} ms`);
      await sleep(250);
    }
  }

  /**
   * The call, answered `status`. A 404 is asked again for a while: the gateway knows an intent once
   * it has read it back from exec.intents, which a restarting gateway may not have yet. So is a 503:
   * the gateway could not publish it (Kafka away), and says to send it again.
   */
  private async expect<T>(status: number, path: string, body: object, headers?: Record<string, string>): Promise<T> {
    const deadline = Date.now() + GATEWAY_PATIENCE_MS;
    for (;;) {
      const answer = await this.call<T>(path, body, headers);
      if (answer.status === status) return answer.body;
      if ((answer.status !== 404 && answer.status !== 503) || Date.now() > deadline) throw new Error(`${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
      await sleep(250);
    }
  }

  /**
   * The call, asked again while the gateway cannot be reached (a scenario kills it). A placement
   * whose answer the kill lost may have been published: sent again with its Idempotency-Key, it
   * names the same intent.
   */
  private async call<T>(path: string, body?: object, headers?: Record<string, string>): Promise<GatewayAnswer<T>> {
    const deadline = Date.now() + GATEWAY_PATIENCE_MS;
    for (;;) {
      try {
        return await this.api<T>(path, body, headers);
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the gateway did not answer ${path} for ${GATEWAY_PATIENCE_MS} ms: ${(error as Error).message}`);
        await sleep(250);
      }
    }
  }
}

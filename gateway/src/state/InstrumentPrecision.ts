import { Decimal, type SymbolMetadata } from '@crossvenue/schemas';

/** Decimal places of an instrument's finest price tick and quantity step among its venues (null: no venue gave one): what a person is shown. */
export interface Precision {
  price: number | null;
  quantity: number | null;
}

/**
 * Each instrument's display precision from the symbol metadata, shared by the views that show
 * prices and quantities (arbitrage groups, synchronizer decisions): the dashboard rounds to it.
 */
export class InstrumentPrecision {
  private readonly precisions = new Map<string, Precision>();

  applyMarket({ instrument, priceTick, quantityStep }: SymbolMetadata): void {
    const known = this.precisions.get(instrument);
    const finer = (step: string | null, before: number | null = null) => (step === null ? before : Math.max(new Decimal(step).decimalPlaces(), before ?? 0));
    this.precisions.set(instrument, { price: finer(priceTick, known?.price), quantity: finer(quantityStep, known?.quantity) });
  }

  /** The precision of each of `instruments` whose metadata the gateway has seen. */
  of(instruments: Iterable<string>): Record<string, Precision> {
    return Object.fromEntries([...instruments].flatMap((instrument) => {
      const precision = this.precisions.get(instrument);
      return precision ? [[instrument, precision]] : [];
    }));
  }
}

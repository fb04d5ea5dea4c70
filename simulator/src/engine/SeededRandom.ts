import { seededRandom } from '@crossvenue/runtime';

/** The engine's seeded randomness, so a simulated run with the same seed replays exactly. */
export class SeededRandom {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

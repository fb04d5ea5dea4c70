export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The parts of a run in the order they started; `stopAll` stops them in reverse, so nothing is
 * stopped while a part started after it still uses it. A start that fails part-way stops the parts
 * already running, and the run is left with nothing open.
 */
export class StopStack {
  private readonly parts: Stoppable[] = [];

  push<T extends Stoppable>(part: T): T {
    this.parts.push(part);
    return part;
  }

  /** Runs `start`; if it throws, stops everything already pushed and rethrows. */
  async guard<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.stopAll();
      throw error;
    }
  }

  async stopAll(): Promise<void> {
    for (const part of this.parts.splice(0).reverse()) await part.stop();
  }
}

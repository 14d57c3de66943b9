/**
 * Stripe's webhook retry schedule (three days) compressed by a factor, so that
 * a test or a developer sees the whole sequence in minutes. Factor 1 is real
 * time.
 */
export class TimeScale {
  constructor(readonly factor: number) {
    if (!(factor >= 1)) throw new Error(`time factor must be ≥ 1 (got ${factor})`);
  }

  /** Real milliseconds standing for `simulatedMs` of Stripe time. */
  toRealMs(simulatedMs: number): number {
    return Math.max(1, Math.round(simulatedMs / this.factor));
  }
}

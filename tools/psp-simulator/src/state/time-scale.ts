/**
 * Stripe's schedules (webhook retries over three days, idempotency keys kept
 * 24 hours) compressed by a factor, so that a test or a developer sees a
 * three-day retry sequence in minutes. Factor 1 is real time.
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

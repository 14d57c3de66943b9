/** A missing or invalid environment variable; the message is one line naming it and the expected form. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly received: string | undefined,
  ) {
    super(
      received === undefined
        ? `Missing environment variable ${variable}: expected ${expected}.`
        : `Invalid environment variable ${variable}: expected ${expected}, got ${JSON.stringify(received)}.`,
    );
    this.name = 'ConfigError';
  }
}

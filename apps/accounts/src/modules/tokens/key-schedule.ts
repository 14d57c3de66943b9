/**
 * When each signing key signs and is published (R-ID-1 key rotation without
 * downtime). Keys sorted by activation form a chain: a key signs from its
 * activation until the next key's; it is published in the JWKS from the
 * moment it exists (so gateways learn it before the first token it signs)
 * until every token it signed has expired (`verifyWindowMs` after it stopped
 * signing).
 */
export interface ScheduledKey {
  kid: string;
  activatesAt: Date;
}

function byActivation<K extends ScheduledKey>(keys: readonly K[]): K[] {
  return [...keys].sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime() || a.kid.localeCompare(b.kid));
}

/** The key that signs at `now`: the most recently activated one. */
export function activeKey<K extends ScheduledKey>(keys: readonly K[], now: number): K | undefined {
  return byActivation(keys)
    .filter((key) => key.activatesAt.getTime() <= now)
    .at(-1);
}

/** When a key stopped signing (its successor activated), or undefined while it still signs or has not started. */
function retiredAt(sorted: readonly ScheduledKey[], index: number, now: number): number | undefined {
  const successor = sorted[index + 1];
  if (!successor) return undefined;
  const at = successor.activatesAt.getTime();
  return at <= now ? at : undefined;
}

export interface KeyPhases<K> {
  /** In the JWKS: upcoming, active, or retired less than verifyWindowMs ago. */
  published: K[];
  /** Retired: will never sign again (their private half can go). */
  retired: K[];
  /** Retired longer than verifyWindowMs ago: no live token needs them. */
  expired: K[];
}

export function keyPhases<K extends ScheduledKey>(keys: readonly K[], now: number, verifyWindowMs: number): KeyPhases<K> {
  const sorted = byActivation(keys);
  const phases: KeyPhases<K> = { published: [], retired: [], expired: [] };
  sorted.forEach((key, index) => {
    const retired = retiredAt(sorted, index, now);
    if (retired === undefined) {
      phases.published.push(key);
      return;
    }
    phases.retired.push(key);
    if (now < retired + verifyWindowMs) phases.published.push(key);
    else phases.expired.push(key);
  });
  return phases;
}

/** The clock skew verifiers allow (the gateway's AUTH_CLOCK_TOLERANCE_S default); accounts' own /v1/me check uses the same. */
export const VERIFIER_CLOCK_TOLERANCE_S = 30;

/** How long a retired key must stay published: the longest a token it signed can still be accepted. */
export function verifyWindowMs(accessTokenTtlSeconds: number, clockToleranceSeconds: number): number {
  return (accessTokenTtlSeconds + clockToleranceSeconds) * 1000;
}

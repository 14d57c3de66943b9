import type { PaymentsDb } from '../../db/database.js';
import { findActivePackage, type PackageRow } from '../purchases/purchase-repository.js';

/** Packages change rarely and every purchase reads one: a new price or a withdrawn package takes effect within this long. */
const TTL_MS = 5_000;

/** The active credit packages, read through a short per-process cache (one query fewer per purchase). */
export function createPackageCache(db: PaymentsDb, ttlMs = TTL_MS) {
  const cached = new Map<string, { row: PackageRow | undefined; until: number }>();
  return {
    async find(id: string): Promise<PackageRow | undefined> {
      const hit = cached.get(id);
      if (hit && hit.until > Date.now()) return hit.row;
      const row = await findActivePackage(db, id);
      // Bounded: unknown ids are cached too (a flood of them must not grow the map without end).
      if (cached.size > 1_000) cached.clear();
      cached.set(id, { row, until: Date.now() + ttlMs });
      return row;
    },
  };
}

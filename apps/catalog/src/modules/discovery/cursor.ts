import { CatalogErrors } from '../catalog-errors.js';
import type { SortName } from './discovery-query.js';

/**
 * Keyset pagination: the cursor is the sort key and id of the last item of a
 * page, so later pages cost the same as the first and never skip or repeat
 * an item when listings are added meanwhile.
 */
export interface Cursor {
  sort: SortName;
  key: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string, sort: SortName): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw CatalogErrors.CATALOG_INVALID_CURSOR();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw CatalogErrors.CATALOG_INVALID_CURSOR();
  const [cursorSort, key, id] = parsed as unknown[];
  if (cursorSort !== sort || typeof key !== 'string' || key.length > 64 || typeof id !== 'string' || !UUID.test(id)) {
    throw CatalogErrors.CATALOG_INVALID_CURSOR({ detail: cursorSort !== sort ? `The cursor was issued for sort=${String(cursorSort)}, not ${sort}.` : undefined });
  }
  return { sort, key, id };
}

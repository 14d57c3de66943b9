import type { ProblemFieldError } from '@bursary/errors';
import { CatalogErrors } from '../catalog-errors.js';

/** The stored state of a listing that the rules look at. */
export interface ListingState {
  summary: string;
  description: string;
  awardMinMinor: number | null;
  awardMaxMinor: number | null;
  deadline: string | null;
  applicationUrl: string | null;
}

/** Rules the schema cannot express, for every write: a 400 naming each field (R-ERR-2). */
export function assertValidListing(listing: ListingState, today: string, deadlineChanged: boolean): void {
  const errors: ProblemFieldError[] = [];
  if (listing.awardMinMinor !== null && listing.awardMaxMinor !== null && listing.awardMinMinor > listing.awardMaxMinor) {
    errors.push({ field: '/body/award/minMinor', message: 'must not exceed award.maxMinor' });
  }
  if (deadlineChanged && listing.deadline !== null && listing.deadline < today) {
    errors.push({ field: '/body/deadline', message: `must be today (${today}) or later` });
  }
  if (errors.length > 0) throw CatalogErrors.CATALOG_INVALID_LISTING({ detail: `${errors.length} field(s) break a listing rule.`, errors });
}

/** What a listing needs before students can see it (R-CAT-3): a 422 listing every gap. */
export function assertPublishable(listing: ListingState, today: string): void {
  const errors: ProblemFieldError[] = [];
  if (listing.summary.trim().length < 20) errors.push({ field: '/summary', message: 'needs at least 20 characters' });
  if (listing.description.trim().length < 50) errors.push({ field: '/description', message: 'needs at least 50 characters' });
  if (listing.awardMaxMinor === null) errors.push({ field: '/award/maxMinor', message: 'is required to publish' });
  if (listing.deadline === null) errors.push({ field: '/deadline', message: 'is required to publish' });
  else if (listing.deadline < today) errors.push({ field: '/deadline', message: `has passed; set a day from ${today} on` });
  if (listing.applicationUrl === null) errors.push({ field: '/applicationUrl', message: 'is required to publish' });
  if (errors.length > 0) throw CatalogErrors.CATALOG_LISTING_INCOMPLETE({ detail: `The listing cannot be published yet: ${errors.length} field(s) to complete.`, errors });
}

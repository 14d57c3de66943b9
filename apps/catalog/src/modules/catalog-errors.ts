import { defineErrors } from '@bursary/errors';

/** The catalog's own refusals (R-ERR-1); codes are stable, clients branch on them. */
export const CatalogErrors = defineErrors('catalog', {
  CATALOG_SCHOLARSHIP_NOT_FOUND: {
    status: 404,
    title: 'Scholarship not found',
    description: 'No published scholarship has this id or slug (a provider sees its own drafts; another organization\'s listing is not found either).',
  },
  CATALOG_INVALID_LISTING: {
    status: 400,
    title: 'Invalid listing',
    description: 'The listing breaks a rule the schema cannot express (award range, unknown field-of-study code, deadline in the past…); `errors` names each field.',
  },
  CATALOG_LISTING_INCOMPLETE: {
    status: 422,
    title: 'Listing incomplete',
    description: 'The listing cannot be published yet: `errors` names each missing or stale field (summary, description, award, deadline in the future, application URL).',
  },
  CATALOG_LISTING_CLOSED: {
    status: 409,
    title: 'Listing closed',
    description: 'A closed listing can no longer be edited or published; create a new one for the next cycle.',
  },
  CATALOG_SCHOLARSHIP_NOT_OPEN: {
    status: 409,
    title: 'Scholarship not open',
    description: 'Applications can only be started for a published scholarship whose deadline has not passed.',
  },
  CATALOG_PROVIDER_ORG_MISSING: {
    status: 403,
    title: 'No provider organization',
    description: 'The provider token carries no `org` claim, so there is no organization whose listings it may manage.',
  },
  CATALOG_INVALID_CURSOR: {
    status: 400,
    title: 'Invalid cursor',
    description: 'The `cursor` is not one this endpoint issued for the same sort; start again without it.',
  },
  CATALOG_APPLICATION_NOT_FOUND: {
    status: 404,
    title: 'Application not found',
    description: 'The signed-in student has no application with this id.',
  },
});

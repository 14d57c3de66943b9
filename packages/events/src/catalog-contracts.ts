import { Type } from 'typebox';
import { defineEvent } from './contract.js';

// Catalog events (R-CAT-2, R-CAT-3): ids and facts only, no PII
// (DESIGN.md §3.10). Provider organization and user ids are the token claims
// (`org`, `sub`), which are opaque identifiers rather than UUIDs.

const Uuid = (description: string) => Type.String({ format: 'uuid', description });
const Identifier = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });

const Listing = Type.Object(
  {
    scholarshipId: Uuid('the scholarship'),
    providerOrgId: Identifier('the provider organization that owns the listing'),
    slug: Type.String({ minLength: 1, maxLength: 200, description: 'the public page is /scholarships/<slug>' }),
  },
  { additionalProperties: false },
);

export const ScholarshipCreated = defineEvent('catalog.scholarship.created.v1', Listing, 'A provider created a draft listing.');
export const ScholarshipUpdated = defineEvent('catalog.scholarship.updated.v1', Listing, 'A provider edited a listing (draft or published).');
export const ScholarshipPublished = defineEvent('catalog.scholarship.published.v1', Listing, 'A listing went live: it is searchable and has a public page.');
export const ScholarshipClosed = defineEvent('catalog.scholarship.closed.v1', Listing, 'A listing stopped taking applications; its page stays up.');

export const ApplicationStarted = defineEvent(
  'catalog.application.started.v1',
  Type.Object(
    {
      applicationId: Uuid('the application'),
      scholarshipId: Uuid('the scholarship applied to'),
      providerOrgId: Identifier('the provider organization of the scholarship'),
      userId: Identifier('the student'),
    },
    { additionalProperties: false },
  ),
  'A student started an application (once per student and scholarship).',
);

export const catalogEventContracts = [ScholarshipCreated, ScholarshipUpdated, ScholarshipPublished, ScholarshipClosed, ApplicationStarted] as const;

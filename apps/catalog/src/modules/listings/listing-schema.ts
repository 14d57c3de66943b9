import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

/** The eligibility criteria of a listing, as data; an empty list or null means "no restriction". */
export const EligibilityCriteria = Type.Object({
  minGpa: Nullable(Type.Number()),
  educationLevels: Type.Array(Type.String()),
  fieldsOfStudy: Type.Array(Type.String()),
  states: Type.Array(Type.String()),
  citizenship: Type.Array(Type.String()),
  demographicTags: Type.Array(Type.String()),
  needBased: Type.Boolean(),
  meritBased: Type.Boolean(),
});

export const Award = Type.Object({
  minMinor: Nullable(Type.Integer({ description: 'smallest award in minor units (cents)' })),
  maxMinor: Nullable(Type.Integer({ description: 'largest award in minor units (cents)' })),
  currency: Type.String({ description: 'ISO 4217 code' }),
});

/** A scholarship as the public API shows it (detail adds `description`). */
export const ListingSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  url: Type.String({ description: 'the public landing page' }),
  title: Type.String(),
  summary: Type.String(),
  provider: Type.Object({ id: Type.String(), name: Type.String() }),
  award: Award,
  awardsCount: Nullable(Type.Integer()),
  deadline: Nullable(Type.String({ format: 'date' })),
  renewable: Type.Boolean(),
  essayRequired: Type.Boolean(),
  applicationUrl: Nullable(Type.String()),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('closed')]),
  verifiedAt: Nullable(Timestamp),
  publishedAt: Nullable(Timestamp),
  updatedAt: Timestamp,
  eligibility: EligibilityCriteria,
});

export const ListingDetail = Type.Object({ ...ListingSummary.properties, description: Type.String() });

export type ListingSummary = Static<typeof ListingSummary>;
export type ListingDetail = Static<typeof ListingDetail>;
export type EligibilityCriteria = Static<typeof EligibilityCriteria>;

import { Type } from 'typebox';
import { EducationLevel, FieldOfStudy, Gpa, UsStateCode } from '../listings/vocabulary.js';

const MinorUnits = (description: string) => Type.Integer({ minimum: 0, maximum: 2_000_000_000, description });
const Day = (description: string) => Type.String({ format: 'date', description });

/** Filters shared by the list and the search (R-CAT-1). */
export const DiscoveryFilters = {
  minAmount: Type.Optional(MinorUnits('only listings that can award at least this much (minor units, cents)')),
  maxAmount: Type.Optional(MinorUnits('only listings whose smallest award is at most this much (minor units, cents)')),
  deadlineFrom: Type.Optional(Day('only deadlines on or after this day (YYYY-MM-DD)')),
  deadlineTo: Type.Optional(Day('only deadlines on or before this day (YYYY-MM-DD)')),
  state: Type.Optional(UsStateCode),
  level: Type.Optional(EducationLevel),
  field: Type.Optional(FieldOfStudy),
  gpa: Type.Optional(Type.Number({ ...Gpa, description: 'only listings whose minimum GPA this GPA meets' })),
  renewable: Type.Optional(Type.Boolean({ description: 'only renewable (true) or one-time (false) awards' })),
  essay: Type.Optional(Type.Boolean({ description: 'only listings that require (true) or do not require (false) an essay' })),
  includeExpired: Type.Optional(Type.Boolean({ default: false, description: 'also listings whose deadline has passed' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'items per page (1 to 100)' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'the `nextCursor` of the previous page, with the same query and sort' })),
  e2e: Type.Optional(Type.String({ maxLength: 8, description: '`1` marks test traffic (excluded from analytics, R-OPS-6)' })),
};

const Sort = Type.Union([Type.Literal('relevance'), Type.Literal('deadline'), Type.Literal('amount'), Type.Literal('newest')], {
  description: 'relevance (when there is a query), deadline (soonest first), amount (largest first) or newest',
});

export const ListQuery = Type.Object({
  ...DiscoveryFilters,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'words to look for (web search syntax: "exact phrase", -exclude, or)' })),
  sort: Type.Optional(Sort),
});

export const SearchQuery = Type.Object({
  ...DiscoveryFilters,
  q: Type.String({ minLength: 1, maxLength: 200, description: 'words to look for (web search syntax: "exact phrase", -exclude, or); typos are corrected when nothing matches' }),
  sort: Type.Optional(Sort),
});

export type SortName = 'relevance' | 'deadline' | 'amount' | 'newest';

export interface Discovery {
  q?: string | undefined;
  sort?: SortName | undefined;
  minAmount?: number | undefined;
  maxAmount?: number | undefined;
  deadlineFrom?: string | undefined;
  deadlineTo?: string | undefined;
  state?: string | undefined;
  level?: string | undefined;
  field?: string | undefined;
  gpa?: number | undefined;
  renewable?: boolean | undefined;
  essay?: boolean | undefined;
  includeExpired?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

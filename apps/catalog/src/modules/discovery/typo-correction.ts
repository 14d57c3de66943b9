import type { Sql } from 'postgres';

/** Words shorter than this are left alone: trigrams of a 3-letter word match too much. */
const MIN_WORD = 4;
const MAX_WORDS = 8;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * "Did you mean" (R-CAT-1): each plain word of the query that appears in no
 * listing is replaced by the listing word most similar to it by trigrams
 * (pg_trgm `%` on search_words, GIN-indexed), so `nursng` becomes `nursing`.
 * Phrases, exclusions and `or` keep their syntax. Undefined when nothing
 * would change.
 */
export async function correctQuery(sql: Sql, query: string): Promise<string | undefined> {
  const words = [...new Set([...query.matchAll(WORD)].map((match) => match[0].toLowerCase()))]
    .filter((word) => word.length >= MIN_WORD && word !== 'or')
    .slice(0, MAX_WORDS);
  if (words.length === 0) return undefined;
  const rows = await sql<Array<{ word: string; suggestion: string | null }>>`
    select t.word, (
      select w.word from catalog.search_words w
      where w.word operator(catalog.%) n.normal
      order by catalog.similarity(w.word, n.normal) desc, w.word
      limit 1) as suggestion
    from unnest(${words}::text[]) as t(word)
    cross join lateral (select lower(catalog.unaccent('catalog.unaccent'::regdictionary, t.word)) as normal) n
    where not exists (select 1 from catalog.search_words w where w.word = n.normal)`;
  const replacements = new Map(rows.filter((row) => row.suggestion !== null).map((row) => [row.word, row.suggestion!]));
  if (replacements.size === 0) return undefined;
  return query.replace(WORD, (word) => replacements.get(word.toLowerCase()) ?? word);
}

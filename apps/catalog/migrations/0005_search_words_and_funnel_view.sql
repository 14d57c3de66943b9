-- Typo tolerance (R-CAT-1): every word of every listing lands in
-- search_words, unaccented and lower-case, whatever writes the listing (the
-- provider API, the seeder's COPY). Statement-level triggers with transition
-- tables do it once per statement, not once per row, so a 100,000-row COPY
-- costs one INSERT … SELECT. Words are inserted in sorted order so that two
-- concurrent writers never lock the same words in opposite orders.
CREATE FUNCTION "catalog"."collect_search_words"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "catalog"."search_words" (word)
  SELECT DISTINCT w
  FROM new_rows,
       regexp_split_to_table(
         lower("catalog".unaccent('catalog.unaccent'::regdictionary,
           new_rows.title || ' ' || new_rows.summary || ' ' || new_rows.description || ' ' || new_rows.keywords)),
         '[^a-z0-9]+') AS w
  WHERE length(w) BETWEEN 3 AND 40 AND w ~ '[a-z]'
  ORDER BY w
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "scholarships_words_on_insert" AFTER INSERT ON "catalog"."scholarships"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."collect_search_words"();
--> statement-breakpoint
CREATE TRIGGER "scholarships_words_on_update" AFTER UPDATE ON "catalog"."scholarships"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."collect_search_words"();
--> statement-breakpoint
-- R-OPS-6: what analytics reads. Test traffic (?e2e=1, x-bursary-test) is
-- recorded with test = true for debugging and never counted here.
CREATE VIEW "catalog"."funnel_analytics" AS
  SELECT id, type, occurred_at, user_id, scholarship_id, query, result_count, source
  FROM "catalog"."funnel_events"
  WHERE NOT test;

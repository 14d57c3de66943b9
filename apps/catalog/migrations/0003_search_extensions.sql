-- Full-text search needs two contrib extensions (R-CAT-1). Migrations run as
-- the database owner (packages/db migrateService), the service role never
-- creates anything. They live in the catalog schema: the only schema on the
-- service role's search_path, and no other service needs them.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA "catalog";
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA "catalog";
--> statement-breakpoint
-- English stemming behind unaccent: "José" and "jose" are one word, as are
-- "nurses" and "nursing". Referenced by the generated search_vector column.
CREATE TEXT SEARCH CONFIGURATION "catalog"."bursary_en" (COPY = pg_catalog.english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "catalog"."bursary_en"
  ALTER MAPPING FOR hword, hword_part, word, asciihword, asciiword, hword_asciipart
  WITH "catalog"."unaccent", pg_catalog.english_stem;

-- Search reads many rows but few columns of each (R-CAT-5): the id, the
-- small headline vector (first-stage rank), the facet keys, filter and sort
-- columns. The long texts and the full search vector move out of line (TOAST,
-- uncompressed), so a result set of thousands of rows touches half the heap
-- pages and the heap stays in shared buffers. The full vector is read only for
-- the few best candidates (ts_rank) and phrase rechecks; the GIN index needs
-- no heap copy of it. Applies to rows written from now on (a reseed, or
-- VACUUM FULL after an update, rewrites older ones).
ALTER TABLE "catalog"."scholarships" SET (toast_tuple_target = 256);
--> statement-breakpoint
ALTER TABLE "catalog"."scholarships"
  ALTER COLUMN "description" SET STORAGE EXTERNAL,
  ALTER COLUMN "summary" SET STORAGE EXTERNAL,
  ALTER COLUMN "keywords" SET STORAGE EXTERNAL,
  ALTER COLUMN "search_vector" SET STORAGE EXTERNAL,
  ALTER COLUMN "headline_vector" SET STORAGE MAIN,
  ALTER COLUMN "facet_keys" SET STORAGE MAIN;

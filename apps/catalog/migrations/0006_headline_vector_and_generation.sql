CREATE TABLE "catalog"."listing_generation" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "listing_generation_single_row_check" CHECK ("catalog"."listing_generation"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "headline_vector" "tsvector" GENERATED ALWAYS AS (
  setweight(to_tsvector('catalog.bursary_en'::regconfig, title), 'A') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, summary), 'B')) STORED NOT NULL;
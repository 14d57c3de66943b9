-- Search-result caches (R-CAT-5) are dropped when this counter moves. It is a
-- row, not a sequence, so the new value becomes visible exactly when the
-- change it announces commits: an instance never caches pre-change results
-- under the post-change generation.
INSERT INTO "catalog"."listing_generation" (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
CREATE FUNCTION "catalog"."bump_listing_generation"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "catalog"."listing_generation" SET value = value + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "scholarships_bump_generation" AFTER INSERT OR UPDATE OR DELETE ON "catalog"."scholarships"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."bump_listing_generation"();
--> statement-breakpoint
CREATE TRIGGER "provider_orgs_bump_generation" AFTER INSERT OR UPDATE OR DELETE ON "catalog"."provider_orgs"
  FOR EACH STATEMENT EXECUTE FUNCTION "catalog"."bump_listing_generation"();

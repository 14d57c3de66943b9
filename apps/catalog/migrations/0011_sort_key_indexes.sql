DROP INDEX "catalog"."scholarships_published_deadline_idx";--> statement-breakpoint
DROP INDEX "catalog"."scholarships_published_amount_idx";--> statement-breakpoint
DROP INDEX "catalog"."scholarships_published_newest_idx";--> statement-breakpoint
CREATE INDEX "scholarships_published_deadline_key_idx" ON "catalog"."scholarships" USING btree (coalesce("deadline", 'infinity'::date),"id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_amount_key_idx" ON "catalog"."scholarships" USING btree (coalesce("award_max_minor", -1),"id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_newest_idx" ON "catalog"."scholarships" USING btree ("published_at","id") WHERE status = 'published';
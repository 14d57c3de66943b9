ALTER TABLE "catalog"."scholarships" ALTER COLUMN "provider_org_id" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" DROP COLUMN "amount_minor";
CREATE TABLE "catalog"."applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"scholarship_id" uuid NOT NULL,
	"status" text DEFAULT 'started' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "applications_status_check" CHECK ("catalog"."applications"."status" in ('started', 'submitted', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "catalog"."funnel_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "catalog"."funnel_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" text,
	"scholarship_id" uuid,
	"query" text,
	"result_count" integer,
	"source" text NOT NULL,
	"test" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."provider_orgs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."shortlist_items" (
	"user_id" text NOT NULL,
	"scholarship_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shortlist_items_user_id_scholarship_id_pk" PRIMARY KEY("user_id","scholarship_id")
);
--> statement-breakpoint
CREATE TABLE "catalog"."student_profiles" (
	"user_id" text PRIMARY KEY NOT NULL,
	"gpa" numeric(3, 2),
	"education_level" text,
	"fields_of_study" text[],
	"state" text,
	"citizenship" text,
	"demographic_tags" text[],
	"financial_need" boolean,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ALTER COLUMN "currency" SET DEFAULT 'USD';--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "summary" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "keywords" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "award_min_minor" integer;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "award_max_minor" integer;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "awards_count" integer;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "renewable" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "essay_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "application_url" text;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "min_gpa" numeric(3, 2);--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "education_levels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "fields_of_study" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "states" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "citizenship" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "demographic_tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "need_based" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "merit_based" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (
  setweight(to_tsvector('catalog.bursary_en'::regconfig, title), 'A') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, summary), 'B') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, description), 'C') ||
  setweight(to_tsvector('catalog.bursary_en'::regconfig, keywords), 'D')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."applications" ADD CONSTRAINT "applications_scholarship_id_scholarships_id_fk" FOREIGN KEY ("scholarship_id") REFERENCES "catalog"."scholarships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."shortlist_items" ADD CONSTRAINT "shortlist_items_scholarship_id_scholarships_id_fk" FOREIGN KEY ("scholarship_id") REFERENCES "catalog"."scholarships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_user_scholarship_idx" ON "catalog"."applications" USING btree ("user_id","scholarship_id");--> statement-breakpoint
CREATE INDEX "applications_user_idx" ON "catalog"."applications" USING btree ("user_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "funnel_events_occurred_idx" ON "catalog"."funnel_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "catalog"."search_words" USING gin ("word" catalog.gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "shortlist_items_user_idx" ON "catalog"."shortlist_items" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD CONSTRAINT "scholarships_provider_org_id_provider_orgs_id_fk" FOREIGN KEY ("provider_org_id") REFERENCES "catalog"."provider_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scholarships_search_idx" ON "catalog"."scholarships" USING gin ("search_vector") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_deadline_idx" ON "catalog"."scholarships" USING btree ("deadline","id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_amount_idx" ON "catalog"."scholarships" USING btree ("award_max_minor" DESC NULLS LAST,"id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_newest_idx" ON "catalog"."scholarships" USING btree ("published_at" DESC NULLS LAST,"id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_fields_idx" ON "catalog"."scholarships" USING gin ("fields_of_study") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_published_tags_idx" ON "catalog"."scholarships" USING gin ("demographic_tags") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "scholarships_provider_idx" ON "catalog"."scholarships" USING btree ("provider_org_id","created_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD CONSTRAINT "scholarships_status_check" CHECK ("catalog"."scholarships"."status" in ('draft', 'published', 'closed'));--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD CONSTRAINT "scholarships_award_range_check" CHECK ("catalog"."scholarships"."award_min_minor" is null or "catalog"."scholarships"."award_max_minor" is null or "catalog"."scholarships"."award_min_minor" <= "catalog"."scholarships"."award_max_minor");--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD CONSTRAINT "scholarships_award_positive_check" CHECK (coalesce("catalog"."scholarships"."award_min_minor", 0) >= 0 and coalesce("catalog"."scholarships"."award_max_minor", 0) >= 0);--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD CONSTRAINT "scholarships_currency_check" CHECK ("catalog"."scholarships"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "catalog"."scholarships" ADD CONSTRAINT "scholarships_min_gpa_check" CHECK ("catalog"."scholarships"."min_gpa" is null or ("catalog"."scholarships"."min_gpa" >= 0 and "catalog"."scholarships"."min_gpa" <= 5));
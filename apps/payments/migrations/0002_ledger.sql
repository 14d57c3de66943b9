CREATE TABLE "payments"."idempotency_keys" (
	"principal" text NOT NULL,
	"operation" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"state" text DEFAULT 'in_flight' NOT NULL,
	"recovery_point" text DEFAULT 'started' NOT NULL,
	"resource_id" uuid,
	"locked_until" timestamp with time zone NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("principal","operation","key"),
	CONSTRAINT "idempotency_keys_state_check" CHECK ("payments"."idempotency_keys"."state" in ('in_flight', 'completed')),
	CONSTRAINT "idempotency_keys_completed_check" CHECK ("payments"."idempotency_keys"."state" = 'in_flight' or ("payments"."idempotency_keys"."response_status" is not null and "payments"."idempotency_keys"."response_body" is not null))
);
--> statement-breakpoint
CREATE TABLE "payments"."journal_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payments"."journal_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" uuid NOT NULL,
	"account" text NOT NULL,
	"currency" text NOT NULL,
	"direction" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "journal_entries_direction_check" CHECK ("payments"."journal_entries"."direction" in ('debit', 'credit')),
	CONSTRAINT "journal_entries_amount_check" CHECK ("payments"."journal_entries"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."journal_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_key" text NOT NULL,
	"kind" text NOT NULL,
	"reverses_id" uuid,
	"description" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_txid" bigint DEFAULT txid_current() NOT NULL,
	CONSTRAINT "journal_transactions_source_key_key" UNIQUE("source_key"),
	CONSTRAINT "journal_transactions_kind_check" CHECK ("payments"."journal_transactions"."kind" in ('purchase', 'refund', 'payout', 'correction'))
);
--> statement-breakpoint
CREATE TABLE "payments"."ledger_balances" (
	"account" text NOT NULL,
	"currency" text NOT NULL,
	"debits_minor" bigint DEFAULT 0 NOT NULL,
	"credits_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ledger_balances_pkey" PRIMARY KEY("account","currency")
);
--> statement-breakpoint
CREATE TABLE "payments"."payouts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider_org" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"requested_by" text NOT NULL,
	"reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_amount_check" CHECK ("payments"."payouts"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "payments"."psp_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"psp_created_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments"."purchases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"package_id" text NOT NULL,
	"credits" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"provider_org" text,
	"platform_fee_minor" bigint DEFAULT 0 NOT NULL,
	"payment_method" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"psp_payment_intent_id" text,
	"failure_code" text,
	"lease_until" timestamp with time zone NOT NULL,
	"recovery_attempts" integer DEFAULT 0 NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"refund_settled_minor" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "purchases_psp_payment_intent_id_key" UNIQUE("psp_payment_intent_id"),
	CONSTRAINT "purchases_status_check" CHECK ("payments"."purchases"."status" in ('created', 'succeeded', 'failed', 'canceled')),
	CONSTRAINT "purchases_amount_check" CHECK ("payments"."purchases"."amount_minor" > 0 and "payments"."purchases"."credits" > 0 and "payments"."purchases"."platform_fee_minor" between 0 and "payments"."purchases"."amount_minor"),
	CONSTRAINT "purchases_refunded_check" CHECK ("payments"."purchases"."refund_settled_minor" >= 0 and "payments"."purchases"."refund_settled_minor" <= "payments"."purchases"."refunded_minor" and "payments"."purchases"."refunded_minor" <= "payments"."purchases"."amount_minor")
);
--> statement-breakpoint
CREATE TABLE "payments"."reconciliation_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"matched" integer NOT NULL,
	"missing_here" integer NOT NULL,
	"missing_at_psp" integer NOT NULL,
	"amount_mismatch" integer NOT NULL,
	"duplicates" integer NOT NULL,
	"match_ratio" double precision NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"purchase_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"credits_reversed" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"psp_refund_id" text,
	"failure_code" text,
	"requested_by" text NOT NULL,
	"reason" text,
	"lease_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "refunds_psp_refund_id_key" UNIQUE("psp_refund_id"),
	CONSTRAINT "refunds_status_check" CHECK ("payments"."refunds"."status" in ('pending', 'succeeded', 'failed')),
	CONSTRAINT "refunds_amount_check" CHECK ("payments"."refunds"."amount_minor" > 0 and "payments"."refunds"."credits_reversed" >= 0)
);
--> statement-breakpoint
ALTER TABLE "payments"."credit_packages" ADD COLUMN "provider_org" text;--> statement-breakpoint
ALTER TABLE "payments"."journal_entries" ADD CONSTRAINT "journal_entries_transaction_id_journal_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "payments"."journal_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."purchases" ADD CONSTRAINT "purchases_package_id_credit_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "payments"."credit_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments"."refunds" ADD CONSTRAINT "refunds_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "payments"."purchases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_at_idx" ON "payments"."idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "journal_entries_transaction_idx" ON "payments"."journal_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "journal_entries_account_idx" ON "payments"."journal_entries" USING btree ("account","currency");--> statement-breakpoint
CREATE INDEX "payouts_provider_idx" ON "payments"."payouts" USING btree ("provider_org","created_at");--> statement-breakpoint
CREATE INDEX "purchases_user_idx" ON "payments"."purchases" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "purchases_in_flight_idx" ON "payments"."purchases" USING btree ("lease_until") WHERE status = 'created';--> statement-breakpoint
CREATE INDEX "refunds_purchase_idx" ON "payments"."refunds" USING btree ("purchase_id");--> statement-breakpoint
CREATE INDEX "refunds_pending_idx" ON "payments"."refunds" USING btree ("lease_until") WHERE status = 'pending';
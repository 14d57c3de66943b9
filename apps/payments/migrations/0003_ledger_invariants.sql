-- The ledger's invariants, enforced by the database itself (R-PAY-3, docs/adr/0004):
-- whatever the application does, the service role can only append balanced
-- journal transactions, can never edit or remove one, and no balance can
-- cross zero. Hand-written: drizzle-kit does not generate triggers or grants.

-- Every account belongs to a kind with a normal side: the side whose total must
-- never be smaller than the other (an asset never goes negative, nor does a
-- liability such as a student's credits or a provider's payable).
CREATE FUNCTION "payments"."ledger_normal_side"(account text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE split_part(account, ':', 1)
    WHEN 'psp_clearing' THEN 'debit'          -- money held at the PSP for us
    WHEN 'credits_issued' THEN 'debit'        -- contra account of every credit granted
    WHEN 'platform_revenue' THEN 'credit'     -- sales of the platform's own packages
    WHEN 'platform_fee_revenue' THEN 'credit' -- the 3% fee on provider payments
    WHEN 'provider_payable' THEN 'credit'     -- provider_payable:<org>, owed to a provider
    WHEN 'student_credits' THEN 'credit'      -- student_credits:<user>, credits a student holds
  END
$$;
--> statement-breakpoint
ALTER TABLE "payments"."journal_entries" ADD CONSTRAINT "journal_entries_account_check"
  CHECK ("payments"."ledger_normal_side"("account") IS NOT NULL
    AND ("account" NOT LIKE '%:%' OR split_part("account", ':', 2) <> ''));
--> statement-breakpoint
ALTER TABLE "payments"."journal_entries" ADD CONSTRAINT "journal_entries_currency_check"
  CHECK ("currency" ~ '^[A-Z]{3}$' OR "currency" = 'CREDIT');
--> statement-breakpoint
ALTER TABLE "payments"."ledger_balances" ADD CONSTRAINT "ledger_balances_never_negative"
  CHECK (CASE "payments"."ledger_normal_side"("account")
           WHEN 'debit' THEN "debits_minor" >= "credits_minor"
           ELSE "credits_minor" >= "debits_minor" END);
--> statement-breakpoint

-- Append-only: a row trigger refuses UPDATE and DELETE, a statement trigger
-- refuses TRUNCATE, whoever asks (even the owner must drop the trigger first).
CREATE FUNCTION "payments"."ledger_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'payments.% is append-only: % refused (post a reversing transaction instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'P0001', HINT = 'R-PAY-3';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "journal_transactions_append_only" BEFORE UPDATE OR DELETE ON "payments"."journal_transactions"
  FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "journal_transactions_no_truncate" BEFORE TRUNCATE ON "payments"."journal_transactions"
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "journal_entries_append_only" BEFORE UPDATE OR DELETE ON "payments"."journal_entries"
  FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "journal_entries_no_truncate" BEFORE TRUNCATE ON "payments"."journal_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "ledger_balances_no_truncate" BEFORE TRUNCATE ON "payments"."ledger_balances"
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."ledger_refuse_change"();
--> statement-breakpoint

-- Entries join a journal transaction only in the database transaction that
-- created it: a posted transaction can never gain a leg later.
CREATE FUNCTION "payments"."ledger_entry_same_transaction"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "payments"."journal_transactions"
    WHERE id = NEW.transaction_id AND created_txid = txid_current()
  ) THEN
    RAISE EXCEPTION 'journal transaction % is already posted: entries cannot be added to it', NEW.transaction_id
      USING ERRCODE = 'P0001', HINT = 'R-PAY-3';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "journal_entries_same_transaction" BEFORE INSERT ON "payments"."journal_entries"
  FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_entry_same_transaction"();
--> statement-breakpoint

-- Σ debits = Σ credits per currency in every journal transaction, checked at
-- COMMIT (deferred), once all of its legs are in; at least two legs.
CREATE FUNCTION "payments"."ledger_check_balanced"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  tx uuid;
  legs integer;
  unbalanced text;
BEGIN
  IF TG_TABLE_NAME = 'journal_entries' THEN
    tx := NEW.transaction_id;
  ELSE
    tx := NEW.id;
  END IF;
  SELECT count(*) INTO legs FROM "payments"."journal_entries" WHERE transaction_id = tx;
  IF legs < 2 THEN
    RAISE EXCEPTION 'journal transaction % has % entries: at least two are required', tx, legs
      USING ERRCODE = '23514', HINT = 'R-PAY-3';
  END IF;
  SELECT string_agg(currency, ', ') INTO unbalanced FROM (
    SELECT currency FROM "payments"."journal_entries" WHERE transaction_id = tx
    GROUP BY currency
    HAVING sum(CASE direction WHEN 'debit' THEN amount_minor ELSE -amount_minor END) <> 0
  ) AS off;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'journal transaction % does not balance in %', tx, unbalanced
      USING ERRCODE = '23514', HINT = 'R-PAY-3';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "journal_entries_balanced" AFTER INSERT ON "payments"."journal_entries"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_check_balanced"();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "journal_transactions_balanced" AFTER INSERT ON "payments"."journal_transactions"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_check_balanced"();
--> statement-breakpoint

-- Running balances follow the entries. SECURITY DEFINER: the service role may
-- read balances but never write them, so they cannot be made to disagree with
-- the journal. The CHECK above makes any leg that would take a balance below
-- zero fail its whole transaction.
CREATE FUNCTION "payments"."ledger_apply_entry"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- Insert-if-missing, then update: an INSERT … ON CONFLICT would check the
  -- CHECK against the would-be new row (one leg alone) before the conflict.
  INSERT INTO "payments"."ledger_balances" (account, currency) VALUES (NEW.account, NEW.currency)
  ON CONFLICT (account, currency) DO NOTHING;
  UPDATE "payments"."ledger_balances" SET
    debits_minor = debits_minor + CASE NEW.direction WHEN 'debit' THEN NEW.amount_minor ELSE 0 END,
    credits_minor = credits_minor + CASE NEW.direction WHEN 'credit' THEN NEW.amount_minor ELSE 0 END
  WHERE account = NEW.account AND currency = NEW.currency;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "journal_entries_apply_balance" AFTER INSERT ON "payments"."journal_entries"
  FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_apply_entry"();
--> statement-breakpoint

-- A purchase's money facts are written once; its status only moves forward
-- (created → succeeded | failed | canceled).
CREATE FUNCTION "payments"."purchase_forward_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.user_id <> OLD.user_id OR NEW.amount_minor <> OLD.amount_minor
     OR NEW.currency <> OLD.currency OR NEW.credits <> OLD.credits OR NEW.platform_fee_minor <> OLD.platform_fee_minor
     OR NEW.provider_org IS DISTINCT FROM OLD.provider_org THEN
    RAISE EXCEPTION 'purchase %: amount, currency, credits and owner are immutable', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'created' AND NEW.status <> OLD.status THEN
    RAISE EXCEPTION 'purchase %: % is terminal (refused: %)', OLD.id, OLD.status, NEW.status USING ERRCODE = 'P0001';
  END IF;
  IF OLD.psp_payment_intent_id IS NOT NULL AND NEW.psp_payment_intent_id IS DISTINCT FROM OLD.psp_payment_intent_id THEN
    RAISE EXCEPTION 'purchase %: the PSP payment is already recorded', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "purchases_forward_only" BEFORE UPDATE ON "payments"."purchases"
  FOR EACH ROW EXECUTE FUNCTION "payments"."purchase_forward_only"();
--> statement-breakpoint
CREATE FUNCTION "payments"."refund_forward_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.purchase_id <> OLD.purchase_id OR NEW.amount_minor <> OLD.amount_minor OR NEW.currency <> OLD.currency THEN
    RAISE EXCEPTION 'refund %: amount, currency and purchase are immutable', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'pending' AND (NEW.status <> OLD.status OR NEW.credits_reversed <> OLD.credits_reversed) THEN
    RAISE EXCEPTION 'refund %: % is terminal', OLD.id, OLD.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "refunds_forward_only" BEFORE UPDATE ON "payments"."refunds"
  FOR EACH ROW EXECUTE FUNCTION "payments"."refund_forward_only"();
--> statement-breakpoint
CREATE TRIGGER "purchases_no_delete" BEFORE DELETE OR TRUNCATE ON "payments"."purchases"
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."ledger_refuse_change"();
--> statement-breakpoint

-- Privileges: whichever role the migrate command granted table rights to (the
-- service role, by default privileges) may only read and append the ledger,
-- only read balances, and never remove money facts.
DO $$
DECLARE
  grantee_role text;
BEGIN
  FOR grantee_role IN
    SELECT DISTINCT grantee FROM information_schema.role_table_grants
    WHERE table_schema = 'payments' AND grantee <> current_user AND grantee <> 'PUBLIC'
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON "payments"."journal_transactions", "payments"."journal_entries" FROM %I', grantee_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "payments"."ledger_balances" FROM %I', grantee_role);
    EXECUTE format('REVOKE DELETE, TRUNCATE ON "payments"."purchases", "payments"."refunds", "payments"."payouts", "payments"."psp_events" FROM %I', grantee_role);
    EXECUTE format('REVOKE UPDATE ON "payments"."payouts", "payments"."reconciliation_runs" FROM %I', grantee_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "payments"."credit_packages" FROM %I', grantee_role);
  END LOOP;
END
$$;
--> statement-breakpoint

-- The platform's own packages (reference data; prices in cents).
INSERT INTO "payments"."credit_packages" ("id", "name", "credits", "price_minor", "currency") VALUES
  ('starter', 'Starter: 10 credits', 10, 999, 'EUR'),
  ('standard', 'Standard: 25 credits', 25, 1999, 'EUR'),
  ('premium', 'Premium: 60 credits', 60, 3999, 'EUR')
ON CONFLICT ("id") DO NOTHING;

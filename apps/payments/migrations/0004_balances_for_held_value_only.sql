-- Running balances only for the accounts that hold someone else's value and
-- must never go negative: a student's credits and a provider's payable (the
-- CHECK of migration 0003 guards them). The platform's own accounts
-- (clearing, revenue, issued credits) are touched by every purchase: a
-- running row for them, locked by each posting until its commit, serialised
-- all purchases behind one row. Their balances are sums over the journal,
-- which reconciliation checks (Σ debits = Σ credits).
DROP TRIGGER "journal_entries_apply_balance" ON "payments"."journal_entries";
--> statement-breakpoint
CREATE TRIGGER "journal_entries_apply_balance" AFTER INSERT ON "payments"."journal_entries"
  FOR EACH ROW WHEN (split_part(NEW.account, ':', 1) IN ('student_credits', 'provider_payable'))
  EXECUTE FUNCTION "payments"."ledger_apply_entry"();
--> statement-breakpoint
-- Rows written before this migration for the platform's accounts would no longer follow the journal.
DELETE FROM "payments"."ledger_balances" WHERE split_part("account", ':', 1) NOT IN ('student_credits', 'provider_payable');

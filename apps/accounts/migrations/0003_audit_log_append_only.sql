-- R-ID-3: the audit log is append-only for the service role. Two locks, so
-- that neither a stray grant nor a bug in the service opens it:
--   1. privileges: the role keeps SELECT and INSERT only (the schema's default
--      privileges also granted UPDATE and DELETE at creation; TRUNCATE needs
--      ownership, which the role never has: ADR 0002);
--   2. a statement trigger refuses UPDATE, DELETE and TRUNCATE for everyone,
--      the owner included, even when they touch no row.
REVOKE UPDATE, DELETE, TRUNCATE ON "accounts"."audit_log" FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE
  grantee_name text;
BEGIN
  -- The service role's name comes from its DATABASE_URL, so it is looked up, not spelled here.
  FOR grantee_name IN
    SELECT DISTINCT r.rolname
    FROM pg_class c
    CROSS JOIN LATERAL aclexplode(c.relacl) a
    JOIN pg_roles r ON r.oid = a.grantee
    WHERE c.oid = '"accounts"."audit_log"'::regclass
      AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
      AND r.rolname <> current_user
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON "accounts"."audit_log" FROM %I', grantee_name);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION "accounts"."audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'accounts.audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "accounts"."audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "accounts"."audit_log_append_only"();

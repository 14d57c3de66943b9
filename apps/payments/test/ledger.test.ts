import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@bursary/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The ledger's invariants live in the database (migration 0003), so they are
// tested against it directly, as the service role and as the owner.
describe('the ledger refuses tampering', () => {
  let database: TestDatabase;
  let service: postgres.Sql;
  let owner: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase();
    service = postgres(database.urlFor('payments'), { max: 1, onnotice: () => undefined });
    owner = postgres(database.adminUrl, { max: 1, onnotice: () => undefined });
  });
  afterAll(async () => {
    await service?.end();
    await owner?.end();
    await database?.drop();
  });

  /** One journal transaction posted by the service role, as the application posts them. */
  async function post(legs: Array<[string, string, 'debit' | 'credit', number]>, sql: postgres.Sql = service): Promise<string> {
    const id = randomUUID();
    await sql.begin(async (tx) => {
      await tx`insert into payments.journal_transactions (id, source_key, kind, description) values (${id}, ${`test:${id}`}, 'correction', 'test')`;
      for (const [account, currency, direction, amount] of legs) {
        await tx`insert into payments.journal_entries (transaction_id, account, currency, direction, amount_minor) values (${id}, ${account}, ${currency}, ${direction}, ${amount})`;
      }
    });
    return id;
  }

  const capture = (user = randomUUID()) => post([['psp_clearing', 'EUR', 'debit', 1000], ['platform_revenue', 'EUR', 'credit', 1000], ['credits_issued', 'CREDIT', 'debit', 10], [`student_credits:${user}`, 'CREDIT', 'credit', 10]]);

  it('R-PAY-3: a balanced journal transaction posts and moves the balances', async () => {
    const user = randomUUID();
    await capture(user);
    const [balance] = await service`select credits_minor - debits_minor as held from payments.ledger_balances where account = ${`student_credits:${user}`}`;
    expect(Number(balance!['held'])).toBe(10);
  });

  it('R-PAY-3: UPDATE, DELETE and TRUNCATE of the journal are refused to the service role', async () => {
    const id = await capture();
    await expect(service`update payments.journal_entries set amount_minor = 1 where transaction_id = ${id}`).rejects.toMatchObject({ code: '42501' });
    await expect(service`delete from payments.journal_entries where transaction_id = ${id}`).rejects.toMatchObject({ code: '42501' });
    await expect(service`update payments.journal_transactions set description = 'x' where id = ${id}`).rejects.toMatchObject({ code: '42501' });
    await expect(service`delete from payments.journal_transactions where id = ${id}`).rejects.toMatchObject({ code: '42501' });
    await expect(service`truncate payments.journal_entries`).rejects.toMatchObject({ code: '42501' });
    await expect(service`update payments.ledger_balances set credits_minor = 0`).rejects.toMatchObject({ code: '42501' });
    await expect(service`insert into payments.ledger_balances (account, currency, credits_minor) values ('student_credits:x', 'CREDIT', 100)`).rejects.toMatchObject({ code: '42501' });
    await expect(service`delete from payments.purchases`).rejects.toMatchObject({ code: '42501' });
  });

  it('R-PAY-3: even the owner cannot edit, delete or truncate posted entries (row and TRUNCATE triggers)', async () => {
    const id = await capture();
    await expect(owner`update payments.journal_entries set amount_minor = 1 where transaction_id = ${id}`).rejects.toThrow(/append-only/);
    await expect(owner`delete from payments.journal_transactions where id = ${id}`).rejects.toThrow(/append-only/);
    await expect(owner`truncate payments.journal_entries, payments.journal_transactions cascade`).rejects.toThrow(/append-only/);
  });

  it('R-PAY-3: an unbalanced journal transaction is refused at commit', async () => {
    await expect(post([['psp_clearing', 'EUR', 'debit', 1000], ['platform_revenue', 'EUR', 'credit', 999]])).rejects.toThrow(/does not balance/);
    // Balanced in total but not per currency.
    await expect(post([['psp_clearing', 'EUR', 'debit', 10], ['platform_revenue', 'USD', 'credit', 10]])).rejects.toThrow(/does not balance/);
    await expect(post([['psp_clearing', 'EUR', 'debit', 10]])).rejects.toThrow(/at least two/);
  });

  it('R-PAY-3: a posted journal transaction can never gain a leg later', async () => {
    const id = await capture();
    await expect(service`insert into payments.journal_entries (transaction_id, account, currency, direction, amount_minor) values (${id}, 'psp_clearing', 'EUR', 'debit', 5)`).rejects.toThrow(
      /already posted/,
    );
  });

  it('R-PAY-3: no balance can go negative: taking back more credits than a student holds is refused', async () => {
    const user = randomUUID();
    await capture(user);
    await expect(post([[`student_credits:${user}`, 'CREDIT', 'debit', 11], ['credits_issued', 'CREDIT', 'credit', 11]])).rejects.toMatchObject({ code: '23514' });
    await post([[`student_credits:${user}`, 'CREDIT', 'debit', 10], ['credits_issued', 'CREDIT', 'credit', 10]]);
  });

  it('R-PAY-3: unknown account kinds and malformed currencies are refused', async () => {
    await expect(post([['cash', 'EUR', 'debit', 1], ['platform_revenue', 'EUR', 'credit', 1]])).rejects.toMatchObject({ code: '23514' });
    await expect(post([['psp_clearing', 'eur', 'debit', 1], ['platform_revenue', 'eur', 'credit', 1]])).rejects.toMatchObject({ code: '23514' });
  });

  it('R-PAY-3: a purchase never moves back from a terminal state, nor changes its amount', async () => {
    const id = randomUUID();
    await owner`insert into payments.purchases (id, user_id, package_id, credits, amount_minor, currency, payment_method, status, lease_until) values (${id}, ${randomUUID()}, 'starter', 10, 999, 'EUR', 'pm_card_visa', 'succeeded', now())`;
    await expect(service`update payments.purchases set status = 'created' where id = ${id}`).rejects.toThrow(/terminal/);
    await expect(service`update payments.purchases set amount_minor = 1 where id = ${id}`).rejects.toThrow(/immutable/);
  });
});

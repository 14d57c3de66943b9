/**
 * The chart of accounts (docs/adr/0004). Each kind has a normal side that the
 * database enforces (migration 0003, `ledger_normal_side`): no balance ever
 * crosses zero.
 */
export const LedgerAccount = {
  /** Asset: money the PSP holds for us (debit on capture, credit on refund and payout). */
  pspClearing: 'psp_clearing',
  /** Contra account of every credit granted (debit on grant, credit on reversal). */
  creditsIssued: 'credits_issued',
  /** Income from the platform's own packages. */
  platformRevenue: 'platform_revenue',
  /** Income: the platform fee on provider payments. */
  platformFeeRevenue: 'platform_fee_revenue',
  /** Liability: what the platform owes a provider organization. */
  providerPayable: (providerOrg: string) => `provider_payable:${providerOrg}`,
  /** Liability in credits: what a student holds. */
  studentCredits: (userId: string) => `student_credits:${userId}`,
} as const;

/** The ledger's unit for credits (deliberately not an ISO 4217 code). */
export const CREDIT_UNIT = 'CREDIT';

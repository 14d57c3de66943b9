import type { CardDetails } from '../state/objects.js';

/** How a test card behaves when a PaymentIntent is confirmed with it. */
export type CardOutcome =
  | { kind: 'success' }
  | { kind: 'decline'; code: string; declineCode?: string; message: string }
  | { kind: 'requires_action' };

interface TestCard {
  card: CardDetails;
  outcome: CardOutcome;
}

const card = (brand: string, last4: string, funding = 'credit', country = 'US'): CardDetails => ({ brand, country, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding, last4 });
const ok = (details: CardDetails): TestCard => ({ card: details, outcome: { kind: 'success' } });
const declined = (last4: string, code: string, message: string, declineCode?: string): TestCard => ({
  card: card('visa', last4),
  outcome: { kind: 'decline', code, message, ...(declineCode ? { declineCode } : {}) },
});

/**
 * Stripe's test PaymentMethod tokens (docs.stripe.com/testing): the success
 * cards and the decline cards, each failing with Stripe's code, decline code
 * and message.
 */
const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: ok(card('visa', '4242')),
  pm_card_visa_debit: ok(card('visa', '5556', 'debit')),
  pm_card_mastercard: ok(card('mastercard', '4444')),
  pm_card_mastercard_debit: ok(card('mastercard', '8210', 'debit')),
  pm_card_mastercard_prepaid: ok(card('mastercard', '5100', 'prepaid')),
  pm_card_amex: ok(card('amex', '8431')),
  pm_card_discover: ok(card('discover', '1117')),
  pm_card_diners: ok(card('diners', '0004')),
  pm_card_jcb: ok(card('jcb', '0000')),
  pm_card_unionpay: ok(card('unionpay', '0005')),
  pm_card_us: ok(card('visa', '4242')),
  pm_card_gb: ok(card('visa', '0002', 'credit', 'GB')),
  pm_card_de: ok(card('visa', '0000', 'credit', 'DE')),
  pm_card_fr: ok(card('visa', '0003', 'credit', 'FR')),
  pm_card_chargeDeclined: declined('0002', 'card_declined', 'Your card was declined.', 'generic_decline'),
  pm_card_visa_chargeDeclined: declined('0002', 'card_declined', 'Your card was declined.', 'generic_decline'),
  pm_card_chargeDeclinedInsufficientFunds: declined('9995', 'card_declined', 'Your card has insufficient funds.', 'insufficient_funds'),
  pm_card_visa_chargeDeclinedInsufficientFunds: declined('9995', 'card_declined', 'Your card has insufficient funds.', 'insufficient_funds'),
  pm_card_chargeDeclinedLostCard: declined('9987', 'card_declined', 'Your card was declined.', 'lost_card'),
  pm_card_visa_chargeDeclinedLostCard: declined('9987', 'card_declined', 'Your card was declined.', 'lost_card'),
  pm_card_chargeDeclinedStolenCard: declined('9979', 'card_declined', 'Your card was declined.', 'stolen_card'),
  pm_card_visa_chargeDeclinedStolenCard: declined('9979', 'card_declined', 'Your card was declined.', 'stolen_card'),
  pm_card_chargeDeclinedFraudulent: declined('0019', 'card_declined', 'Your card was declined.', 'fraudulent'),
  pm_card_visa_chargeDeclinedFraudulent: declined('0019', 'card_declined', 'Your card was declined.', 'fraudulent'),
  pm_card_chargeDeclinedExpiredCard: declined('0069', 'expired_card', 'Your card has expired.', 'expired_card'),
  pm_card_visa_chargeDeclinedExpiredCard: declined('0069', 'expired_card', 'Your card has expired.', 'expired_card'),
  pm_card_chargeDeclinedIncorrectCvc: declined('0127', 'incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  pm_card_visa_chargeDeclinedIncorrectCvc: declined('0127', 'incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  pm_card_chargeDeclinedProcessingError: declined('0119', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.', 'processing_error'),
  pm_card_visa_chargeDeclinedProcessingError: declined('0119', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.', 'processing_error'),
  pm_card_authenticationRequired: { card: card('visa', '3184'), outcome: { kind: 'requires_action' } },
  pm_card_threeDSecure2Required: { card: card('visa', '3220'), outcome: { kind: 'requires_action' } },
};

export function testCard(token: string): TestCard | undefined {
  return Object.hasOwn(TEST_CARDS, token) ? TEST_CARDS[token] : undefined;
}

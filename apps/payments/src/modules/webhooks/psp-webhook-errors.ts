import { defineErrors } from '@bursary/errors';

export const PspWebhookErrors = defineErrors('psp-webhooks', {
  PSP_WEBHOOK_SIGNATURE_INVALID: {
    status: 400,
    title: 'Webhook signature invalid',
    description: 'The Stripe-Signature header is missing, malformed, outside the ±300 s tolerance or matches no accepted secret; nothing was read.',
  },
  PSP_WEBHOOK_PAYLOAD_INVALID: { status: 400, title: 'Webhook payload invalid', description: 'The signed body is not a PSP event.' },
});

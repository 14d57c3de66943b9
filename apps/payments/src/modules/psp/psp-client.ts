import type { PaymentsConfig } from '../../config.js';
import { createStripeProvider } from './stripe-provider.js';

/** The PSP adapter as configured (PSP_* variables); the caller closes it. */
export function pspFromConfig(config: PaymentsConfig) {
  return createStripeProvider({
    apiKey: config.PSP_API_KEY,
    host: config.PSP_HOST,
    port: config.PSP_PORT,
    protocol: config.PSP_PROTOCOL,
    timeoutMs: config.PSP_TIMEOUT_MS,
    maxNetworkRetries: config.PSP_MAX_NETWORK_RETRIES,
  });
}

import type { Principal } from '../http/principal.ts';

/**
 * The key usage events, budgets and rate limits are kept under: `client:<clientId>` for OAuth (every user of
 * a client bills to that client), `key:<apiKeyId>` for API keys, `anonymous` when auth is off.
 *
 * @example
 * billingSubject(request.principal); // 'client:ci-bot' | 'key:3f9a0c1d2b4e5f60' | 'anonymous'
 */
export function billingSubject(principal: Principal | null): string {
  if (principal === null) return 'anonymous';
  if (principal.kind === 'api_key') return `key:${principal.apiKeyId ?? principal.subject}`;
  return `client:${principal.clientId ?? principal.subject}`;
}

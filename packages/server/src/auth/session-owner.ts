import type { Principal } from '../http/principal.ts';
import { billingSubject } from './billing-subject.ts';

/**
 * Who owns the sessions a caller creates; others get `session_not_found`. The billing subject, except for
 * tokens a user delegated to a client (`sub` is a user, not the client): many users share one client (every
 * `plumb login` uses the same one), so their sessions are kept apart by user. `null` when auth is off, as
 * sessions were stored before auth existed.
 *
 * @example
 * sessionOwner(request.principal); // 'key:3f9a…' | 'client:ci-bot' | 'client:plumb-cli user:u_42' | null
 */
export function sessionOwner(principal: Principal | null): string | null {
  if (principal === null) return null;
  const subject = billingSubject(principal);
  if (principal.kind === 'oauth' && principal.clientId !== null && principal.subject !== principal.clientId) {
    return `${subject} user:${principal.subject}`;
  }
  return subject;
}

import { describe, expect, it } from 'vitest';
import type { Principal } from '../http/principal.ts';
import { billingSubject } from './billing-subject.ts';
import { sessionOwner } from './session-owner.ts';

const apiKey: Principal = {
  subject: 'key_abc',
  kind: 'api_key',
  scopes: [],
  clientId: null,
  apiKeyId: 'abc',
};
const service: Principal = {
  subject: 'ci-bot',
  kind: 'oauth',
  scopes: [],
  clientId: 'ci-bot',
  apiKeyId: null,
};
const user: Principal = {
  subject: 'user-1',
  kind: 'oauth',
  scopes: [],
  clientId: 'plumb-cli',
  apiKeyId: null,
};

describe('billingSubject and sessionOwner', () => {
  it('bills OAuth to the client, API keys to the key, and no auth to anonymous', () => {
    expect(billingSubject(service)).toBe('client:ci-bot');
    expect(billingSubject(user)).toBe('client:plumb-cli');
    expect(billingSubject(apiKey)).toBe('key:abc');
    expect(billingSubject(null)).toBe('anonymous');
  });

  it('owns sessions by billing subject, but by user within a shared client', () => {
    expect(sessionOwner(service)).toBe('client:ci-bot');
    expect(sessionOwner(apiKey)).toBe('key:abc');
    expect(sessionOwner(user)).toBe('client:plumb-cli user:user-1');
    expect(sessionOwner({ ...user, subject: 'user-2' })).not.toBe(sessionOwner(user));
    expect(sessionOwner(null)).toBeNull();
  });
});

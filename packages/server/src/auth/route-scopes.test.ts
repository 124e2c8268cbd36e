import { describe, expect, it } from 'vitest';
import { chatScope, findRouteScopeRule, routeAccess } from './route-scopes.ts';

describe('routeAccess', () => {
  it('maps routes to the scopes of the design table', () => {
    expect(routeAccess('/v3/models')).toEqual({ kind: 'scope', scope: 'code:read' });
    expect(routeAccess('/v3/sessions')).toEqual({ kind: 'scope', scope: 'code:read' });
    expect(routeAccess('/v3/sessions/:id')).toEqual({ kind: 'scope', scope: 'code:read' });
    expect(routeAccess('/v3/usage')).toEqual({ kind: 'scope', scope: 'usage:read' });
    expect(routeAccess('/v3/usage/estimate')).toEqual({ kind: 'scope', scope: 'usage:read' });
    expect(routeAccess('/v3/admin/api-keys/:id')).toEqual({ kind: 'scope', scope: 'admin' });
    expect(routeAccess('/v3/chat/completions')).toEqual({ kind: 'by-mode' });
    expect(routeAccess('/v1/chat/completions')).toEqual({ kind: 'by-mode' });
    for (const path of [
      '/healthz',
      '/readyz',
      '/docs',
      '/docs/static/*',
      '/v3/openapi.json',
      '/oauth/interaction/:uid',
    ]) {
      expect(routeAccess(path), path).toEqual({ kind: 'public' });
    }
    for (const path of [
      '/.well-known/openid-configuration',
      '/v1/completions',
      '/v1/engines/:engine/completions',
      '/v2/code/*',
    ]) {
      expect(routeAccess(path), path).toEqual({ kind: 'public' });
    }
  });

  it('matches prefixes by whole path segments, and fails closed (admin) for unlisted routes', () => {
    expect(findRouteScopeRule('/v3/sessionsX')).toBeUndefined();
    expect(findRouteScopeRule('/docsify')).toBeUndefined();
    expect(routeAccess('/v3/brand-new-route')).toEqual({ kind: 'scope', scope: 'admin' });
  });

  it('asks code:write for code mode and code:read for chat', () => {
    expect(chatScope('code')).toBe('code:write');
    expect(chatScope('chat')).toBe('code:read');
  });
});

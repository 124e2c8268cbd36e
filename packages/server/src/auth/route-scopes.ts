import type { Scope } from '@plumb/protocol';

/**
 * What a route needs: nothing (`public`), one scope, or a scope that depends on the body (`by-mode`: the
 * route authenticates in the hook, then calls `requireScope(request, chatScope(mode))` once the body is parsed).
 */
export type RouteAccess = { kind: 'public' } | { kind: 'scope'; scope: Scope } | { kind: 'by-mode' };

export interface RouteScopeRule {
  /** A path, or a path prefix ending in `/*` (matches the prefix itself and everything below it). */
  path: string;
  access: RouteAccess;
}

const publicAccess = { kind: 'public' } as const;
const scope = (name: Scope) => ({ kind: 'scope', scope: name }) as const;

/**
 * The single route -> scope table (mirrored in README.md, "Authentication: API keys and scopes"). Rules are
 * tried in order; the first match wins. A registered route that no rule names needs `admin` (fail closed),
 * and a test checks that every registered route is named here.
 */
export const routeScopes: readonly RouteScopeRule[] = [
  { path: '/v3/chat/completions', access: { kind: 'by-mode' } },
  { path: '/v1/chat/completions', access: { kind: 'by-mode' } },
  { path: '/v3/sessions/*', access: scope('code:read') },
  { path: '/v3/models', access: scope('code:read') },
  // Executes the caller's code in the sandbox; `emit: true` also needs code:write (checked in the route).
  { path: '/v3/test-vectors', access: scope('code:debug') },
  // Reads code; `fix: true` also needs code:write (checked in the route).
  { path: '/v3/reviews', access: scope('code:read') },
  { path: '/v3/dependencies/check', access: scope('code:read') },
  // Indexes and reads the caller's own uploaded code; nothing is executed.
  { path: '/v3/code-graph/*', access: scope('code:read') },
  { path: '/v3/explain', access: scope('code:read') },
  { path: '/v3/architecture/*', access: scope('code:read') },
  // Runs the caller's program under a debugger.
  { path: '/v3/debug/*', access: scope('code:debug') },
  { path: '/v3/usage/*', access: scope('usage:read') },
  { path: '/v3/admin/*', access: scope('admin') },
  { path: '/healthz', access: publicAccess },
  { path: '/readyz', access: publicAccess },
  { path: '/docs/*', access: publicAccess },
  { path: '/v3/openapi.json', access: publicAccess },
  { path: '/oauth/*', access: publicAccess },
  { path: '/.well-known/*', access: publicAccess },
  // Removed legacy endpoints answer 410 with the /v3 equivalent: useful to anyone, secret to no one.
  { path: '/v1/completions', access: publicAccess },
  { path: '/v1/engines/*', access: publicAccess },
  { path: '/v1/code/*', access: publicAccess },
  { path: '/v2/code/*', access: publicAccess },
];

/** Routes registered without a rule are treated as admin-only until someone adds one. */
const unlistedAccess = scope('admin');

/**
 * The access rule for a route, by its registered URL pattern (`/v3/sessions/:id`) or request path.
 *
 * @example
 * routeAccess('/v3/sessions/:id'); // { kind: 'scope', scope: 'code:read' }
 * routeAccess('/healthz');         // { kind: 'public' }
 */
export function routeAccess(path: string): RouteAccess {
  return findRouteScopeRule(path)?.access ?? unlistedAccess;
}

/**
 * The rule naming a path, or `undefined` (tests use this to find routes missing from the table).
 *
 * @example
 * findRouteScopeRule('/v3/admin/api-keys/:id')?.path; // '/v3/admin/*'
 */
export function findRouteScopeRule(path: string): RouteScopeRule | undefined {
  return routeScopes.find((rule) =>
    rule.path.endsWith('/*')
      ? path === rule.path.slice(0, -2) || path.startsWith(rule.path.slice(0, -1))
      : path === rule.path,
  );
}

/**
 * The scope a chat completion needs: generating code (`mode: "code"`) needs `code:write`, plain chat
 * `code:read`.
 *
 * @example
 * requireScope(request, chatScope(chatRequest.mode));
 */
export function chatScope(mode: 'code' | 'chat'): Scope {
  return mode === 'code' ? 'code:write' : 'code:read';
}

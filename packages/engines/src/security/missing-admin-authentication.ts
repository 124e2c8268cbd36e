import type { SgNode } from '@ast-grep/napi';
import { kindOf } from './kind-of.ts';

const authName =
  /auth|login|logged|session|jwt|passport|require(Role|Admin|User)|isAdmin|is_admin|ensure|protect|verify|guard|permission|roles?_required|admin_required|staff_member_required|user_passes_test|current_user|get_current|requires|token/i;

/**
 * Whether a matched admin route (an Express-style `app.get('/admin...', handler)` call or a decorated Python
 * route function) is registered without any authentication middleware or decorator while other routes in the
 * same file do use one (so the file has an authentication convention that this route skips).
 *
 * @example checkMissingAdminAuthentication(match, root) // => true when /admin lacks the auth middleware others use
 */
export function checkMissingAdminAuthentication(match: SgNode, root: SgNode): boolean {
  const kind = kindOf(match);
  if (kind === 'decorated_definition') return pythonRouteMissesAuth(match, root);
  if (kind === 'export_statement' || kind === 'class_declaration')
    return nestControllerMissesAuth(match, root);
  return expressRouteMissesAuth(match, root);
}

const routeMethods = /^(get|post|put|patch|delete|all|use|route|head|options)$/;

/** Express/Fastify/Koa-router registrations in the file: `x.get('/path', ...)`, `x.use(...)`, `x.addHook(...)`. */
function registrations(
  root: SgNode,
): { call: SgNode; object: string; method: string; arguments: SgNode[] }[] {
  const calls = root.findAll({ rule: { pattern: '$APP.$METHOD($$$ARGS)' } });
  const result: { call: SgNode; object: string; method: string; arguments: SgNode[] }[] = [];
  for (const call of calls) {
    const method = call.getMatch('METHOD')?.text() ?? '';
    if (!routeMethods.test(method) && method !== 'addHook' && method !== 'register') continue;
    result.push({
      call,
      object: call.getMatch('APP')?.text() ?? '',
      method,
      arguments: (call.field('arguments')?.namedChildren() ?? []).filter(
        (node) => kindOf(node) !== 'comment',
      ),
    });
  }
  return result;
}

function expressRouteMissesAuth(call: SgNode, root: SgNode): boolean {
  const all = registrations(root);
  const self = all.find((entry) => entry.call.id() === call.id());
  if (self === undefined) return false;
  const isUse = self.method === 'use';
  // For a route the handler is last; for `use('/admin', ...)` every argument after the path can be middleware.
  const middleware = isUse ? self.arguments.slice(1) : self.arguments.slice(1, -1);
  if (middleware.some((node) => authName.test(node.text()))) return false;
  // A router mounted on /admin is protected when it registers its own authentication middleware.
  const mounted = isUse ? self.arguments.slice(1).filter((node) => kindOf(node) === 'identifier') : [];
  for (const router of mounted) {
    const routerName = router.text();
    if (
      all.some(
        (entry) =>
          entry.object === routerName &&
          (entry.method === 'use' || entry.method === 'addHook') &&
          entry.arguments.some((node) => authName.test(node.text())),
      )
    )
      return false;
  }
  let othersUseAuth = false;
  for (const entry of all) {
    if (entry.call.id() === call.id()) continue;
    const first = entry.arguments[0];
    const firstIsPath = first !== undefined && /^['"`]/.test(first.text());
    const hasAuth = entry.arguments.some((node) => authName.test(node.text()));
    if (!hasAuth) continue;
    if (entry.method === 'addHook' || entry.method === 'register') {
      // Fastify: a global onRequest/preHandler hook (or an auth plugin) on the same instance protects every route.
      if (entry.object === self.object) return false;
      othersUseAuth = true;
      continue;
    }
    if (entry.method === 'use') {
      // A global middleware on the same app (no path, or a path covering the admin route) protects it.
      const path = firstIsPath ? first.text() : '';
      if (
        entry.object === self.object &&
        (!firstIsPath || /admin/i.test(path) || /^['"`]\/?['"`]$/.test(path))
      )
        return false;
      othersUseAuth = true;
      continue;
    }
    othersUseAuth = true;
  }
  return othersUseAuth;
}

/** NestJS: an admin `@Controller` class without `@UseGuards` (on the class or a method) while others have one. */
function nestControllerMissesAuth(match: SgNode, root: SgNode): boolean {
  const guarded = (node: SgNode): boolean =>
    /@UseGuards\s*\(|@(Auth|Roles|Authorized|Authenticated)\w*\s*\(/.test(node.text());
  if (guarded(match)) return false;
  const controllers = root.findAll({ rule: { kind: 'class_declaration' } });
  return controllers.some((controller) => {
    const holder =
      controller.parent() !== null && kindOf(controller.parent()!) === 'export_statement'
        ? controller.parent()!
        : controller;
    if (holder.id() === match.id() || controller.id() === match.id()) return false;
    return /@Controller\s*\(/.test(holder.text()) && guarded(holder);
  });
}

function pythonRouteMissesAuth(definition: SgNode, root: SgNode): boolean {
  if (hasPythonAuth(definition)) return false;
  for (const other of root.findAll({ rule: { kind: 'decorated_definition' } })) {
    if (other.id() === definition.id()) continue;
    if (!/@\s*[\w.]+\.(route|get|post|put|delete|patch)\s*\(/.test(decorators(other))) continue;
    if (hasPythonAuth(other)) return true;
  }
  return false;
}

function hasPythonAuth(definition: SgNode): boolean {
  if (
    authName.test(
      decorators(definition).replace(/@\s*[\w.]+\.(route|get|post|put|delete|patch)\s*\([^)]*\)/g, ''),
    )
  )
    return true;
  const parameters = definition.field('definition')?.field('parameters')?.text() ?? '';
  return /Depends\([^)]*(auth|user|admin|token|current)/i.test(parameters);
}

function decorators(definition: SgNode): string {
  return definition
    .children()
    .filter((child) => kindOf(child) === 'decorator')
    .map((child) => child.text())
    .join('\n');
}

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
  if (kindOf(match) === 'decorated_definition') return pythonRouteMissesAuth(match, root);
  return expressRouteMissesAuth(match, root);
}

function expressRouteMissesAuth(call: SgNode, root: SgNode): boolean {
  const argumentNodes = call.field('arguments')?.namedChildren() ?? [];
  const middleware = argumentNodes.slice(1, -1);
  if (middleware.some((node) => authName.test(node.text()))) return false;
  const routes = root.findAll({
    rule: {
      pattern: '$APP.$METHOD($PATH, $$$ARGS)',
      constraints: { METHOD: { regex: '^(get|post|put|patch|delete|all|use)$' } },
    } as never,
  });
  let othersUseAuth = false;
  for (const route of routes) {
    if (route.id() === call.id()) continue;
    const routeArguments = route.field('arguments')?.namedChildren() ?? [];
    const method = route.getMatch('METHOD')?.text();
    const path = routeArguments[0]?.text() ?? '';
    if (method === 'use') {
      // A global or /admin-scoped authentication middleware protects the route.
      const scoped = routeArguments.length === 1 || /admin/i.test(path) || !/^['"`]/.test(path);
      if (scoped && routeArguments.some((node) => authName.test(node.text()))) return false;
      continue;
    }
    if (routeArguments.slice(1, -1).some((node) => authName.test(node.text()))) othersUseAuth = true;
  }
  return othersUseAuth;
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

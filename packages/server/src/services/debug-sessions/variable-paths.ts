import type { DebugBackend, StopResult } from '@plumb/engines';
import type { DebugProtocol } from '@vscode/debugprotocol';

/**
 * Where a variable container lives, in names rather than handles: a frame, a scope of it by name (or the
 * snapshot's locals when `scope` is null), then a chain of child names. Variable references are handles that
 * die when the program resumes and differ in a relaunched program; a path means the same thing in both.
 */
export interface VariablePath {
  frameId: number;
  scope: string | null;
  names: string[];
}

/**
 * The paths of the variable references a session has handed out since the program last stopped: the
 * snapshot's locals, the scopes asked for and the children expanded. A variable change is journaled with its
 * container's path so that a replay after a server restart can find the same container again.
 *
 * @example
 * paths.rememberScopes(0, scopes);
 * paths.pathOf(scopes[0].variablesReference); // { frameId: 0, scope: 'Locals', names: [] }
 */
export class VariablePaths {
  readonly #paths = new Map<number, VariablePath>();

  /** Forgets every reference: call whenever the program moves (its references are gone). */
  clear(): void {
    this.#paths.clear();
  }

  rememberSnapshot(stop: StopResult): void {
    if (stop.status !== 'stopped') return;
    const frameId = stop.snapshot.callStack[0]?.id ?? 0;
    for (const local of stop.snapshot.locals) {
      if (local.variablesReference > 0) {
        this.#paths.set(local.variablesReference, { frameId, scope: null, names: [local.name] });
      }
    }
  }

  rememberScopes(frameId: number, scopes: DebugProtocol.Scope[]): void {
    for (const scope of scopes) {
      this.#paths.set(scope.variablesReference, { frameId, scope: scope.name, names: [] });
    }
  }

  rememberChildren(reference: number, children: DebugProtocol.Variable[]): void {
    const parent = this.#paths.get(reference);
    if (!parent) return;
    for (const child of children) {
      if (child.variablesReference > 0) {
        this.#paths.set(child.variablesReference, { ...parent, names: [...parent.names, child.name] });
      }
    }
  }

  pathOf(reference: number): VariablePath | undefined {
    return this.#paths.get(reference);
  }
}

/**
 * The reference of the container `path` names in the program as it is stopped now, or `undefined` when the
 * frame, scope or a child of that name is not there.
 *
 * @example const reference = await resolveVariablePath(backend, stop, { frameId: 0, scope: 'Locals', names: ['order'] });
 */
export async function resolveVariablePath(
  backend: DebugBackend,
  stop: StopResult,
  path: VariablePath,
): Promise<number | undefined> {
  if (stop.status !== 'stopped') return undefined;
  let names = path.names;
  let reference: number | undefined;
  if (path.scope === null) {
    reference = stop.snapshot.locals.find((local) => local.name === names[0])?.variablesReference;
    names = names.slice(1);
  } else {
    const scopes = await backend.scopes(path.frameId);
    reference = scopes.find((scope) => scope.name === path.scope)?.variablesReference;
  }
  for (const name of names) {
    if (!reference) return undefined;
    const children = await backend.variables({ variablesReference: reference });
    reference = children.find((child) => child.name === name)?.variablesReference;
  }
  return reference || undefined;
}

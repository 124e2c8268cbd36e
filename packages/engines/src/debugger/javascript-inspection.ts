import type inspector from 'node:inspector';
import { PlumbError } from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AgentConnection } from './agent-socket-server.ts';
import { truncateValue } from './backend-state.ts';
import { snapshotLimits, type EvaluateResult, type VariableSummary } from './debug-backend.ts';
import { describeRemoteObject, isExpandable } from './describe-remote-object.ts';

type CallFrame = inspector.Debugger.CallFrame;

const commonJsWrapperNames = new Set(['exports', 'require', 'module', '__filename', '__dirname']);
type RemoteObject = inspector.Runtime.RemoteObject;
type Handle =
  | { kind: 'object'; objectId: string }
  | { kind: 'scope'; objectId: string; frame: CallFrame; scopeNumber: number };

/**
 * Everything read or changed in a paused JavaScript program: scopes, variables (by `variablesReference`
 * handles that expire when it resumes), evaluation with a V8 `timeout`, and setting variables.
 *
 * @example const inspection = new JavaScriptInspection(() => connection); await inspection.evaluate('x + 1', frame, 2000);
 */
export class JavaScriptInspection {
  private readonly handles = new Map<number, Handle>();
  private nextHandle = 1;

  constructor(private readonly connection: () => AgentConnection) {}

  /** Forgets every handle: object ids are only valid while the program stays paused. */
  clear(): void {
    this.handles.clear();
  }

  toVariable(name: string, value: RemoteObject): DebugProtocol.Variable {
    return {
      name,
      value: describeRemoteObject(value),
      type: value.className ?? value.type,
      variablesReference:
        isExpandable(value) && value.objectId
          ? this.handleFor({ kind: 'object', objectId: value.objectId })
          : 0,
    };
  }

  /** The locals of a frame for a snapshot: local and block scopes, bounded. */
  async frameLocals(frame: CallFrame): Promise<{ locals: VariableSummary[]; truncated: boolean }> {
    const scopes = frame.scopeChain.filter((scope) => scope.type === 'local' || scope.type === 'block');
    const lists = await Promise.all(
      scopes.map((scope) =>
        scope.object.objectId ? this.properties(scope.object.objectId) : Promise.resolve([]),
      ),
    );
    // At the top level of a CommonJS module, its wrapper's parameters are not the program's variables.
    const locals = lists
      .flat()
      .filter((local) => frame.functionName !== '' || !commonJsWrapperNames.has(local.name));
    // `this` is worth showing for methods, not when it is just the global object of a plain function.
    const self = frame.this;
    if (self.type === 'object' && self.objectId && frame.functionName && self.className !== 'global') {
      locals.push(this.toVariable('this', self));
    }
    return {
      locals: locals.slice(0, snapshotLimits.locals),
      truncated: locals.length > snapshotLimits.locals,
    };
  }

  scopes(frame: CallFrame): DebugProtocol.Scope[] {
    return frame.scopeChain.flatMap((scope, scopeNumber) =>
      scope.object.objectId
        ? [
            {
              name:
                scope.type === 'local' ? 'Locals' : `${scope.type[0]?.toUpperCase()}${scope.type.slice(1)}`,
              presentationHint: scope.type === 'local' ? 'locals' : undefined,
              variablesReference: this.handleFor({
                kind: 'scope',
                objectId: scope.object.objectId,
                frame,
                scopeNumber,
              }),
              expensive: scope.type === 'global',
            },
          ]
        : [],
    );
  }

  async variables(variablesReference: number, start = 0, count = 100): Promise<DebugProtocol.Variable[]> {
    const handle = this.handle(variablesReference);
    const answer = await this.connection().send<inspector.Runtime.GetPropertiesReturnType>(
      'Runtime.getProperties',
      {
        objectId: handle.objectId,
        ownProperties: true,
        generatePreview: true,
      },
    );
    const named = answer.result.filter(
      (property) => property.value !== undefined && property.name !== '__proto__',
    );
    const internal = (answer.internalProperties ?? []).filter((property) => property.value !== undefined);
    const all = [
      ...named.map((property) => this.toVariable(property.name, property.value as RemoteObject)),
      ...internal.map((property) =>
        this.toVariable(`[[${property.name.replace(/^\[\[|\]\]$/g, '')}]]`, property.value as RemoteObject),
      ),
    ];
    return all.slice(start, start + Math.min(count, 100));
  }

  async evaluate(expression: string, frame: CallFrame, timeout: number): Promise<EvaluateResult> {
    return this.toEvaluateResult(await this.evaluateToObject(expression, frame, timeout));
  }

  async setVariable(
    variablesReference: number,
    name: string,
    value: string,
    defaultFrame: CallFrame,
  ): Promise<EvaluateResult> {
    const handle = this.handle(variablesReference);
    const frame = handle.kind === 'scope' ? handle.frame : defaultFrame;
    const newValue = await this.evaluateToObject(value, frame, 2_000);
    const argument = newValue.objectId
      ? { objectId: newValue.objectId }
      : newValue.unserializableValue
        ? { unserializableValue: newValue.unserializableValue }
        : { value: newValue.value as unknown };
    if (handle.kind === 'object') {
      await this.connection().send('Runtime.callFunctionOn', {
        objectId: handle.objectId,
        functionDeclaration: 'function (name, value) { this[name] = value; }',
        arguments: [{ value: name }, argument],
      });
      return this.toEvaluateResult(newValue);
    }
    // Block scopes come first in the chain; a name shown there may live in an enclosing scope.
    for (let scopeNumber = handle.scopeNumber; scopeNumber < frame.scopeChain.length; scopeNumber++) {
      const scope = frame.scopeChain[scopeNumber];
      if (!scope?.object.objectId || scope.type === 'global') continue;
      const { result } = await this.connection().send<inspector.Runtime.GetPropertiesReturnType>(
        'Runtime.getProperties',
        { objectId: scope.object.objectId, ownProperties: true },
      );
      if (!result.some((property) => property.name === name)) continue;
      await this.connection().send('Debugger.setVariableValue', {
        scopeNumber,
        variableName: name,
        newValue: argument,
        callFrameId: frame.callFrameId,
      });
      return this.toEvaluateResult(newValue);
    }
    throw new PlumbError('invalid_request', `Cannot set ${name}: it is not a variable of this frame.`, {
      param: 'name',
    });
  }

  private async properties(objectId: string): Promise<DebugProtocol.Variable[]> {
    const { result } = await this.connection().send<inspector.Runtime.GetPropertiesReturnType>(
      'Runtime.getProperties',
      {
        objectId,
        ownProperties: true,
        generatePreview: true,
      },
    );
    return result
      .filter((property) => property.value !== undefined)
      .map((property) => this.toVariable(property.name, property.value as RemoteObject));
  }

  private async evaluateToObject(
    expression: string,
    frame: CallFrame,
    timeout: number,
  ): Promise<RemoteObject> {
    const answer = await this.connection()
      .send<inspector.Debugger.EvaluateOnCallFrameReturnType>('Debugger.evaluateOnCallFrame', {
        callFrameId: frame.callFrameId,
        expression,
        generatePreview: true,
        // V8 terminates the evaluation after this long; the program stays paused where it was.
        timeout,
      })
      .catch((error: unknown) => {
        if (/Execution was terminated/i.test(String(error))) throw evaluationTimeout(expression, timeout);
        throw new PlumbError(
          'invalid_request',
          `Could not evaluate ${JSON.stringify(expression)}: ${String(error)}`,
        );
      });
    if (answer.exceptionDetails) {
      const text = answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text;
      if (/Execution was terminated/i.test(text)) throw evaluationTimeout(expression, timeout);
      throw new PlumbError(
        'invalid_request',
        `Evaluating ${JSON.stringify(expression)} threw: ${truncateValue(text.split('\n')[0] ?? text)}`,
      );
    }
    return answer.result;
  }

  private toEvaluateResult(value: RemoteObject): EvaluateResult {
    const variable = this.toVariable('', value);
    return { result: variable.value, type: variable.type, variablesReference: variable.variablesReference };
  }

  private handleFor(handle: Handle): number {
    const reference = this.nextHandle++;
    this.handles.set(reference, handle);
    return reference;
  }

  private handle(variablesReference: number): Handle {
    const handle = this.handles.get(variablesReference);
    if (!handle) {
      throw new PlumbError(
        'invalid_request',
        `No variables reference ${variablesReference} at this stop; references expire when the program resumes.`,
        { param: 'variablesReference' },
      );
    }
    return handle;
  }
}

function evaluationTimeout(expression: string, timeout: number): PlumbError {
  return new PlumbError(
    'evaluation_timeout',
    `Evaluating ${JSON.stringify(expression)} took longer than ${timeout} ms and was interrupted; the program is still paused. Raise timeoutMilliseconds or evaluate something cheaper.`,
  );
}

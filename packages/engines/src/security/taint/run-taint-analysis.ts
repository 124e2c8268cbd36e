import type { SgNode } from '@ast-grep/napi';
import { ruleConfig, type SecurityRule } from '../security-rule.ts';
import type { TaintStep } from '../security-finding.ts';
import { anyKindRule, kindOf } from '../kind-of.ts';
import {
  buildingCall,
  nonPropagatingCall,
  universalSanitizers,
  validatingCondition,
  type TaintGrammar,
  type TaintKind,
} from './taint-grammar.ts';

/** Untrusted data reaching a point, with how it got there. */
interface TaintHit {
  kind: TaintKind;
  steps: TaintStep[];
  /** Built into a string by concatenation, interpolation or formatting. */
  built: boolean;
  /** Sanitizer functions the value passed through (a rule decides which of them count). */
  sanitizedBy: string[];
  /** Built behind a fixed `https://host/` or `/path/` prefix, so it cannot choose the destination host. */
  fixedPrefix?: boolean;
  /** For parameter taint: which function parameter it came from. */
  origin?: { functionName: string; index: number };
}

type TaintState = Map<string, TaintHit[]>;

/** A confirmed flow of untrusted data into a rule's sink. */
export interface TaintFlow {
  rule: SecurityRule;
  sink: SgNode;
  steps: TaintStep[];
  kind: TaintKind;
}

interface SinkMatch {
  rule: SecurityRule;
  node: SgNode;
  arguments: SgNode[];
}

interface ScopeEvent {
  start: number;
  node: SgNode;
  type: 'assignment' | 'guard' | 'sink' | 'function' | 'call' | 'mutation';
  /** For a mutation (`sql.append(x)`, `parts.append(x)`, `list.push(x)`): the variable it changes. */
  target?: string;
  assignment?: TaintGrammar['assignments'][number];
  sink?: SinkMatch;
}

interface CallRecord {
  callee: string;
  arguments: TaintHit[][];
  node: SgNode;
}

interface ParameterFlow {
  functionName: string;
  index: number;
  rule: SecurityRule;
  sink: SgNode;
  steps: TaintStep[];
  reportable: boolean;
}

const maxHitsPerValue = 3;

/**
 * Intra-procedural taint tracking over one parsed file: walks each function's statements in source order, keeps
 * the tainted variable names, and reports sinks whose dangerous argument carries untrusted data that no
 * sanitizer (for that rule) cleaned. Function parameters that reach a sink are followed to the file's call
 * sites (cheap cross-function analysis).
 *
 * @example runTaintAnalysis({ root, grammar, rules, file: 'app.js', lineOffset: 0 }) // => TaintFlow[]
 */
export function runTaintAnalysis(options: {
  root: SgNode;
  grammar: TaintGrammar;
  rules: SecurityRule[];
  file: string;
  lineOffset: number;
  /** Receives one line per rule that could not run (the others still do). */
  warnings?: string[];
  /** The parser the tree came from (tsx, typescript, python, ...); kind validity is cached per parser. */
  parser?: string;
  /** The source text, to leave out sink alternatives whose words it does not contain. */
  code?: string;
}): TaintFlow[] {
  const { root, grammar, rules, file, lineOffset } = options;
  const sinks: SinkMatch[] = [];
  const findKinds = (node: SgNode, kinds: readonly string[]): SgNode[] => {
    const rule = anyKindRule(node, options.parser ?? grammar.language, kinds);
    return rule === undefined ? [] : node.findAll(rule);
  };
  for (const rule of rules) {
    if (rule.taint === undefined) continue;
    const argumentName = rule.taint.argument;
    let sinkNodes: SgNode[];
    try {
      const config = ruleConfig(rule, options.code);
      sinkNodes = config === null ? [] : root.findAll(config);
    } catch (error) {
      options.warnings?.push(
        `Rule ${rule.id} (${rule.sourceFile}) could not run on ${file}: ${firstLine(error)}; skipped it.`,
      );
      continue;
    }
    for (const node of sinkNodes) {
      const single = node.getMatch(argumentName);
      const multiple = single === null ? node.getMultipleMatches(argumentName) : [];
      const argumentNodes = single !== null ? [single] : multiple.filter((child) => child.isNamed());
      // A sink whose dangerous arguments are all constant literals cannot receive untrusted data.
      const live = argumentNodes.filter((argument) => !isConstantLiteral(argument, grammar));
      if (live.length > 0) sinks.push({ rule, node, arguments: live });
    }
  }
  if (sinks.length === 0) return [];

  const functions = findKinds(root, grammar.functionKinds);
  const functionNames = new Map<number, string>();
  for (const fn of functions) {
    const name = functionNameOf(fn);
    if (name !== undefined) functionNames.set(fn.id(), name);
  }
  const knownNames = new Set(functionNames.values());

  // Only functions that contain a sink, or call a function that does, need to be walked (plus the top level).
  const functionRanges = functions
    .map((fn) => ({ id: fn.id(), start: fn.range().start.index, end: fn.range().end.index, node: fn }))
    .sort((left, right) => left.start - right.start || right.end - left.end);
  const relevant = new Set<number>();
  const markContaining = (start: number, end: number): void => {
    for (const fn of functionRanges) {
      if (fn.start > start) break;
      if (fn.end >= end) relevant.add(fn.id);
    }
  };
  const sinkRanges = sinks.map((sink) => sink.node.range());
  for (const range of sinkRanges) markContaining(range.start.index, range.end.index);
  const sinkFunctionNames = new Set<string>();
  for (const fn of functionRanges) {
    const name = functionNames.get(fn.id);
    if (name !== undefined && relevant.has(fn.id)) sinkFunctionNames.add(name);
  }

  const events: ScopeEvent[] = [];
  // Only calls of functions that contain a sink and mutating calls matter: a regex on the call text (the
  // name, then `(`, a backtick or type arguments) keeps the others out in the matcher, not in JavaScript.
  const interestingNames = [...sinkFunctionNames, ...mutatingCallNames].map(escapeRegExp).join('|');
  const callRule = anyKindRule(root, options.parser ?? grammar.language, grammar.callKinds);
  const interestingCalls =
    callRule === undefined
      ? []
      : root.findAll({
          rule: {
            ...callRule.rule,
            regex: String.raw`(?:^|[^A-Za-z0-9_$])(?:${interestingNames})\s*(?:<[^()]*>)?\s*(?:\?\.)?[(\x60]`,
          },
        });
  for (const node of interestingCalls) {
    const callee = calleeName(node);
    if (callee === undefined) continue;
    const last = lastSegment(callee);
    if (sinkFunctionNames.has(last)) {
      const range = node.range();
      events.push({ start: range.end.index, node, type: 'call' });
      markContaining(range.start.index, range.end.index);
    }
    if (mutatingCall.test(last)) {
      const target = receiverRoot(node, grammar);
      if (target !== undefined)
        events.push({ start: node.range().end.index, node, type: 'mutation', target });
    }
  }
  for (const node of findKinds(
    root,
    grammar.assignments.map((assignment) => assignment.kind),
  )) {
    const kind = kindOf(node);
    events.push({
      start: node.range().start.index,
      node,
      type: 'assignment',
      assignment: grammar.assignments.find((entry) => entry.kind === kind)!,
    });
  }
  for (const node of findKinds(root, grammar.ifKinds))
    events.push({ start: node.range().start.index, node, type: 'guard' });
  sinks.forEach((sink, index) =>
    events.push({ start: sinkRanges[index]!.end.index, node: sink.node, type: 'sink', sink }),
  );
  for (const fn of functionRanges)
    if (relevant.has(fn.id)) events.push({ start: fn.start, node: fn.node, type: 'function' });
  // Ties: a function starts before anything inside it; an assignment is processed before a sink ending there.
  const order = { function: 0, guard: 1, assignment: 2, mutation: 3, call: 4, sink: 5 } as const;

  // The innermost function around each event, by one sweep over start positions (functions nest properly).
  const positioned = events.map((event) => ({
    event,
    position: event.type === 'function' ? event.start : event.node.range().start.index,
    id: event.type === 'function' ? event.node.id() : -2,
  }));
  positioned.sort((left, right) => left.position - right.position);
  const eventsByScope = new Map<number, ScopeEvent[]>();
  const open: { id: number; end: number }[] = [];
  let nextFunction = 0;
  for (const { event, position, id } of positioned) {
    // Open every function that starts at or before this position (relevant or not: scopes follow the tree).
    while (nextFunction < functionRanges.length && functionRanges[nextFunction]!.start <= position) {
      const fn = functionRanges[nextFunction]!;
      while (open.length > 0 && open[open.length - 1]!.end <= fn.start) open.pop();
      open.push({ id: fn.id, end: fn.end });
      nextFunction += 1;
    }
    while (open.length > 0 && open[open.length - 1]!.end <= position) open.pop();
    let scope = -1;
    for (let index = open.length - 1; index >= 0; index -= 1) {
      const candidate = open[index]!;
      // A function is not its own scope; a node starting where a function starts lies inside it only
      // when it is not that function.
      if (candidate.id === id) continue;
      scope = candidate.id;
      break;
    }
    if (scope !== -1 && !relevant.has(scope)) continue;
    const list = eventsByScope.get(scope) ?? [];
    list.push(event);
    eventsByScope.set(scope, list);
  }
  for (const list of eventsByScope.values())
    list.sort((left, right) => left.start - right.start || order[left.type] - order[right.type]);

  const step = (node: SgNode, label: string): TaintStep => ({
    file,
    line: node.range().start.line + 1 + lineOffset,
    column: node.range().start.column + 1,
    label,
  });

  const derivedFrom = new Map<string, string[]>();
  const summaries = new Map<string, FunctionSummary>();
  const summaryOf = (name: string): FunctionSummary | undefined => {
    if (!knownNames.has(name)) return undefined;
    let summary = summaries.get(name);
    if (summary === undefined) {
      const definitions = functions.filter((fn) => functionNames.get(fn.id()) === name);
      summary = summarizeFunction(definitions[0]!, grammar, findKinds);
      // Two definitions with one name (methods of different classes): only what both guarantee.
      for (const other of definitions.slice(1)) {
        const next = summarizeFunction(other, grammar, findKinds);
        summary = {
          sanitizers: summary.sanitizers.filter((entry) => next.sanitizers.includes(entry)),
          opaque: summary.opaque && next.opaque,
          validating: summary.validating && next.validating,
        };
      }
      summaries.set(name, summary);
    }
    return summary;
  };

  const flows: TaintFlow[] = [];
  const parameterFlows: ParameterFlow[] = [];
  const calls: CallRecord[] = [];

  const evaluate = (node: SgNode, state: TaintState): TaintHit[] => {
    const kind = kindOf(node);
    // Comparisons, membership tests and negations yield booleans: no untrusted text flows out of them.
    if (isBooleanTest(node, kind)) return [];
    if (grammar.literalKinds.includes(kind)) {
      if (grammar.interpolationKinds.length === 0) return [];
      const hits: TaintHit[] = [];
      for (const child of node.children())
        if (grammar.interpolationKinds.includes(kindOf(child)))
          hits.push(...evaluate(child, state).map((hit) => ({ ...hit, built: true })));
      return hits;
    }
    if (grammar.ternaryKinds.includes(kind)) {
      const condition = node.field('condition') ?? node.namedChildren()[1];
      if (condition !== null && condition !== undefined && validatingCondition.test(condition.text()))
        return [];
    }
    if (grammar.sourceCandidateKinds.includes(kind)) {
      const text = node.text();
      if (grammar.requestSources.some((pattern) => pattern.test(text)))
        return [
          { kind: 'request', steps: [step(node, `source: ${clip(text)}`)], built: false, sanitizedBy: [] },
        ];
      if (grammar.localSources.some((pattern) => pattern.test(text)))
        return [
          { kind: 'local', steps: [step(node, `source: ${clip(text)}`)], built: false, sanitizedBy: [] },
        ];
    }
    if (grammar.identifierKinds.includes(kind)) return state.get(node.text()) ?? [];
    const member = grammar.memberKinds.find((entry) => entry.kind === kind);
    if (member !== undefined) {
      const object = node.field(member.objectField);
      if (object === null) return [];
      // The attribute read is recorded like a call, so a rule can list `.name` (pathlib) as a sanitizer.
      const attribute = node.field('property') ?? node.field('attribute') ?? node.field('field');
      const hits = evaluate(object, state);
      if (attribute === null || hits.length === 0) return hits;
      const label = `.${attribute.text()}`;
      return hits.map((hit) => ({ ...hit, sanitizedBy: [...hit.sanitizedBy, label] }));
    }
    if (grammar.callKinds.includes(kind)) {
      const callee = calleeName(node) ?? '';
      const last = lastSegment(callee);
      if (universalSanitizers.has(callee) || universalSanitizers.has(last)) return [];
      // Same-file helpers: one that validates its argument (early return on a failed check) or whose result
      // does not depend on its arguments (`return 'ORDER BY ' + ALLOWED[key]`) returns clean data.
      const summary = summaryOf(last);
      if (summary !== undefined && (summary.validating || summary.opaque)) return [];
      // `ALLOWED.get(key)`: a lookup in a constant table returns the table's (trusted) value.
      if (/^(get|has)$/.test(last) && /^[A-Z][A-Z0-9_]*\.(get|has)$/.test(callee)) return [];
      if (nonPropagatingCall.test(last)) return [];
      const hits = evaluateChildren(node, state);
      const building = buildingCall.test(last) || buildingCall.test(callee);
      // A same-file helper that returns its parameter only through S() sanitizes like S.
      return hits.map((hit) => ({
        ...hit,
        built: hit.built || building,
        sanitizedBy: [...hit.sanitizedBy, callee, last, ...(summary?.sanitizers ?? [])],
      }));
    }
    if (kind === 'keyword_argument') {
      const value = node.field('value');
      return value === null ? [] : evaluate(value, state);
    }
    if (kind === 'pair') {
      // `{ $eq: value }` makes MongoDB compare literally, so operator injection is impossible.
      if (/^['"]?\$eq['"]?$/.test(node.field('key')?.text() ?? '')) return [];
      const value = node.field('value');
      return value === null ? [] : evaluate(value, state);
    }
    const hits = evaluateChildren(node, state);
    if (hits.length > 0 && isBuilding(node)) {
      const fixedPrefix = hasFixedPrefix(node);
      return hits.map((hit) => ({
        ...hit,
        built: true,
        fixedPrefix: hit.fixedPrefix === true || fixedPrefix,
      }));
    }
    return hits;
  };

  const evaluateChildren = (node: SgNode, state: TaintState): TaintHit[] => {
    const hits: TaintHit[] = [];
    for (const child of node.namedChildren()) {
      hits.push(...evaluate(child, state));
      if (hits.length >= maxHitsPerValue * 2) break;
    }
    return strongest(hits);
  };

  const processScope = (scopeId: number, state: TaintState): void => {
    for (const event of eventsByScope.get(scopeId) ?? []) {
      if (event.type === 'function') {
        processScope(event.node.id(), enterFunction(event.node, state));
      } else if (event.type === 'assignment') {
        assign(event, state);
      } else if (event.type === 'guard') {
        const condition = event.node.field('condition');
        if (condition !== null && !validatingCondition.test(condition.text())) {
          // `typeof x !== 'string'` / `isinstance(x, str)`: x is a plain string afterwards (no operator object);
          // recorded as a pseudo-sanitizer that only the rules listing `type-checked-string` accept.
          const text = condition.text();
          for (const name of [...state.keys()]) {
            const escaped = escapeRegExp(name);
            const typed = new RegExp(
              `typeof\\s+${escaped}\\s*[!=]==?\\s*['"]string['"]|isinstance\\(\\s*${escaped}\\s*,\\s*str\\s*\\)|${escaped}\\s+instanceof\\s+String\\b`,
            );
            if (typed.test(text))
              state.set(
                name,
                (state.get(name) ?? []).map((hit) => ({
                  ...hit,
                  sanitizedBy: [...hit.sanitizedBy, 'type-checked-string'],
                })),
              );
          }
        }
        if (condition !== null && validatingCondition.test(condition.text())) {
          const text = condition.text();
          for (const name of [...state.keys()]) {
            if (!new RegExp(`\\b${escapeRegExp(name)}\\b`).test(text)) continue;
            state.delete(name);
            // `parsed = urlparse(url)`; a check of `parsed` validates `url` too.
            for (const origin of derivedFrom.get(name) ?? []) state.delete(origin);
          }
        }
      } else if (event.type === 'mutation') {
        // `builder.append(tainted)` taints the builder (as built text), like `+=`.
        const hits = argumentNodesOf(event.node).flatMap((argument) => evaluate(argument, state));
        if (hits.length > 0) {
          const label = `appended to ${event.target!}`;
          state.set(
            event.target!,
            strongest([
              ...(state.get(event.target!) ?? []),
              ...hits.map((hit) => ({
                ...hit,
                built: true,
                steps: [...hit.steps, step(event.node, label)].slice(-12),
              })),
            ]),
          );
        }
      } else if (event.type === 'call') {
        calls.push({
          callee: lastSegment(calleeName(event.node) ?? ''),
          arguments: argumentNodesOf(event.node).map((argument) => evaluate(argument, state)),
          node: event.node,
        });
      } else if (event.sink !== undefined) {
        checkSink(event.sink, state);
      }
    }
  };

  const validatedClasses = validatedDtoClasses(root, grammar, findKinds);

  const enterFunction = (fn: SgNode, outer: TaintState): TaintState => {
    const state: TaintState = new Map(outer);
    const name = functionNames.get(fn.id()) ?? '(anonymous)';
    const parameters = parametersOf(fn, grammar);
    const decorators = decoratorsText(fn);
    const isHandler = grammar.handlerDecorator !== undefined && grammar.handlerDecorator.test(decorators);
    // A Python function whose first parameter is `request` is a Django view: its other parameters come from the URL.
    const isDjangoView = grammar.handlerDecorator !== undefined && parameters[0]?.names[0] === 'request';
    parameters.forEach((parameter, index) => {
      for (const parameterName of parameter.names) {
        if (['self', 'cls'].includes(parameterName)) continue;
        // Framework-converted scalars (`item_id: int`, `@PathVariable Long id`) cannot carry text.
        if (grammar.scalarParameter?.test(parameter.text) === true) continue;
        // `@Body() dto: CreateUserDto` where every field of CreateUserDto has a class-validator decorator.
        const declaredType = /:\s*([A-Z]\w*)\s*(=|$)/.exec(parameter.text)?.[1];
        if (declaredType !== undefined && validatedClasses.has(declaredType)) continue;
        const request =
          grammar.requestParameterMarker.test(parameter.text) ||
          ((isHandler || isDjangoView) &&
            !['request', 'db', 'session', 'response', 'background_tasks'].includes(parameterName) &&
            !/Depends\(/.test(parameter.text));
        state.set(parameterName, [
          {
            kind: request ? 'request' : 'parameter',
            steps: [
              step(
                parameter.node,
                request
                  ? `source: request parameter ${parameterName}`
                  : `parameter ${parameterName} of ${name}`,
              ),
            ],
            built: false,
            sanitizedBy: [],
            origin: request ? undefined : { functionName: name, index },
          },
        ]);
      }
    });
    return state;
  };

  const assign = (event: ScopeEvent, state: TaintState): void => {
    const assignment = event.assignment!;
    const left = event.node.field(assignment.left);
    const right = event.node.field(assignment.right);
    if (left === null) return;
    const names = targetNames(left, grammar);
    if (names.length === 0) return;
    let hits = right === null ? [] : evaluate(right, state);
    if (right !== null && hits.length > 0 && names.length === 1) {
      const origins = parsedFrom(right, grammar).filter((origin) => state.has(origin));
      if (origins.length > 0) derivedFrom.set(names[0]!, origins);
    }
    if (assignment.accumulates) {
      hits = [...(state.get(names[0]!) ?? []), ...hits.map((hit) => ({ ...hit, built: true }))];
    } else if (right !== null && hits.length > 0 && isBuilding(right)) {
      hits = hits.map((hit) => ({ ...hit, built: true }));
    }
    for (const name of names) {
      if (hits.length === 0) {
        state.delete(name);
        continue;
      }
      const label = names.length > 1 ? `destructured into ${name}` : `assigned to ${name}`;
      state.set(
        name,
        strongest(hits).map((hit) => ({ ...hit, steps: [...hit.steps, step(event.node, label)].slice(-12) })),
      );
    }
  };

  const checkSink = (sink: SinkMatch, state: TaintState): void => {
    const taint = sink.rule.taint!;
    for (const argument of sink.arguments) {
      // Parameters are kept even when the rule does not count them as a source: a caller in this file may
      // pass request data to that parameter (followed below), which the rule does count.
      const hits = evaluate(argument, state).filter(
        (hit) =>
          (taint.sources.includes(hit.kind) || hit.kind === 'parameter') &&
          !hit.sanitizedBy.some((name) => taint.sanitizers.includes(name)) &&
          !(taint.fixedPrefixSafe && (hit.fixedPrefix === true || hasFixedPrefix(argument))),
      );
      const building = isBuilding(argument);
      const best = strongest(hits)[0];
      if (best === undefined) continue;
      const sinkStep = step(sink.node, `sink: ${clip(sink.node.text())}`);
      if (best.kind === 'parameter') {
        for (const hit of hits.filter(
          (candidate) => candidate.kind === 'parameter' && candidate.origin !== undefined,
        )) {
          parameterFlows.push({
            functionName: hit.origin!.functionName,
            index: hit.origin!.index,
            rule: sink.rule,
            sink: sink.node,
            steps: [...hit.steps, sinkStep],
            reportable: !taint.parameterNeedsBuilding || hit.built || building,
          });
        }
        return;
      }
      flows.push({ rule: sink.rule, sink: sink.node, steps: [...best.steps, sinkStep], kind: best.kind });
      return;
    }
  };

  processScope(-1, new Map());

  // Cross-function: a parameter that reaches a sink is reported where a caller passes untrusted data; with no
  // caller in the file the function is an entry point and the parameter itself is the (weaker) source.
  for (const flow of parameterFlows) {
    const callers = calls.filter((call) => call.callee === flow.functionName);
    const taint = flow.rule.taint!;
    const tainted = callers
      .map((call) => ({
        call,
        hits: (call.arguments[flow.index] ?? []).filter(
          (hit) => taint.sources.includes(hit.kind) && hit.kind !== 'parameter',
        ),
      }))
      .filter((entry) => entry.hits.length > 0);
    if (tainted.length > 0) {
      const first = tainted[0]!;
      const best = strongest(first.hits)[0]!;
      flows.push({
        rule: flow.rule,
        sink: flow.sink,
        kind: best.kind,
        steps: [...best.steps, step(first.call.node, `passed to ${flow.functionName}()`), ...flow.steps],
      });
    } else if (callers.length === 0 && flow.reportable && taint.sources.includes('parameter')) {
      flows.push({ rule: flow.rule, sink: flow.sink, kind: 'parameter', steps: flow.steps });
    }
  }
  return flows;
}

function strongest(hits: TaintHit[]): TaintHit[] {
  const rank = { request: 0, local: 1, parameter: 2 } as const;
  return [...hits]
    .sort(
      (left, right) =>
        left.sanitizedBy.length - right.sanitizedBy.length ||
        rank[left.kind] - rank[right.kind] ||
        Number(right.built) - Number(left.built),
    )
    .slice(0, maxHitsPerValue);
}

/** A string built after a literal `https://host/...` or `/path/...` prefix: the destination host is fixed. */
function hasFixedPrefix(node: SgNode): boolean {
  let first: SgNode | null = node;
  while (
    first !== null &&
    ['binary_expression', 'binary_operator', 'parenthesized_expression'].includes(kindOf(first))
  )
    first = first.field('left') ?? first.namedChildren()[0] ?? null;
  if (first === null) return false;
  const kind = kindOf(first);
  // `https.get({ host: 'api.example.com', path })`: the options fix the destination host.
  if (kind === 'object' || kind === 'dictionary') {
    return first
      .namedChildren()
      .some(
        (pair) =>
          /^['"]?(host|hostname|baseURL|baseUrl|origin)['"]?$/.test(pair.field('key')?.text() ?? '') &&
          /^["'`][^"'`$]+["'`]$/.test(pair.field('value')?.text() ?? ''),
      );
  }
  if (kind === 'call' || kind === 'call_expression') {
    const callee = first.field('function');
    first = callee?.field('object') ?? null;
    if (first === null) return false;
  }
  const text = first.text().replace(/^[fFrRbBuU]{0,2}/, '');
  return /^["'`](https?:\/\/[^/"'`$\s{}]+\/|\/[^/"'`$\s{}\\])/.test(text);
}

function isBuilding(node: SgNode): boolean {
  const kind = kindOf(node);
  if (kind === 'template_string')
    return node.children().some((child) => kindOf(child) === 'template_substitution');
  if (kind === 'string')
    return node
      .children()
      .some((child) => kindOf(child) === 'interpolation' || kindOf(child) === 'template_substitution');
  if (kind === 'binary_expression' || kind === 'binary_operator') {
    const operator = node.field('operator')?.text() ?? node.children()[1]?.text();
    return operator === '+' || operator === '%';
  }
  if (kind === 'call' || kind === 'call_expression' || kind === 'method_invocation') {
    const callee = calleeName(node) ?? '';
    return buildingCall.test(lastSegment(callee)) || buildingCall.test(callee);
  }
  if (kind === 'parenthesized_expression') return node.namedChildren().some(isBuilding);
  return false;
}

/** The dotted name of a call's callee (`db.query`, `os.system`), undefined for computed callees. */
export function calleeName(node: SgNode): string | undefined {
  const kind = kindOf(node);
  if (kind === 'method_invocation') {
    const name = node.field('name')?.text();
    const object = node.field('object')?.text();
    return name === undefined ? undefined : object === undefined ? name : `${object}.${name}`;
  }
  if (kind === 'object_creation_expression') return node.field('type')?.text();
  const callee = node.field(kind === 'new_expression' ? 'constructor' : 'function');
  if (callee === null) return undefined;
  const text = callee.text();
  return text.length > 200 ? undefined : text.replace(/\s+/g, '');
}

function lastSegment(name: string): string {
  const index = name.lastIndexOf('.');
  return index === -1 ? name : name.slice(index + 1);
}

function argumentNodesOf(call: SgNode): SgNode[] {
  const list = call.field('arguments');
  if (list === null) return [];
  return list.namedChildren().filter((child) => kindOf(child) !== 'comment');
}

function functionNameOf(fn: SgNode): string | undefined {
  const name = fn.field('name');
  if (name !== null) return name.text();
  const parent = fn.parent();
  if (parent === null) return undefined;
  const kind = kindOf(parent);
  if (kind === 'variable_declarator') return parent.field('name')?.text();
  if (kind === 'pair') return parent.field('key')?.text();
  if (kind === 'assignment_expression' || kind === 'assignment')
    return lastSegment(parent.field('left')?.text() ?? '');
  return undefined;
}

function decoratorsText(fn: SgNode): string {
  const parent = fn.parent();
  if (parent !== null && kindOf(parent) === 'decorated_definition')
    return parent
      .children()
      .filter((child) => kindOf(child) === 'decorator')
      .map((child) => child.text())
      .join('\n');
  return '';
}

function parametersOf(fn: SgNode, grammar: TaintGrammar): { node: SgNode; names: string[]; text: string }[] {
  const single = fn.field('parameter');
  if (single !== null) return [{ node: single, names: [single.text()], text: single.text() }];
  const list = fn.field('parameters');
  if (list === null) return [];
  const parameters: { node: SgNode; names: string[]; text: string }[] = [];
  for (const parameter of list.namedChildren()) {
    const kind = kindOf(parameter);
    if (kind === 'comment' || kind === 'receiver_parameter') continue;
    if (grammar.identifierKinds.includes(kind)) {
      parameters.push({ node: parameter, names: [parameter.text()], text: parameter.text() });
      continue;
    }
    const target =
      parameter.field('pattern') ?? parameter.field('name') ?? parameter.field('left') ?? parameter;
    const destructured = ['object_pattern', 'array_pattern'].includes(kindOf(target));
    const identifiers = patternIdentifiers(target, grammar);
    const names = grammar.identifierKinds.includes(kindOf(target))
      ? [target.text()]
      : destructured
        ? identifiers
        : identifiers.slice(0, 1);
    parameters.push({ node: parameter, names, text: parameter.text() });
  }
  // Methods called as `self.f(x)` / `this.f(x)` do not pass self explicitly.
  if (parameters[0]?.names[0] === 'self' || parameters[0]?.names[0] === 'cls') parameters.shift();
  return parameters;
}

function targetNames(left: SgNode, grammar: TaintGrammar): string[] {
  if (grammar.identifierKinds.includes(kindOf(left))) return [left.text()];
  const kind = kindOf(left);
  if (['object_pattern', 'array_pattern', 'pattern_list', 'tuple_pattern', 'list_pattern'].includes(kind))
    return patternIdentifiers(left, grammar);
  return [];
}

/** Classes whose every field carries a class-validator decorator (`@IsString()`, `@IsIn([...])`): validated DTOs. */
function validatedDtoClasses(
  root: SgNode,
  grammar: TaintGrammar,
  findKinds: (node: SgNode, kinds: readonly string[]) => SgNode[],
): Set<string> {
  const names = new Set<string>();
  if (grammar.language !== 'javascript' || !root.text().includes('class-validator')) return names;
  for (const declaration of findKinds(root, ['class_declaration'])) {
    const name = declaration.field('name')?.text();
    const body = declaration.field('body');
    if (name === undefined || body === null) continue;
    const fields = body.children().filter((child) => kindOf(child) === 'public_field_definition');
    if (fields.length === 0) continue;
    if (
      fields.every((field) =>
        /^@(Is[A-Z]\w*|Matches|Length|MaxLength|Min|Max|Equals)\s*\(/.test(field.text()),
      )
    )
      names.add(name);
  }
  return names;
}

/** Methods that add their arguments to the receiver: builders and lists. */
const mutatingCallNames = ['append', 'insert', 'add', 'extend', 'push', 'unshift', 'appendLine', 'write'];
const mutatingCall = new RegExp(`^(${mutatingCallNames.join('|')})$`);

/** The variable at the start of a receiver chain: `sql` in `sql.append(a).append(b)`. */
function receiverRoot(call: SgNode, grammar: TaintGrammar): string | undefined {
  let current: SgNode | null = call;
  for (let depth = 0; current !== null && depth < 16; depth += 1) {
    const kind = kindOf(current);
    if (grammar.identifierKinds.includes(kind)) return current.text();
    if (grammar.callKinds.includes(kind)) {
      const callee: SgNode | null = current.field('function');
      current = kind === 'method_invocation' ? current.field('object') : (callee?.field('object') ?? null);
      continue;
    }
    const member = grammar.memberKinds.find((entry) => entry.kind === kind);
    if (member === undefined) return undefined;
    current = current.field(member.objectField);
  }
  return undefined;
}

const comparisonOperators = new Set(['==', '===', '!=', '!==', '<', '>', '<=', '>=', 'in', 'instanceof']);

/** A node whose value is a boolean test of its operands (comparison, membership, negation, typeof). */
function isBooleanTest(node: SgNode, kind: string): boolean {
  if (kind === 'comparison_operator' || kind === 'not_operator' || kind === 'instanceof_expression')
    return true;
  if (kind === 'binary_expression') {
    const operator = node.field('operator')?.text() ?? node.children()[1]?.text() ?? '';
    return comparisonOperators.has(operator);
  }
  if (kind === 'unary_expression') {
    const operator = node.field('operator')?.text() ?? node.children()[0]?.text() ?? '';
    return operator === '!' || operator === 'typeof';
  }
  return false;
}

const parsingCall =
  /^(urlparse|urlsplit|URL|URI|create|Path|resolve|realpath|abspath|normpath|parse|toRealPath|normalize)$/;

/** Identifiers a value parses (`urlparse(url)`, `new URL(u)`, `Path(p).resolve()`, `URI.create(u)`). */
function parsedFrom(node: SgNode, grammar: TaintGrammar): string[] {
  let current: SgNode | null = node;
  // Unwrap `Path(p).resolve()` to the innermost call whose argument is a plain name.
  for (let depth = 0; current !== null && depth < 4; depth += 1) {
    if (!grammar.callKinds.includes(kindOf(current))) return [];
    const callee = calleeName(current) ?? '';
    const first = argumentNodesOf(current)[0];
    if (
      first !== undefined &&
      grammar.identifierKinds.includes(kindOf(first)) &&
      parsingCall.test(lastSegment(callee))
    )
      return [first.text()];
    const calleeNode: SgNode | null = current.field('function') ?? current.field('object');
    current = calleeNode?.field('object') ?? calleeNode ?? null;
  }
  return [];
}

interface FunctionSummary {
  /** The functions every returned parameter passes through (`return "grep {}".format(quote(term))`). */
  sanitizers: string[];
  /** The return value never depends on a parameter (parameters only reach it as lookup keys). */
  opaque: boolean;
  /** The function checks a parameter with a validating condition and exits early when it fails. */
  validating: boolean;
}

/** A cheap summary of one function, computed when a call to it is first evaluated. */
function summarizeFunction(
  fn: SgNode,
  grammar: TaintGrammar,
  findKinds: (node: SgNode, kinds: readonly string[]) => SgNode[],
): FunctionSummary {
  const none: FunctionSummary = { sanitizers: [], opaque: false, validating: false };
  const parameterNames = parametersOf(fn, grammar).flatMap((parameter) => parameter.names);
  const parameters = new Set(parameterNames);
  if (parameters.size === 0) return none;
  const returns = findKinds(fn, ['return_statement']);
  if (returns.length === 0) return none;

  // Validation helper: `if (!ok(value)) return '/'; return value;`
  let validating = false;
  for (const guard of findKinds(fn, grammar.ifKinds)) {
    const condition = guard.field('condition');
    if (condition === null || !validatingCondition.test(condition.text())) continue;
    const mentioned = parameterNames.some((parameter) =>
      new RegExp(`\\b${escapeRegExp(parameter)}\\b`).test(condition.text()),
    );
    const exits = findKinds(guard, ['return_statement', 'raise_statement', 'throw_statement']).length > 0;
    if (mentioned && exits) validating = true;
  }

  // Names carrying a parameter's value (not merely used as a lookup key), in source order.
  const carrying = new Set(parameters);
  const carries = (node: SgNode): boolean =>
    (grammar.identifierKinds.includes(kindOf(node)) && carrying.has(node.text())) ||
    findKinds(node, grammar.identifierKinds).some(
      (identifier) => carrying.has(identifier.text()) && !isLookupKey(identifier),
    );
  for (const assignment of findKinds(
    fn,
    grammar.assignments.map((entry) => entry.kind),
  )) {
    const entry = grammar.assignments.find((candidate) => candidate.kind === kindOf(assignment));
    const left = entry === undefined ? null : assignment.field(entry.left);
    const right = entry === undefined ? null : assignment.field(entry.right);
    if (left === null || right === null || !carries(right)) continue;
    for (const target of targetNames(left, grammar)) carrying.add(target);
  }
  const opaque = !returns.some((statement) => carries(statement));

  const through = new Set<string>();
  let raw = false;
  for (const statement of returns) {
    for (const identifier of findKinds(statement, grammar.identifierKinds)) {
      if (!parameters.has(identifier.text())) continue;
      let call: SgNode | null = identifier.parent();
      while (call !== null && call.id() !== statement.id() && !grammar.callKinds.includes(kindOf(call)))
        call = call.parent();
      if (call === null || call.id() === statement.id()) {
        raw = true;
        break;
      }
      const callee = calleeName(call) ?? '';
      // Building calls (format, join) carry the value on; the sanitizer is the call inside them.
      if (buildingCall.test(lastSegment(callee))) {
        raw = true;
        break;
      }
      through.add(callee);
      through.add(lastSegment(callee));
    }
    if (raw) break;
  }
  return { sanitizers: raw ? [] : [...through], opaque, validating };
}

/** A literal with no interpolation (`'SELECT 1'`, `42`): constant data. */
function isConstantLiteral(node: SgNode, grammar: TaintGrammar): boolean {
  if (!grammar.literalKinds.includes(kindOf(node))) return false;
  return !node.children().some((child) => grammar.interpolationKinds.includes(kindOf(child)));
}

/** An identifier used only as the key of a lookup (`ALLOWED[key]`, `MAP.get(key)` is not): its value is not read out. */
function isLookupKey(identifier: SgNode): boolean {
  const parent = identifier.parent();
  if (parent === null) return false;
  const kind = kindOf(parent);
  if (kind === 'subscript_expression' || kind === 'array_access')
    return parent.field('index')?.id() === identifier.id();
  if (kind === 'subscript') return parent.field('value')?.id() !== identifier.id();
  return false;
}

/** The names bound by a destructuring pattern (only kinds the grammar has). */
function patternIdentifiers(pattern: SgNode, grammar: TaintGrammar): string[] {
  const rule = anyKindRule(pattern, grammar.language, grammar.patternIdentifierKinds);
  return rule === undefined ? [] : pattern.findAll(rule as never).map((node) => node.text());
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

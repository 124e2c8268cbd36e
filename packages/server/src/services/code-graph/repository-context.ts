import { buildRepoMap, estimateTokens, type CodeGraph, type Explanation } from '@plumb/engines';
import { createExplainTool, explainToolInputSchema } from '@plumb/models';
import { PlumbError, type ChatCompletionRequest, type ChatMessage } from '@plumb/protocol';
import { z } from 'zod';
import type { ServerTool } from '../debug-sessions/create-debugger-tools.ts';
import type { CodeGraphService } from './create-code-graph-service.ts';

/** The name of the explain tool Plumb adds to a request with `repository`. */
export const explainToolName = 'explain_code';
export const defaultRepositoryTokenBudget = 1024;
/** Identifiers from the newest user message that steer the ranking, at most. */
const maximumFocusIdentifiers = 40;

export interface RepositoryContext {
  name: string;
  revision: number;
  /** The system message carrying the map (its whole text fits the token budget). */
  message: ChatMessage;
  /** Estimated tokens of the message. */
  mapTokens: number;
  definitionsShown: number;
  /** Empty when the request is streamed (no tool rounds). */
  tools: Map<string, ServerTool>;
  warnings: string[];
}

/** What `plumb.repository` reports about a request's repository context. */
export interface RepositoryReport {
  name: string;
  revision: number;
  map_tokens: number;
  definitions_shown: number;
  tool_calls: { name: string; arguments: unknown; result: unknown }[];
}

/**
 * The repository context of one chat request: a repo map of the caller's uploaded repository ranked for the
 * conversation (focus files: those given plus every indexed path the messages mention; focus identifiers:
 * identifier-shaped words of the newest user message) packed into the token budget as a system message, and,
 * unless `withTools` is false, the explain tool Plumb runs when the model calls it. An unknown repository is
 * `repository_not_found` (from the code graph service).
 *
 * @example
 * const context = await buildRepositoryContext({ codeGraph, owner, repository: 'shop', messages, withTools: true });
 * const messages = [context.message, ...history, ...request.messages];
 */
export async function buildRepositoryContext(options: {
  codeGraph: CodeGraphService;
  owner: string | null;
  repository: NonNullable<ChatCompletionRequest['repository']>;
  messages: readonly ChatMessage[];
  withTools: boolean;
  /** Called after each explain the model asked for (metering). */
  onExplain?: (explanation: Explanation, durationSeconds: number) => Promise<void>;
}): Promise<RepositoryContext> {
  const settings = typeof options.repository === 'string' ? { name: options.repository } : options.repository;
  const { name } = settings;
  const { graph } = await options.codeGraph.graph(options.owner, name);
  const warnings: string[] = [];

  const givenFiles = settings.focus_files ?? [];
  const unknownFiles = givenFiles.filter((path) => !graph.files.has(path));
  if (unknownFiles.length > 0)
    warnings.push(
      `repository.focus_files not indexed in "${name}" (ignored): ${unknownFiles.slice(0, 5).join(', ')}${unknownFiles.length > 5 ? ', ...' : ''}.`,
    );
  const conversation = options.messages.map(messageText).join('\n');
  const focusFiles = [
    ...new Set([
      ...givenFiles.filter((path) => graph.files.has(path)),
      ...mentionedPaths(graph, conversation),
    ]),
  ];
  const newestUserMessage = options.messages.findLast((message) => message.role === 'user');
  const focusIdentifiers = identifiersIn(graph, newestUserMessage ? messageText(newestUserMessage) : '');

  const header =
    `Repository map of "${name}" (revision ${graph.revision}, ${graph.files.size} files): the definitions most relevant ` +
    'to this conversation, ranked, as `path:` followed by indented signatures. Refer to these real paths and names.' +
    (options.withTools
      ? ` Call ${explainToolName} with a symbol, file or folder for its purpose, dependencies, dependents, entry points and tests.`
      : '') +
    '\n\n';
  const budget = settings.token_budget ?? defaultRepositoryTokenBudget;
  // The budget covers the whole message, so the map gets what the header leaves (plus the one character of
  // rounding two estimates can add).
  const map = buildRepoMap({
    graph,
    focusFiles,
    focusIdentifiers,
    tokenBudget: Math.max(0, budget - estimateTokens(header) - 1),
  });
  const content = header + (map.text === '' ? '(no definitions fit the token budget)\n' : map.text);
  if (map.omitted > 0 && map.definitions.length === 0)
    warnings.push(`repository.token_budget ${budget} is too small to show any definition of "${name}".`);

  const tools = new Map<string, ServerTool>();
  if (options.withTools) tools.set(explainToolName, explainServerTool(options, name));
  return {
    name,
    revision: graph.revision,
    message: { role: 'system', content },
    mapTokens: estimateTokens(content),
    definitionsShown: map.definitions.length,
    tools,
    warnings,
  };
}

/** The models package's explain tool, run by Plumb against the caller's repository. */
function explainServerTool(options: Parameters<typeof buildRepositoryContext>[0], name: string): ServerTool {
  const explainTool = createExplainTool({
    explain: async (target, limit) => {
      const started = performance.now();
      const explanation = await options.codeGraph.explain(options.owner, name, target, limit);
      await options.onExplain?.(explanation, (performance.now() - started) / 1000);
      return explanation;
    },
  });
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(explainToolInputSchema) as Record<
    string,
    unknown
  >;
  return {
    definition: {
      type: 'function',
      function: { name: explainToolName, description: explainTool.description ?? '', parameters },
    },
    async execute(input) {
      const parsed = explainToolInputSchema.safeParse(input);
      if (!parsed.success)
        throw new PlumbError(
          'invalid_request',
          `${explainToolName} takes {"target": "<symbol, file or folder>", "limit"?: 1-20}: ${z.prettifyError(parsed.error)}`,
          { param: 'target' },
        );
      return explainTool.execute!(parsed.data, { toolCallId: explainToolName, messages: [] });
    },
  };
}

function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/**
 * Indexed paths the text mentions: whole paths (`src/orders/checkout.ts`), path tails (`orders/checkout.ts`)
 * and file names (`checkout.ts`) that name exactly one indexed file.
 */
function mentionedPaths(graph: CodeGraph, text: string): string[] {
  const found = new Set<string>();
  const candidates = new Set(
    (text.match(/[\w@$.\-/]+/g) ?? [])
      .map((token) => token.replace(/^\.\//, '').replace(/[.:,]+$/, ''))
      .filter((token) => token.length > 2 && /\.\w+$/.test(token)),
  );
  if (candidates.size === 0) return [];
  const paths = [...graph.files.keys()];
  for (const candidate of [...candidates].slice(0, 200)) {
    if (graph.files.has(candidate)) {
      found.add(candidate);
      continue;
    }
    const matches = paths.filter((path) => path.endsWith(`/${candidate}`));
    if (matches.length === 1) found.add(matches[0]!);
  }
  return [...found];
}

/**
 * Words of the text that look like code: camelCase, PascalCase with an inner capital, snake_case, words with
 * digits, words in backticks, followed by `(` or after a `.`; a capitalised plain word (`Order`) counts when the
 * repository defines it. Prose words (`the`, `What`) do not, so they cannot pull unrelated definitions up.
 */
function identifiersIn(graph: CodeGraph, text: string): string[] {
  let definedNames: Set<string> | undefined;
  const identifiers = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const word = match[0];
    const before = text[match.index - 1] ?? '';
    const after = text[match.index + word.length] ?? '';
    const codeShaped =
      /[a-z0-9][A-Z]/.test(word) ||
      /[A-Za-z0-9]_[A-Za-z0-9]/.test(word) ||
      /[A-Za-z]\d/.test(word) ||
      before === '`' ||
      before === '.' ||
      after === '(';
    let accepted = codeShaped;
    if (!accepted && /^[A-Z][a-z]/.test(word)) {
      definedNames ??= new Set([...graph.definitions.values()].map((definition) => definition.name));
      accepted = definedNames.has(word);
    }
    if (accepted) identifiers.add(word);
    if (identifiers.size >= maximumFocusIdentifiers) break;
  }
  return [...identifiers];
}

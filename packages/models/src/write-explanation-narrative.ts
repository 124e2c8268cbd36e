import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Explanation } from '@plumb/engines';
import type { Usage } from '@plumb/protocol';
import { formatProviderWarning } from './format-provider-warning.ts';
import { mapUpstreamError } from './map-upstream-error.ts';
import { toUsage } from './to-usage.ts';

/** The versioned instructions for onboarding narratives; bump the version when the wording changes. */
export const explanationPromptVersion = 'explain-2026-12';

const instructions = `You explain code to an engineer who is new to this repository.
You are given facts extracted from the repository's code graph as JSON. Write a short narrative in Markdown:
what the target is for, how it works with its key dependencies, who depends on it, how requests reach it, and
how it is tested. Use only the facts given. Every sentence that states a fact must cite its source as
\`path:line\`, copied exactly from the facts. Do not invent files, lines, names or behaviour. If the facts do
not say something, say that it is not visible in the code graph.`;

export interface ExplanationNarrative {
  text: string;
  usage: Usage;
  promptVersion: string;
  /** Citations the model wrote that are not in the facts (removed from `text`). */
  unknownCitations: string[];
  warnings: string[];
}

/**
 * Has a model write the onboarding narrative from the graph's facts. Citations are checked against the facts:
 * a `path:line` the facts do not contain is struck from the text and reported, so every citation that
 * remains points at code the graph saw.
 *
 * @example const narrative = await writeExplanationNarrative({ model, modelName: 'local/qwen', explanation });
 */
export async function writeExplanationNarrative(options: {
  model: LanguageModelV3;
  modelName: string;
  explanation: Explanation;
  abortSignal?: AbortSignal;
  maxOutputTokens?: number;
}): Promise<ExplanationNarrative> {
  const { diagram: _diagram, ...facts } = options.explanation;
  const factsText = JSON.stringify(facts, null, 1);
  const system = `${instructions}\n(prompt ${explanationPromptVersion})`;
  let result;
  try {
    result = await options.model.doGenerate({
      prompt: [
        { role: 'system', content: system },
        { role: 'user', content: [{ type: 'text', text: `Facts:\n${factsText}` }] },
      ],
      maxOutputTokens: options.maxOutputTokens ?? 1_200,
      temperature: 0,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
  } catch (error) {
    throw mapUpstreamError(error, {
      modelName: options.modelName,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
  }
  const raw = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const known = knownCitations(options.explanation);
  const unknownCitations: string[] = [];
  const text = raw.replace(/`?([\w./@-]+\.\w+):(\d+)`?/g, (match, path: string, line: string) => {
    const citation = `${path}:${line}`;
    if (known.has(citation)) return match;
    unknownCitations.push(citation);
    return '[citation removed: not in the code graph]';
  });
  const warnings = result.warnings.map(formatProviderWarning);
  if (unknownCitations.length > 0)
    warnings.push(
      `The model cited ${unknownCitations.length} place(s) the code graph does not contain (${unknownCitations.slice(0, 5).join(', ')}); they were removed.`,
    );
  const { usage } = toUsage(result.usage, {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: factsText },
    ],
    completionText: raw,
  });
  return { text, usage, promptVersion: explanationPromptVersion, unknownCitations, warnings };
}

function knownCitations(explanation: Explanation): Set<string> {
  const known = new Set<string>();
  const add = (citation: { path: string; line: number }) => known.add(`${citation.path}:${citation.line}`);
  add(explanation.target);
  if (explanation.purpose) add(explanation.purpose.at);
  for (const unit of explanation.surface) add(unit);
  for (const relation of [...explanation.dependencies, ...explanation.dependents]) {
    add(relation.unit);
    relation.at.forEach(add);
  }
  for (const entry of explanation.entryPoints) {
    add(entry.at);
    entry.via.forEach(add);
  }
  explanation.tests.forEach(add);
  return known;
}

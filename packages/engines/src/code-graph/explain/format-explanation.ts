import type { Citation, Explanation, Relation } from './explain-target.ts';

/**
 * The model-free onboarding answer: a Markdown report built only from the graph, every claim with its
 * `file:line`. With a model, the same `Explanation` is handed over and the model writes the narrative.
 *
 * @example formatExplanation(explanation).split('\n')[0] // => '# CheckoutService (class)'
 */
export function formatExplanation(explanation: Explanation): string {
  const { target } = explanation;
  const out: string[] = [`# ${target.name} (${target.kind})`, ''];
  out.push(`Defined at ${cite(target)}${target.language ? ` (${target.language})` : ''}.`);
  if (target.signature) out.push('', '```', target.signature, '```');
  out.push('', '## Purpose', '');
  out.push(
    explanation.purpose
      ? `${explanation.purpose.text.trim()} (${cite(explanation.purpose.at)})`
      : 'No doc comment; the relations below are what the code says about it.',
  );

  if (explanation.surface.length > 0) {
    out.push('', '## Public surface', '');
    for (const unit of explanation.surface)
      out.push(`- \`${shorten(unit.signature ?? unit.name)}\` (${cite(unit)})`);
  }
  section(out, 'Key dependencies', 'what it uses, most used first', explanation.dependencies);
  section(out, 'Dependents', 'who uses it', explanation.dependents);
  if (explanation.externalPackages.length > 0)
    out.push(
      '',
      '## External packages',
      '',
      explanation.externalPackages.map((name) => `\`${name}\``).join(', '),
    );

  out.push('', '## Entry points that reach it', '');
  if (explanation.entryPoints.length === 0)
    out.push('None found (no route, command, main or job leads here).');
  for (const entry of explanation.entryPoints) {
    const chain = entry.via.map((unit) => unit.name).join(' → ');
    out.push(`- ${entry.kind} \`${entry.label}\` at ${cite(entry.at)}: ${chain}`);
  }

  out.push('', '## Tests', '');
  if (explanation.tests.length === 0) out.push('No test references it.');
  for (const test of explanation.tests) out.push(`- ${test.name ? `\`${test.name}\` in ` : ''}${cite(test)}`);

  out.push('', '## Neighbourhood', '', '```mermaid', explanation.diagram, '```');
  if (explanation.warnings.length > 0) {
    out.push('', '## Notes', '');
    for (const warning of explanation.warnings) out.push(`- ${warning}`);
  }
  return `${out.join('\n')}\n`;
}

function section(out: string[], title: string, subtitle: string, relations: Relation[]): void {
  out.push('', `## ${title}`, '', `_${subtitle}_`, '');
  if (relations.length === 0) {
    out.push('None.');
    return;
  }
  for (const relation of relations) {
    const kinds = relation.kinds.length > 0 ? relation.kinds.join(', ') : 'imports';
    const uncertain =
      relation.confidence < 1
        ? ` (one of several candidates, confidence ${relation.confidence.toFixed(2)})`
        : '';
    const at = relation.at.map(cite).join(', ');
    out.push(
      `- \`${relation.unit.name}\` (${relation.unit.kind}, ${cite(relation.unit)}): ${kinds} ×${relation.count}${uncertain}; at ${at}`,
    );
  }
}

/** Long signatures (constructors with many injected services) on one readable line. */
function shorten(signature: string): string {
  const line = signature.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/,? \)/g, ')');
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function cite(citation: Citation): string {
  return `${citation.path}:${citation.line}`;
}

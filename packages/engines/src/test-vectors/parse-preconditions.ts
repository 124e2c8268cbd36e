import type { ParameterConstraints } from './type-shape.ts';

const numberPattern = String.raw`(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)`;

/**
 * Reads preconditions from prose: a parameter's own description, plus sentences of the summary that name the
 * parameter. Understands "between 1 and 100" (inclusive), "from 1 to 10", "at least 3", "at most 7",
 * "non-negative", "positive", "negative", "n > 0" / "2 <= base <= 36" comparisons, "non-empty", "sorted",
 * "an integer" / "whole number", and formats ("email", "ISO date", "URL", "UUID", "path").
 *
 * @example parsePreconditions('the page size, between 1 and 100', 'size', '') // => { minimum: 1, maximum: 100 }
 */
export function parsePreconditions(
  description: string,
  parameterName: string,
  summary: string,
): ParameterConstraints {
  const constraints: ParameterConstraints = {};
  const escapedName = parameterName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const relevantSummary = summary
    .split(/(?<=[.;])\s+/)
    .filter((sentence) => new RegExp(String.raw`(^|[^\w])\`?${escapedName}\`?([^\w]|$)`).test(sentence))
    .join(' ');
  const text = `${description} ${relevantSummary}`.toLowerCase();
  const nameLower = parameterName.toLowerCase();
  const escapedLower = escapedName.toLowerCase();

  const between = new RegExp(
    String.raw`(?:between|from)\s+${numberPattern}\s+(?:and|to)\s+${numberPattern}`,
  ).exec(text);
  if (between) {
    constraints.minimum = Number(between[1]);
    constraints.maximum = Number(between[2]);
  }
  const atLeast = new RegExp(
    String.raw`(?:at least|no less than|minimum(?: of)?|>=)\s*${numberPattern}`,
  ).exec(text);
  if (atLeast && constraints.minimum === undefined) constraints.minimum = Number(atLeast[1]);
  const atMost = new RegExp(String.raw`(?:at most|no more than|maximum(?: of)?|<=)\s*${numberPattern}`).exec(
    text,
  );
  if (atMost && constraints.maximum === undefined) constraints.maximum = Number(atMost[1]);

  // Comparisons that name the parameter: "n > 0", "2 <= base <= 36", "0 < x".
  const chained = new RegExp(
    String.raw`${numberPattern}\s*(<=|<|≤)\s*\`?${escapedLower}\`?\s*(<=|<|≤)\s*${numberPattern}`,
  ).exec(text);
  if (chained) {
    setLower(constraints, Number(chained[1]), chained[2] === '<');
    setUpper(constraints, Number(chained[4]), chained[3] === '<');
  } else {
    const right = new RegExp(String.raw`\`?\b${escapedLower}\b\`?\s*(>=|>|<=|<|≥|≤)\s*${numberPattern}`).exec(
      text,
    );
    if (right) applyComparison(constraints, right[1] ?? '', Number(right[2]));
    const left = new RegExp(String.raw`${numberPattern}\s*(<=|<|≤)\s*\`?\b${escapedLower}\b`).exec(text);
    if (left) setLower(constraints, Number(left[1]), left[2] === '<');
  }

  if (/\bnon-?negative\b/.test(text) && constraints.minimum === undefined) constraints.minimum = 0;
  else if (
    /\b(strictly )?positive\b/.test(text) &&
    constraints.minimum === undefined &&
    constraints.exclusiveMinimum === undefined
  )
    constraints.exclusiveMinimum = 0;
  else if (/\bnegative\b/.test(text) && !/non-?negative/.test(text) && constraints.maximum === undefined)
    constraints.exclusiveMaximum = 0;
  if (/\b(an? )?(integer|whole number|int)\b/.test(text) || /\bcount of\b/.test(text))
    constraints.integer = true;
  if (/\bnon-?empty\b|\bnot empty\b|\bat least one (element|item|character|entry)\b/.test(text))
    constraints.nonEmpty = true;
  // "Sorted copy of items" in a summary describes the result, not the input: only the parameter's own
  // description, or a sentence that says the input must already be sorted, makes it a precondition.
  const sortedInput =
    /\bsorted\b|\bin ascending order\b/.test(description.toLowerCase()) ||
    /\b(must be|should be|already|assumed to be|expects? an?|assumes? an?)\s+(sorted|in ascending order)\b/.test(
      relevantSummary.toLowerCase(),
    );
  if (sortedInput && !/\bun-?sorted\b/.test(text)) constraints.sorted = true;
  if (/\be-?mail\b/.test(text)) constraints.format = 'email';
  else if (/\biso[ -]?(8601 )?date\b|\bdate string\b|\byyyy-mm-dd\b/.test(text))
    constraints.format = 'iso-date';
  else if (/\burl\b|\buri\b/.test(text)) constraints.format = 'url';
  else if (/\buuid\b/.test(text)) constraints.format = 'uuid';
  else if (/\bfile ?path\b|\bpath\b/.test(text) && /path|file|dir/.test(nameLower))
    constraints.format = 'path';
  return constraints;
}

function applyComparison(constraints: ParameterConstraints, operator: string, value: number): void {
  if (operator === '>') setLower(constraints, value, true);
  else if (operator === '>=' || operator === '≥') setLower(constraints, value, false);
  else if (operator === '<') setUpper(constraints, value, true);
  else setUpper(constraints, value, false);
}

function setLower(constraints: ParameterConstraints, value: number, exclusive: boolean): void {
  if (exclusive) constraints.exclusiveMinimum = value;
  else constraints.minimum = value;
}

function setUpper(constraints: ParameterConstraints, value: number, exclusive: boolean): void {
  if (exclusive) constraints.exclusiveMaximum = value;
  else constraints.maximum = value;
}

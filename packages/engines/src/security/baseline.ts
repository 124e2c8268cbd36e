import { PlumbError } from '@plumb/protocol';
import type { SecurityFinding } from './security-finding.ts';

/** A baseline: fingerprints of findings a team has accepted, so only new findings are reported. */
export interface SecurityBaseline {
  version: 1;
  createdAt: string;
  fingerprints: { fingerprint: string; ruleId: string; file: string }[];
}

/**
 * A baseline of the given findings (write it as JSON and pass it back as the scan's `baseline` option).
 *
 * @example createBaseline(result.findings).fingerprints.length === result.findings.length // => true
 */
export function createBaseline(findings: SecurityFinding[]): SecurityBaseline {
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    fingerprints: findings.map((finding) => ({
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      file: finding.file,
    })),
  };
}

/**
 * The set of fingerprints of a baseline given as an object or JSON text. Throws PlumbError `baseline_invalid`
 * when it is not a baseline.
 *
 * @example baselineFingerprints('{"version":1,"createdAt":"","fingerprints":[]}').size // => 0
 */
export function baselineFingerprints(baseline: unknown): Set<string> {
  let value = baseline;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new PlumbError(
        'baseline_invalid',
        `The baseline is not valid JSON (${(error as Error).message}). Regenerate it with createBaseline(findings).`,
        { param: 'baseline', cause: error },
      );
    }
  }
  const entries = (value as { fingerprints?: unknown } | null)?.fingerprints;
  if (typeof value !== 'object' || value === null || !Array.isArray(entries))
    throw new PlumbError(
      'baseline_invalid',
      'The baseline must be an object with a "fingerprints" array. Regenerate it with createBaseline(findings).',
      { param: 'baseline' },
    );
  const fingerprints = new Set<string>();
  entries.forEach((entry: unknown, index) => {
    const fingerprint =
      typeof entry === 'string' ? entry : (entry as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== 'string' || !/^[0-9a-f]{8,64}$/.test(fingerprint))
      throw new PlumbError(
        'baseline_invalid',
        `Baseline entry ${index} has no valid "fingerprint" (hex string). Regenerate the baseline with createBaseline(findings).`,
        { param: `baseline.fingerprints.${index}` },
      );
    fingerprints.add(fingerprint);
  });
  return fingerprints;
}

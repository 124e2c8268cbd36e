import type { GuardReport } from '@plumb/protocol';
import type { Guard, GuardFinding, GuardVerdict } from './guard.ts';

const actionRank: Record<GuardReport['action'], number> = { pass: 0, annotate: 1, rewrite: 2, block: 3 };

export interface GuardReportCollector {
  /**
   * Runs one guard check and returns its verdict for the caller to apply and `record`. A check that throws
   * (or returns no verdict) is recorded as `pass` with a warning, and null is returned.
   */
  run(guard: Guard, check: () => Promise<GuardVerdict> | GuardVerdict): Promise<GuardVerdict | null>;
  /** Records the action a guard's verdict had (which may be weaker than asked: a sent stream cannot be rewritten). */
  record(guard: Guard, action: GuardReport['action'], findings: GuardFinding[]): void;
  /** One report per guard that ran, in guard order: its strongest action and all its findings. */
  reports(): GuardReport[];
}

/**
 * Collects what each guard did across all its checks of one answer (every code block, then the whole
 * answer). A guard that throws does not lose the answer: its report says `pass` with a warning.
 *
 * @example
 * const collector = createGuardReportCollector(guards);
 * const verdict = await collector.run(guard, () => guard.checkAnswer!(answer, context));
 * if (verdict) collector.record(guard, verdict.action, verdict.findings ?? []);
 */
export function createGuardReportCollector(guards: readonly Guard[]): GuardReportCollector {
  const byGuard = new Map<Guard, GuardReport>();

  function record(guard: Guard, action: GuardReport['action'], findings: GuardFinding[]): void {
    const report = byGuard.get(guard) ?? { guard: guard.name, action: 'pass', findings: [] };
    if (actionRank[action] > actionRank[report.action]) report.action = action;
    report.findings.push(...findings);
    byGuard.set(guard, report);
  }

  async function run(
    guard: Guard,
    check: () => Promise<GuardVerdict> | GuardVerdict,
  ): Promise<GuardVerdict | null> {
    let verdict: GuardVerdict;
    try {
      verdict = await check();
      if (!isVerdict(verdict))
        throw new Error(`returned ${JSON.stringify(verdict) ?? 'undefined'} instead of a verdict`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      record(guard, 'pass', [{ severity: 'warning', message: `guard ${guard.name} failed: ${reason}` }]);
      return null;
    }
    return verdict;
  }

  function reports(): GuardReport[] {
    return guards.flatMap((guard) => {
      const report = byGuard.get(guard);
      return report ? [{ ...report, findings: [...report.findings] }] : [];
    });
  }

  return { run, record, reports };
}

function isVerdict(value: unknown): value is GuardVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const verdict = value as { action?: unknown; content?: unknown };
  if (verdict.action === 'rewrite') return typeof verdict.content === 'string';
  return verdict.action === 'pass' || verdict.action === 'annotate' || verdict.action === 'block';
}

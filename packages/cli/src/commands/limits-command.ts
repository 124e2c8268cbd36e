import { Command, InvalidArgumentError } from 'commander';
import { createUsageStore, type UsageLimits } from '@plumb/server';
import { failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import {
  addAdminStorageOptions,
  withAdminStorage,
  type AdminStorageOptions,
} from './admin-storage-options.ts';

interface SetOptions extends AdminStorageOptions {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  tokensPerMonth?: number;
  computeUnitsPerDay?: number;
  spendUsdPerMonth?: number;
}

const pickUpNote = 'The running server picks limits up within 5 s.';

/**
 * `plumb limits set | show`: rate limits and budgets per billing subject (`client:<id>`, `key:<id>` or
 * `anonymous`), in the server's data directory; a running server applies them within 5 s. `set` replaces
 * every limit of the subject: the flags left out become unlimited.
 *
 * @example
 * program.addCommand(createLimitsCommand(io)); // plumb limits set client:ci-bot --tokens-per-month 2000000
 */
export function createLimitsCommand(io: ProgramIo): Command {
  const limits = new Command('limits').description(
    'Manage rate limits and budgets per billing subject (in the server data directory).',
  );

  const set = addAdminStorageOptions(
    new Command('set')
      .description(
        `Set the limits of a billing subject. Replaces all its limits: a flag left out means unlimited (no flags: no limits). ${pickUpNote}`,
      )
      .argument('<billing-subject>', 'client:<client_id>, key:<api key id> or anonymous', parseSubject)
      .option('--requests-per-minute <n>', 'requests per sliding minute, per server process', positiveInteger)
      .option(
        '--tokens-per-minute <n>',
        'tokens (in + out) per sliding minute, per server process',
        positiveInteger,
      )
      .option('--tokens-per-month <n>', 'tokens (in + out) per UTC calendar month', nonNegativeInteger)
      .option('--compute-units-per-day <n>', 'Compute Units per UTC day', nonNegativeNumber)
      .option('--spend-usd-per-month <usd>', 'spend in US dollars per UTC calendar month', nonNegativeNumber)
      .addHelpText(
        'after',
        '\nRate limits count per server process; budgets come from the usage ledger, across processes.\n' +
          'A subject over a budget gets 402 quota_exceeded, over a rate limit 429 rate_limited (with Retry-After).',
      ),
  ).action(async (subject: string, options: SetOptions, command: Command) => {
    const values: UsageLimits = {
      billing_subject: subject,
      requests_per_minute: options.requestsPerMinute ?? null,
      tokens_per_minute: options.tokensPerMinute ?? null,
      tokens_per_month: options.tokensPerMonth ?? null,
      compute_units_per_day: options.computeUnitsPerDay ?? null,
      spend_nanos_per_month:
        options.spendUsdPerMonth === undefined ? null : Math.round(options.spendUsdPerMonth * 1e9),
    };
    await withAdminStorage(io, command, options, (storage) => createUsageStore(storage.db).setLimits(values));
    if (options.json) {
      io.stdout.write(`${JSON.stringify(toLimitsJson(values), null, 2)}\n`);
      return;
    }
    io.stdout.write(formatLimits([values]));
    io.stderr.write(`${pickUpNote}\n`);
  });

  const show = addAdminStorageOptions(
    new Command('show')
      .description('Show the limits of one billing subject, or of every subject that has any.')
      .argument('[billing-subject]', 'client:<client_id>, key:<api key id> or anonymous', parseSubject),
  ).action(async (subject: string | undefined, options: AdminStorageOptions, command: Command) => {
    const found = await withAdminStorage(io, command, options, async (storage) => {
      const store = createUsageStore(storage.db);
      if (subject === undefined) return store.listLimits();
      const one = await store.getLimits(subject);
      return one === undefined ? undefined : [one];
    });
    if (found === undefined) {
      failCommand(
        command,
        `error not_found: No limits for "${subject}": it is unlimited. plumb limits show lists all.`,
      );
    }
    if (options.json) {
      const data = found.map(toLimitsJson);
      io.stdout.write(
        `${JSON.stringify(subject === undefined ? { object: 'list', data } : data[0], null, 2)}\n`,
      );
      return;
    }
    if (found.length === 0) {
      io.stderr.write('No limits are set: every billing subject is unlimited.\n');
      return;
    }
    io.stdout.write(formatLimits(found));
  });

  return limits.addCommand(set).addCommand(show);
}

/** The stored row plus the spend budget in dollars, as `PUT /v3/admin/limits/:subject` answers. */
function toLimitsJson(limits: UsageLimits) {
  return {
    object: 'limits',
    ...limits,
    spend_usd_per_month: limits.spend_nanos_per_month === null ? null : limits.spend_nanos_per_month / 1e9,
  };
}

function formatLimits(all: UsageLimits[]): string {
  const value = (limit: number | null) => (limit === null ? '-' : String(limit));
  const rows = all.map((limits) => [
    limits.billing_subject,
    value(limits.requests_per_minute),
    value(limits.tokens_per_minute),
    value(limits.tokens_per_month),
    value(limits.compute_units_per_day),
    limits.spend_nanos_per_month === null ? '-' : `$${limits.spend_nanos_per_month / 1e9}`,
  ]);
  const header = ['SUBJECT', 'REQUESTS/MIN', 'TOKENS/MIN', 'TOKENS/MONTH', 'CU/DAY', 'SPEND/MONTH'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  return [header, ...rows]
    .map(
      (cells) =>
        `${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`,
    )
    .join('');
}

function parseSubject(value: string): string {
  if (value === 'anonymous' || /^(client|key):\S+$/.test(value)) return value;
  throw new InvalidArgumentError(
    `"${value}" is not a billing subject. Use client:<client_id>, key:<api key id> (plumb keys list) or anonymous.`,
  );
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1.`);
  }
  return Number(value);
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number (0 or more).`);
  return Number(value);
}

function nonNegativeNumber(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not a number (0 or more, such as 25 or 12.5).`);
  }
  return Number(value);
}

import { Command, InvalidArgumentError, Option } from 'commander';
import { failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import {
  addRemoteOptions,
  createRemoteClient,
  formatRemoteError,
  type RemoteOptions,
} from './remote-options.ts';

const usageGroups = ['model', 'operation', 'client'] as const;
type UsageGroup = (typeof usageGroups)[number];

interface UsageOptions extends RemoteOptions {
  start?: number;
  end?: number;
  bucket: '1h' | '1d';
  groupBy?: UsageGroup[];
  subject?: string;
}

interface EstimateOptions extends RemoteOptions {
  model: string;
  mode: 'code' | 'chat';
  maxTokens?: number;
}

/** One result of a bucket of `GET /v3/usage` (OpenAI's usage API shape plus CU and cost). */
interface UsageResult {
  input_tokens: number;
  output_tokens: number;
  input_cached_tokens: number;
  num_model_requests: number;
  compute_units: number;
  cost_usd: number;
  model?: string | null;
  operation?: string | null;
  client?: string | null;
}

interface UsagePage {
  object: 'page';
  data: Array<{ start_time: number; end_time: number; results: UsageResult[] }>;
}

interface UsageEstimate {
  model: string;
  prompt_tokens: number;
  max_completion_tokens: number;
  prices: { input_per_million: number; output_per_million: number };
  estimated_cost_usd: number;
  note: string;
}

interface RateCard {
  version: string;
  operations: Record<string, { rate: number; unit: string; minimum: number; unitsPerSecond: number }>;
}

/**
 * `plumb usage [show] [--start] [--end] [--bucket 1h|1d] [--group-by ...] [--subject]` (GET /v3/usage, a
 * table per time bucket and a total), `plumb usage estimate` (POST /v3/usage/estimate: the price of a prompt before it
 * runs) and `plumb usage rate-card` (GET /v3/usage/rate-card). All need the `usage:read` scope; only admins
 * see other subjects' usage.
 *
 * @example
 * program.addCommand(createUsageCommand(io)); // plumb usage --start 2026-01-01 --bucket 1d --group-by model
 */
export function createUsageCommand(io: ProgramIo): Command {
  const usage = new Command('usage').description(
    'Show metered usage (tokens, requests, Compute Units, cost), price a prompt, or show the CU rate card.',
  );

  // `show` is the default, so `plumb usage --start ...` works as is. A subcommand rather than options on
  // `usage` itself: commander would let `usage` take the subcommands' --url, --api-key and --json.
  const show = addRemoteOptions(
    new Command('show')
      .description('Show usage per time bucket, with a total (the default of plumb usage).')
      .option(
        '--start <date|unix>',
        'start of the period: ISO date or unix seconds (default: 7 days ago)',
        parseTime,
      )
      .option(
        '--end <date|unix>',
        'end of the period, exclusive: ISO date or unix seconds (default: now)',
        parseTime,
      )
      .addOption(
        new Option('--bucket <size>', 'time bucket: 1h (up to 168 per request) or 1d (up to 31)')
          .choices(['1h', '1d'])
          .default('1d'),
      )
      .option('--group-by <list>', `comma-separated: ${usageGroups.join(', ')}`, parseGroups)
      .option(
        '--subject <billing-subject>',
        'client:<id>, key:<id> or anonymous (admins only; default: all for admins, else your own)',
      ),
    io.environment,
  ).action(async (options: UsageOptions, command: Command) => {
    const query = new URLSearchParams({ bucket: options.bucket });
    if (options.start !== undefined) query.set('start', String(options.start));
    if (options.end !== undefined) query.set('end', String(options.end));
    if (options.groupBy && options.groupBy.length > 0) query.set('group_by', options.groupBy.join(','));
    if (options.subject !== undefined) query.set('subject', options.subject);
    let page: UsagePage;
    try {
      page = await createRemoteClient(options).request<UsagePage>('GET', `/v3/usage?${query.toString()}`);
    } catch (error) {
      failCommand(command, formatRemoteError(error));
    }
    if (options.json) io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    else io.stdout.write(formatUsagePage(page, options.groupBy ?? []));
  });

  const estimate = addRemoteOptions(
    new Command('estimate')
      .description(
        'Price a prompt before sending it (prompt tokens counted by the server, output at most --max-tokens).',
      )
      .argument('<prompt>', 'the prompt text')
      .requiredOption('--model <provider/model-id>', 'the model whose prices apply (plumb models lists them)')
      .addOption(
        new Option('--mode <mode>', 'code adds the code system prompt (counted too); chat passes through')
          .choices(['code', 'chat'])
          .default('code'),
      )
      .option(
        '--max-tokens <n>',
        'output tokens at most (default: the server assumes 1024)',
        parsePositiveInteger,
      ),
    io.environment,
  ).action(async (prompt: string, options: EstimateOptions, command: Command) => {
    let result: UsageEstimate;
    try {
      result = await createRemoteClient(options).request<UsageEstimate>('POST', '/v3/usage/estimate', {
        model: options.model,
        mode: options.mode,
        messages: [{ role: 'user', content: prompt }],
        ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
      });
    } catch (error) {
      failCommand(command, formatRemoteError(error));
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    io.stdout.write(
      `model:          ${result.model}\n` +
        `prompt tokens:  ${result.prompt_tokens}\n` +
        `output tokens:  ${result.max_completion_tokens} at most\n` +
        `prices:         $${result.prices.input_per_million} in / $${result.prices.output_per_million} out per 1M tokens\n` +
        `estimated cost: $${formatUsd(result.estimated_cost_usd)}\n`,
    );
    io.stderr.write(`${result.note}\n`);
  });

  const rateCard = addRemoteOptions(
    new Command('rate-card').description(
      'Show the Compute Unit rate card: CU = rate x max(minimum, max(work units, seconds x units/s)).',
    ),
    io.environment,
  ).action(async (options: RemoteOptions, command: Command) => {
    let card: RateCard;
    try {
      card = await createRemoteClient(options).request<RateCard>('GET', '/v3/usage/rate-card');
    } catch (error) {
      failCommand(command, formatRemoteError(error));
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
      return;
    }
    io.stdout.write(`rate card ${card.version}\n`);
    io.stdout.write(
      formatTable(
        ['OPERATION', 'CU PER UNIT', 'UNIT', 'MINIMUM', 'UNITS/S'],
        Object.entries(card.operations).map(([operation, rate]) => [
          operation,
          String(rate.rate),
          rate.unit,
          String(rate.minimum),
          String(rate.unitsPerSecond),
        ]),
      ),
    );
  });

  return usage.addCommand(show, { isDefault: true }).addCommand(estimate).addCommand(rateCard);
}

function formatUsagePage(page: UsagePage, groupBy: UsageGroup[]): string {
  const total = { requests: 0, input: 0, output: 0, computeUnits: 0, cost: 0 };
  const sections: string[] = [];
  for (const bucket of page.data) {
    if (bucket.results.length === 0) continue;
    const rows = bucket.results.map((result) => {
      total.requests += result.num_model_requests;
      total.input += result.input_tokens;
      total.output += result.output_tokens;
      total.computeUnits += result.compute_units;
      total.cost += result.cost_usd;
      return [
        ...groupBy.map((group) => result[group] ?? '-'),
        String(result.num_model_requests),
        String(result.input_tokens),
        String(result.output_tokens),
        formatUnits(result.compute_units),
        formatUsd(result.cost_usd),
      ];
    });
    const header = [
      ...groupBy.map((group) => group.toUpperCase()),
      'REQUESTS',
      'TOKENS IN',
      'TOKENS OUT',
      'CU',
      'COST USD',
    ];
    sections.push(
      `${formatTime(bucket.start_time)} .. ${formatTime(bucket.end_time)}\n${formatTable(header, rows)}`,
    );
  }
  const first = page.data[0];
  const last = page.data.at(-1);
  const period = first && last ? `${formatTime(first.start_time)} .. ${formatTime(last.end_time)}` : '';
  if (sections.length === 0) return `No usage in ${period}.\n`;
  return (
    `${sections.join('\n')}\n` +
    `TOTAL ${period}: ${total.requests} requests, ${total.input} tokens in, ${total.output} tokens out, ` +
    `${formatUnits(total.computeUnits)} CU, $${formatUsd(total.cost)}\n`
  );
}

function formatTime(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16)}Z`;
}

function formatUsd(value: number): string {
  return value.toFixed(6);
}

/** CU are kept to 6 decimals by the server; trailing zeros add nothing. */
function formatUnits(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  return [header, ...rows].map((cells) => `${line(cells)}\n`).join('');
}

/** Unix seconds, or anything `Date.parse` reads (2026-01-31, 2026-01-31T12:00Z), as unix seconds. */
function parseTime(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(
      `"${value}" is not a date. Give an ISO date (2026-01-31, 2026-01-31T12:00Z) or unix seconds.`,
    );
  }
  return Math.floor(ms / 1000);
}

function parseGroups(value: string): UsageGroup[] {
  const groups = value.split(/[,\s]+/).filter(Boolean);
  const invalid = groups.filter((group) => !(usageGroups as readonly string[]).includes(group));
  if (groups.length === 0 || invalid.length > 0) {
    throw new InvalidArgumentError(
      `Unknown group ${invalid.join(', ') || '(none given)'}. Use a comma-separated list of ${usageGroups.join(', ')}.`,
    );
  }
  return groups as UsageGroup[];
}

function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`"${value}" is not a positive whole number.`);
  }
  return Number(value);
}

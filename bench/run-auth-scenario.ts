// Auth + metering overhead on the chat path: the same Plumb build with authentication off (baseline), with an
// API key, and with an OAuth 2.0 access token (JWT, ES256), in interleaved rounds of one run.
import { execFileSync } from 'node:child_process';
import { createChatTarget, type ChatTarget } from './chat-target.ts';
import { measureRequestLatency, type LatencyRound } from './measure-request-latency.ts';
import { measureAuthCheckCost } from './measure-auth-check-cost.ts';
import { readProcessCpuTime } from './read-process-cpu-time.ts';
import { checkTarget, formatNumber, formatSigned, type ScenarioReport } from './scenario-report.ts';
import { plumbCli, type ServerPair } from './start-server-pair.ts';
import { median } from './summarize-samples.ts';

export interface AuthScenarioOptions {
  concurrency: number;
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

export interface AuthCredentials {
  apiKey: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Creates an API key and a client_credentials client in a (not yet served) data directory with the CLI, as
 * an operator would.
 *
 * @example
 * const credentials = createBenchCredentials('/tmp/plumb-data');
 */
export function createBenchCredentials(dataDirectory: string): AuthCredentials {
  const cli = (...arguments_: string[]) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', plumbCli, ...arguments_, '--data-dir', dataDirectory, '--json'],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      ),
    ) as Record<string, string>;
  const key = cli('keys', 'create', '--name', 'bench', '--scopes', 'code:read,code:write');
  const client = cli(
    'clients',
    'create',
    '--name',
    'bench',
    '--grant',
    'client_credentials',
    '--scopes',
    'code:read,code:write',
  );
  return { apiKey: key.key!, clientId: client.client_id!, clientSecret: client.client_secret! };
}

/**
 * Measures the three targets at `concurrency` and at 1, interleaved, and reports added latency over the
 * no-auth server (medians over rounds).
 *
 * @example
 * const report = await runAuthScenario({ open: noAuthPair, authed: authPair, credentials }, settings.auth);
 */
export async function runAuthScenario(
  servers: {
    open: ServerPair;
    /** A second no-auth server, identical to `open`: how far two identical servers differ (A/A). */
    control: ServerPair;
    authed: ServerPair;
    credentials: AuthCredentials;
  },
  options: AuthScenarioOptions,
): Promise<ScenarioReport> {
  const accessToken = await fetchAccessToken(servers.authed.plumbOrigin, servers.credentials);
  // Which Plumb process serves each target, to read its CPU time around each round.
  const pidOf = (target: ChatTarget) =>
    target.label === 'no auth (baseline)'
      ? servers.open.plumb.pid
      : target.label === controlLabel
        ? servers.control.plumb.pid
        : servers.authed.plumb.pid;
  const make = (connections: number) => [
    createChatTarget({ label: 'no auth (baseline)', url: servers.open.plumbUrl, connections }),
    createChatTarget({ label: controlLabel, url: servers.control.plumbUrl, connections }),
    createChatTarget({
      label: 'API key',
      url: servers.authed.plumbUrl,
      connections,
      bearer: servers.credentials.apiKey,
    }),
    createChatTarget({ label: 'OAuth JWT', url: servers.authed.plumbUrl, connections, bearer: accessToken }),
  ];
  const controlLabel = 'no auth, 2nd server (A/A)';
  let controlSpread = { p50: Number.NaN, p99: Number.NaN };
  const rows: string[][] = [];
  const data: Record<string, unknown> = {};
  const targets = [];
  for (const concurrency of [options.concurrency, 1]) {
    const chatTargets = make(concurrency);
    try {
      for (const target of chatTargets) {
        await measureRequestLatency({ target, concurrency, durationMs: options.warmupMs });
      }
      const rounds: Array<Array<LatencyRound & { cpuMicrosecondsPerRequest: number }>> = [];
      for (let round = 0; round < options.rounds; round += 1) {
        const order = chatTargets.map((_, index) => chatTargets[(index + round) % chatTargets.length]!);
        const results = new Map<ChatTarget, LatencyRound & { cpuMicrosecondsPerRequest: number }>();
        for (const target of order) {
          const cpuBefore = await readProcessCpuTime(pidOf(target));
          const result = await measureRequestLatency({ target, concurrency, durationMs: options.roundMs });
          const cpuNanoseconds = (await readProcessCpuTime(pidOf(target))) - cpuBefore;
          results.set(target, {
            ...result,
            cpuMicrosecondsPerRequest: cpuNanoseconds / 1e3 / Math.max(1, result.requests),
          });
        }
        rounds.push(chatTargets.map((target) => results.get(target)!));
      }
      const errors = rounds.flat().reduce((sum, round) => sum + round.errors, 0);
      if (errors > 0)
        throw new Error(
          `${errors} requests failed: ${rounds.flat().find((round) => round.firstError)?.firstError ?? ''}`,
        );
      const perTarget = chatTargets.map((target, index) => ({
        label: target.label,
        p50: median(rounds.map((round) => round[index]!.latencyMs.p50)),
        p99: median(rounds.map((round) => round[index]!.latencyMs.p99)),
        requestsPerSecond: median(rounds.map((round) => round[index]!.requestsPerSecond)),
        addedP50: median(rounds.map((round) => round[index]!.latencyMs.p50 - round[0]!.latencyMs.p50)),
        addedP99: median(rounds.map((round) => round[index]!.latencyMs.p99 - round[0]!.latencyMs.p99)),
        cpuMicrosecondsPerRequest: median(rounds.map((round) => round[index]!.cpuMicrosecondsPerRequest)),
        addedCpuMicrosecondsPerRequest: median(
          rounds.map(
            (round) => round[index]!.cpuMicrosecondsPerRequest - round[0]!.cpuMicrosecondsPerRequest,
          ),
        ),
      }));
      data[`concurrency${concurrency}`] = perTarget;
      for (const [index, target] of perTarget.entries()) {
        rows.push([
          target.label,
          String(concurrency),
          formatNumber(target.p50),
          formatNumber(target.p99),
          formatNumber(target.requestsPerSecond, 0),
          index === 0 ? '' : formatSigned(target.addedP50),
          index === 0 ? '' : formatSigned(target.addedP99),
          formatNumber(target.cpuMicrosecondsPerRequest, 0),
          index === 0 ? '' : formatSigned(target.addedCpuMicrosecondsPerRequest, 0),
        ]);
        if (target.label === controlLabel && concurrency === options.concurrency) {
          controlSpread = { p50: target.addedP50, p99: target.addedP99 };
        }
        if (index > 0 && target.label !== controlLabel && concurrency === options.concurrency) {
          targets.push(
            checkTarget({
              name: `added p50, ${target.label}, ${concurrency} concurrent`,
              value: target.addedP50,
              comparison: '<=',
              limit: 0.3,
              unit: 'ms',
            }),
            checkTarget({
              name: `added p99, ${target.label}, ${concurrency} concurrent`,
              value: target.addedP99,
              comparison: '<=',
              limit: 2,
              unit: 'ms',
            }),
          );
        }
      }
    } finally {
      await Promise.all(chatTargets.map((target) => target.pool.close()));
    }
  }
  const costs = await measureAuthCheckCost({ rounds: options.rounds, callsPerRound: 20_000 });
  data.inProcessCosts = costs;
  const costNotes = costs.map(
    (cost) =>
      `  ${cost.label}: ${formatNumber(cost.microsecondsPerCall)} µs per request (× ${options.concurrency} = ${formatNumber((cost.microsecondsPerCall * options.concurrency) / 1000)} ms)`,
  );
  return {
    name: 'auth',
    title: `Auth + metering overhead on the chat path (non-streaming; medians of ${options.rounds} interleaved rounds of ${options.roundMs / 1000} s)`,
    table: {
      headers: [
        'target',
        'concurrency',
        'p50 ms',
        'p99 ms',
        'req/s',
        'added p50',
        'added p99',
        'CPU µs/req',
        'added CPU µs',
      ],
      rows,
    },
    notes: [
      'Baseline: the same Plumb with --insecure-no-auth (metering still records every request as "anonymous").',
      `A/A control: a second, identical no-auth server measured the same way differs from the baseline by ${formatSigned(controlSpread.p50)} ms p50 / ${formatSigned(controlSpread.p99)} ms p99 at ${options.concurrency} concurrent; an "added" of that size or smaller is noise of this machine, not auth.`,
      'API key: SHA-256 + a lookup remembered for 1 s (revocation through the server is immediate, by another process within 1 s); JWT: ES256 check against the local JWKS on first sight, then the verified token is remembered until it expires.',
      'At 64 concurrent the servers are CPU-bound, so "added" mostly measures the extra CPU per request multiplied by the queue: in a closed loop on one core, added latency ≈ concurrency × added CPU per request.',
      'CPU µs/req = CPU time of the serving Plumb process over the round (all threads, /proc schedstat) / requests: what other load on a shared machine changes least.',
      `The same work alone, in this process on a fresh SQLite data directory (medians of ${options.rounds} rounds of 20,000 calls; × ${options.concurrency} is what a CPU-bound closed loop at ${options.concurrency} concurrent would add):`,
      ...costNotes,
    ],
    targets,
    data,
  };
}

async function fetchAccessToken(origin: string, credentials: AuthCredentials): Promise<string> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'code:read code:write' }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

import { sql, type Kysely } from 'kysely';
import type { Database, UsageEventsTable, UsageLimitsTable } from '../storage/database.ts';

export type UsageEvent = UsageEventsTable;
export type UsageLimits = Omit<UsageLimitsTable, 'updated_at'>;

export interface UsageTotals {
  tokens: number;
  computeUnits: number;
  costNanos: number;
}

export type UsageGroup = 'model' | 'operation' | 'client';

export interface UsageReportRow {
  bucketStart: number;
  model: string | null;
  operation: string | null;
  client: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  computeUnits: number;
  costNanos: number;
}

const groupColumns = { model: 'model', operation: 'operation', client: 'billing_subject' } as const;

/**
 * The usage ledger and limits in Storage. Report queries aggregate in SQL over the
 * (billing_subject, created_at) index, so a month of a million events stays well under a second on SQLite.
 *
 * @example
 * const usage = createUsageStore(storage.db);
 * await usage.insert(event);
 */
export function createUsageStore(db: Kysely<Database>) {
  return {
    async insert(event: UsageEvent): Promise<void> {
      await db.insertInto('usage_events').values(event).execute();
    },

    /** Several events in one transaction (one commit), in statements of at most 500 rows. */
    async insertMany(events: UsageEvent[]): Promise<void> {
      if (events.length === 0) return;
      await db.transaction().execute(async (transaction) => {
        for (let first = 0; first < events.length; first += 500) {
          await transaction
            .insertInto('usage_events')
            .values(events.slice(first, first + 500))
            .execute();
        }
      });
    },

    async totalsSince(billingSubject: string, since: number): Promise<UsageTotals> {
      const row = await db
        .selectFrom('usage_events')
        .select([
          sql<number>`coalesce(sum(prompt_tokens + completion_tokens), 0)`.as('tokens'),
          sql<number>`coalesce(sum(compute_units), 0)`.as('computeUnits'),
          sql<number>`coalesce(sum(cost_nanos), 0)`.as('costNanos'),
        ])
        .where('billing_subject', '=', billingSubject)
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow();
      return {
        tokens: Number(row.tokens),
        computeUnits: Number(row.computeUnits),
        costNanos: Number(row.costNanos),
      };
    },

    async report(query: {
      start: number;
      end: number;
      bucketMs: number;
      groupBy: UsageGroup[];
      billingSubject: string | null;
    }): Promise<UsageReportRow[]> {
      // Bound JS numbers may arrive as floating point (SQLite), so truncate explicitly; rows are never
      // before `start`, so truncation is the floor. `start` and `bucketMs` are inlined as literals (checked
      // integers): PostgreSQL only sees the GROUP BY expression as the selected one when the text is identical,
      // and bound parameters get a new number in each clause.
      if (!Number.isSafeInteger(query.start) || !Number.isSafeInteger(query.bucketMs)) {
        throw new TypeError('usage report: start and bucketMs must be integers (milliseconds).');
      }
      const bucket = sql<number>`cast((created_at - ${sql.lit(query.start)}) / ${sql.lit(query.bucketMs)} as integer)`;
      let builder = db
        .selectFrom('usage_events')
        .select([
          bucket.as('bucket'),
          sql<number>`count(*)`.as('requests'),
          sql<number>`sum(prompt_tokens)`.as('promptTokens'),
          sql<number>`sum(completion_tokens)`.as('completionTokens'),
          sql<number>`sum(cached_tokens)`.as('cachedTokens'),
          sql<number>`sum(compute_units)`.as('computeUnits'),
          sql<number>`sum(cost_nanos)`.as('costNanos'),
        ])
        .where('created_at', '>=', query.start)
        .where('created_at', '<', query.end)
        .groupBy(bucket)
        .orderBy(bucket);
      if (query.billingSubject !== null)
        builder = builder.where('billing_subject', '=', query.billingSubject);
      for (const group of query.groupBy) {
        const column = groupColumns[group];
        builder = builder.select(sql.ref(column).as(group)).groupBy(column).orderBy(column);
      }
      const rows = (await builder.execute()) as Array<Record<string, unknown>>;
      return rows.map((row) => ({
        bucketStart: query.start + Number(row.bucket) * query.bucketMs,
        model: (row.model as string | null | undefined) ?? null,
        operation: (row.operation as string | null | undefined) ?? null,
        client: (row.client as string | null | undefined) ?? null,
        requests: Number(row.requests),
        promptTokens: Number(row.promptTokens),
        completionTokens: Number(row.completionTokens),
        cachedTokens: Number(row.cachedTokens),
        computeUnits: Number(row.computeUnits),
        costNanos: Number(row.costNanos),
      }));
    },

    async events(query: {
      billingSubject: string | null;
      start: number;
      end: number;
    }): Promise<UsageEvent[]> {
      let builder = db
        .selectFrom('usage_events')
        .selectAll()
        .where('created_at', '>=', query.start)
        .where('created_at', '<', query.end)
        .orderBy('created_at');
      if (query.billingSubject !== null)
        builder = builder.where('billing_subject', '=', query.billingSubject);
      return builder.execute();
    },

    async getLimits(billingSubject: string): Promise<UsageLimits | undefined> {
      const row = await db
        .selectFrom('usage_limits')
        .selectAll()
        .where('billing_subject', '=', billingSubject)
        .executeTakeFirst();
      if (!row) return undefined;
      const { updated_at: _updatedAt, ...limits } = row;
      return limits;
    },

    async listLimits(): Promise<UsageLimits[]> {
      const rows = await db.selectFrom('usage_limits').selectAll().orderBy('billing_subject').execute();
      return rows.map(({ updated_at: _updatedAt, ...limits }) => limits);
    },

    async setLimits(limits: UsageLimits): Promise<void> {
      const values = { ...limits, updated_at: Date.now() };
      const { billing_subject: _subject, ...changes } = values;
      await db
        .insertInto('usage_limits')
        .values(values)
        .onConflict((conflict) => conflict.column('billing_subject').doUpdateSet(changes))
        .execute();
    },
  };
}

export type UsageStore = ReturnType<typeof createUsageStore>;

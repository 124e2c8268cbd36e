import type { Migration } from 'kysely';
import { sessionsMigration } from './migrations/0001-sessions.ts';
import { oauthMigration } from './migrations/0002-oauth.ts';
import { apiKeysMigration } from './migrations/0003-api-keys.ts';
import { meteringMigration } from './migrations/0004-metering.ts';
import { idempotencyMigration } from './migrations/0005-idempotency.ts';
import { debugSessionsMigration } from './migrations/0006-debug-sessions.ts';
import { codeGraphMigration } from './migrations/0007-code-graph.ts';

/**
 * Every migration, by name. Names sort in the order they must run (Kysely orders them by name); add new ones
 * as `migrations/NNNN-what.ts` and list them here. Never edit a migration that has shipped.
 */
export const migrations: Record<string, Migration> = {
  '0001-sessions': sessionsMigration,
  '0002-oauth': oauthMigration,
  '0003-api-keys': apiKeysMigration,
  '0004-metering': meteringMigration,
  '0005-idempotency': idempotencyMigration,
  '0006-debug-sessions': debugSessionsMigration,
  '0007-code-graph': codeGraphMigration,
};

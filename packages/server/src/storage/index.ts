export type { Database, SessionMessagesTable, SessionsTable } from './database.ts';
export type { CreateSessionInput, SessionRepository, Storage, StoredSession } from './storage.ts';
export { openStorage, type OpenStorageOptions } from './open-storage.ts';
export { createSqliteStorage } from './create-sqlite-storage.ts';
export { createPostgresStorage, type CreatePostgresStorageOptions } from './create-postgres-storage.ts';
export { createSessionRepository } from './create-session-repository.ts';
export { runMigrations } from './run-migrations.ts';
export {
  createDebugSessionRepository,
  type DebugSessionRepository,
  type DebugSessionStatus,
  type StoredDebugSession,
} from './create-debug-session-repository.ts';
export {
  createCodeGraphRepository,
  type CodeGraphRepository,
  type StoredDefinition,
} from './create-code-graph-repository.ts';

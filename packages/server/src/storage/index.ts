export type { Database } from './database.ts';
export type { SessionRepository, Storage, StoredSession } from './storage.ts';
export { openStorage } from './open-storage.ts';
export { createSqliteStorage } from './create-sqlite-storage.ts';
export { createPostgresStorage } from './create-postgres-storage.ts';

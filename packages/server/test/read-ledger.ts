import { createUsageStore, type UsageEvent } from '../src/metering/usage-store.ts';
import { openStorage } from '../src/storage/index.ts';
import type { TestServer } from './start-test-server.ts';

/**
 * Every usage event a test server has written, read from its SQLite file as an auditor would. It asks the
 * server for a usage report first, which writes the events the server still buffers.
 *
 * @example
 * const events = await readLedger(server);
 */
export async function readLedger(server: TestServer): Promise<UsageEvent[]> {
  const response = await fetch(`${server.plumb.url}/v3/usage`);
  if (response.status !== 200) throw new Error(`GET /v3/usage answered ${response.status}`);
  await response.text();
  const storage = await openStorage({ dataDirectory: server.dataDirectory });
  try {
    return await createUsageStore(storage.db).events({
      billingSubject: null,
      start: 0,
      end: Date.now() + 60_000,
    });
  } finally {
    await storage.close();
  }
}

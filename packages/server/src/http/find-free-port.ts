import { createServer } from 'node:net';

/**
 * A port that is free on `host` right now: binds port 0, reads the port the system chose, and closes.
 * The server needs its real port before it is built (the OAuth issuer URL contains it); another process
 * could take the port in between, in which case `listen` fails with EADDRINUSE as for any busy port.
 *
 * @example
 * const port = await findFreePort('127.0.0.1');
 */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

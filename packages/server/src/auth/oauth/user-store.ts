import { randomBytes, randomUUID, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PlumbError } from '@plumb/protocol';
import type { Storage } from '../../storage/index.ts';

export interface User {
  id: string;
  username: string;
  createdAt: number;
}

export interface UserStore {
  /** Adds a user; throws `PlumbError('conflict')` when the username is taken. */
  create(input: { username: string; password: string }): Promise<User>;
  /** The user when the password matches, otherwise `undefined` (same time taken for unknown usernames). */
  verify(input: { username: string; password: string }): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  list(): Promise<User[]>;
}

const scryptParameters = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const keyLength = 32;
const usernamePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const minimumPasswordLength = 8;

/**
 * Users who sign in on the login page (authorization code and device flows). Passwords are hashed with
 * scrypt (node:crypto) and a per-user random salt, and compared in constant time.
 *
 * @example
 * const users = createUserStore(storage);
 * await users.create({ username: 'ada', password: 'correct horse battery' });
 * await users.verify({ username: 'ada', password: 'correct horse battery' }); // { id, username, createdAt }
 */
export function createUserStore(storage: Storage): UserStore {
  const db = storage.db;
  // Verifying against this when the username is unknown keeps the response time the same.
  let decoyHash: Promise<string> | undefined;

  return {
    async create({ username, password }) {
      if (!usernamePattern.test(username)) {
        throw new PlumbError(
          'invalid_request',
          `"${username}" is not a usable username. Use 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit.`,
          { param: 'username' },
        );
      }
      if (password.length < minimumPasswordLength) {
        throw new PlumbError(
          'invalid_request',
          `The password is too short. Use at least ${minimumPasswordLength} characters.`,
          { param: 'password' },
        );
      }
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst();
      if (existing !== undefined) {
        throw new PlumbError(
          'conflict',
          `A user named "${username}" already exists. Pick another username.`,
          { param: 'username' },
        );
      }
      const user = { id: `user_${randomUUID()}`, username, createdAt: Date.now() };
      await db
        .insertInto('users')
        .values({
          id: user.id,
          username,
          password_hash: await hashPassword(password),
          created_at: user.createdAt,
        })
        .execute();
      return user;
    },

    async verify({ username, password }) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      if (row === undefined) {
        decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
        await passwordMatches(await decoyHash, password);
        return undefined;
      }
      if (!(await passwordMatches(row.password_hash, password))) return undefined;
      return { id: row.id, username: row.username, createdAt: Number(row.created_at) };
    },

    async findById(id) {
      const row = await db
        .selectFrom('users')
        .select(['id', 'username', 'created_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { id: row.id, username: row.username, createdAt: Number(row.created_at) };
    },

    async list() {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'username', 'created_at'])
        .orderBy('created_at')
        .execute();
      return rows.map((row) => ({ id: row.id, username: row.username, createdAt: Number(row.created_at) }));
    },
  };
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = scryptParameters;
  const key = await derive(password, salt, scryptParameters);
  return `scrypt:${N}:${r}:${p}:${salt.toString('base64url')}:${key.toString('base64url')}`;
}

async function passwordMatches(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split(':');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: scryptParameters.maxmem,
  });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

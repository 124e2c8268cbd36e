import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { PlumbError, type Scope } from '@plumb/protocol';
import type { AdapterPayload } from 'oidc-provider';
import type { Storage } from '../../storage/index.ts';
import { grantTypeNames, type ClientGrant } from './client-grants.ts';

export interface CreateClientInput {
  name: string;
  grants: readonly ClientGrant[];
  scopes: readonly Scope[];
  redirectUris?: readonly string[];
  /** Give the client a secret even without `client_credentials` (a server-side web app). */
  confidential?: boolean;
  /** A fixed id (built-in clients such as `plumb-cli`); default: a random `plumb_...` id. */
  clientId?: string;
}

/** A registered client as the CLI and the admin API show it (never with its secret). */
export interface ClientSummary {
  clientId: string;
  name: string;
  grants: ClientGrant[];
  scopes: Scope[];
  redirectUris: string[];
  /** `none` for public clients (IDEs, CLIs), `client_secret_basic` for confidential ones. */
  tokenEndpointAuthMethod: 'none' | 'client_secret_basic';
  createdAt: number;
  revokedAt: number | null;
}

export interface ClientStore {
  /** Registers a client; `clientSecret` is returned once and only its hash is stored. */
  create(input: CreateClientInput): Promise<{ client: ClientSummary; clientSecret: string | null }>;
  list(): Promise<ClientSummary[]>;
  get(clientId: string): Promise<ClientSummary | undefined>;
  /** Marks the client revoked and deletes its grants and tokens; `false` if there is no such client. */
  revoke(clientId: string): Promise<boolean>;
  /** oidc-provider metadata of an active client, `client_secret` holding the secret's hash. */
  findMetadata(clientId: string): Promise<AdapterPayload | undefined>;
}

/**
 * `sha256:<hex>` of a client secret. Secrets are 32 random bytes, so a fast hash is enough (no dictionary to
 * guess from); oidc-provider compares it through `compareClientSecret`, see `create-oauth-provider.ts`.
 *
 * @example
 * hashClientSecret('s3cret'); // 'sha256:...'
 */
export function hashClientSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}

/**
 * Compares a presented secret with a stored hash in constant time.
 *
 * @example
 * clientSecretMatches(hashClientSecret('a'), 'a'); // true
 */
export function clientSecretMatches(storedHash: string | undefined, presented: string): boolean {
  if (storedHash === undefined) return false;
  const expected = Buffer.from(storedHash);
  const actual = Buffer.from(hashClientSecret(presented));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Registered OAuth clients in storage (table `oauth_clients`). The server reads them on every request, so
 * the CLI can manage clients in the data directory while the server runs.
 *
 * @example
 * const clients = createClientStore(storage);
 * const { client, clientSecret } = await clients.create({ name: 'ci-bot', grants: ['client_credentials'], scopes: ['code:read'] });
 */
export function createClientStore(storage: Storage): ClientStore {
  const db = storage.db;
  type Row = {
    client_id: string;
    name: string;
    metadata: string;
    secret_hash: string | null;
    created_at: number;
    revoked_at: number | null;
  };
  const toSummary = (row: Row): ClientSummary => {
    const metadata = JSON.parse(row.metadata) as StoredMetadata;
    return {
      clientId: row.client_id,
      name: row.name,
      grants: metadata.plumb_grants,
      scopes: metadata.scope.split(' ').filter(Boolean) as Scope[],
      redirectUris: metadata.redirect_uris,
      tokenEndpointAuthMethod: metadata.token_endpoint_auth_method,
      createdAt: Number(row.created_at),
      revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    };
  };

  return {
    async create(input) {
      if (input.grants.length === 0) {
        throw new PlumbError(
          'invalid_request',
          'A client needs at least one grant. Pass --grant client_credentials, authorization_code or device_code.',
          { param: 'grants' },
        );
      }
      const redirectUris = [...(input.redirectUris ?? [])];
      if (input.grants.includes('authorization_code') && redirectUris.length === 0) {
        throw new PlumbError(
          'invalid_request',
          'An authorization_code client needs at least one redirect URI (matched exactly). Pass --redirect-uri https://app.example/callback.',
          { param: 'redirect_uris' },
        );
      }
      for (const uri of redirectUris) assertRedirectUri(uri);
      const confidential = input.confidential === true || input.grants.includes('client_credentials');
      const clientId = input.clientId ?? `plumb_${randomBytes(12).toString('base64url')}`;
      const clientSecret = confidential ? randomBytes(32).toString('base64url') : null;
      const userFacing = input.grants.includes('authorization_code') || input.grants.includes('device_code');
      const metadata: StoredMetadata = {
        client_name: input.name,
        plumb_grants: [...input.grants],
        // Clients that act for a user also get refresh tokens (rotated on every use).
        grant_types: [
          ...input.grants.map((grant) => grantTypeNames[grant]),
          ...(userFacing ? ['refresh_token'] : []),
        ],
        response_types: input.grants.includes('authorization_code') ? ['code'] : [],
        redirect_uris: redirectUris,
        token_endpoint_auth_method: confidential ? 'client_secret_basic' : 'none',
        scope: [...new Set(input.scopes)].join(' '),
      };
      const now = Date.now();
      await db
        .insertInto('oauth_clients')
        .values({
          client_id: clientId,
          name: input.name,
          metadata: JSON.stringify(metadata),
          secret_hash: clientSecret === null ? null : hashClientSecret(clientSecret),
          created_at: now,
          revoked_at: null,
        })
        .execute();
      const client = await this.get(clientId);
      return { client: client!, clientSecret };
    },

    async list() {
      const rows = await db.selectFrom('oauth_clients').selectAll().orderBy('created_at').execute();
      return rows.map(toSummary);
    },

    async get(clientId) {
      const row = await db
        .selectFrom('oauth_clients')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row === undefined ? undefined : toSummary(row);
    },

    async revoke(clientId) {
      return db.transaction().execute(async (transaction) => {
        await transaction
          .updateTable('oauth_clients')
          .set({ revoked_at: Date.now() })
          .where('client_id', '=', clientId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        const existing = await transaction
          .selectFrom('oauth_clients')
          .select('client_id')
          .where('client_id', '=', clientId)
          .executeTakeFirst();
        // Grants, refresh tokens, codes and device codes of the client stop working with it. Issued access
        // tokens are JWTs and live until they expire (accessTokenTtlSeconds).
        await transaction.deleteFrom('oauth_records').where('client_id', '=', clientId).execute();
        return existing !== undefined;
      });
    },

    async findMetadata(clientId) {
      const row = await db
        .selectFrom('oauth_clients')
        .select(['metadata', 'secret_hash'])
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const { plumb_grants: _grants, ...metadata } = JSON.parse(row.metadata) as StoredMetadata;
      const payload: AdapterPayload = {
        ...metadata,
        response_types: metadata.response_types as AdapterPayload['response_types'],
        client_id: clientId,
        ...(row.secret_hash === null ? {} : { client_secret: row.secret_hash }),
      };
      return payload;
    },
  };
}

interface StoredMetadata {
  client_name: string;
  plumb_grants: ClientGrant[];
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  token_endpoint_auth_method: 'none' | 'client_secret_basic';
  scope: string;
}

function assertRedirectUri(uri: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(uri);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed.hash !== '') {
    throw new PlumbError(
      'invalid_request',
      `"${uri}" is not a usable redirect URI. Give an absolute URL without a #fragment, such as http://127.0.0.1:8765/callback.`,
      { param: 'redirect_uris' },
    );
  }
}

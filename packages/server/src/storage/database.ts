/**
 * Kysely table types of the Plumb database, shared by the SQLite and PostgreSQL dialects.
 *
 * Ids are text, timestamps are integer milliseconds since the epoch (`bigint` columns, returned as JS numbers
 * on both dialects), and JSON is stored as text so both dialects round-trip it byte for byte.
 */
export interface Database {
  sessions: SessionsTable;
  session_messages: SessionMessagesTable;
  oauth_records: OAuthRecordsTable;
  oauth_clients: OAuthClientsTable;
  users: UsersTable;
  signing_keys: SigningKeysTable;
  cookie_keys: CookieKeysTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  usage_events: UsageEventsTable;
  usage_limits: UsageLimitsTable;
  debug_sessions: DebugSessionsTable;
  debug_session_journal: DebugSessionJournalTable;
  debug_session_events: DebugSessionEventsTable;
  code_graph_repositories: CodeGraphRepositoriesTable;
  code_graph_files: CodeGraphFilesTable;
  code_graph_symbols: CodeGraphSymbolsTable;
}

export interface SessionsTable {
  id: string;
  /** The principal that owns the session; `null` when the server runs without auth. */
  owner: string | null;
  /** `'code'`, `'chat'` or `null`. */
  mode: string | null;
  /** JSON of a `Record<string, string>`. */
  metadata: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
}

export interface SessionMessagesTable {
  session_id: string;
  /** 0-based order of the message within its session. */
  position: number;
  /** JSON of one OpenAI chat message. */
  message: string;
  created_at: number;
}

/** One oidc-provider artefact (grant, code, refresh token, session, interaction...), see `auth/oauth/`. */
export interface OAuthRecordsTable {
  /** oidc-provider model name, e.g. `RefreshToken`. */
  model: string;
  id: string;
  /** JSON of the artefact as oidc-provider gave it. */
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  client_id: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OAuthClientsTable {
  client_id: string;
  name: string;
  /** JSON of the client's OAuth metadata (RFC 7591 names), without the secret. */
  metadata: string;
  /** `sha256:<hex>` of the client secret; `null` for public clients. */
  secret_hash: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface UsersTable {
  id: string;
  username: string;
  /** `scrypt:<N>:<r>:<p>:<salt base64url>:<hash base64url>`. */
  password_hash: string;
  created_at: number;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  /** JSON of the private JWK. */
  private_jwk: string;
  /** JSON of the public JWK. */
  public_jwk: string;
  created_at: number;
}

export interface CookieKeysTable {
  id: string;
  /** base64url of 32 random bytes. */
  secret: string;
  created_at: number;
}

/** One API key (`auth/api-key-store.ts`); the key itself is never stored. Times in ms since the epoch. */
export interface ApiKeysTable {
  id: string;
  name: string;
  /** SHA-256 hex of the whole key (`plb_...`); unique index. */
  hash: string;
  /** The first characters of the key, to recognise it in listings. */
  prefix: string;
  /** Space-separated scopes. */
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  /** Updated at most once a minute per key. */
  last_used_at: number | null;
}

/** One `Idempotency-Key` (`idempotency/idempotency-store.ts`); primary key (subject, route, key). */
export interface IdempotencyKeysTable {
  /** `billingSubject(principal)`: keys of different callers never meet. */
  subject: string;
  /** `POST /v3/chat/completions`: method and route pattern. */
  route: string;
  key: string;
  /** SHA-256 hex of the canonical JSON of the request body (object keys sorted). */
  request_hash: string;
  /** `'in_flight'` while the first attempt runs, then `'completed'`. */
  state: string;
  response_status: number | null;
  /** JSON of a `Record<string, string>` (content-type and a few other safe headers). */
  response_headers: string | null;
  /** The response body as sent: JSON text, or the whole SSE transcript of a stream. */
  response_body: string | null;
  created_at: number;
  expires_at: number;
}

/** One billable request; every input of its price is stored so invoices can be recomputed. */
export interface UsageEventsTable {
  id: string;
  created_at: number;
  billing_subject: string;
  principal_subject: string | null;
  client_id: string | null;
  api_key_id: string | null;
  request_id: string;
  operation: string;
  model: string | null;
  streamed: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  token_source: 'provider' | 'tokenizer' | 'none';
  compute_units: number;
  rate_card_version: string | null;
  compute_unit_inputs: string | null;
  price_input_per_million: number;
  price_output_per_million: number;
  price_cached_per_million: number;
  price_per_compute_unit: number;
  cost_nanos: number;
}

/** Rate limits and budgets of one billing subject; null means unlimited. */
export interface UsageLimitsTable {
  billing_subject: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  tokens_per_month: number | null;
  compute_units_per_day: number | null;
  spend_nanos_per_month: number | null;
  updated_at: number;
}

/** A debug session: what it runs (JSON of the create request, files included) and where it stands. */
export interface DebugSessionsTable {
  id: string;
  owner: string | null;
  language: string;
  spec: string;
  /** `live` (a process may be attached), `terminated` (ended or deleted) or `expired` (idle or lifetime). */
  status: string;
  /** JSON of the last `StopResult`. */
  last_stop: string | null;
  created_at: number;
  last_active_at: number;
  expires_at: number;
}

/** State-changing operations of a debug session in order; replaying them rebuilds the session. */
export interface DebugSessionJournalTable {
  session_id: string;
  position: number;
  /** JSON of the operation. */
  operation: string;
  created_at: number;
}

/** Debug events (DAP shape, JSON) in order; `position` is the SSE event id. */
export interface DebugSessionEventsTable {
  session_id: string;
  position: number;
  event: string;
  created_at: number;
}

/** A repository indexed by the code graph; `key` is chosen by the caller (owner-prefixed root path). */
export interface CodeGraphRepositoriesTable {
  key: string;
  /** Bumped by every change set; callers cache a built graph per revision. */
  revision: number;
  updated_at: number;
}

/** One indexed file; primary key (repository, path). */
export interface CodeGraphFilesTable {
  repository: string;
  /** Repository-relative, forward slashes. */
  path: string;
  /** SHA-256 hex of the content, to skip unchanged files when re-indexing. */
  hash: string;
  language: string;
  /** JSON of the whole `FileFacts`. */
  facts: string;
}

/** One definition of an indexed file, for name lookups that do not load every file's facts. */
export interface CodeGraphSymbolsTable {
  repository: string;
  path: string;
  name: string;
  qualified_name: string;
  /** `DefinitionFact.id` (`path#qualifiedName`). */
  definition_id: string;
  kind: string;
  line: number;
}

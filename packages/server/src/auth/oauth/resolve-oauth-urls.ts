import type { PlumbConfig } from '../../config/plumb-config.ts';

export interface OAuthUrls {
  /** `config.auth.publicUrl`, or `http://<host>:<port>` of the listening server; no trailing slash. */
  publicUrl: string;
  /** `${publicUrl}/oauth`: the `iss` of every token. */
  issuer: string;
  /** `${publicUrl}/v3`: the resource indicator and `aud` of access tokens for the Plumb API. */
  apiAudience: string;
}

/**
 * The public URLs of the authorization server and the API resource. `startServer` resolves port 0 to a real
 * port before building the app, so `config.port` is the listening port here.
 *
 * @example
 * const { issuer, apiAudience } = resolveOAuthUrls(config); // http://127.0.0.1:8080/oauth, .../v3
 */
export function resolveOAuthUrls(config: PlumbConfig): OAuthUrls {
  const publicUrl = (config.auth.publicUrl ?? defaultPublicUrl(config)).replace(/\/+$/, '');
  return { publicUrl, issuer: `${publicUrl}/oauth`, apiAudience: `${publicUrl}/v3` };
}

function defaultPublicUrl(config: PlumbConfig): string {
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const host = wildcard ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

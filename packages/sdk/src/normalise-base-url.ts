/**
 * Drops trailing slashes and a trailing `/v3`, so both `http://host:8080` and the OpenAI-style
 * `http://host:8080/v3/` work. Throws a `TypeError` for something that is not an http(s) URL.
 *
 * @example
 * normaliseBaseUrl('http://127.0.0.1:8080/v3/'); // 'http://127.0.0.1:8080'
 */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `baseUrl "${baseUrl}" is not a URL. Pass the server root, such as "http://127.0.0.1:8080".`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(
      `baseUrl "${baseUrl}" is not an http(s) URL. Pass the server root, such as "http://127.0.0.1:8080".`,
    );
  }
  if (url.search || url.hash) {
    throw new TypeError(
      `baseUrl "${baseUrl}" has a query or fragment. Pass the server root, such as "http://127.0.0.1:8080".`,
    );
  }
  return url.href.replace(/\/+$/, '').replace(/\/v3$/, '');
}

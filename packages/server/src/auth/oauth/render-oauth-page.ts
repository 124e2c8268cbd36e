const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values. Every interpolated value on the login,
 * consent and device pages goes through it.
 *
 * @example
 * escapeHtml('<script>'); // '&lt;script&gt;'
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/**
 * A complete, framework-free HTML page for the authorization server's own screens. `body` is trusted HTML
 * (built with `escapeHtml` around every value); `title` is escaped here.
 *
 * @example
 * reply.type('text/html').send(renderOAuthPage({ title: 'Sign in', body: '<form>...</form>' }));
 */
export function renderOAuthPage(options: { title: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)} · Plumb</title>
<style>
body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}
input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}.error{color:#b00020}code{font-size:1.3rem}
ul{padding-left:1.2rem}li{margin:.3rem 0}
</style>
</head>
<body>
<h1>${escapeHtml(options.title)}</h1>
${options.body}
</body>
</html>
`;
}

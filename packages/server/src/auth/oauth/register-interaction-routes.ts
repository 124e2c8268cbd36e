import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { scopeDescriptions, type Scope } from '@plumb/protocol';
import { escapeHtml, renderOAuthPage } from './render-oauth-page.ts';
import type { UserStore } from './user-store.ts';

type InteractionRequest = FastifyRequest<{
  Params: { uid: string };
  Body: Record<string, string> | undefined;
}>;

/**
 * The login and consent pages oidc-provider sends browsers to (`interactions.url`), for the authorization
 * code and device flows: `GET /oauth/interaction/:uid` shows the page for the pending prompt, and the forms
 * post to `.../login`, `.../confirm` or `.../abort`. oidc-provider checks that the interaction cookie
 * (signed, SameSite=Lax, scoped to this path) matches the uid in the path, so a form posted from another
 * site or browser is refused.
 *
 * @example
 * await registerInteractionRoutes(app, { provider, users });
 */
export async function registerInteractionRoutes(
  app: FastifyInstance,
  options: { provider: Provider; users: UserStore },
): Promise<void> {
  const { provider, users } = options;
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    scope.get('/oauth/interaction/:uid', async (request: InteractionRequest, reply) => {
      const details = await interactionDetails(request, reply, provider);
      if (details === undefined) return reply;
      if (details.prompt.name === 'login') return sendLoginPage(reply, { uid: details.uid });
      if (details.prompt.name === 'consent') return sendConsentPage(reply, { uid: details.uid, details });
      return sendPage(
        reply,
        400,
        'Sign-in problem',
        `<p>Unsupported step "${escapeHtml(details.prompt.name)}".</p>`,
      );
    });

    scope.post('/oauth/interaction/:uid/login', async (request: InteractionRequest, reply) => {
      const details = await interactionDetails(request, reply, provider);
      if (details === undefined) return reply;
      if (details.prompt.name !== 'login') return reply.redirect(`/oauth/interaction/${details.uid}`, 303);
      const username = request.body?.username ?? '';
      const user = await users.verify({ username, password: request.body?.password ?? '' });
      if (user === undefined) {
        request.log.info({ username }, 'OAuth login failed: wrong username or password');
        return sendLoginPage(reply, { uid: details.uid, username, failed: true });
      }
      const location = await provider.interactionResult(request.raw, reply.raw, {
        login: { accountId: user.id },
      });
      return reply.redirect(location, 303);
    });

    scope.post('/oauth/interaction/:uid/confirm', async (request: InteractionRequest, reply) => {
      const details = await interactionDetails(request, reply, provider);
      if (details === undefined) return reply;
      if (details.prompt.name !== 'consent') return reply.redirect(`/oauth/interaction/${details.uid}`, 303);
      const { accountId } = details.session ?? {};
      const clientId = details.params.client_id;
      if (accountId === undefined || typeof clientId !== 'string') {
        return sendPage(reply, 400, 'Sign-in problem', '<p>Sign in first, then approve the request.</p>');
      }
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
        : new provider.Grant({ accountId, clientId });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      const location = await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } });
      return reply.redirect(location, 303);
    });

    scope.post('/oauth/interaction/:uid/abort', async (request: InteractionRequest, reply) => {
      const details = await interactionDetails(request, reply, provider);
      if (details === undefined) return reply;
      const location = await provider.interactionResult(request.raw, reply.raw, {
        error: 'access_denied',
        error_description: 'The user denied the request.',
      });
      return reply.redirect(location, 303);
    });
  });
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The pending interaction, or `undefined` after answering with an "expired" page. */
async function interactionDetails(
  request: InteractionRequest,
  reply: FastifyReply,
  provider: Provider,
): Promise<InteractionDetails | undefined> {
  try {
    const details = await provider.interactionDetails(request.raw, reply.raw);
    if (details.uid !== request.params.uid) throw new Error('interaction uid mismatch');
    return details;
  } catch (error) {
    request.log.info({ err: error }, 'OAuth interaction not found');
    await sendPage(
      reply,
      400,
      'Sign-in expired',
      '<p>This sign-in page has expired or was opened in another browser. Start again from the application (or run plumb login again).</p>',
    );
    return undefined;
  }
}

function sendLoginPage(
  reply: FastifyReply,
  options: { uid: string; username?: string; failed?: boolean },
): Promise<FastifyReply> {
  const error = options.failed ? '<p class="error">Wrong username or password. Try again.</p>' : '';
  return sendPage(
    reply,
    options.failed ? 401 : 200,
    'Sign in to Plumb',
    `${error}<form method="post" action="/oauth/interaction/${escapeHtml(options.uid)}/login">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/oauth/interaction/${escapeHtml(options.uid)}/abort"><button type="submit">Cancel</button></form>`,
  );
}

function sendConsentPage(
  reply: FastifyReply,
  options: { uid: string; details: InteractionDetails },
): Promise<FastifyReply> {
  const missing = options.details.prompt.details as { missingResourceScopes?: Record<string, string[]> };
  const scopes = Object.values(missing.missingResourceScopes ?? {}).flat();
  const items = scopes
    .map((scope) => {
      const description = scopeDescriptions[scope as Scope] ?? '';
      return `<li><strong>${escapeHtml(scope)}</strong>: ${escapeHtml(description)}</li>`;
    })
    .join('');
  const clientId =
    typeof options.details.params.client_id === 'string' ? options.details.params.client_id : '';
  const uid = escapeHtml(options.uid);
  return sendPage(
    reply,
    200,
    'Allow access?',
    `<p>The application <strong>${escapeHtml(clientId)}</strong> asks to use Plumb on your behalf with:</p>
<ul>${items || '<li>no API scopes</li>'}</ul>
<form method="post" action="/oauth/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/oauth/interaction/${uid}/abort"><button type="submit">Deny</button></form>`,
  );
}

async function sendPage(
  reply: FastifyReply,
  status: number,
  title: string,
  body: string,
): Promise<FastifyReply> {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    .type('text/html; charset=utf-8')
    .send(renderOAuthPage({ title, body }));
}

import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml, renderOAuthPage } from './render-oauth-page.ts';

/**
 * The device flow's own pages (`/oauth/device`): enter the user code, confirm it, and the final message.
 * `form` is oidc-provider's form (with its CSRF field); the buttons submit it by id.
 *
 * @example
 * new Provider(issuer, { features: { deviceFlow: { enabled: true, ...deviceFlowPages } } });
 */
export const deviceFlowPages = {
  async userCodeInputSource(context: KoaContextWithOIDC, form: string, _out?: unknown, error?: unknown) {
    const { error: code, name } = (error ?? {}) as { error?: unknown; name?: unknown };
    const message =
      error === undefined || error === null
        ? '<p>Enter the code your terminal shows.</p>'
        : name === 'AbortedError' || code === 'access_denied'
          ? '<p class="error">Sign-in was denied; the device got nothing. Enter a new code to try again.</p>'
          : '<p class="error">That code is not valid or has expired. Check the code and try again, or run plumb login again.</p>';
    context.body = renderOAuthPage({
      title: 'Sign in a device',
      body: `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`,
    });
  },

  async userCodeConfirmSource(
    context: KoaContextWithOIDC,
    form: string,
    client: { clientName?: string | undefined; clientId: string },
    _deviceInfo: unknown,
    userCode: string,
  ) {
    const name = client.clientName ?? client.clientId;
    context.body = renderOAuthPage({
      title: 'Confirm the device',
      body: `<p><strong>${escapeHtml(name)}</strong> asks to sign in. Continue only if your terminal shows this code:</p>
<p><code>${escapeHtml(userCode)}</code></p>${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
    });
  },

  async successSource(context: KoaContextWithOIDC) {
    context.body = renderOAuthPage({
      title: 'Signed in',
      body: '<p>The device is signed in. You can close this page and return to your terminal.</p>',
    });
  },
};

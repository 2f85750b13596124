/** One account offered on the dev tenant's login page. */
export interface LoginChoice {
  sub: string;
  label: string;
  detail: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** No script at all; inline styles only. `formAction` names where the form may post and redirect. */
export function loginPageCsp(formAction: string[]): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `form-action 'self' ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2433}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.3rem;margin:0 0 .25rem}.warn{background:#fff4d6;border:1px solid #e0b100;padding:.5rem .75rem;border-radius:6px}
ul{list-style:none;padding:0}li{margin:.5rem 0}
button{width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #b8c0cc;border-radius:6px;background:#fff;font:inherit;cursor:pointer}
button:hover{background:#eef3ff}button:focus-visible,input:focus-visible{outline:3px solid #2858d6;outline-offset:2px}
small{display:block;color:#4d5666}label{display:block;font-weight:600;margin-top:1rem}
input{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;border:1px solid #b8c0cc;border-radius:6px}
.error{color:#a3161a;font-weight:600}`;

/** The plain login page: pick a demo account (or type an email) to sign in as. */
export function loginPage(options: {
  tx: string;
  clientId: string;
  choices: LoginChoice[];
  error?: string;
  organization?: string;
}): string {
  const tx = escapeHtml(options.tx);
  const items = options.choices
    .map(
      (c) =>
        `<li><button type="submit" name="sub" value="${escapeHtml(c.sub)}"><strong>${escapeHtml(c.label)}</strong><small>${escapeHtml(c.detail)}</small></button></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in: local dev tenant</title><style>${STYLE}</style></head>
<body><main>
<h1>Sign in to ${escapeHtml(options.clientId)}</h1>
${options.organization ? `<p>Through the organization <strong>${escapeHtml(options.organization)}</strong>: only its members may sign in.</p>` : ''}
<p class="warn">Local dev tenant: demo accounts, no passwords. Loopback only; never Auth0.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="login">
<input type="hidden" name="tx" value="${tx}">
<h2 style="font-size:1rem">Demo accounts</h2>
<ul>${items}</ul>
</form>
<form method="post" action="login">
<input type="hidden" name="tx" value="${tx}">
<label for="email">Or any user of the tenant, by email</label>
<input id="email" name="email" type="email" autocomplete="off" required>
<p><button type="submit">Sign in with this email</button></p>
</form>
</main></body></html>`;
}

/** A page for requests that cannot be sent back to the application (unknown client or redirect URI). */
export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title><style>${STYLE}</style></head>
<body><main><h1>Sign-in error</h1><p class="error" role="alert">${escapeHtml(message)}</p></main></body></html>`;
}

/**
 * Answer to a silent (`prompt=none`, `response_mode=web_message`) request, posted to the opener's
 * origin as Auth0 does: a `code` and `state` with a login session, `login_required` without one.
 */
export function webMessagePage(targetOrigin: string, response: Record<string, string>, nonce: string): string {
  const message = JSON.stringify({ type: 'authorization_response', response }).replace(/</g, '\\u003c');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body><script nonce="${escapeHtml(nonce)}">
(window.opener || window.parent).postMessage(${message}, ${JSON.stringify(targetOrigin).replace(/</g, '\\u003c')});
</script></body></html>`;
}

import { CSRF_FIELD } from '../csrf.js';
import { html, page, raw, type Raw } from '../html.js';

// The RAM user logon pages. Labels and buttons carry the names seed 002 uses: User name, Next, Password, Log On,
// Log on with Passkey, Verification code.

function form(csrf: string, action: string, body: Raw): Raw {
  return html`<form method="post" action="${action}"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">${body}</form>`;
}

function alert(message?: string): Raw | string {
  return message ? html`<p class="error" role="alert">${message}</p>` : '';
}

function card(title: string, body: Raw): string {
  return page(title, html`<div class="card"><h1>${title}</h1>${body}</div>`);
}

export function identifyPage(input: { csrf: string; fixedDomain: string | null; username: string; error?: string }): string {
  const field = input.fixedDomain
    ? html`<label for="username">User name</label>
<div style="display:flex;gap:6px;align-items:center"><input type="text" id="username" name="username" value="${input.username}" autocomplete="username" required autofocus><span>@${input.fixedDomain}</span></div>`
    : html`<label for="username">User name</label>
<input type="text" id="username" name="username" value="${input.username}" placeholder="name@example.onaliyun.com" autocomplete="username" required autofocus>`;
  return card(
    'RAM User Logon',
    html`${alert(input.error)}${form(input.csrf, '/login/identify', html`${field}<button type="submit">Next</button>`)}
<p><a href="/root/login">Root account sign-in</a></p>`,
  );
}

export function passwordPage(input: { csrf: string; loginName: string; passkeyAllowed: boolean; error?: string }): string {
  const passkey = input.passkeyAllowed
    ? html`<div id="passkey-area"><button type="button" id="passkey-logon" class="secondary" data-csrf="${input.csrf}">Log on with Passkey</button>
<p id="passkey-error" class="error" role="alert" hidden></p></div>
<script src="/static/webauthn.js"></script><script src="/static/passkey-logon.js"></script>`
    : '';
  return card(
    'RAM User Logon',
    html`<p>Logging on as <strong>${input.loginName}</strong> · <a href="/login/restart">Switch user</a></p>
${alert(input.error)}${passkey}
${form(
  input.csrf,
  '/login/password',
  html`<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
<button type="submit">Log On</button>`,
)}`,
  );
}

/** The MFA code form, shared by the RAM user logon and the CloudSSO portal. */
export function mfaCodeForm(csrf: string, action: string): Raw {
  return form(
    csrf,
    action,
    html`<label for="code">Verification code</label>
<input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
<button type="submit">Verify</button>`,
  );
}

/** Binding a first TOTP device: the QR code, the secret as text, and two consecutive codes (shared with the portal). */
export function mfaBindForm(input: { csrf: string; action: string; qrDataUrl: string; secret: string }): Raw {
  return html`<img src="${input.qrDataUrl}" alt="MFA QR code" width="200" height="200">
<p>Secret key: <code id="mfa-secret">${input.secret}</code></p>
${form(
  input.csrf,
  input.action,
  html`<label for="code1">Verification code 1</label>
<input type="text" id="code1" name="code1" inputmode="numeric" maxlength="6" autocomplete="off" required>
<label for="code2">Verification code 2</label>
<input type="text" id="code2" name="code2" inputmode="numeric" maxlength="6" autocomplete="off" required>
<button type="submit">Bind</button>`,
)}`;
}

export function mfaPage(input: { csrf: string; error?: string }): string {
  return card('Multi-factor authentication', html`<p>Enter the 6-digit code shown by your MFA app.</p>${alert(input.error)}${mfaCodeForm(input.csrf, '/login/mfa')}`);
}

/**
 * Binding a first MFA device during a sign-in, for every audience: its title and wording (`intro`) are the
 * audience's, and `skipAction` offers to skip where the binding is optional.
 */
export function mfaBindPage(input: {
  title: string;
  intro: string;
  action: string;
  skipAction?: string;
  csrf: string;
  qrDataUrl: string;
  secret: string;
  error?: string;
}): string {
  const skip = input.skipAction ? form(input.csrf, input.skipAction, html`<button type="submit" class="secondary">Skip for Now</button>`) : '';
  return card(input.title, html`<p>${input.intro}</p>
${alert(input.error)}${mfaBindForm(input)}${skip}`);
}

/** A sign-in's forced password change (an administrator asked for it, or the password expired), for every audience. */
export function passwordChangePage(input: { csrf: string; action: string; rules: string[]; error?: string }): string {
  return card(
    'Change your password',
    html`<p>You must change your password before you continue.</p>${alert(input.error)}
${input.rules.length ? html`<ul>${input.rules.map((r) => html`<li>${r}</li>`)}</ul>` : ''}
${form(
  input.csrf,
  input.action,
  html`<label for="new-password">New password</label>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" required autofocus>
<label for="confirm-password">Confirm new password</label>
<input type="password" id="confirm-password" name="confirmPassword" autocomplete="new-password" required>
<button type="submit">Change Password</button>`,
)}`,
  );
}

export function messagePage(title: string, message: string, status = 'error'): string {
  return card(title, html`<p class="${status}" role="alert">${message}</p><p><a href="/login.htm">Back to RAM User Logon</a></p>`);
}

export { raw };

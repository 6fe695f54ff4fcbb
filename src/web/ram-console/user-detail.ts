import type { FastifyInstance } from 'fastify';
import { apiTime } from '../../clock.js';
import { defaultDomainOfAccount } from '../../accounts/accounts.js';
import { userResource } from '../../ram/actions/users.js';
import { findLoginProfile, isLocked, passwordStatus } from '../../ram/login-profiles.js';
import { getUserMfaDevice } from '../../ram/mfa.js';
import { getPasswordPolicy } from '../../ram/password-policy.js';
import { getSecurityPreference } from '../../ram/security-preference.js';
import { findUserByName, type RamUser } from '../../ram/users.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { administrator, check, denialMessage, isAllowed, type Administrator } from '../console-access.js';
import { consolePage, permit } from './access.js';
import { consoleAccessLabel, PASSWORD_STATUS_LABELS } from './labels.js';

// A user's page with the Authentication tab's "Login Profile" section (seed 003, "View console logon settings").

export const userPath = (name: string): string => `/ram/users/${encodeURIComponent(name)}`;

export function userNotFound(name: string): Raw {
  return html`<h1>User not found</h1><p class="error" role="alert">The user ${name} does not exist.</p><p><a href="/ram/users">Back to Users</a></p>`;
}

/** The dedicated logon link of seed 003's "Console Sign-in": the logon page with the user's logon name filled in. */
export async function logonUrl(web: WebContext, user: RamUser): Promise<string> {
  const domain = await defaultDomainOfAccount(web.services.store.db, user.account_id);
  const base = web.services.config.publicUrl.replace(/\/+$/, '');
  return `${base}/login.htm?username=${encodeURIComponent(user.name)}@${encodeURIComponent(domain)}`;
}

async function loginProfileSection(web: WebContext, admin: Administrator, user: RamUser): Promise<Raw> {
  const db = web.services.store.db;
  const resource = userResource(user.account_id, user.name);
  const readable = await check(web, admin, 'ram:GetLoginProfile', resource);
  if (!readable.allowed) {
    return html`<section aria-label="Login Profile"><h3>Login Profile</h3><p class="error" role="alert">${denialMessage(readable)}</p></section>`;
  }
  const [profile, device, preference] = await Promise.all([
    findLoginProfile(db, user.id),
    getUserMfaDevice(db, user.id),
    getSecurityPreference(db, user.account_id),
  ]);
  const path = userPath(user.name);
  if (!profile) {
    const canCreate = await isAllowed(web, admin, 'ram:CreateLoginProfile', resource);
    return html`<section aria-label="Login Profile"><h3>Login Profile</h3>
<table><tr><th scope="row">Console Access</th><td>${consoleAccessLabel(undefined)}</td></tr>
<tr><th scope="row">MFA Device</th><td>${device ? 'Bound' : 'Not bound'}</td></tr></table>
${canCreate ? html`<p><a href="${path}/login-profile/new" role="button">Enable Console Logon</a></p>` : ''}</section>`;
  }
  const policy = await getPasswordPolicy(db, user.account_id);
  const status = passwordStatus(profile, policy, web.services.clock.now());
  const [canUpdate, canDelete] = await Promise.all([
    isAllowed(web, admin, 'ram:UpdateLoginProfile', resource),
    isAllowed(web, admin, 'ram:DeleteLoginProfile', resource),
  ]);
  const url = await logonUrl(web, user);
  return html`<section aria-label="Login Profile"><h3>Login Profile</h3>
<table>
<tr><th scope="row">Console Access</th><td data-field="console-access">${consoleAccessLabel(profile.status)}</td></tr>
<tr><th scope="row">Last Logined Time</th><td data-field="last-login">${profile.last_login_at ? apiTime(profile.last_login_at) : 'Never'}</td></tr>
<tr><th scope="row">Enable MFA</th><td data-field="enable-mfa">${profile.mfa_bind_required === 1 ? 'Required' : 'Not required'}${
    preference.mfaOperationForLogin === 'mandatory' ? ' (MFA is enforced for all users in Settings)' : ''
  }</td></tr>
<tr><th scope="row">MFA Device</th><td>${device ? 'Bound' : 'Not bound'}</td></tr>
<tr><th scope="row">Reset Password at Next Logon</th><td data-field="reset-password">${profile.password_reset_required === 1 ? 'Yes' : 'No'}</td></tr>
<tr><th scope="row">Password</th><td data-field="password-status">${profile.password_hash === null ? 'No password' : PASSWORD_STATUS_LABELS[status]}</td></tr>
<tr><th scope="row">Logon Lock</th><td data-field="logon-lock">${
    isLocked(profile, web.services.clock.now())
      ? `Locked until ${apiTime(profile.locked_until)} after too many failed logon attempts (a password reset lifts it)`
      : 'Not locked'
  }</td></tr>
</table>
<h4>Console Sign-in</h4>
<label for="logon-url">Logon URL</label>
<input type="text" id="logon-url" value="${url}" readonly>
<p>${canUpdate ? html`<a href="${userPath(user.name)}/login-profile/edit" role="button">Modify Logon Settings</a>` : ''}
${canDelete ? html` · <a href="${userPath(user.name)}/login-profile/delete" role="button">Remove Logon Settings</a>` : ''}</p>
</section>`;
}

export async function userDetailRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const db = web.services.store.db;

  app.get('/users/:name', async (request, reply) => {
    const admin = await administrator(web, request, reply);
    if (!admin) return reply;
    const { name } = request.params as { name: string };
    // Found regardless of case, so authorized by the name it is stored under (as the API's gateway does).
    const user = await findUserByName(db, admin.principal.accountId, name);
    if (!(await permit(web, admin, reply, 'ram:GetUser', userResource(admin.principal.accountId, user?.name ?? name)))) return reply;
    if (!user) return consolePage(reply, admin, 'User not found', userNotFound(name), 404);
    return consolePage(
      reply,
      admin,
      user.name,
      html`<p><a href="/ram/users">Users</a> &gt; ${user.name}</p><h1>${user.name}</h1>
<section aria-label="Basic Information"><h2>Basic Information</h2><table>
<tr><th scope="row">User Logon Name</th><td>${user.name}</td></tr>
<tr><th scope="row">Display Name</th><td>${user.display_name}</td></tr>
<tr><th scope="row">UID</th><td>${user.id}</td></tr>
<tr><th scope="row">Created</th><td>${apiTime(user.created_at)}</td></tr>
</table></section>
<section aria-label="Authentication"><h2>Authentication</h2>${await loginProfileSection(web, admin, user)}</section>`,
    );
  });
}

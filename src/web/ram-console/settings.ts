import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getPasswordPolicy, PASSWORD_POLICY_LIMITS as L, setPasswordPolicy, type PasswordPolicy } from '../../ram/password-policy.js';
import {
  getSecurityPreference,
  loginNetworkMasksProblem,
  MFA_OPERATIONS_FOR_LOGIN,
  setSecurityPreference,
  type MFAOperationForLogin,
  type SecurityPreference,
} from '../../ram/security-preference.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { administrator, check, csrfField, csrfOk, denialMessage, formOf, isAllowed, type Administrator, type Form } from '../console-access.js';
import { accountResource, consolePage, permit } from './access.js';
import { MFA_OPERATION_LABELS } from './labels.js';

// Settings: "Global Security" (SetSecurityPreference) and "Password Policy" (SetPasswordPolicy), validated with the
// same ranges as the API; a refused form saves nothing.

/** SetSecurityPreference's LoginSessionDuration range, in hours. */
const SESSION_HOURS = { min: 1, max: 24 } as const;

type PolicyNumber = keyof typeof L;

const POLICY_NUMBERS: { key: PolicyNumber; label: string }[] = [
  { key: 'minimumPasswordLength', label: 'Minimum password length' },
  { key: 'minimumPasswordDifferentCharacter', label: 'Minimum different characters (0 = no rule)' },
  { key: 'maxPasswordAge', label: 'Password validity period in days (0 = never expires)' },
  { key: 'passwordReusePrevention', label: 'Password history check (previous passwords, 0 = off)' },
  { key: 'initialPasswordAge', label: 'Initial password validity period in days (0 = never expires)' },
  { key: 'maxLoginAttempts', label: 'Maximum password retries before a one-hour lock (0 = no lock)' },
];

type PolicyFlag = 'requireLowercaseCharacters' | 'requireUppercaseCharacters' | 'requireNumbers' | 'requireSymbols' | 'passwordNotContainUserName' | 'hardExpire';

const POLICY_FLAGS: { key: PolicyFlag; label: string }[] = [
  { key: 'requireLowercaseCharacters', label: 'Require lowercase letters' },
  { key: 'requireUppercaseCharacters', label: 'Require uppercase letters' },
  { key: 'requireNumbers', label: 'Require digits' },
  { key: 'requireSymbols', label: 'Require symbols' },
  { key: 'passwordNotContainUserName', label: 'Password must not contain the user name' },
  { key: 'hardExpire', label: 'Disable logon after the password expires (only an administrator can reset it)' },
];

type PreferenceFlag = 'allowUserToLoginWithPasskey' | 'enableSaveMFATicket' | 'allowUserToChangePassword' | 'allowUserToManageAccessKeys' | 'allowUserToManageMFADevices';

const PREFERENCE_FLAGS: { key: PreferenceFlag; label: string }[] = [
  { key: 'allowUserToLoginWithPasskey', label: 'Allow users to log on with passkeys' },
  { key: 'enableSaveMFATicket', label: 'Remember MFA on the same browser for seven days' },
  { key: 'allowUserToChangePassword', label: 'Allow user to change password' },
  { key: 'allowUserToManageAccessKeys', label: 'Allow users to manage AccessKeys' },
  { key: 'allowUserToManageMFADevices', label: 'Allow users to manage MFA devices' },
];

const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');
const idOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function checkbox(key: string, checked: boolean, label: string): Raw {
  return html`<div><input type="checkbox" id="${idOf(key)}" name="${key}" value="1"${checked ? html` checked` : ''}> <label for="${idOf(key)}" style="display:inline;font-weight:normal">${label}</label></div>`;
}

function securityView(p: SecurityPreference, canModify: boolean): Raw {
  return html`<section aria-label="Global Security"><h2>Global Security</h2><table>
${PREFERENCE_FLAGS.map((f) => html`<tr><th scope="row">${f.label}</th><td>${yesNo(p[f.key])}</td></tr>`)}
<tr><th scope="row">MFA for logon (MFAOperationForLogin)</th><td>${MFA_OPERATION_LABELS[p.mfaOperationForLogin] ?? p.mfaOperationForLogin}</td></tr>
<tr><th scope="row">Logon session duration</th><td>${p.loginSessionDuration} hours</td></tr>
<tr><th scope="row">Logon network masks</th><td>${p.loginNetworkMasks || 'Any address'}</td></tr>
</table>${canModify ? html`<p><a href="/ram/settings/security" role="button">Modify</a></p>` : ''}</section>`;
}

function policyView(p: PasswordPolicy, canModify: boolean): Raw {
  return html`<section aria-label="Password Policy"><h2>Password Policy</h2><table>
${POLICY_NUMBERS.map((f) => html`<tr><th scope="row">${f.label}</th><td>${p[f.key]}</td></tr>`)}
${POLICY_FLAGS.map((f) => html`<tr><th scope="row">${f.label}</th><td>${yesNo(p[f.key])}</td></tr>`)}
</table>${canModify ? html`<p><a href="/ram/settings/password-policy" role="button">Modify</a></p>` : ''}</section>`;
}

function securityForm(admin: Administrator, values: Record<string, string | boolean>, error?: string): Raw {
  return html`<p><a href="/ram/settings">Settings</a></p><h1>Modify Global Security</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ram/settings/security">${csrfField(admin)}
${PREFERENCE_FLAGS.map((f) => checkbox(f.key, values[f.key] === true, f.label))}
<label for="mfa-operation-for-login">MFA for logon</label>
<select id="mfa-operation-for-login" name="mfaOperationForLogin">
${MFA_OPERATIONS_FOR_LOGIN.map((o) => html`<option value="${o}"${values.mfaOperationForLogin === o ? html` selected` : ''}>${MFA_OPERATION_LABELS[o]}</option>`)}
</select>
<label for="login-session-duration">Logon session duration (hours, ${SESSION_HOURS.min}–${SESSION_HOURS.max})</label>
<input type="number" id="login-session-duration" name="loginSessionDuration" value="${values.loginSessionDuration}">
<label for="login-network-masks">Logon network masks (IPv4 addresses or CIDR blocks separated by ;, empty for any address)</label>
<input type="text" id="login-network-masks" name="loginNetworkMasks" value="${values.loginNetworkMasks}">
<button type="submit">OK</button> <a href="/ram/settings">Cancel</a>
</form>`;
}

function policyForm(admin: Administrator, values: Record<string, string | boolean>, error?: string): Raw {
  return html`<p><a href="/ram/settings">Settings</a></p><h1>Modify Password Policy</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ram/settings/password-policy">${csrfField(admin)}
${POLICY_NUMBERS.map(
  (f) => html`<label for="${idOf(f.key)}">${f.label} (${L[f.key].min}–${L[f.key].max})</label>
<input type="number" id="${idOf(f.key)}" name="${f.key}" value="${values[f.key]}">`,
)}
${POLICY_FLAGS.map((f) => checkbox(f.key, values[f.key] === true, f.label))}
<button type="submit">OK</button> <a href="/ram/settings">Cancel</a>
</form>`;
}

/** A whole number within the range, or a sentence saying why not. */
function inRange(value: string | undefined, label: string, range: { min: number; max: number }): number | string {
  const text = (value ?? '').trim();
  if (!/^\d{1,6}$/.test(text) || Number(text) < range.min || Number(text) > range.max) {
    return `${label} must be a whole number from ${range.min} to ${range.max}.`;
  }
  return Number(text);
}

export async function settingsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const db = web.services.store.db;
  const nowIso = (): string => web.services.clock.now().toISOString();

  app.get('/settings', async (request, reply) => {
    const admin = await administrator(web, request, reply);
    if (!admin) return reply;
    const resource = accountResource(admin.principal.accountId);
    const [readPreference, readPolicy] = await Promise.all([
      check(web, admin, 'ram:GetSecurityPreference', resource),
      check(web, admin, 'ram:GetPasswordPolicy', resource),
    ]);
    if (!readPreference.allowed && !readPolicy.allowed) {
      return permit(web, admin, reply, 'ram:GetSecurityPreference', resource).then(() => reply);
    }
    const [canSetPreference, canSetPolicy] = await Promise.all([
      isAllowed(web, admin, 'ram:SetSecurityPreference', resource),
      isAllowed(web, admin, 'ram:SetPasswordPolicy', resource),
    ]);
    const security = readPreference.allowed
      ? securityView(await getSecurityPreference(db, admin.principal.accountId), canSetPreference)
      : html`<section aria-label="Global Security"><h2>Global Security</h2><p class="error">${denialMessage(readPreference)}</p></section>`;
    const policy = readPolicy.allowed
      ? policyView(await getPasswordPolicy(db, admin.principal.accountId), canSetPolicy)
      : html`<section aria-label="Password Policy"><h2>Password Policy</h2><p class="error">${denialMessage(readPolicy)}</p></section>`;
    return consolePage(reply, admin, 'Settings', html`<h1>Settings</h1>${security}${policy}<p><a href="/ram/settings/logon-domains">Logon domains</a></p>`);
  });

  async function ready(request: FastifyRequest, reply: FastifyReply, action: string): Promise<Administrator | null> {
    const admin = await administrator(web, request, reply);
    if (!admin) return null;
    return (await permit(web, admin, reply, action, accountResource(admin.principal.accountId))) ? admin : null;
  }

  app.get('/settings/security', async (request, reply) => {
    const admin = await ready(request, reply, 'ram:SetSecurityPreference');
    if (!admin) return reply;
    const p = await getSecurityPreference(db, admin.principal.accountId);
    const values: Record<string, string | boolean> = {
      mfaOperationForLogin: p.mfaOperationForLogin,
      loginSessionDuration: String(p.loginSessionDuration),
      loginNetworkMasks: p.loginNetworkMasks,
    };
    for (const f of PREFERENCE_FLAGS) values[f.key] = p[f.key];
    return consolePage(reply, admin, 'Modify Global Security', securityForm(admin, values));
  });

  app.post('/settings/security', async (request, reply) => {
    if (!(await csrfOk(web, request, reply))) return reply;
    const admin = await ready(request, reply, 'ram:SetSecurityPreference');
    if (!admin) return reply;
    const form: Form = formOf(request);
    const values: Record<string, string | boolean> = {
      mfaOperationForLogin: form.mfaOperationForLogin ?? '',
      loginSessionDuration: form.loginSessionDuration ?? '',
      loginNetworkMasks: form.loginNetworkMasks ?? '',
    };
    for (const f of PREFERENCE_FLAGS) values[f.key] = form[f.key] !== undefined;
    const refuse = (error: string) => consolePage(reply, admin, 'Modify Global Security', securityForm(admin, values, error), 400);

    const mfa = MFA_OPERATIONS_FOR_LOGIN.find((o) => o === form.mfaOperationForLogin);
    if (!mfa) return refuse('Choose how MFA is required for logon.');
    const hours = inRange(form.loginSessionDuration, 'Logon session duration', SESSION_HOURS);
    if (typeof hours === 'string') return refuse(hours);
    // As SetSecurityPreference: masks are trimmed one by one; empty clears the restriction.
    const raw = (form.loginNetworkMasks ?? '').trim();
    const masks = raw === '' ? '' : raw.split(';').map((m) => m.trim()).join(';');
    const problem = loginNetworkMasksProblem(masks);
    if (problem) return refuse(`Logon network masks: ${problem}.`);

    const changes: Partial<SecurityPreference> = { mfaOperationForLogin: mfa as MFAOperationForLogin, loginSessionDuration: hours, loginNetworkMasks: masks };
    for (const f of PREFERENCE_FLAGS) changes[f.key] = values[f.key] === true;
    await db.transaction().execute((tx) => setSecurityPreference(tx, admin.principal.accountId, changes, nowIso()));
    return reply.redirect('/ram/settings', 303);
  });

  app.get('/settings/password-policy', async (request, reply) => {
    const admin = await ready(request, reply, 'ram:SetPasswordPolicy');
    if (!admin) return reply;
    const p = await getPasswordPolicy(db, admin.principal.accountId);
    const values: Record<string, string | boolean> = {};
    for (const f of POLICY_NUMBERS) values[f.key] = String(p[f.key]);
    for (const f of POLICY_FLAGS) values[f.key] = p[f.key];
    return consolePage(reply, admin, 'Modify Password Policy', policyForm(admin, values));
  });

  app.post('/settings/password-policy', async (request, reply) => {
    if (!(await csrfOk(web, request, reply))) return reply;
    const admin = await ready(request, reply, 'ram:SetPasswordPolicy');
    if (!admin) return reply;
    const form = formOf(request);
    const values: Record<string, string | boolean> = {};
    for (const f of POLICY_NUMBERS) values[f.key] = form[f.key] ?? '';
    for (const f of POLICY_FLAGS) values[f.key] = form[f.key] !== undefined;

    const changes: Partial<PasswordPolicy> = {};
    const problems: string[] = [];
    for (const f of POLICY_NUMBERS) {
      const n = inRange(form[f.key], f.label, L[f.key]);
      if (typeof n === 'string') problems.push(n);
      else changes[f.key] = n;
    }
    if (problems.length > 0) return consolePage(reply, admin, 'Modify Password Policy', policyForm(admin, values, problems.join(' ')), 400);
    for (const f of POLICY_FLAGS) changes[f.key] = values[f.key] === true;
    await db.transaction().execute((tx) => setPasswordPolicy(tx, admin.principal.accountId, changes, nowIso()));
    return reply.redirect('/ram/settings', 303);
  });
}

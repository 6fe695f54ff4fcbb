import type { FastifyInstance, FastifyReply } from 'fastify';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, formOf, type Administrator, type Form } from '../console-access.js';
import { attempt, can, check, directoryHandler, errorBox, radio, run, show } from './access.js';
import { dataTable } from './list-page.js';
import { ssoLogonRoutes, ssoLogonSection, type SsoSection } from './sso-logon.js';

// Settings: logon method (SSO logon, sso-logon.ts), MFA, password policy, login preference and SCIM credentials of the directory.

type Section = SsoSection | 'mfa' | 'password-policy' | 'login-preference' | 'scim';

interface State {
  section?: Section;
  error?: string;
  notice?: Raw;
  values?: Form;
}

const POLICY_FIELDS = [
  ['MinPasswordLength', 'Minimum Password Length', 8, 32],
  ['MinPasswordDifferentChars', 'Minimum Different Characters', 0, 32],
  ['MaxPasswordAge', 'Password Validity Period (days)', 1, 120],
  ['PasswordReusePrevention', 'Password Reuse Prevention (previous passwords)', 0, 24],
  ['MaxLoginAttempts', 'Maximum Logon Attempts (0: no lockout)', 0, 32],
] as const;

export async function settingsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  async function settingsPage(reply: FastifyReply, admin: Administrator, dir: string, state: State = {}, status = 200): Promise<FastifyReply> {
    const ref = { DirectoryId: dir };
    const mfa = (await run(web, admin, 'GetMFAAuthenticationSettings', ref)).MFAAuthenticationAdvanceSettings as string;
    const policy = (await run(web, admin, 'GetPasswordPolicy', ref)).PasswordPolicy as Record<string, unknown>;
    const preference = (await run(web, admin, 'GetLoginPreference', ref)).LoginPreference as Record<string, unknown>;
    const credentials = (await run(web, admin, 'ListSCIMServerCredentials', ref)).SCIMServerCredentials as Record<string, string>[];
    const scimStatus = (await run(web, admin, 'GetSCIMSynchronizationStatus', ref)).SCIMSynchronizationStatus as string;
    const [canMfa, canPolicy, canPreference, canCreateScim, canUpdateScim, canDeleteScim, canScimSync] = await Promise.all(
      [
        'UpdateMFAAuthenticationSettings',
        'SetPasswordPolicy',
        'SetLoginPreference',
        'CreateSCIMServerCredential',
        'UpdateSCIMServerCredentialStatus',
        'DeleteSCIMServerCredential',
        'SetSCIMSynchronizationStatus',
      ].map((action) => can(web, admin, action, ref)),
    );
    const v = state.values ?? {};
    const here = (section: Section): Raw => (state.section === section ? html`${state.notice ?? ''}${errorBox(state.error)}` : html``);
    const value = (field: string, current: unknown): string => (state.values && field in v ? (v[field] ?? '') : String(current ?? ''));
    return show(
      reply,
      admin,
      'Settings',
      html`<h1>Settings</h1>
${await ssoLogonSection(web, admin, dir, here, state.values)}

<section aria-label="MFA"><h2>MFA</h2>${here('mfa')}
<form method="post" action="/cloudsso/settings/mfa">${csrfField(admin)}
<fieldset><legend>MFA for User Portal Logon</legend>
${radio('mfa-enabled', 'MFAAuthenticationSettings', 'Enabled', 'Required for all users', mfa === 'Enabled')}
${radio('mfa-byuser', 'MFAAuthenticationSettings', 'Byuser', 'Set per user', mfa === 'Byuser')}
${radio('mfa-disabled', 'MFAAuthenticationSettings', 'Disabled', 'Disabled', mfa === 'Disabled')}
</fieldset>${canMfa ? html`<button type="submit">Save MFA Settings</button>` : ''}</form></section>

<section aria-label="Password Policy"><h2>Password Policy</h2>${here('password-policy')}
<form method="post" action="/cloudsso/settings/password-policy">${csrfField(admin)}
${POLICY_FIELDS.map(
  ([name, label, min, max]) =>
    html`<label for="policy-${name}">${label} (${min} to ${max})</label><input type="number" id="policy-${name}" name="${name}" value="${value(name, policy[name])}">`,
)}
<input type="hidden" name="PasswordNotContainUsername" value="false">
${check('policy-no-username', 'PasswordNotContainUsername', 'true', 'Password must not contain the user name', state.values ? v.PasswordNotContainUsername === 'true' : policy.PasswordNotContainUsername === true)}
<p>Passwords always contain upper-case and lower-case letters, digits and symbols, and are at most 32 characters long.</p>
${canPolicy ? html`<button type="submit">Save Password Policy</button>` : ''}</form></section>

<section aria-label="Login Preference"><h2>Login Preference</h2>${here('login-preference')}
<form method="post" action="/cloudsso/settings/login-preference">${csrfField(admin)}
<input type="hidden" name="AllowUserToGetCredentials" value="false">
${check('allow-credentials', 'AllowUserToGetCredentials', 'true', 'Allow users to get access credentials (CLI) in the user portal', state.values ? v.AllowUserToGetCredentials === 'true' : preference.AllowUserToGetCredentials === true)}
<label for="network-masks">Logon Network Masks (IPv4 addresses or CIDR blocks separated by ;, empty: any network)</label>
<input type="text" id="network-masks" name="LoginNetworkMasks" value="${value('LoginNetworkMasks', preference.LoginNetworkMasks)}">
${canPreference ? html`<button type="submit">Save Login Preference</button>` : ''}</form></section>

<section aria-label="SCIM"><h2>SCIM User Synchronization</h2>${here('scim')}
<p>SCIM synchronization: <span data-field="scim-status">${scimStatus}</span></p>
${canScimSync
  ? html`<form method="post" action="/cloudsso/settings/scim-sync">${csrfField(admin)}<input type="hidden" name="SCIMSynchronizationStatus" value="${scimStatus === 'Enabled' ? 'Disabled' : 'Enabled'}">
<button type="submit" class="secondary">${scimStatus === 'Enabled' ? 'Disable SCIM Synchronization' : 'Enable SCIM Synchronization'}</button></form>`
  : ''}
<h3>SCIM Credentials</h3>
${dataTable('SCIM credentials', ['Credential ID', 'Status', 'Created', 'Expires', ''], credentials.map(
  (c) => html`<tr data-credential="${c.CredentialId}"><td>${c.CredentialId}</td><td data-field="credential-status">${c.Status}</td><td>${c.CreateTime}</td><td>${c.ExpireTime}</td><td>
${canUpdateScim
  ? html`<form method="post" action="/cloudsso/settings/scim-credentials/status" style="margin:0;display:inline">${csrfField(admin)}<input type="hidden" name="CredentialId" value="${c.CredentialId}"><input type="hidden" name="NewStatus" value="${c.Status === 'Enabled' ? 'Disabled' : 'Enabled'}"><button type="submit" class="secondary" style="margin:0" aria-label="${c.Status === 'Enabled' ? 'Disable' : 'Enable'} ${c.CredentialId}">${c.Status === 'Enabled' ? 'Disable' : 'Enable'}</button></form>`
  : ''}
${canDeleteScim
  ? html`<form method="post" action="/cloudsso/settings/scim-credentials/delete" style="margin:0;display:inline">${csrfField(admin)}<input type="hidden" name="CredentialId" value="${c.CredentialId}"><button type="submit" class="secondary" style="margin:0" aria-label="Delete ${c.CredentialId}">Delete</button></form>`
  : ''}</td></tr>`,
), 'No SCIM credentials.')}
${canCreateScim ? html`<form method="post" action="/cloudsso/settings/scim-credentials">${csrfField(admin)}<button type="submit">Create SCIM Credential</button></form>` : ''}
</section>`,
      status,
    );
  }

  app.get(
    '/settings',
    directoryHandler(web, async (admin, dir, _request, reply) => {
      return settingsPage(reply, admin, dir);
    }),
  );

  /** A settings form: run the action; on a refusal show the message in that section with what was typed, nothing saved. */
  function post(path: string, section: Section, perform: (dir: string, form: Form, admin: Administrator) => Promise<Raw | void>, keepValues = false): void {
    app.post(
      path,
      directoryHandler(
        web,
        async (admin, dir, request, reply) => {
          const form = formOf(request);
          const result = await attempt(() => perform(dir, form, admin));
          if (!result.ok) {
            return settingsPage(reply, admin, dir, { section, error: result.error.message, values: keepValues ? form : undefined }, result.error.status);
          }
          if (result.value) return settingsPage(reply, admin, dir, { section, notice: result.value });
          return reply.redirect('/cloudsso/settings', 303);
        },
        { post: true },
      ),
    );
  }

  ssoLogonRoutes(app, web, post);

  post('/settings/mfa', 'mfa', async (dir, form, admin) => {
    await run(web, admin, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: form.MFAAuthenticationSettings });
  });

  post(
    '/settings/password-policy',
    'password-policy',
    async (dir, form, admin) => {
      const input: Record<string, string | undefined> = { DirectoryId: dir, PasswordNotContainUsername: form.PasswordNotContainUsername === 'true' ? 'true' : 'false' };
      for (const [name] of POLICY_FIELDS) input[name] = (form[name] ?? '').trim();
      await run(web, admin, 'SetPasswordPolicy', input);
    },
    true,
  );

  post(
    '/settings/login-preference',
    'login-preference',
    async (dir, form, admin) => {
      // An empty field clears the masks: the action treats an empty value as "not given", so send a lone separator.
      const masks = (form.LoginNetworkMasks ?? '').trim();
      await run(web, admin, 'SetLoginPreference', {
        DirectoryId: dir,
        AllowUserToGetCredentials: form.AllowUserToGetCredentials === 'true' ? 'true' : 'false',
        LoginNetworkMasks: masks === '' ? ';' : masks,
      });
    },
    true,
  );

  post('/settings/scim-sync', 'scim', async (dir, form, admin) => {
    await run(web, admin, 'SetSCIMSynchronizationStatus', { DirectoryId: dir, SCIMSynchronizationStatus: form.SCIMSynchronizationStatus });
  });

  post('/settings/scim-credentials', 'scim', async (dir, _form, admin) => {
    const credential = (await run(web, admin, 'CreateSCIMServerCredential', { DirectoryId: dir })).SCIMServerCredential as Record<string, string>;
    return html`<div class="notice" role="status"><p>SCIM credential ${credential.CredentialId} created. The secret is shown only once: copy it now into your identity provider.</p>
<label for="scim-secret">Credential Secret</label><input type="text" id="scim-secret" value="${credential.CredentialSecret}" readonly></div>`;
  });

  post('/settings/scim-credentials/status', 'scim', async (dir, form, admin) => {
    await run(web, admin, 'UpdateSCIMServerCredentialStatus', { DirectoryId: dir, CredentialId: form.CredentialId, NewStatus: form.NewStatus });
  });

  post('/settings/scim-credentials/delete', 'scim', async (dir, form, admin) => {
    await run(web, admin, 'DeleteSCIMServerCredential', { DirectoryId: dir, CredentialId: form.CredentialId });
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { userResource } from '../../ram/actions/users.js';
import { createLoginProfile, deleteLoginProfile, findLoginProfile, updateLoginProfile, type LoginProfile } from '../../ram/login-profiles.js';
import { getPasswordPolicy } from '../../ram/password-policy.js';
import { findUserByName, type RamUser } from '../../ram/users.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { administrator, csrfField, csrfOk, formOf, type Administrator, type Form } from '../console-access.js';
import { consolePage, permit } from './access.js';
import { generatePassword } from './generated-password.js';
import { logonUrl, userNotFound, userPath } from './user-detail.js';

// The Enable Console Logon, Modify Logon Settings and Clear Login Settings dialogs of seed 003, as pages.
// The domain functions decide everything (policy, initial passwords, ending sessions); these pages only collect input.

type PasswordMode = 'keep' | 'generate' | 'custom';

interface Settings {
  status: LoginProfile['status'];
  mode: PasswordMode;
  password: string;
  resetRequired: boolean;
  mfaRequired: boolean;
}

function settingsForm(admin: Administrator, user: RamUser, input: { kind: 'new' | 'edit'; values: Settings; error?: string }): Raw {
  const { values } = input;
  const action = `${userPath(user.name)}/login-profile${input.kind === 'edit' ? '/edit' : ''}`;
  const title = input.kind === 'new' ? 'Enable Console Logon' : 'Modify Logon Settings';
  const radio = (name: string, id: string, value: string, checked: boolean, label: string): Raw =>
    html`<div><input type="radio" id="${id}" name="${name}" value="${value}"${checked ? html` checked` : ''}> <label for="${id}" style="display:inline;font-weight:normal">${label}</label></div>`;
  const checkbox = (name: string, id: string, checked: boolean, label: string): Raw =>
    html`<div><input type="checkbox" id="${id}" name="${name}" value="1"${checked ? html` checked` : ''}> <label for="${id}" style="display:inline;font-weight:normal">${label}</label></div>`;
  return html`<p><a href="/ram/users">Users</a> &gt; <a href="${userPath(user.name)}">${user.name}</a></p>
<h1>${title}</h1>
${input.error ? html`<p class="error" role="alert">${input.error}</p>` : ''}
<form method="post" action="${action}">${csrfField(admin)}
<fieldset><legend>Console Access</legend>
${radio('status', 'status-active', 'Active', values.status === 'Active', 'Enabled')}
${radio('status', 'status-inactive', 'Inactive', values.status === 'Inactive', 'Disabled')}
</fieldset>
<fieldset><legend>Set Logon Password</legend>
${input.kind === 'edit' ? radio('passwordMode', 'password-keep', 'keep', values.mode === 'keep', 'Keep Current Password') : ''}
${radio('passwordMode', 'password-generate', 'generate', values.mode === 'generate', 'Automatically Regenerate Default Password')}
${radio('passwordMode', 'password-custom', 'custom', values.mode === 'custom', 'Reset Custom Password')}
<label for="custom-password">Custom Password</label>
<input type="password" id="custom-password" name="password" maxlength="128" autocomplete="new-password">
</fieldset>
<fieldset><legend>Password Reset</legend>
${checkbox('passwordResetRequired', 'password-reset-required', values.resetRequired, 'Required at Next Logon')}
</fieldset>
<fieldset><legend>Enable MFA</legend>
${checkbox('mfaBindRequired', 'mfa-bind-required', values.mfaRequired, 'Required')}
</fieldset>
<button type="submit">OK</button> <a href="${userPath(user.name)}">Cancel</a>
</form>`;
}

function settingsOf(form: Form, kind: 'new' | 'edit'): Settings {
  const mode = form.passwordMode === 'custom' || form.passwordMode === 'generate' ? form.passwordMode : kind === 'edit' ? 'keep' : 'generate';
  return {
    status: form.status === 'Inactive' ? 'Inactive' : 'Active',
    mode,
    password: (form.password ?? '').slice(0, 128),
    resetRequired: form.passwordResetRequired !== undefined,
    mfaRequired: form.mfaBindRequired !== undefined,
  };
}

function generatedPasswordPage(user: RamUser, password: string, url: string): Raw {
  return html`<p><a href="/ram/users">Users</a> &gt; <a href="${userPath(user.name)}">${user.name}</a></p>
<h1>Logon password</h1>
<p class="notice" role="status">This password is shown only once. Copy it now and give it to the user over a safe channel.</p>
<label for="generated-password">Generated Password</label>
<input type="text" id="generated-password" value="${password}" readonly>
<label for="logon-url">Logon URL</label>
<input type="text" id="logon-url" value="${url}" readonly>
<p><a href="${userPath(user.name)}">Back to ${user.name}</a></p>`;
}

export async function loginProfileRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const db = web.services.store.db;
  const now = (): Date => web.services.clock.now();

  /** The administrator, the user and a permitted action; null once the reply is sent. */
  async function prepare(request: FastifyRequest, reply: FastifyReply, action: string): Promise<{ admin: Administrator; user: RamUser } | null> {
    const admin = await administrator(web, request, reply);
    if (!admin) return null;
    const { name } = request.params as { name: string };
    // Found regardless of case, so authorized by the name it is stored under (as the API's gateway does).
    const user = await findUserByName(db, admin.principal.accountId, name);
    if (!(await permit(web, admin, reply, action, userResource(admin.principal.accountId, user?.name ?? name)))) return null;
    if (!user) {
      await consolePage(reply, admin, 'User not found', userNotFound(name), 404);
      return null;
    }
    return { admin, user };
  }

  /** The password the form asks for: none, a generated one, or the typed one. */
  async function chosenPassword(user: RamUser, values: Settings): Promise<{ password?: string; generated: boolean } | { error: string }> {
    if (values.mode === 'keep') return { generated: false };
    if (values.mode === 'generate') return { password: generatePassword(await getPasswordPolicy(db, user.account_id), user.name), generated: true };
    if (values.password === '') return { error: 'Enter the custom password, or choose another way to set the logon password.' };
    return { password: values.password, generated: false };
  }

  async function done(reply: FastifyReply, admin: Administrator, user: RamUser, password: string | undefined, generated: boolean): Promise<FastifyReply> {
    if (generated && password) return consolePage(reply, admin, 'Logon password', generatedPasswordPage(user, password, await logonUrl(web, user)));
    return reply.redirect(userPath(user.name), 303);
  }

  /** Enable Console Logon ('new') and Modify Logon Settings ('edit'): one form, one validation path, a different save. */
  const dialogs = {
    new: { path: '', action: 'ram:CreateLoginProfile', title: 'Enable Console Logon', save: createLoginProfile },
    edit: { path: '/edit', action: 'ram:UpdateLoginProfile', title: 'Modify Logon Settings', save: updateLoginProfile },
  } as const;

  /** The settings a dialog opens with; null when Modify finds no profile to modify. */
  async function initialSettings(kind: 'new' | 'edit', user: RamUser): Promise<Settings | null> {
    if (kind === 'new') return { status: 'Active', mode: 'generate', password: '', resetRequired: false, mfaRequired: true };
    const profile = await findLoginProfile(db, user.id);
    if (!profile) return null;
    return {
      status: profile.status,
      mode: 'keep',
      password: '',
      resetRequired: profile.password_reset_required === 1,
      mfaRequired: profile.mfa_bind_required === 1,
    };
  }

  for (const kind of ['new', 'edit'] as const) {
    const dialog = dialogs[kind];
    const page = (reply: FastifyReply, admin: Administrator, user: RamUser, values: Settings, error?: string, status?: number) =>
      consolePage(reply, admin, dialog.title, settingsForm(admin, user, { kind, values, error }), status);

    app.get(`/users/:name/login-profile/${kind}`, async (request, reply) => {
      const ready = await prepare(request, reply, dialog.action);
      if (!ready) return reply;
      const values = await initialSettings(kind, ready.user);
      if (!values) return reply.redirect(userPath(ready.user.name), 303);
      return page(reply, ready.admin, ready.user, values);
    });

    app.post(`/users/:name/login-profile${dialog.path}`, async (request, reply) => {
      if (!(await csrfOk(web, request, reply))) return reply;
      const ready = await prepare(request, reply, dialog.action);
      if (!ready) return reply;
      const { admin, user } = ready;
      const values = settingsOf(formOf(request), kind);
      const chosen = await chosenPassword(user, values);
      if ('error' in chosen) return page(reply, admin, user, values, chosen.error, 400);
      try {
        await db.transaction().execute((tx) =>
          dialog.save(
            tx,
            user,
            { password: chosen.password, passwordResetRequired: values.resetRequired, mfaBindRequired: values.mfaRequired, status: values.status },
            now(),
          ),
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return page(reply, admin, user, values, error.message, error.status);
      }
      return done(reply, admin, user, chosen.password, chosen.generated);
    });
  }

  app.get('/users/:name/login-profile/delete', async (request, reply) => {
    const ready = await prepare(request, reply, 'ram:DeleteLoginProfile');
    if (!ready) return reply;
    const { admin, user } = ready;
    return consolePage(
      reply,
      admin,
      'Clear Login Settings',
      html`<p><a href="/ram/users">Users</a> &gt; <a href="${userPath(user.name)}">${user.name}</a></p>
<h1>Clear Login Settings</h1>
<p class="error" role="alert">This permanently deletes the console logon settings of ${user.name}, password included, and cannot be undone.
The user and the RAM roles it assumed are logged out at once. Passkeys, MFA devices and AccessKeys are kept.</p>
<form method="post" action="${userPath(user.name)}/login-profile/delete">${csrfField(admin)}
<button type="submit">OK</button> <a href="${userPath(user.name)}">Cancel</a></form>`,
    );
  });

  app.post('/users/:name/login-profile/delete', async (request, reply) => {
    if (!(await csrfOk(web, request, reply))) return reply;
    const ready = await prepare(request, reply, 'ram:DeleteLoginProfile');
    if (!ready) return reply;
    const { admin, user } = ready;
    try {
      await db.transaction().execute((tx) => deleteLoginProfile(tx, user));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return consolePage(reply, admin, 'Clear Login Settings', html`<h1>Clear Login Settings</h1><p class="error" role="alert">${error.message}</p>
<p><a href="${userPath(user.name)}">Back to ${user.name}</a></p>`, error.status);
    }
    return reply.redirect(userPath(user.name), 303);
  });
}

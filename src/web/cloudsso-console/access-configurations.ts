import type { FastifyInstance, FastifyReply } from 'fastify';
import { DEFAULT_SESSION, MAX_SESSION, MIN_SESSION } from '../../cloudsso/access-configurations.js';
import { systemPolicies } from '../../policy/system-policies.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, type Administrator, type Form } from '../console-access.js';
import { can, directoryHandler, errorBox, params, run, show } from './access.js';
import { changeRoute, createSection, dataTable, deleteRoute, deleteSection, listRoutes, pageLinks, type ListPage } from './list-page.js';

// Access Configurations: list with the "Re-provision required" notice (StatusNotifications), create, edit
// (description, session duration, initial page), permission policies, and Re-provision on the accounts it is on.

export const acPath = (id: string): string => `/cloudsso/access-configurations/${encodeURIComponent(id)}`;
const PROVISIONING_PAGE = 20;

/** Every account the configuration is provisioned on (ListAccessConfigurationProvisionings, all pages). */
async function provisionings(web: WebContext, admin: Administrator, dir: string, acId: string): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = [];
  let next: string | undefined;
  do {
    const page = await run(web, admin, 'ListAccessConfigurationProvisionings', { DirectoryId: dir, AccessConfigurationId: acId, MaxResults: PROVISIONING_PAGE, NextToken: next });
    out.push(...(page.AccessConfigurationProvisionings as Record<string, string>[]));
    next = page.NextToken;
  } while (next);
  return out;
}

const reprovisionMarker = (ac: Record<string, unknown>): Raw =>
  (ac.StatusNotifications as string[]).includes('ReprovisionRequired') ? html`<span class="tag" data-field="reprovision-required">Re-provision required</span>` : html``;

export async function accessConfigurationsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  function reprovisionButton(admin: Administrator, acId: string, name: string): Raw {
    return html`<form method="post" action="${acPath(acId)}/reprovision" style="margin:0;display:inline">${csrfField(admin)}<button type="submit" style="margin:0" aria-label="Re-provision ${name}">Re-provision</button></form>`;
  }

  const listPage: ListPage = async (reply, admin, dir, q, create = {}, status = 200) => {
    const list = await run(web, admin, 'ListAccessConfigurations', { DirectoryId: dir, MaxResults: 100, NextToken: q.next });
    const configurations = list.AccessConfigurations as Record<string, unknown>[];
    const canCreate = await can(web, admin, 'CreateAccessConfiguration', { DirectoryId: dir });
    const rows: Raw[] = [];
    for (const ac of configurations) {
      const id = ac.AccessConfigurationId as string;
      const name = ac.AccessConfigurationName as string;
      const pending = (ac.StatusNotifications as string[]).includes('ReprovisionRequired');
      const canProvision = pending && (await can(web, admin, 'ProvisionAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: id }));
      rows.push(
        html`<tr data-ac="${name}"><td><a href="${acPath(id)}">${name}</a></td><td>${ac.Description}</td><td>${String(ac.SessionDuration)}</td><td>${reprovisionMarker(ac)} ${
          canProvision ? reprovisionButton(admin, id, name) : ''
        }</td></tr>`,
      );
    }
    const v = create.values ?? {};
    return show(
      reply,
      admin,
      'Access Configurations',
      html`<h1>Access Configurations</h1>
${dataTable('Access configurations', ['Name', 'Description', 'Session Duration (seconds)', 'Status'], rows, 'No access configurations.')}
${pageLinks('/cloudsso/access-configurations', {}, { next: list.NextToken })}
${canCreate
  ? createSection(
      admin,
      'Create Access Configuration',
      '/cloudsso/access-configurations',
      create.error,
      html`<label for="ac-name">Access Configuration Name</label><input type="text" id="ac-name" name="AccessConfigurationName" value="${v.AccessConfigurationName ?? ''}" maxlength="32" required>
<label for="ac-description">Description</label><textarea id="ac-description" name="Description">${v.Description ?? ''}</textarea>
<label for="ac-session">Session Duration (seconds, ${MIN_SESSION} to ${MAX_SESSION})</label>
<input type="number" id="ac-session" name="SessionDuration" value="${v.SessionDuration ?? String(DEFAULT_SESSION)}">
<label for="ac-relay">Initial Page</label><input type="text" id="ac-relay" name="RelayState" value="${v.RelayState ?? ''}" placeholder="https://home.console.aliyun.com">`,
    )
  : ''}`,
      status,
    );
  };

  listRoutes(app, web, '/access-configurations', listPage, {
    action: 'CreateAccessConfiguration',
    values: (form) => ({
      AccessConfigurationName: (form.AccessConfigurationName ?? '').trim(),
      Description: form.Description ?? '',
      SessionDuration: (form.SessionDuration ?? '').trim(),
      RelayState: (form.RelayState ?? '').trim(),
    }),
    created: (result) => acPath(result.AccessConfiguration.AccessConfigurationId),
  });

  async function detailPage(
    reply: FastifyReply,
    admin: Administrator,
    dir: string,
    acId: string,
    state: { error?: string; values?: Form } = {},
    status = 200,
  ): Promise<FastifyReply> {
    const ref = { DirectoryId: dir, AccessConfigurationId: acId };
    const ac = (await run(web, admin, 'GetAccessConfiguration', ref)).AccessConfiguration as Record<string, unknown>;
    const policies = (await run(web, admin, 'ListPermissionPoliciesInAccessConfiguration', ref)).PermissionPolicies as Record<string, string>[];
    const accounts = await provisionings(web, admin, dir, acId);
    const [canUpdate, canAdd, canRemove, canInline, canProvision, canDelete] = await Promise.all([
      can(web, admin, 'UpdateAccessConfiguration', ref),
      can(web, admin, 'AddPermissionPolicyToAccessConfiguration', ref),
      can(web, admin, 'RemovePermissionPolicyFromAccessConfiguration', ref),
      can(web, admin, 'UpdateInlinePolicyForAccessConfiguration', ref),
      can(web, admin, 'ProvisionAccessConfiguration', ref),
      can(web, admin, 'DeleteAccessConfiguration', ref),
    ]);
    const name = ac.AccessConfigurationName as string;
    const path = acPath(acId);
    const inline = policies.find((p) => p.PermissionPolicyType === 'Inline');
    const attached = new Set(policies.filter((p) => p.PermissionPolicyType === 'System').map((p) => p.PermissionPolicyName));
    const v = state.values ?? {};
    const value = (field: string, current: unknown): string => v[field] ?? String(current ?? '');
    return show(
      reply,
      admin,
      name,
      html`<p><a href="/cloudsso/access-configurations">Access Configurations</a> &gt; ${name}</p><h1>${name}</h1>${errorBox(state.error)}
<p>${reprovisionMarker(ac)} ${(ac.StatusNotifications as string[]).length > 0 && canProvision && accounts.length > 0 ? reprovisionButton(admin, acId, name) : ''}</p>
<section aria-label="Basic Information"><h2>Basic Information</h2><table>
<tr><th scope="row">Access Configuration ID</th><td>${ac.AccessConfigurationId}</td></tr>
<tr><th scope="row">Description</th><td data-field="description">${ac.Description}</td></tr>
<tr><th scope="row">Session Duration (seconds)</th><td data-field="session-duration">${String(ac.SessionDuration)}</td></tr>
<tr><th scope="row">Initial Page</th><td data-field="relay-state">${ac.RelayState}</td></tr>
<tr><th scope="row">Updated</th><td>${ac.UpdateTime}</td></tr></table>
${canUpdate
  ? html`<h3>Edit</h3><form method="post" action="${path}/edit">${csrfField(admin)}
<label for="edit-description">Description</label><textarea id="edit-description" name="NewDescription">${value('NewDescription', ac.Description)}</textarea>
<label for="edit-session">Session Duration (seconds, ${MIN_SESSION} to ${MAX_SESSION})</label>
<input type="number" id="edit-session" name="NewSessionDuration" value="${value('NewSessionDuration', ac.SessionDuration)}">
<label for="edit-relay">Initial Page</label><input type="text" id="edit-relay" name="NewRelayState" value="${value('NewRelayState', ac.RelayState)}">
<button type="submit">Save</button></form>`
  : ''}</section>
<section aria-label="Permission Policies"><h2>Permission Policies</h2>
${dataTable('Permission policies', ['Policy Name', 'Type', 'Added', ''], policies.map(
  (p) => html`<tr><td>${p.PermissionPolicyName}</td><td>${p.PermissionPolicyType}</td><td>${p.AddTime}</td><td>${
    canRemove
      ? html`<form method="post" action="${path}/policies/remove" style="margin:0">${csrfField(admin)}<input type="hidden" name="PermissionPolicyType" value="${p.PermissionPolicyType}"><input type="hidden" name="PermissionPolicyName" value="${p.PermissionPolicyName}"><button type="submit" class="secondary" style="margin:0" aria-label="Remove ${p.PermissionPolicyName}">Remove</button></form>`
      : ''
  }</td></tr>`,
), 'No policies.')}
${canAdd
  ? html`<h3>Add System Policy</h3><form method="post" action="${path}/policies">${csrfField(admin)}<input type="hidden" name="PermissionPolicyType" value="System">
<label for="system-policy">System Policy</label><select id="system-policy" name="PermissionPolicyName">
${systemPolicies.filter((p) => !attached.has(p.name)).map((p) => html`<option value="${p.name}">${p.name}</option>`)}</select>
<button type="submit">Add System Policy</button></form>`
  : ''}
${(inline ? canInline : canAdd)
  ? html`<h3>Inline Policy</h3><form method="post" action="${path}/inline-policy">${csrfField(admin)}
<label for="inline-name">Inline Policy Name</label><input type="text" id="inline-name" name="PolicyName" value="${v.PolicyName ?? inline?.PermissionPolicyName ?? ''}"${inline ? html` readonly` : ''} required>
<label for="inline-document">Policy Document</label><textarea id="inline-document" name="PolicyDocument" rows="10">${v.PolicyDocument ?? inline?.PermissionPolicyDocument ?? ''}</textarea>
<button type="submit">${inline ? 'Replace Inline Policy' : 'Add Inline Policy'}</button></form>`
  : ''}</section>
<section aria-label="Provisioned Accounts"><h2>Provisioned Accounts</h2>
${dataTable(
  'Provisioned accounts',
  ['Account', 'Account ID', 'Status', 'Updated'],
  accounts.map((a) => html`<tr><td>${a.TargetName}</td><td>${a.TargetId}</td><td>${a.Status}</td><td>${a.UpdateTime}</td></tr>`),
  'Not provisioned on any account.',
)}</section>
${canDelete ? deleteSection(admin, 'Delete Access Configuration', path, name) : ''}`,
      status,
    );
  }

  // The console deletes a configuration with its permission policies; one still assigned or provisioned is refused.
  deleteRoute(app, web, {
    path: '/access-configurations',
    listPath: '/cloudsso/access-configurations',
    action: 'DeleteAccessConfiguration',
    params: (dir, id) => ({ DirectoryId: dir, AccessConfigurationId: id, ForceRemovePermissionPolicies: true }),
    detailPage: (reply, admin, dir, id, error, status) => detailPage(reply, admin, dir, id, { error }, status),
  });

  app.get(
    '/access-configurations/:id',
    directoryHandler(web, async (admin, dir, request, reply) => {
      return detailPage(reply, admin, dir, params(request).id!);
    }),
  );

  /** A POST on one configuration: run the change, then back to its page (or the page with the API's message). */
  function change(suffix: string, perform: (dir: string, acId: string, form: Form, admin: Administrator) => Promise<string | void>): void {
    changeRoute(app, web, {
      path: '/access-configurations',
      suffix,
      detailPath: acPath,
      perform: (admin, dir, id, form) => perform(dir, id, form, admin),
      detailPage: (reply, admin, dir, id, form, error, status) => detailPage(reply, admin, dir, id, { error, values: form }, status),
    });
  }

  change('edit', async (dir, id, form, admin) => {
    await run(web, admin, 'UpdateAccessConfiguration', {
      DirectoryId: dir,
      AccessConfigurationId: id,
      NewDescription: form.NewDescription,
      NewSessionDuration: (form.NewSessionDuration ?? '').trim(),
      NewRelayState: (form.NewRelayState ?? '').trim(),
    });
  });

  change('policies', async (dir, id, form, admin) => {
    await run(web, admin, 'AddPermissionPolicyToAccessConfiguration', {
      DirectoryId: dir,
      AccessConfigurationId: id,
      PermissionPolicyType: 'System',
      PermissionPolicyName: form.PermissionPolicyName,
    });
  });

  change('policies/remove', async (dir, id, form, admin) => {
    await run(web, admin, 'RemovePermissionPolicyFromAccessConfiguration', {
      DirectoryId: dir,
      AccessConfigurationId: id,
      PermissionPolicyType: form.PermissionPolicyType,
      PermissionPolicyName: form.PermissionPolicyName,
    });
  });

  change('inline-policy', async (dir, id, form, admin) => {
    const ref = { DirectoryId: dir, AccessConfigurationId: id };
    const policies = (await run(web, admin, 'ListPermissionPoliciesInAccessConfiguration', ref)).PermissionPolicies as Record<string, string>[];
    const inline = policies.find((p) => p.PermissionPolicyType === 'Inline');
    if (inline) {
      await run(web, admin, 'UpdateInlinePolicyForAccessConfiguration', { ...ref, InlinePolicyName: inline.PermissionPolicyName, NewInlinePolicyDocument: form.PolicyDocument });
    } else {
      await run(web, admin, 'AddPermissionPolicyToAccessConfiguration', {
        ...ref,
        PermissionPolicyType: 'Inline',
        PermissionPolicyName: (form.PolicyName ?? '').trim(),
        InlinePolicyDocument: form.PolicyDocument,
      });
    }
  });

  // Re-provision: ProvisionAccessConfiguration again on every account it is provisioned on; the Tasks page follows them.
  change('reprovision', async (dir, id, _form, admin) => {
    const accounts = await provisionings(web, admin, dir, id);
    for (const account of accounts) {
      await run(web, admin, 'ProvisionAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: id, TargetType: 'RD-Account', TargetId: account.TargetId });
    }
    return `/cloudsso/tasks?accessConfigurationId=${encodeURIComponent(id)}`;
  });
}

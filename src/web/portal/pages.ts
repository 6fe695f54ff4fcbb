import type { PortalAccount, PortalConfiguration } from '../../cloudsso/portal.js';
import { CSRF_FIELD } from '../csrf.js';
import { html, page, type Raw } from '../html.js';
import { mfaBindPage, mfaCodeForm, passwordChangePage } from '../signin/pages.js';

// The CloudSSO user portal's pages, with the names seed 000 uses: Sign in as RAM role / Sign in as RAM user,
// Account Name, Account ID, Permissions, Show Details, Log On, Direct Access Link, Generate Link, Callback URL.

const hidden = (csrf: string): Raw => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
const alert = (message?: string): Raw | string => (message ? html`<p class="error" role="alert">${message}</p>` : '');

function portalPage(title: string, body: Raw, header?: Raw): string {
  return page(title, body, header ? { header } : {});
}

export function portalLoginPage(input: { base: string; directoryName: string; csrf: string; userName: string; error?: string }): string {
  return portalPage(
    'CloudSSO user portal',
    html`<div class="card"><h1>Sign in to CloudSSO</h1><p>Directory <strong>${input.directoryName}</strong></p>${alert(input.error)}
<form method="post" action="${input.base}/login">${hidden(input.csrf)}
<label for="username">User name</label><input type="text" id="username" name="username" value="${input.userName}" autocomplete="username" required autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Log On</button></form></div>`,
  );
}

/** The sign-in page when the directory's logon method is SSO: no password form, a Redirect to the enterprise IdP. */
export function portalSsoLoginPage(input: { directoryName: string; redirectUrl: string }): string {
  return portalPage(
    'CloudSSO user portal',
    html`<div class="card"><h1>Sign in to CloudSSO</h1><p>Directory <strong>${input.directoryName}</strong></p>
<p>This directory signs you in through your enterprise identity provider (SSO). Password sign-in is turned off.</p>
<p><a class="button" href="${input.redirectUrl}">Redirect</a></p></div>`,
  );
}

export function portalMfaPage(input: { base: string; csrf: string; error?: string }): string {
  return portalPage(
    'MFA verification',
    html`<div class="card"><h1>MFA verification</h1><p>Enter the code from your MFA device.</p>${alert(input.error)}${mfaCodeForm(input.csrf, `${input.base}/mfa`)}</div>`,
  );
}

export function portalMfaBindPage(input: { base: string; csrf: string; qrDataUrl: string; secret: string; error?: string }): string {
  return mfaBindPage({
    ...input,
    title: 'Add your first MFA device',
    intro: 'Scan the QR code with an authenticator app, or type the secret key, then enter two consecutive codes.',
    action: `${input.base}/mfa-bind`,
  });
}

export function portalPasswordChangePage(input: { base: string; csrf: string; rules: string[]; error?: string }): string {
  return passwordChangePage({ ...input, action: `${input.base}/password-change` });
}

function header(base: string, csrf: string, userName: string): Raw {
  return html`<span>${userName}</span><form method="post" action="${base}/logout" style="margin:0">${hidden(csrf)}<button class="secondary" style="margin:0" type="submit">Sign Out</button></form>`;
}

function tabs(base: string, active: 'role' | 'user'): Raw {
  return html`<nav aria-label="Sign-in type"><a href="${base}/portal"${active === 'role' ? html` aria-current="page"` : ''}>Sign in as RAM role</a> ·
<a href="${base}/portal?tab=user"${active === 'user' ? html` aria-current="page"` : ''}>Sign in as RAM user</a></nav>`;
}

function configurationRows(base: string, account: PortalAccount, allowCredentials: boolean): Raw {
  return html`${account.configurations.map((c: PortalConfiguration) => {
    const q = `accountId=${encodeURIComponent(account.accountId)}&accessConfigurationId=${encodeURIComponent(c.id)}`;
    return html`<tr><td>${c.name}</td><td>${c.description}</td><td>
<a href="${base}/logon?${q}" aria-label="Log On to ${account.accountId} as ${c.name}">Log On</a> ·
<a href="${base}/link?${q}" aria-label="Direct Access Link for ${account.accountId} as ${c.name}">Direct Access Link</a>
${allowCredentials ? html` · <a href="${base}/credentials?${q}" aria-label="Get credentials for ${account.accountId} as ${c.name}">Get Credentials</a>` : ''}</td></tr>`;
  })}`;
}

export function roleAccountsPage(input: {
  base: string;
  csrf: string;
  userName: string;
  accounts: PortalAccount[];
  total: number;
  query: string;
  page: number;
  pageSize: number;
  allowCredentials: boolean;
}): string {
  const pages = Math.max(1, Math.ceil(input.total / input.pageSize));
  const nav = (p: number, label: string): Raw =>
    html`<a href="${input.base}/portal?page=${p}${input.query ? `&q=${encodeURIComponent(input.query)}` : ''}">${label}</a>`;
  const body =
    input.total === 0 && !input.query
      ? html`<p class="notice">You do not have access permissions for any member accounts. Contact your administrator to assign an access configuration to you.</p>`
      : html`<table aria-label="Accounts"><thead><tr><th>Account Name</th><th>Account ID</th><th>Permissions</th></tr></thead><tbody>
${input.accounts.map(
  (a) => html`<tr><td>${a.accountName}</td><td>${a.accountId}</td><td><details><summary>Show Details</summary>
${a.configurations.length === 0 ? html`<p>You do not have permissions to access any resources in this account.</p>` : html`<table aria-label="Access configurations for ${a.accountId}"><thead><tr><th>Access Configuration</th><th>Description</th><th>Actions</th></tr></thead><tbody>${configurationRows(input.base, a, input.allowCredentials)}</tbody></table>`}
</details></td></tr>`,
)}</tbody></table>
${input.total === 0 ? html`<p>No account matches your search.</p>` : ''}
<p>Page ${input.page} of ${pages} (${input.total} accounts) ${input.page > 1 ? nav(input.page - 1, 'Previous') : ''} ${input.page < pages ? nav(input.page + 1, 'Next') : ''}</p>`;
  return portalPage(
    'CloudSSO user portal',
    html`<h1>CloudSSO user portal</h1>${tabs(input.base, 'role')}
<form method="get" action="${input.base}/portal" role="search"><label for="q">Search accounts by name or ID</label>
<input type="text" id="q" name="q" value="${input.query}"><button type="submit" class="secondary">Search</button></form>${body}`,
    header(input.base, input.csrf, input.userName),
  );
}

export function ramUserAccountsPage(input: { base: string; csrf: string; userName: string; accounts: Array<{ accountId: string; accountName: string }> }): string {
  const body =
    input.accounts.length === 0
      ? html`<p class="notice">You do not have access permissions for any member accounts as a RAM user.</p>`
      : html`<table aria-label="Accounts"><thead><tr><th>Account Name</th><th>Account ID</th><th>Actions</th></tr></thead><tbody>
${input.accounts.map(
  (a) => html`<tr><td>${a.accountName}</td><td>${a.accountId}</td><td>
<a href="${input.base}/logon?provisionUser=true&accountId=${encodeURIComponent(a.accountId)}" aria-label="Log On to ${a.accountId} as RAM user">Log On</a> ·
<a href="${input.base}/link?provisionUser=true&accountId=${encodeURIComponent(a.accountId)}" aria-label="Direct Access Link for ${a.accountId} as RAM user">Direct Access Link</a></td></tr>`,
)}</tbody></table>`;
  return portalPage('CloudSSO user portal', html`<h1>CloudSSO user portal</h1>${tabs(input.base, 'user')}${body}`, header(input.base, input.csrf, input.userName));
}

/** The Log On dialog: account ID (and configuration name for a role) read-only, an optional Callback URL. */
export function logonDialogPage(input: { base: string; csrf: string; accountId: string; configuration?: { id: string; name: string }; error?: string }): string {
  return portalPage(
    'Log On',
    html`<div class="card"><h1>Log On</h1>${alert(input.error)}
<form method="post" action="${input.base}/logon">${hidden(input.csrf)}
<label for="account-id">Alibaba Cloud Account ID</label><input type="text" id="account-id" name="accountId" value="${input.accountId}" readonly>
${input.configuration ? html`<label for="configuration-name">Access Configuration Name</label><input type="text" id="configuration-name" value="${input.configuration.name}" readonly><input type="hidden" name="accessConfigurationId" value="${input.configuration.id}">` : html`<input type="hidden" name="provisionUser" value="true">`}
<label for="callback-url">Callback URL (optional)</label><input type="text" id="callback-url" name="callbackUrl" placeholder="https://ram.console.alibabacloud.com">
<button type="submit">Log On</button></form><p><a href="${input.base}/portal">Back to the portal</a></p></div>`,
  );
}

export function directLinkPage(input: { base: string; accountId: string; link?: string; generateUrl: string; configurationName?: string }): string {
  return portalPage(
    'Direct Access Link',
    html`<div class="card"><h1>Direct Access Link</h1>
<p>Account ${input.accountId}${input.configurationName ? html`, access configuration ${input.configurationName}` : html`, as a RAM user`}.</p>
${input.link ? html`<label for="direct-link">Direct access link</label><input type="text" id="direct-link" value="${input.link}" readonly>` : html`<a href="${input.generateUrl}">Generate Link</a>`}
<p><a href="${input.base}/portal">Back to the portal</a></p></div>`,
  );
}

export function insufficientAccessPage(input: { base: string; csrf: string; accountId: string; requested: string; configurations: Array<{ id: string; name: string }>; landingPage: string | null }): string {
  return portalPage(
    'Insufficient Access',
    html`<div class="card"><h1>Insufficient Access</h1>
<p class="error" role="alert">The access configuration "${input.requested}" does not exist in account ${input.accountId}, or it is not assigned to you.</p>
${input.configurations.length === 0 ? html`<p>You have no access configurations on this account.</p>` : html`<p>Access configurations available to you on this account:</p>
<ul aria-label="Available access configurations">${input.configurations.map(
        (c) => html`<li><form method="post" action="${input.base}/logon" style="display:inline">${hidden(input.csrf)}
<input type="hidden" name="accountId" value="${input.accountId}"><input type="hidden" name="accessConfigurationId" value="${c.id}">
${input.landingPage ? html`<input type="hidden" name="callbackUrl" value="${input.landingPage}">` : ''}
<button type="submit" aria-label="Continue as ${c.name}">${c.name}</button></form></li>`,
      )}</ul>`}
<p><a href="${input.base}/portal">Back to the portal</a></p></div>`,
  );
}

export function credentialsPage(input: { base: string; accountId: string; configurationName: string; credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string; expiresAt: string }; region: string; endpoint: string }): string {
  const c = input.credentials;
  const cli = `aliyun configure set --profile ${input.configurationName} --mode StsToken --region ${input.region} \\\n  --access-key-id ${c.accessKeyId} --access-key-secret ${c.accessKeySecret} --sts-token ${c.securityToken}`;
  const env = `export ALIBABA_CLOUD_ACCESS_KEY_ID=${c.accessKeyId}\nexport ALIBABA_CLOUD_ACCESS_KEY_SECRET=${c.accessKeySecret}\nexport ALIBABA_CLOUD_SECURITY_TOKEN=${c.securityToken}`;
  return portalPage(
    'Credentials',
    html`<h1>Temporary credentials</h1><p>Account ${input.accountId}, access configuration ${input.configurationName}. They expire at <strong id="expiration">${c.expiresAt}</strong>. Endpoint: <code>${input.endpoint}</code></p>
<table aria-label="Credentials"><tr><th scope="row">AccessKey ID</th><td id="access-key-id">${c.accessKeyId}</td></tr>
<tr><th scope="row">AccessKey Secret</th><td id="access-key-secret">${c.accessKeySecret}</td></tr>
<tr><th scope="row">Security Token</th><td id="security-token" style="word-break:break-all">${c.securityToken}</td></tr></table>
<h2>CLI</h2><pre aria-label="CLI configuration">${cli}</pre><h2>Environment variables</h2><pre aria-label="Environment variables">${env}</pre>
<p><a href="${input.base}/portal">Back to the portal</a></p>`,
  );
}

export function portalMessagePage(title: string, message: string, back?: string): string {
  return portalPage(title, html`<div class="card"><h1>${title}</h1><p class="error" role="alert">${message}</p>${back ? html`<p><a href="${back}">Back</a></p>` : ''}</div>`);
}

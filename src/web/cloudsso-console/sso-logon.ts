import type { FastifyInstance } from 'fastify';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, type Administrator, type Form } from '../console-access.js';
import { authorizeAs, can, check, directoryHandler, radio, run } from './access.js';
import { dataTable } from './list-page.js';
import { retirePreviousServiceProviderCertificate, rotateServiceProviderCertificate, serviceProviderCertificates } from '../../cloudsso/saml-idp.js';
import { describeCertificate } from '../../saml/certificates.js';

// The "SSO logon" part of the directory's settings (seed 001): the logon method switch, the SP information to give the
// IdP, the IdP configuration (metadata or fields) and its certificates, and the SP certificate's rotation. Every
// change goes through the CloudSSO action an API caller would use; the SP certificate has no action and is
// authorized as SetExternalSAMLIdentityProvider.

export type SsoSection = 'sso-method' | 'sso-sp' | 'sso-idp' | 'sso-certificates';

/** A settings form: registered by settings.ts, which shows a refusal in the section with what was typed. */
export type SettingsPost = (
  path: string,
  section: SsoSection,
  perform: (dir: string, form: Form, admin: Administrator) => Promise<Raw | void>,
  keepValues?: boolean,
) => void;

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const day = (iso: string): string => iso.slice(0, 10);

function copyField(id: string, label: string, value: string): Raw {
  return html`<label for="${id}">${label}</label>
<div style="display:flex;gap:.5em"><input type="text" id="${id}" value="${value}" readonly style="flex:1">
<button type="button" class="secondary" data-copy="${id}" aria-label="Copy ${label}" hidden>Copy</button></div>`;
}

/** The section's HTML; `here(section)` gives the message of the form just posted in that section. */
export async function ssoLogonSection(web: WebContext, admin: Administrator, dir: string, here: (section: SsoSection) => Raw, values?: Form): Promise<Raw> {
  const ref = { DirectoryId: dir };
  const idp = (await run(web, admin, 'GetExternalSAMLIdentityProvider', ref)).SAMLIdentityProviderConfiguration as Record<string, any>;
  const sp = (await run(web, admin, 'GetDirectorySAMLServiceProviderInfo', ref)).SAMLServiceProvider as Record<string, string>;
  const idpCertificates = (await run(web, admin, 'ListExternalSAMLIdPCertificates', ref)).SAMLIdPCertificates as Record<string, string>[];
  const [canSet, canClear, canAdd, canRemove] = await Promise.all(
    ['SetExternalSAMLIdentityProvider', 'ClearExternalSAMLIdentityProvider', 'AddExternalSAMLIdPCertificate', 'RemoveExternalSAMLIdPCertificate'].map((a) =>
      can(web, admin, a, ref),
    ),
  );
  const spCertificates = await serviceProviderCertificates(web.services.store.db, dir, { secrets: web.services.secrets, now: web.services.clock.now() });
  const enabled = idp.SSOStatus === 'Enabled';
  const configured = idp.EntityId !== '' && idp.LoginUrl !== '' && idpCertificates.length > 0;
  const v = values ?? {};
  const value = (field: string, current: unknown): string => (values && field in v ? (v[field] ?? '') : String(current ?? ''));
  const binding = value('BindingType', idp.BindingType);
  const wantSigned = values ? v.WantRequestSigned === 'true' : idp.WantRequestSigned === true;

  return html`<section aria-label="SSO Logon"><h2>SSO Logon</h2>
<p>Users of the directory sign in to the user portal with one logon method at a time: <strong>username and password</strong>,
or <strong>SSO</strong> through your enterprise identity provider (IdP). Enabling SSO turns password logon off; disabling
SSO turns password logon back on.</p>
${here('sso-method')}
<p>Current logon method: <strong data-field="logon-method">${enabled ? 'SSO' : 'Username and password'}</strong></p>
${canSet
  ? html`<form method="post" action="/cloudsso/settings/sso/status">${csrfField(admin)}<input type="hidden" name="SSOStatus" value="${enabled ? 'Disabled' : 'Enabled'}">
<button type="submit" class="secondary">${enabled ? 'Switch to Username and Password' : 'Switch to SSO'}</button></form>
${enabled || configured ? '' : html`<p>Configure the IdP below (entity ID, login URL and a certificate) before switching to SSO.</p>`}`
  : ''}

<h3>Service Provider Information</h3>
<p>Give these to your IdP (or upload the SP metadata file there) when you add Gatehouse as an application.</p>
${here('sso-sp')}
${copyField('sp-entity-id', 'SP Entity ID', sp.EntityId ?? '')}
${copyField('sp-acs-url', 'SP ACS URL (Reply URL)', sp.AcsUrl ?? '')}
<p><a href="/cloudsso/settings/sso/sp-metadata.xml" download="gatehouse-sp-metadata.xml">Download SP Metadata (XML)</a></p>
${dataTable('SP certificates', ['Certificate', 'Serial Number', 'Expires', ''], spCertificates.map((c) => {
  const d = describeCertificate(c.certificatePem);
  return html`<tr data-sp-certificate="${c.state}"><td>${c.state === 'active' ? 'Active (signs requests)' : 'Previous (still published)'}</td><td>${d.serialNumber}</td><td>${day(d.notAfter)}</td><td>
${c.state === 'previous' && canSet
  ? html`<form method="post" action="/cloudsso/settings/sso/sp-certificate/retire" style="margin:0">${csrfField(admin)}<button type="submit" class="secondary" style="margin:0">Stop Publishing</button></form>`
  : ''}</td></tr>`;
}), 'No SP certificate.')}
${canSet
  ? html`<form method="post" action="/cloudsso/settings/sso/sp-certificate/rotate">${csrfField(admin)}
<p>Rotating makes a new SP signing certificate; the current one stays in the SP metadata as the previous certificate until the next rotation or until you stop publishing it. Give the IdP the new metadata.</p>
<button type="submit" class="secondary">Rotate SP Certificate</button></form>`
  : ''}

<h3>IdP Configuration</h3>
${here('sso-idp')}
<p>IdP Entity ID: <span data-field="idp-entity-id">${idp.EntityId || 'not set'}</span><br>
IdP Login URL: <span data-field="idp-login-url">${idp.LoginUrl || 'not set'}</span></p>
${canSet
  ? html`<form method="post" action="/cloudsso/settings/sso/idp">${csrfField(admin)}
<fieldset><legend>From IdP metadata</legend>
<label for="idp-metadata">IdP Metadata XML (paste it, or choose the file)</label>
<textarea id="idp-metadata" name="MetadataXml" rows="6">${value('MetadataXml', '')}</textarea>
<label for="idp-metadata-file">IdP Metadata File</label><input type="file" id="idp-metadata-file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" data-fill="idp-metadata">
</fieldset>
<fieldset><legend>Or by hand</legend>
<label for="idp-entity-id">IdP Entity ID</label><input type="text" id="idp-entity-id" name="EntityId" value="${value('EntityId', '')}">
<label for="idp-login-url">IdP Login URL</label><input type="text" id="idp-login-url" name="LoginUrl" value="${value('LoginUrl', '')}">
<label for="idp-certificate">IdP Certificate (PEM; replaces the IdP's certificates)</label><textarea id="idp-certificate" name="X509Certificate" rows="4">${value('X509Certificate', '')}</textarea>
</fieldset>
<fieldset><legend>SSO Binding</legend>
${radio('binding-post', 'BindingType', 'Post', 'HTTP-POST', binding !== 'Redirect')}
${radio('binding-redirect', 'BindingType', 'Redirect', 'HTTP-Redirect', binding === 'Redirect')}
</fieldset>
<input type="hidden" name="WantRequestSigned" value="false">
${check('want-request-signed', 'WantRequestSigned', 'true', 'Sign authentication requests (the IdP wants signed AuthnRequests)', wantSigned)}
<p>Fields left empty keep their current values.</p>
<button type="submit">Save IdP Configuration</button></form>`
  : ''}
${canClear && idp.EntityId !== ''
  ? html`<form method="post" action="/cloudsso/settings/sso/clear">${csrfField(admin)}<button type="submit" class="secondary">Clear IdP Configuration</button></form>`
  : ''}

<h3>IdP Certificates</h3>
<p>Add the IdP's new certificate before it starts signing with it, and remove the old one afterwards: both are trusted in between.</p>
${here('sso-certificates')}
${dataTable('IdP certificates', ['Certificate ID', 'Subject', 'Serial Number', 'Expires', ''], idpCertificates.map(
  (c) => html`<tr data-certificate="${c.CertificateId}"><td>${c.CertificateId}</td><td>${c.Subject}</td><td>${c.SerialNumber}</td><td>${day(c.NotAfter ?? '')}</td><td>
${canRemove
  ? html`<form method="post" action="/cloudsso/settings/sso/certificates/remove" style="margin:0">${csrfField(admin)}<input type="hidden" name="CertificateId" value="${c.CertificateId}"><button type="submit" class="secondary" style="margin:0" aria-label="Remove ${c.CertificateId}">Remove</button></form>`
  : ''}</td></tr>`,
), 'No IdP certificates.')}
${canAdd
  ? html`<form method="post" action="/cloudsso/settings/sso/certificates">${csrfField(admin)}
<label for="idp-new-certificate">New IdP Certificate (PEM)</label><textarea id="idp-new-certificate" name="NewCertificate" rows="4">${value('NewCertificate', '')}</textarea>
<button type="submit">Add Certificate</button></form>`
  : ''}
</section>
<script src="/static/sso-settings.js" defer></script>`;
}

export function ssoLogonRoutes(app: FastifyInstance, web: WebContext, post: SettingsPost): void {
  // The SP metadata as a file, authorized (and made) by the action that returns it.
  app.get(
    '/settings/sso/sp-metadata.xml',
    directoryHandler(web, async (admin, dir, _request, reply) => {
      const sp = (await run(web, admin, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: dir })).SAMLServiceProvider as Record<string, string>;
      return reply
        .type('application/samlmetadata+xml')
        .header('content-disposition', 'attachment; filename="gatehouse-sp-metadata.xml"')
        .send(Buffer.from(sp.EncodedMetadataDocument ?? '', 'base64'));
    }),
  );

  post('/settings/sso/status', 'sso-method', async (dir, form, admin) => {
    await run(web, admin, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, SSOStatus: form.SSOStatus });
  });

  post(
    '/settings/sso/idp',
    'sso-idp',
    async (dir, form, admin) => {
      const metadata = (form.MetadataXml ?? '').trim();
      await run(web, admin, 'SetExternalSAMLIdentityProvider', {
        DirectoryId: dir,
        EncodedMetadataDocument: metadata === '' ? undefined : base64(metadata),
        EntityId: (form.EntityId ?? '').trim(),
        LoginUrl: (form.LoginUrl ?? '').trim(),
        X509Certificate: (form.X509Certificate ?? '').trim(),
        WantRequestSigned: form.WantRequestSigned === 'true' ? 'true' : 'false',
        BindingType: form.BindingType,
      });
    },
    true,
  );

  post('/settings/sso/clear', 'sso-idp', async (dir, _form, admin) => {
    await run(web, admin, 'ClearExternalSAMLIdentityProvider', { DirectoryId: dir });
  });

  post(
    '/settings/sso/certificates',
    'sso-certificates',
    async (dir, form, admin) => {
      await run(web, admin, 'AddExternalSAMLIdPCertificate', { DirectoryId: dir, X509Certificate: (form.NewCertificate ?? '').trim() });
    },
    true,
  );

  post('/settings/sso/certificates/remove', 'sso-certificates', async (dir, form, admin) => {
    await run(web, admin, 'RemoveExternalSAMLIdPCertificate', { DirectoryId: dir, CertificateId: form.CertificateId });
  });

  post('/settings/sso/sp-certificate/rotate', 'sso-sp', async (dir, _form, admin) => {
    await authorizeAs(web, admin, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir });
    await rotateServiceProviderCertificate(web.services.store.db, dir, { secrets: web.services.secrets, now: web.services.clock.now() });
    return html`<div class="notice" role="status"><p>A new SP certificate signs requests from now on. Give the IdP the new SP metadata.</p></div>`;
  });

  post('/settings/sso/sp-certificate/retire', 'sso-sp', async (dir, _form, admin) => {
    await authorizeAs(web, admin, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir });
    await retirePreviousServiceProviderCertificate(web.services.store.db, dir);
  });
}

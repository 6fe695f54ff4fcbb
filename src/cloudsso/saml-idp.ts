import type { Selectable } from 'kysely';
import { ApiError, entityNotExist, invalidParameter } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { Tx } from '../store/db.js';
import type { CloudSsoSamlIdpCertificateTable, CloudSsoSamlIdpTable } from '../store/schema-cloudsso-saml.js';
import { parseCertificate } from '../saml/certificates.js';
import { activeSpKey, listSpKeys, retirePreviousSpKey, rotateSpKey, spCertificates, spOwner, type SpKeyContext } from '../saml/sp-keys.js';
import { checkIdpMetadataDocument, checkLoginUrl, idpMetadataDocument, spMetadataXml, storedSsoLocation, type BindingType } from '../saml/metadata.js';

// A directory's logon method: its external SAML IdP with SSOStatus Enabled means portal users sign in at the IdP
// and password sign-in is off; Disabled (or no IdP) means user name and password. The SAML exchange itself
// (AuthnRequest, assertion checks at the ACS) comes later; this module keeps the configuration it will use.

export type SamlIdp = Selectable<CloudSsoSamlIdpTable>;
export type SamlIdpCertificate = Selectable<CloudSsoSamlIdpCertificateTable>;

/** Certificates per IdP: enough to roll the signing key over. */
export const IDP_CERTIFICATE_QUOTA = 5;

export function findIdp(tx: Tx, directoryId: string): Promise<SamlIdp | undefined> {
  return tx.selectFrom('cloudsso_saml_idps').selectAll().where('directory_id', '=', directoryId).executeTakeFirst();
}

export function idpCertificates(tx: Tx, directoryId: string): Promise<SamlIdpCertificate[]> {
  return tx.selectFrom('cloudsso_saml_idp_certificates').selectAll().where('directory_id', '=', directoryId).orderBy('created_at').orderBy('id').execute();
}

/** The IdP the portal sends users to, when SSO is the directory's logon method. */
export async function enabledIdp(tx: Tx, directoryId: string): Promise<SamlIdp | undefined> {
  const idp = await findIdp(tx, directoryId);
  return idp?.sso_status === 'Enabled' ? idp : undefined;
}

export interface SetIdpInput {
  encodedMetadataDocument?: string;
  entityId?: string;
  loginUrl?: string;
  x509Certificate?: string;
  ssoStatus?: 'Enabled' | 'Disabled';
  wantRequestSigned?: boolean;
  bindingType?: BindingType;
}

function metadataOf(idp: Pick<SamlIdp, 'entity_id' | 'login_url' | 'binding_type' | 'want_request_signed'>, certificates: string[]): string {
  if (!idp.entity_id || !idp.login_url) return '';
  return idpMetadataDocument({
    entityId: idp.entity_id,
    loginUrl: idp.login_url,
    bindingType: idp.binding_type,
    certificates,
    wantRequestSigned: idp.want_request_signed === 1,
  });
}

/**
 * SetExternalSAMLIdentityProvider: from uploaded metadata, or from EntityId/LoginUrl/X509Certificate (which replaces
 * all certificates); fields not given keep their values. SSO can be enabled only with a complete IdP.
 */
export async function setIdp(tx: Tx, directoryId: string, input: SetIdpInput, now: string): Promise<SamlIdp> {
  const existing = await findIdp(tx, directoryId);
  const fieldsGiven = input.entityId !== undefined || input.loginUrl !== undefined || input.x509Certificate !== undefined;
  const next: SamlIdp = existing
    ? { ...existing }
    : {
        directory_id: directoryId,
        entity_id: '',
        login_url: '',
        encoded_metadata_document: '',
        sso_status: 'Disabled',
        want_request_signed: 0,
        binding_type: 'Post',
        created_at: now,
        updated_at: now,
      };
  let certificates: string[] | undefined;
  let uploaded: string | undefined;

  if (input.encodedMetadataDocument !== undefined) {
    if (fieldsGiven) {
      throw invalidParameter('EncodedMetadataDocument', 'give either EncodedMetadataDocument or EntityId, LoginUrl and X509Certificate, not both');
    }
    const { idp, document } = checkIdpMetadataDocument(input.encodedMetadataDocument, { binding: input.bindingType });
    next.entity_id = idp.entityId;
    next.login_url = idp.loginUrl;
    next.binding_type = idp.bindingType;
    certificates = idp.certificates;
    uploaded = document;
  } else {
    if (input.entityId !== undefined) next.entity_id = input.entityId;
    if (input.loginUrl !== undefined) next.login_url = checkLoginUrl(input.loginUrl);
    if (input.x509Certificate !== undefined) certificates = [parseCertificate(input.x509Certificate).pem];
    if (input.bindingType !== undefined && input.bindingType !== next.binding_type) {
      next.binding_type = input.bindingType;
      // Uploaded metadata may name the sign-in address of the other binding too.
      const location = input.loginUrl === undefined ? storedSsoLocation(next.encoded_metadata_document, input.bindingType) : undefined;
      if (location) next.login_url = checkLoginUrl(location, 'BindingType');
    }
  }
  if (input.wantRequestSigned !== undefined) next.want_request_signed = input.wantRequestSigned ? 1 : 0;
  if (input.ssoStatus !== undefined) next.sso_status = input.ssoStatus;

  const finalCertificates = certificates ?? (await idpCertificates(tx, directoryId)).map((c) => c.certificate);
  if (next.sso_status === 'Enabled' && (!next.entity_id || !next.login_url || finalCertificates.length === 0)) {
    throw invalidParameter('SSOStatus', 'SSO can be enabled only when the IdP has an EntityId, a LoginUrl and at least one certificate');
  }
  const changed =
    !existing ||
    certificates !== undefined ||
    next.entity_id !== existing.entity_id ||
    next.login_url !== existing.login_url ||
    next.binding_type !== existing.binding_type ||
    next.want_request_signed !== existing.want_request_signed;
  if (uploaded !== undefined) next.encoded_metadata_document = uploaded;
  else if (changed) next.encoded_metadata_document = metadataOf(next, finalCertificates);
  next.updated_at = now;

  if (existing) {
    const { directory_id: _id, created_at: _created, ...values } = next;
    await tx.updateTable('cloudsso_saml_idps').set(values).where('directory_id', '=', directoryId).execute();
  } else {
    await tx.insertInto('cloudsso_saml_idps').values(next).execute();
  }
  if (certificates !== undefined) {
    await tx.deleteFrom('cloudsso_saml_idp_certificates').where('directory_id', '=', directoryId).execute();
    if (certificates.length > 0) {
      await tx
        .insertInto('cloudsso_saml_idp_certificates')
        .values(certificates.map((certificate) => ({ id: newPrefixedId('idp-c-', 20), directory_id: directoryId, certificate, created_at: now })))
        .execute();
    }
  }
  return next;
}

/**
 * ClearExternalSAMLIdentityProvider: the IdP and its certificates go; the directory is back to passwords. The SP keys
 * stay: the IdP (or the next one) may hold the SP certificate already, and a new one would have to be imported again.
 */
export async function clearIdp(tx: Tx, directoryId: string): Promise<void> {
  await tx.deleteFrom('cloudsso_saml_idp_certificates').where('directory_id', '=', directoryId).execute();
  await tx.deleteFrom('cloudsso_saml_idps').where('directory_id', '=', directoryId).execute();
}

/** Keeps the generated metadata in step with the certificates (uploaded metadata is replaced once they differ). */
async function refreshMetadata(tx: Tx, directoryId: string, now: string): Promise<void> {
  const idp = await findIdp(tx, directoryId);
  if (!idp) return;
  const certificates = (await idpCertificates(tx, directoryId)).map((c) => c.certificate);
  await tx
    .updateTable('cloudsso_saml_idps')
    .set({ encoded_metadata_document: metadataOf(idp, certificates), updated_at: now })
    .where('directory_id', '=', directoryId)
    .execute();
}

export async function addIdpCertificate(tx: Tx, directoryId: string, text: string, now: string): Promise<string> {
  const { pem } = parseCertificate(text);
  if (!(await findIdp(tx, directoryId))) await setIdp(tx, directoryId, {}, now);
  const current = await idpCertificates(tx, directoryId);
  if (current.some((c) => c.certificate === pem)) throw new ApiError('EntityAlreadyExists.Certificate', 409, 'This certificate is already a certificate of the IdP.');
  if (current.length >= IDP_CERTIFICATE_QUOTA) {
    throw new ApiError('QuotaExceeded.Certificate', 409, `An IdP can have at most ${IDP_CERTIFICATE_QUOTA} certificates.`);
  }
  const id = newPrefixedId('idp-c-', 20);
  await tx.insertInto('cloudsso_saml_idp_certificates').values({ id, directory_id: directoryId, certificate: pem, created_at: now }).execute();
  await refreshMetadata(tx, directoryId, now);
  return id;
}

export async function removeIdpCertificate(tx: Tx, directoryId: string, certificateId: string, now: string): Promise<void> {
  const current = await idpCertificates(tx, directoryId);
  if (!current.some((c) => c.id === certificateId)) throw entityNotExist('EntityNotExists.Certificate', `certificate ${certificateId}`);
  const idp = await findIdp(tx, directoryId);
  if (idp?.sso_status === 'Enabled' && current.length === 1) {
    throw new ApiError('DeletionConflict.Certificate.SSOEnabled', 409, 'The last certificate of the IdP cannot be removed while SSO is enabled.');
  }
  await tx.deleteFrom('cloudsso_saml_idp_certificates').where('directory_id', '=', directoryId).where('id', '=', certificateId).execute();
  await refreshMetadata(tx, directoryId, now);
}

/** The directory as a SAML service provider, at Gatehouse's own public address. */
export function serviceProviderInfo(publicUrl: string, directoryId: string): { entityId: string; acsUrl: string } {
  return { entityId: `${publicUrl}/saml/sp/${directoryId}`, acsUrl: `${publicUrl}/saml/acs/${directoryId}` };
}

/**
 * The directory's SP metadata: its addresses, AuthnRequestsSigned as the IdP configuration's WantRequestSigned, and
 * the SP certificates to publish (the first key is made here on first use).
 */
export async function serviceProviderMetadata(
  tx: Tx,
  publicUrl: string,
  directoryId: string,
  context: SpKeyContext,
): Promise<{ entityId: string; acsUrl: string; xml: string; encodedMetadataDocument: string }> {
  const { entityId, acsUrl } = serviceProviderInfo(publicUrl, directoryId);
  const idp = await findIdp(tx, directoryId);
  const certificates = await spCertificates(tx, spOwner(directoryId), context);
  const xml = spMetadataXml({ entityId, acsUrl, certificates, authnRequestsSigned: idp?.want_request_signed === 1 });
  return { entityId, acsUrl, xml, encodedMetadataDocument: Buffer.from(xml, 'utf8').toString('base64') };
}

/** The directory's SP certificates as the console lists them: the active one first, then the previous one. */
export async function serviceProviderCertificates(tx: Tx, directoryId: string, context: SpKeyContext): Promise<Array<{ state: 'active' | 'previous'; certificatePem: string }>> {
  await activeSpKey(tx, spOwner(directoryId), context);
  return (await listSpKeys(tx, spOwner(directoryId))).map((k) => ({ state: k.state, certificatePem: k.certificatePem }));
}

/**
 * "Rotate SP certificate" (a console control; Alibaba's API has no action for it): a new key signs the directory's
 * AuthnRequests from now on, the one before stays in the metadata until the next rotation or until it is retired.
 */
export async function rotateServiceProviderCertificate(tx: Tx, directoryId: string, context: SpKeyContext): Promise<void> {
  await rotateSpKey(tx, spOwner(directoryId), context);
}

/** Stops publishing the previous SP certificate, once the IdP has the new one. */
export async function retirePreviousServiceProviderCertificate(tx: Tx, directoryId: string): Promise<boolean> {
  return retirePreviousSpKey(tx, spOwner(directoryId));
}

import { apiTime, isoNow } from '../../clock.js';
import type { ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { bool, str } from '../../openapi/params.js';
import { directoryArn } from '../arns.js';
import { directoryId, idParam } from './params.js';
import { getDirectory } from '../directories.js';
import { addIdpCertificate, clearIdp, findIdp, idpCertificates, removeIdpCertificate, serviceProviderMetadata, setIdp } from '../saml-idp.js';
import { describeCertificate } from '../../saml/certificates.js';
import type { BindingType } from '../../saml/metadata.js';

// The directory's external SAML IdP (spec §1.5 items 15–16): its configuration, its signing certificates and the
// directory's own service-provider information to give the IdP.

// Sizes that still fit a request whose parameters travel in the query string (see MAX_REQUEST_HEAD). Metadata as
// Entra ID and AD FS export it (claim lists, WS-Federation roles, a certificate repeated per role) runs to tens of
// kilobytes: the IMS SAML providers' 64 KB.
const CERTIFICATE = { max: 8192, code: 'InvalidParameter.X509Certificate' } as const;
const METADATA_MAX = 64 * 1024;

export const samlActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'SetExternalSAMLIdentityProvider',
    params: {
      DirectoryId: directoryId(),
      EncodedMetadataDocument: str({ max: METADATA_MAX, code: 'InvalidParameter.EncodedMetadataDocument' }),
      EntityId: str({ max: 1024, code: 'InvalidParameter.EntityId' }),
      LoginUrl: str({ max: 1024, code: 'InvalidParameter.LoginUrl' }),
      X509Certificate: str(CERTIFICATE),
      SSOStatus: str({ enum: ['Enabled', 'Disabled'], code: 'InvalidParameter.SSOStatus' }),
      WantRequestSigned: bool({ code: 'InvalidParameter.WantRequestSigned' }),
      BindingType: str({ enum: ['Post', 'Redirect'], code: 'InvalidParameter.BindingType' }),
    },
    ramAction: 'cloudsso:SetExternalSAMLIdentityProvider',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      await setIdp(
        c.tx,
        p.DirectoryId,
        {
          encodedMetadataDocument: p.EncodedMetadataDocument,
          entityId: p.EntityId,
          loginUrl: p.LoginUrl,
          x509Certificate: p.X509Certificate,
          ssoStatus: p.SSOStatus as 'Enabled' | 'Disabled' | undefined,
          wantRequestSigned: p.WantRequestSigned,
          bindingType: p.BindingType as BindingType | undefined,
        },
        isoNow(c.clock),
      );
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetExternalSAMLIdentityProvider',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetExternalSAMLIdentityProvider',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const idp = await findIdp(c.tx, p.DirectoryId);
      const certificates = await idpCertificates(c.tx, p.DirectoryId);
      return {
        SAMLIdentityProviderConfiguration: {
          DirectoryId: p.DirectoryId,
          EntityId: idp?.entity_id ?? '',
          LoginUrl: idp?.login_url ?? '',
          EncodedMetadataDocument: idp?.encoded_metadata_document ?? '',
          CertificateIds: certificates.map((x) => x.id),
          SSOStatus: idp?.sso_status ?? 'Disabled',
          WantRequestSigned: idp?.want_request_signed === 1,
          BindingType: idp?.binding_type ?? 'Post',
          CreateTime: apiTime(idp?.created_at),
          UpdateTime: apiTime(idp?.updated_at),
        },
      };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ClearExternalSAMLIdentityProvider',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:ClearExternalSAMLIdentityProvider',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      await clearIdp(c.tx, p.DirectoryId);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'AddExternalSAMLIdPCertificate',
    params: { DirectoryId: directoryId(), X509Certificate: str({ ...CERTIFICATE, required: true }) },
    ramAction: 'cloudsso:AddExternalSAMLIdPCertificate',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { CertificateId: await addIdpCertificate(c.tx, p.DirectoryId, p.X509Certificate, isoNow(c.clock)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'RemoveExternalSAMLIdPCertificate',
    params: { DirectoryId: directoryId(), CertificateId: idParam('CertificateId') },
    ramAction: 'cloudsso:RemoveExternalSAMLIdPCertificate',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      await removeIdpCertificate(c.tx, p.DirectoryId, p.CertificateId, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListExternalSAMLIdPCertificates',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:ListExternalSAMLIdPCertificates',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const rows = await idpCertificates(c.tx, p.DirectoryId);
      return {
        SAMLIdPCertificates: rows.map((row) => {
          const certificate = describeCertificate(row.certificate);
          return {
            CertificateId: row.id,
            SerialNumber: certificate.serialNumber,
            Subject: certificate.subject,
            Issuer: certificate.issuer,
            Version: certificate.version,
            SignatureAlgorithm: certificate.signatureAlgorithm,
            PublicKey: certificate.publicKey,
            NotBefore: apiTime(certificate.notBefore),
            NotAfter: apiTime(certificate.notAfter),
            X509Certificate: row.certificate,
          };
        }),
        TotalCounts: rows.length,
      };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetDirectorySAMLServiceProviderInfo',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetDirectorySAMLServiceProviderInfo',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const sp = await serviceProviderMetadata(c.tx, c.services.config.publicUrl, p.DirectoryId, { secrets: c.services.secrets, now: c.clock.now() });
      return {
        SAMLServiceProvider: {
          DirectoryId: p.DirectoryId,
          EntityId: sp.entityId,
          AcsUrl: sp.acsUrl,
          EncodedMetadataDocument: sp.encodedMetadataDocument,
          AuthnSignAlgo: 'rsa-sha256',
          CertificateType: 'self-signed',
          SupportEncryptedAssertion: false,
        },
      };
    },
  }),
];

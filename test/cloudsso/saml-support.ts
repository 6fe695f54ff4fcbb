// Test IdPs: self-signed certificates made by openssl (an independent implementation) and metadata written by hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function selfSignedCertificate(cn = 'idp'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-saml-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-days', '1', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], {
      stdio: 'ignore',
    });
    return readFileSync(join(dir, 'c'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

/** Base64 IdP metadata in the shape Okta/Azure/ADFS export it (prefixed namespaces, line-wrapped certificate). */
export function idpMetadata(input: { entityId: string; post?: string; redirect?: string; certificates: string[] }): string {
  const keys = input.certificates
    .map((c) => `  <md:KeyDescriptor use="signing">\n    <ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n${body(c).replace(/(.{64})/g, '$1\n')}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\n  </md:KeyDescriptor>`)
    .join('\n');
  const services = [
    input.redirect ? `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${input.redirect}"/>` : '',
    input.post ? `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${input.post}"/>` : '',
  ].join('\n');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${input.entityId}">
 <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
${keys}
  <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
${services}
 </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}

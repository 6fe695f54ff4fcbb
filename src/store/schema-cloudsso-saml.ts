// Tables of SAML sign-in: a CloudSSO directory's external identity provider (migration 0011_cloudsso_saml), and the
// exchanges in flight that every node must see (0023_saml_exchanges).

export interface CloudSsoSamlIdpTable {
  directory_id: string; // one IdP per directory
  entity_id: string;
  login_url: string;
  /** base64 of the IdP metadata as uploaded; regenerated from the fields when they or the certificates change. */
  encoded_metadata_document: string;
  /** Enabled: the portal signs users in through the IdP only; Disabled: user name and password. */
  sso_status: 'Enabled' | 'Disabled';
  want_request_signed: number;
  binding_type: 'Post' | 'Redirect';
  created_at: string;
  updated_at: string;
}

export interface CloudSsoSamlIdpCertificateTable {
  id: string; // idp-c-…
  directory_id: string;
  certificate: string; // PEM
  created_at: string;
}

/** An AuthnRequest sent and not yet answered (migration 0023_saml_exchanges). */
export interface SamlAuthnRequestTable {
  id: string;
  /** The SP that sent it: `cloudsso:<DirectoryId>`, `ram-user:<AccountId>`. */
  audience: string;
  relay_state: string | null;
  created_at: string;
  expires_at: string;
}

/** An assertion already used, kept until it expires (migration 0023_saml_exchanges). */
export interface SamlUsedAssertionTable {
  issuer: string;
  assertion_id: string;
  expires_at: string;
}

export interface CloudSsoSamlTables {
  cloudsso_saml_idps: CloudSsoSamlIdpTable;
  cloudsso_saml_idp_certificates: CloudSsoSamlIdpCertificateTable;
  saml_authn_requests: SamlAuthnRequestTable;
  saml_used_assertions: SamlUsedAssertionTable;
}

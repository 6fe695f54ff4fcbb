// Tables of a CloudSSO directory's external SAML identity provider (migration 0011_cloudsso_saml).

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

export interface CloudSsoSamlTables {
  cloudsso_saml_idps: CloudSsoSamlIdpTable;
  cloudsso_saml_idp_certificates: CloudSsoSamlIdpCertificateTable;
}

// The SAML service provider's signing keys (migration 0024_saml_sp_keys).

export interface SamlSpKeyTable {
  id: string; // spk-…
  /** Whose key: `cloudsso:<DirectoryId>`, later a RAM account's. */
  owner: string;
  /** active: signs AuthnRequests; previous: the one before a rotation, still published in the metadata. */
  state: 'active' | 'previous';
  /** PKCS#8 PEM, sealed with the services' SecretBox. */
  private_key_sealed: string;
  certificate: string; // PEM, self-signed
  created_at: string;
}

export interface SamlSpKeyTables {
  saml_sp_keys: SamlSpKeyTable;
}

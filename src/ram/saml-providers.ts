import type { Tx } from '../store/db.js';
import { pageByColumn, type Page, type PageRequest } from '../paging.js';
import type { RamSamlProviderTable } from '../store/schema-cloudsso-access.js';
import { entityAlreadyExists, entityNotExist } from '../errors.js';
import { checkIdpMetadataDocument } from '../saml/metadata.js';

// An account's SAML identity providers (IMS): a role's trust policy names one as its federated principal. CloudSSO
// keeps `AliyunReservedSSO-<DirectoryId>` in each member account it provisions; administrators manage the others.

export type SamlProvider = RamSamlProviderTable;

export const METADATA_PARAM = 'EncodedSAMLMetadataDocument';

export const samlProviderArn = (accountId: string, name: string): string => `acs:ram::${accountId}:saml-provider/${name}`;

export async function findSamlProvider(tx: Tx, accountId: string, name: string): Promise<SamlProvider | undefined> {
  return tx.selectFrom('ram_saml_providers').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getSamlProvider(tx: Tx, accountId: string, name: string): Promise<SamlProvider> {
  const provider = await findSamlProvider(tx, accountId, name);
  if (!provider) throw entityNotExist('EntityNotExist.SAMLProvider', `SAML provider ${name}`);
  return provider;
}

export async function createSamlProvider(
  tx: Tx,
  accountId: string,
  input: { name: string; description?: string; encodedMetadata: string },
  now: string,
): Promise<SamlProvider> {
  // The metadata must be an IdP's: base64 XML with an IDPSSODescriptor, a sign-in URL and a signing certificate.
  const metadata = checkIdpMetadataDocument(input.encodedMetadata, { param: METADATA_PARAM }).document;
  if (await findSamlProvider(tx, accountId, input.name)) throw entityAlreadyExists('EntityAlreadyExists.SAMLProvider', `SAML provider ${input.name}`);
  return storeSamlProvider(tx, accountId, { name: input.name, description: input.description ?? '', metadata }, now);
}

/** Stores a provider as given: createSamlProvider checks it first; CloudSSO stores its reserved one directly. */
export async function storeSamlProvider(
  tx: Tx,
  accountId: string,
  input: { name: string; description: string; metadata: string },
  now: string,
): Promise<SamlProvider> {
  const provider: SamlProvider = {
    account_id: accountId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    description: input.description,
    metadata_document: input.metadata,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('ram_saml_providers').values(provider).execute();
  return provider;
}

export async function updateSamlProvider(
  tx: Tx,
  provider: SamlProvider,
  changes: { description?: string; encodedMetadata?: string },
  now: string,
): Promise<SamlProvider> {
  const next: SamlProvider = { ...provider, updated_at: now };
  if (changes.encodedMetadata !== undefined) next.metadata_document = checkIdpMetadataDocument(changes.encodedMetadata, { param: `New${METADATA_PARAM}` }).document;
  if (changes.description !== undefined) next.description = changes.description;
  await tx
    .updateTable('ram_saml_providers')
    .set({ description: next.description, metadata_document: next.metadata_document, updated_at: now })
    .where('account_id', '=', provider.account_id)
    .where('name_key', '=', provider.name_key)
    .execute();
  return next;
}

export async function deleteSamlProvider(tx: Tx, accountId: string, name: string): Promise<void> {
  await tx.deleteFrom('ram_saml_providers').where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).execute();
}

/** One page in name order, after the given name key. */
export async function listSamlProviders(tx: Tx, accountId: string, page: PageRequest): Promise<Page<SamlProvider>> {
  const base = tx.selectFrom('ram_saml_providers').selectAll().where('account_id', '=', accountId);
  return pageByColumn(page, base, 'name_key');
}

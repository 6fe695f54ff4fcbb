import { apiTime } from '../../clock.js';
import { defineAction, type ActionDefinition } from '../../openapi/define-action.js';
import { naming, str } from '../../openapi/params.js';
import { pageFields, pageRequest, pagingParams } from './paging-params.js';
import {
  METADATA_PARAM,
  createSamlProvider,
  deleteSamlProvider,
  getSamlProvider,
  listSamlProviders,
  samlProviderArn,
  updateSamlProvider,
  type SamlProvider,
} from '../saml-providers.js';

// IMS 2019-08-15 SAML providers: CreateSAMLProvider, GetSAMLProvider, UpdateSAMLProvider, DeleteSAMLProvider,
// ListSAMLProviders.

/** 1–128 letters, digits, `.`, `-` and `_`. */
const SAML_PROVIDER_NAME = /^[A-Za-z0-9._-]+$/;
const providerName = () =>
  naming(
    str({
      required: true,
      min: 1,
      max: 128,
      pattern: SAML_PROVIDER_NAME,
      lengthCode: 'InvalidParameter.SAMLProviderName.Length',
      charsCode: 'InvalidParameter.SAMLProviderName.InvalidChars',
    }),
    'saml-provider',
  );
const description = (name: string) => str({ max: 256, lengthCode: `InvalidParameter.${name}.Length` });
/** Base64 metadata, up to 64 KB: it travels in the query string (see MAX_REQUEST_HEAD). */
const metadata = <R extends boolean>(required: R, name: string) => str({ required, max: 64 * 1024, lengthCode: `InvalidParameter.${name}.Length` });

const providerResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:saml-provider/${name}`;

function providerView(provider: SamlProvider, withMetadata: boolean): Record<string, unknown> {
  return {
    SAMLProviderName: provider.name,
    Arn: samlProviderArn(provider.account_id, provider.name),
    Description: provider.description,
    ...(withMetadata ? { EncodedSAMLMetadataDocument: provider.metadata_document } : {}),
    CreateDate: apiTime(provider.created_at),
    UpdateDate: apiTime(provider.updated_at),
  };
}

export const samlProviderActions: ActionDefinition[] = [
  defineAction({
    product: 'ims',
    name: 'CreateSAMLProvider',
    params: { SAMLProviderName: providerName(), EncodedSAMLMetadataDocument: metadata(true, METADATA_PARAM), Description: description('Description') },
    ramAction: 'ram:CreateSAMLProvider',
    resource: (p, c) => providerResource(c.accountId, p.SAMLProviderName),
    async handle(p, c) {
      const provider = await createSamlProvider(
        c.tx,
        c.accountId,
        { name: p.SAMLProviderName, description: p.Description, encodedMetadata: p.EncodedSAMLMetadataDocument },
        c.clock.now().toISOString(),
      );
      return { SAMLProvider: providerView(provider, false) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'GetSAMLProvider',
    params: { SAMLProviderName: providerName() },
    ramAction: 'ram:GetSAMLProvider',
    resource: (p, c) => providerResource(c.accountId, p.SAMLProviderName),
    async handle(p, c) {
      return { SAMLProvider: providerView(await getSamlProvider(c.tx, c.accountId, p.SAMLProviderName), true) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'UpdateSAMLProvider',
    params: {
      SAMLProviderName: providerName(),
      NewEncodedSAMLMetadataDocument: metadata(false, `New${METADATA_PARAM}`),
      NewDescription: description('NewDescription'),
    },
    ramAction: 'ram:UpdateSAMLProvider',
    resource: (p, c) => providerResource(c.accountId, p.SAMLProviderName),
    async handle(p, c) {
      const provider = await getSamlProvider(c.tx, c.accountId, p.SAMLProviderName);
      const changes = { description: p.NewDescription, encodedMetadata: p.NewEncodedSAMLMetadataDocument };
      return { SAMLProvider: providerView(await updateSamlProvider(c.tx, provider, changes, c.clock.now().toISOString()), false) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'DeleteSAMLProvider',
    params: { SAMLProviderName: providerName() },
    ramAction: 'ram:DeleteSAMLProvider',
    resource: (p, c) => providerResource(c.accountId, p.SAMLProviderName),
    async handle(p, c) {
      const provider = await getSamlProvider(c.tx, c.accountId, p.SAMLProviderName);
      await deleteSamlProvider(c.tx, c.accountId, provider.name);
      return {};
    },
  }),
  defineAction({
    product: 'ims',
    name: 'ListSAMLProviders',
    params: pagingParams(),
    ramAction: 'ram:ListSAMLProviders',
    resource: (_p, c) => providerResource(c.accountId, '*'),
    async handle(p, c) {
      const page = await listSamlProviders(c.tx, c.accountId, pageRequest(p));
      return { SAMLProviders: { SAMLProvider: page.items.map((r) => providerView(r, false)) }, ...pageFields(page) };
    },
  }),
];

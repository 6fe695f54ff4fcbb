import { apiTime, isoNow } from '../../clock.js';
import type { ActionContext, ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { str } from '../../openapi/params.js';
import { directoryArn } from '../arns.js';
import { directoryId, idParam } from './params.js';
import { getDirectory, updateDirectorySettings } from '../directories.js';
import {
  createScimCredential,
  deleteScimCredential,
  getScimCredential,
  listScimCredentials,
  setScimCredentialStatus,
  type ScimCredential,
} from '../scim-credentials.js';

const STATUS = ['Enabled', 'Disabled'] as const;

function credentialView(cred: ScimCredential): Record<string, unknown> {
  return {
    CredentialId: cred.id,
    CredentialType: 'BearerToken',
    Status: cred.status,
    CreateTime: apiTime(cred.created_at),
    ExpireTime: apiTime(cred.expire_time),
    DirectoryId: cred.directory_id,
  };
}

/** A SCIM credential of the caller's directory, looked up after the directory itself. */
async function credentialOf(c: ActionContext, p: { DirectoryId: string; CredentialId: string }): Promise<ScimCredential> {
  const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getScimCredential(c.tx, directory.id, p.CredentialId);
}

export const scimCredentialsActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateSCIMServerCredential',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:CreateSCIMServerCredential',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const { credential, secret } = await createScimCredential(c.tx, directory.id, c.clock.now());
      return { SCIMServerCredential: { ...credentialView(credential), CredentialSecret: secret } };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListSCIMServerCredentials',
    params: { DirectoryId: directoryId(), CredentialId: str({ max: 64, pattern: /^[A-Za-z0-9_-]+$/, code: 'InvalidParameter.CredentialId' }) },
    ramAction: 'cloudsso:ListSCIMServerCredentials',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const all = await listScimCredentials(c.tx, directory.id);
      const credentials = p.CredentialId === undefined ? all : all.filter((cred) => cred.id === p.CredentialId);
      return { SCIMServerCredentials: credentials.map(credentialView), TotalCounts: credentials.length };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateSCIMServerCredentialStatus',
    params: {
      DirectoryId: directoryId(),
      CredentialId: idParam('CredentialId'),
      NewStatus: str({ required: true, enum: STATUS, code: 'InvalidParameter.NewStatus' }),
    },
    ramAction: 'cloudsso:UpdateSCIMServerCredentialStatus',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const credential = await credentialOf(c, p);
      await setScimCredentialStatus(c.tx, credential, p.NewStatus as ScimCredential['status']);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteSCIMServerCredential',
    params: { DirectoryId: directoryId(), CredentialId: idParam('CredentialId') },
    ramAction: 'cloudsso:DeleteSCIMServerCredential',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await deleteScimCredential(c.tx, await credentialOf(c, p));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'SetSCIMSynchronizationStatus',
    params: {
      DirectoryId: directoryId(),
      SCIMSynchronizationStatus: str({ required: true, enum: STATUS, code: 'InvalidParameter.SCIMSynchronizationStatus' }),
    },
    ramAction: 'cloudsso:SetSCIMSynchronizationStatus',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      await updateDirectorySettings(c.tx, directory, { scim_sync_status: p.SCIMSynchronizationStatus as 'Enabled' | 'Disabled' }, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetSCIMSynchronizationStatus',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetSCIMSynchronizationStatus',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { SCIMSynchronizationStatus: directory.scim_sync_status };
    },
  }),
];

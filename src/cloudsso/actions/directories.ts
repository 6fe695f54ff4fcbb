import { apiTime, isoNow } from '../../clock.js';
import type { ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { str } from '../../openapi/params.js';
import { allDirectoriesArn, directoryArn } from '../arns.js';
import { requireManagementAccount } from '../management-account.js';
import { directoryId } from './params.js';
import {
  checkNoAccessObjects,
  createDirectory,
  deleteDirectory,
  directoryStatistics,
  DIRECTORY_NAME,
  findDirectoryOf,
  getDirectory,
  renameDirectory,
  type Directory,
} from '../directories.js';
import { serviceStatus, setServiceStatus } from '../service-status.js';

const directoryName = <R extends boolean>(name: string, required: R) =>
  str({ required, min: 2, max: 64, pattern: DIRECTORY_NAME, code: `InvalidParameter.${name}` });

export function directoryView(d: Directory): Record<string, unknown> {
  return { DirectoryId: d.id, DirectoryName: d.name, Region: d.region, CreateTime: apiTime(d.created_at), UpdateTime: apiTime(d.updated_at) };
}

export const directoriesActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateDirectory',
    params: { DirectoryName: directoryName('DirectoryName', false) },
    ramAction: 'cloudsso:CreateDirectory',
    resource: (_p, c) => allDirectoriesArn(c),
    async handle(p, c) {
      await requireManagementAccount(c.tx, c.accountId);
      const now = isoNow(c.clock);
      // Creating the directory turns the service on, as the console does on first use.
      if ((await serviceStatus(c.tx, c.accountId)) !== 'Enabled') await setServiceStatus(c.tx, c.accountId, 'Enabled', now);
      const directory = await createDirectory(c.tx, c.accountId, c.region, p.DirectoryName ?? `sso-${c.accountId}`, now);
      return { Directory: directoryView(directory) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetDirectory',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetDirectory',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      return { Directory: directoryView(await getDirectory(c.tx, p.DirectoryId, c.accountId)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListDirectories',
    params: {},
    ramAction: 'cloudsso:ListDirectories',
    resource: (_p, c) => allDirectoriesArn(c),
    async handle(_p, c) {
      await requireManagementAccount(c.tx, c.accountId);
      const directory = await findDirectoryOf(c.tx, c.accountId);
      const directories = directory ? [directoryView(directory)] : [];
      return { Directories: directories, TotalCounts: directories.length };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateDirectory',
    params: { DirectoryId: directoryId(), NewDirectoryName: directoryName('NewDirectoryName', true) },
    ramAction: 'cloudsso:UpdateDirectory',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { Directory: directoryView(await renameDirectory(c.tx, directory, p.NewDirectoryName, isoNow(c.clock))) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteDirectory',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:DeleteDirectory',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      await checkNoAccessObjects(c.tx, directory.id);
      await deleteDirectory(c.tx, directory);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetDirectoryStatistics',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetDirectoryStatistics',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { DirectoryStatistics: await directoryStatistics(c.tx, directory) };
    },
  }),
];

// Shared set-up of the CloudSSO access tests: a directory, a member account reached the Alibaba way
// (management root → STS AssumeRole of ResourceDirectoryAccountAccessRole → RAM SDK), users and polling of tasks.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestServer } from '../support/server.js';
import { Ims, Ram, Sts, callApi, imsClient, ramClient, stsClient, type Credentials } from '../support/sdk.js';

export const V = '2021-05-15';

/** What these helpers need of a node: where it listens and the root AccessKey (in-process or a child process). */
type Node = Pick<TestServer, 'url' | 'root'>;

export const sso = (s: Node, action: string, query: Record<string, string | number | boolean | undefined> = {}, creds: Credentials = s.root): Promise<any> =>
  callApi(s.url, creds, action, V, query);

export async function createDirectory(s: Node): Promise<string> {
  const body = await sso(s, 'CreateDirectory', { DirectoryName: `dir-${Math.random().toString(36).slice(2, 10)}` });
  return body.Directory.DirectoryId;
}

/** Enables the resource directory (once) and creates a member account through the ResourceManager API. */
export async function createMember(s: Node, displayName: string): Promise<string> {
  await callApi(s.url, s.root, 'EnableResourceDirectory', '2020-03-31', { EnableMode: 'CurrentAccount' }).catch((e: any) => {
    if (e.code !== 'EntityAlreadyExists.ResourceDirectory') throw e;
  });
  const body = await callApi(s.url, s.root, 'CreateResourceAccount', '2020-03-31', { DisplayName: displayName });
  return body.Account.AccountId;
}

/** STS credentials in the member account: its access role, assumed by the management account's root. */
export async function memberCredentials(s: TestServer, memberId: string): Promise<Credentials> {
  const sts = stsClient(s.url, s.root);
  const res = await sts.assumeRole(
    new Sts.AssumeRoleRequest({ roleArn: `acs:ram::${memberId}:role/ResourceDirectoryAccountAccessRole`, roleSessionName: 'cloudsso-test' }),
  );
  const c = res.body.credentials;
  return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken };
}

/** A RAM client in the member account with the access role's STS credentials. */
export async function memberRam(s: TestServer, memberId: string): Promise<any> {
  return ramClient(s.url, await memberCredentials(s, memberId));
}

export async function createUser(s: Node, dir: string, name: string): Promise<string> {
  return (await sso(s, 'CreateUser', { DirectoryId: dir, UserName: name })).User.UserId;
}

/** Reads until `done` holds, every `everyMs`; fails naming `what` once `timeoutMs` has passed. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs: number, everyMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(what);
    await sleep(everyMs);
  }
}

/** Polls GetTaskStatus until the task leaves InProgress. */
export async function waitTask(s: Node, dir: string, taskId: string, timeoutMs = 15000): Promise<any> {
  const read = async () => (await sso(s, 'GetTaskStatus', { DirectoryId: dir, TaskId: taskId })).TaskStatus;
  return pollUntil(read, (status) => status.Status !== 'InProgress', `task ${taskId} still InProgress`, timeoutMs, 100);
}

/**
 * Asks ListTasks until no task in the directory (of one access configuration, when given) is InProgress; the worker
 * picks tasks up every 200 ms, so this settles in a turn or two. Pages then need loading once, not reloading in a loop.
 */
export async function waitTasksSettled(s: Node, dir: string, accessConfigurationId?: string, timeoutMs = 15000): Promise<void> {
  const query = { DirectoryId: dir, Status: 'InProgress', MaxResults: 1, ...(accessConfigurationId ? { AccessConfigurationId: accessConfigurationId } : {}) };
  const read = async () => (await sso(s, 'ListTasks', query)).Tasks as unknown[];
  await pollUntil(read, (tasks) => tasks.length === 0, `tasks in directory ${dir} still InProgress`, timeoutMs, 50);
}

export { Ims, Ram, imsClient };

// The audit's signature findings, replayed over HTTP: what runs is exactly what was signed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, ramClient, stsClient } from '../support/sdk.js';
import { sendV3, signedV1Query, signedV3Request } from '../support/raw-client.js';

const DAY = 24 * 3600_000;
const apiTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('a request runs only as it was signed', () => {
  let server: TestServer;
  let ram: any;
  let host: string;

  const rootKeyCount = async (): Promise<number> =>
    (await ram.listAccessKeys(new Ram.ListAccessKeysRequest({}))).body.accessKeys.accessKey.length;

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    host = new URL(server.url).host;
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'alice' }));
  });
  after(async () => server.close());

  it('refuses a captured V1 GetUser URL replayed days later with a JSON body naming CreateAccessKey', async () => {
    // Signed and sent three days ago; seen since in a proxy log.
    const captured = signedV1Query(
      server.root,
      { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' },
      { timestamp: new Date(server.clock.now().getTime() - 3 * DAY) },
    );
    const keys = await rootKeyCount();
    const replay = await fetch(`${server.url}/?${captured}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Action: 'CreateAccessKey', Timestamp: apiTime(server.clock.now()), SignatureNonce: randomUUID() }),
    });
    const body = await replay.json();
    assert.equal(replay.status, 400);
    assert.equal(body.Code, 'IncompleteSignature');
    assert.equal(body.AccessKey, undefined);
    assert.equal(await rootKeyCount(), keys);
  });

  it('refuses a V1 request whose x-acs-action header names another action than the signed one', async () => {
    const keys = await rootKeyCount();
    const signed = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' });
    const res = await fetch(`${server.url}/?${signed}`, { method: 'POST', headers: { 'x-acs-action': 'CreateAccessKey', 'x-acs-version': '2015-05-01' } });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).Code, 'IncompleteSignature');
    assert.equal(await rootKeyCount(), keys);
  });

  it('runs the signed V1 action when the SDK adds matching x-acs headers, as its V1 mode does', async () => {
    const v1 = ramClient(server.url, server.root, { signatureAlgorithm: 'v2' });
    const got = await v1.getUser(new Ram.GetUserRequest({ userName: 'alice' }));
    assert.equal(got.body.user.userName, 'alice');
  });

  it('refuses a V1 request with an unsigned form field added to its body', async () => {
    const signed = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' }, { method: 'POST' });
    const res = await fetch(`${server.url}/?${signed}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'UserName=root',
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).Code, 'InvalidParameter');
  });

  it('refuses a V1 request whose signed pairs were split between two values of one key', async () => {
    const signed = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' });
    const res = await fetch(`${server.url}/?${signed}&UserName=alice`);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).Code, 'InvalidParameter');
  });

  it('refuses a V3 AssumeRole whose DurationSeconds and Policy were merged into one key in transit', async () => {
    const role = (
      await ram.createRole(
        new Ram.CreateRoleRequest({
          roleName: 'Merged',
          assumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${server.accountId}:root`] } }] }),
        }),
      )
    ).body.role;
    const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:GetUser', Resource: '*' }] });
    const request = signedV3Request(server.root, host, {
      action: 'AssumeRole',
      version: '2015-04-01',
      query: { RoleArn: role.arn, RoleSessionName: 's1', DurationSeconds: '900', Policy: policy },
    });
    // The attacker rewrites `DurationSeconds=900&Policy=…` into one key `DurationSeconds=900&Policy` whose value is the policy.
    const merged = request.path.replace('DurationSeconds=900&Policy=', 'DurationSeconds%3D900%26Policy=');
    assert.notEqual(merged, request.path);
    const res = await sendV3(server.url, { ...request, path: merged });
    assert.equal(res.status, 400);
    assert.equal(res.body.Credentials, undefined);
    // The untampered request still works: the signature was right, only the rewrite is refused.
    const fine = await sendV3(server.url, request);
    assert.equal(fine.status, 200, JSON.stringify(fine.body));
    assert.match(fine.body.Credentials.AccessKeyId, /^STS\./);
  });

  it('refuses a V3 request whose body is swapped, or whose content type is changed without being signed', async () => {
    const request = signedV3Request(server.root, host, { action: 'GetUser', version: '2015-05-01', form: { UserName: 'alice' } });
    const swapped = await sendV3(server.url, { ...request, body: Buffer.from('UserName=root') });
    assert.equal(swapped.status, 400);
    assert.equal(swapped.body.Code, 'SignatureDoesNotMatch');
    const unsignedType = signedV3Request(server.root, host, { action: 'GetUser', version: '2015-05-01', query: { UserName: 'alice' } });
    const withBody = await sendV3(server.url, {
      ...unsignedType,
      headers: { ...unsignedType.headers, 'content-type': 'application/json' },
      body: Buffer.from('{"UserName":"root"}'),
    });
    assert.equal(withBody.status, 400);
    const ok = await sendV3(server.url, request);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.User.UserName, 'alice');
  });

  it('refuses a V3 request carrying an Action parameter that disagrees with the signed x-acs-action', async () => {
    const keys = await rootKeyCount();
    const request = signedV3Request(server.root, host, { action: 'GetUser', version: '2015-05-01', query: { UserName: 'alice', Action: 'CreateAccessKey' } });
    const res = await sendV3(server.url, request);
    assert.equal(res.status, 400);
    assert.equal(res.body.Code, 'IncompleteSignature');
    assert.equal(await rootKeyCount(), keys);
  });

  it('takes the V3 clock and nonce from the signed headers, not from query parameters', async () => {
    const stale = signedV3Request(
      server.root,
      host,
      { action: 'GetUser', version: '2015-05-01', query: { UserName: 'alice', Timestamp: apiTime(server.clock.now()) } },
      { date: new Date(server.clock.now().getTime() - 3 * DAY) },
    );
    const res = await sendV3(server.url, stale);
    assert.equal(res.status, 400);
    assert.equal(res.body.Code, 'InvalidTimeStamp.Expired');
  });

  it('serves the official SDK on both signatures with parameters in the query and in a form body', async () => {
    const who = await stsClient(server.url, server.root).getCallerIdentity();
    assert.equal(who.body.accountId, server.accountId);
    const form = signedV3Request(server.root, host, { action: 'GetUser', version: '2015-05-01', form: { UserName: 'alice' } });
    assert.equal((await sendV3(server.url, form)).body.User.UserName, 'alice');
    const json = signedV3Request(server.root, host, { action: 'GetUser', version: '2015-05-01', json: { UserName: 'alice' } });
    assert.equal((await sendV3(server.url, json)).body.User.UserName, 'alice');
  });
});

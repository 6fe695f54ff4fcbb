import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { restoreClockAfterEach, startServer, type TestServer } from '../support/server.js';
import { Ram, expectApiError, ramClient, callApi } from '../support/sdk.js';
import { signedV1Query } from '../support/raw-client.js';

describe('OpenAPI gateway', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  before(async () => {
    server = await startServer();
    // The user the signed requests below read, so each test stands alone.
    await ramClient(server.url, server.root).createUser(new Ram.CreateUserRequest({ userName: 'alice', displayName: 'Alice' }));
  });
  after(async () => server.close());

  it('answers /healthz once ready', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
  });

  it('accepts the SDK default V3 signature and the V1 signature', async () => {
    const v3 = ramClient(server.url, server.root);
    const created = await v3.createUser(new Ram.CreateUserRequest({ userName: 'signed-v3', displayName: 'Signed V3' }));
    assert.equal(created.body.user.userName, 'signed-v3');
    assert.match(created.body.requestId, /^[0-9A-F-]{36}$/);
    const v1 = ramClient(server.url, server.root, { signatureAlgorithm: 'v2' });
    const got = await v1.getUser(new Ram.GetUserRequest({ userName: 'signed-v3' }));
    assert.equal(got.body.user.displayName, 'Signed V3');
  });

  it('refuses a wrong secret with SignatureDoesNotMatch', async () => {
    const client = ramClient(server.url, { accessKeyId: server.root.accessKeyId, accessKeySecret: 'not-the-secret' });
    const error = await expectApiError(client.getUser(new Ram.GetUserRequest({ userName: 'alice' })));
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.equal(error.statusCode, 400);
  });

  it('refuses an unknown AccessKey', async () => {
    const client = ramClient(server.url, { accessKeyId: 'LTAInobodyhasthiskey0000', accessKeySecret: 'x' }, { signatureAlgorithm: 'v2' });
    const error = await expectApiError(client.getUser(new Ram.GetUserRequest({ userName: 'alice' })));
    assert.equal(error.code, 'InvalidAccessKeyId.NotFound');
    assert.equal(error.statusCode, 404);
  });

  it('refuses a timestamp more than 15 minutes off', async () => {
    // Measured from the server's clock, held still, so the margins below are exact minutes.
    const now = server.clock.freeze().getTime();
    const stale = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' }, { timestamp: new Date(now - 16 * 60_000) });
    const res = await fetch(`${server.url}/?${stale}`);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).Code, 'InvalidTimeStamp.Expired');
    const fine = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' }, { timestamp: new Date(now - 14 * 60_000) });
    assert.equal((await fetch(`${server.url}/?${fine}`)).status, 200);
  });

  it('refuses a replayed nonce', async () => {
    const query = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' });
    assert.equal((await fetch(`${server.url}/?${query}`)).status, 200);
    const replay = await fetch(`${server.url}/?${query}`);
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).Code, 'SignatureNonceUsed');
  });

  it('lets exactly one of many simultaneous copies of a request through, while simultaneous distinct requests all pass', async () => {
    const query = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' });
    const copies = await Promise.all(Array.from({ length: 12 }, () => fetch(`${server.url}/?${query}`)));
    const codes = await Promise.all(copies.map(async (res) => (res.status === 200 ? 'OK' : (await res.json()).Code)));
    assert.deepEqual(codes.filter((c) => c === 'OK').length, 1);
    assert.deepEqual(new Set(codes.filter((c) => c !== 'OK')), new Set(['SignatureNonceUsed']));
    // Distinct requests that arrive together (claimed in one batch) all pass.
    const distinct = Array.from({ length: 12 }, () => signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' }));
    const statuses = await Promise.all(distinct.map(async (q) => (await fetch(`${server.url}/?${q}`)).status));
    assert.deepEqual(statuses, Array(12).fill(200));
  });

  it('refuses a replayed nonce on another node sharing the database', async () => {
    const second = await startServer({ shareWith: server });
    try {
      const query = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice' });
      assert.equal((await fetch(`${server.url}/?${query}`)).status, 200);
      const replay = await fetch(`${second.url}/?${query}`);
      assert.equal((await replay.json()).Code, 'SignatureNonceUsed');
    } finally {
      await second.close();
    }
  });

  it('answers in XML when Format=XML', async () => {
    const query = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'alice', Format: 'XML' });
    const res = await fetch(`${server.url}/?${query}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/xml/);
    const body = await res.text();
    assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?><GetUserResponse>/);
    assert.match(body, /<UserName>alice<\/UserName>/);
    const missing = signedV1Query(server.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'nobody', Format: 'XML' });
    const error = await (await fetch(`${server.url}/?${missing}`)).text();
    assert.match(error, /<Error>.*<Code>EntityNotExist.User<\/Code>/);
  });

  it('answers an unknown action with InvalidAction.NotFound', async () => {
    const error = await expectApiError(callApi(server.url, server.root, 'MakeCoffee', '2015-05-01', {}));
    assert.equal(error.code, 'InvalidAction.NotFound');
    assert.equal(error.statusCode, 404);
  });

  it('answers a missing required parameter with MissingParameter', async () => {
    const error = await expectApiError(callApi(server.url, server.root, 'GetUser', '2015-05-01', {}));
    assert.equal(error.code, 'MissingParameter.UserName');
    assert.equal(error.statusCode, 400);
  });

  it('renders errors with RequestId, HostId, Code, Message and Recommend', async () => {
    const error = await expectApiError(callApi(server.url, server.root, 'GetUser', '2015-05-01', { UserName: 'nobody' }));
    assert.equal(error.statusCode, 404);
    assert.deepEqual(Object.keys(error.data).filter((k) => k !== 'statusCode').sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    assert.match(error.data.Recommend, /^https:\/\/api\.aliyun\.com\/troubleshoot\?q=EntityNotExist\.User/);
  });

  it('refuses an unsigned call', async () => {
    const res = await fetch(`${server.url}/?Action=GetUser&Version=2015-05-01&UserName=alice`);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).Code, 'IncompleteSignature');
  });
});

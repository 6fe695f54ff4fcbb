// The passkey logon endpoint answers malformed assertions with a plain refusal, never a server error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';

describe('passkey logon with malformed input', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it('refuses assertions whose fields have the wrong types, and each challenge is used once', async () => {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: `someone@${server.gatehouse.bootstrap.account.alias}.onaliyun.com` });
    for (const response of [{ id: { $ne: 1 } }, { id: 42 }, { id: 'x'.repeat(5000) }, 'not-an-object', null]) {
      const options = await session.postJson('/login/passkey/options', {});
      assert.equal(options.status, 200);
      assert.ok((await options.json()).challenge);
      const verify = await session.postJson('/login/passkey/verify', { response });
      assert.equal(verify.status, 400, JSON.stringify(response));
      assert.match((await verify.json()).message, /could not be verified/);
    }
    const replay = await session.postJson('/login/passkey/verify', { response: { id: 'abc' } });
    assert.equal(replay.status, 400);
    assert.match((await replay.json()).message, /Start the logon again/);
  });
});

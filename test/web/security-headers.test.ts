// The headers a browser or a cache acts on, on every kind of answer: pages, API calls that hand out secrets (an
// AccessKey, STS credentials), static files, /healthz and unknown paths. HSTS only when the public URL is https.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { signedV1Query } from '../support/raw-client.js';

const YEAR = 365 * 24 * 60 * 60;

function assertNosniff(res: Response, what: string): void {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
}

function assertNotStored(res: Response, what: string): void {
  assertNosniff(res, what);
  assert.equal(res.headers.get('cache-control'), 'no-store', what);
}

describe('security headers', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  const api = (params: Record<string, string>): Promise<Response> => fetch(`${server.url}/?${signedV1Query(server.root, params)}`);

  it('keeps pages out of caches and frames, and never sniffed', async () => {
    for (const path of ['/login.htm', '/root/login']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 200, path);
      assertNotStored(res, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
      assert.equal(res.headers.get('referrer-policy'), 'same-origin', path);
      assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS on a plain-http public URL');
    }
  });

  it('keeps API answers that carry an AccessKey secret or STS credentials out of every cache', async () => {
    assert.equal((await api({ Action: 'CreateUser', Version: '2015-05-01', UserName: 'keyed' })).status, 200);
    const key = await api({ Action: 'CreateAccessKey', Version: '2015-05-01', UserName: 'keyed' });
    assert.equal(key.status, 200);
    assertNotStored(key, 'CreateAccessKey');
    assert.ok((await key.json()).AccessKey.AccessKeySecret);

    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${server.accountId}:root`] } }] });
    const role = await (await api({ Action: 'CreateRole', Version: '2015-05-01', RoleName: 'cached', AssumeRolePolicyDocument: trust })).json();
    const sts = await api({ Action: 'AssumeRole', Version: '2015-04-01', RoleArn: role.Role.Arn, RoleSessionName: 'headers' });
    assert.equal(sts.status, 200);
    assertNotStored(sts, 'AssumeRole');
    assert.ok((await sts.json()).Credentials.SecurityToken);

    const refused = await fetch(`${server.url}/?Action=GetUser&Version=2015-05-01&UserName=keyed`);
    assert.equal(refused.status, 400);
    assertNotStored(refused, 'an API error');
  });

  it('sends static files unsniffed (cached, they hold no secret), /healthz and unknown paths too', async () => {
    const css = await fetch(`${server.url}/static/gatehouse.css`);
    assert.equal(css.status, 200);
    assertNosniff(css, 'static');
    assert.equal(css.headers.get('cache-control'), 'public, max-age=3600');
    assertNotStored(await fetch(`${server.url}/healthz`), '/healthz');
    const missing = await fetch(`${server.url}/no-such-page`);
    assert.equal(missing.status, 404);
    assertNotStored(missing, '404');
  });
});

describe('security headers behind https', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { GATEHOUSE_PUBLIC_URL: 'https://gatehouse.example' } });
  });
  after(async () => server.close());

  it('tells browsers to keep to https for at least a year, on every answer', async () => {
    for (const path of ['/healthz', '/login.htm', '/static/gatehouse.css', '/?Action=GetUser&Version=2015-05-01', '/no-such-page']) {
      const res = await fetch(`${server.url}${path}`);
      const hsts = res.headers.get('strict-transport-security') ?? '';
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
      assert.ok(maxAge >= YEAR, `${path}: ${hsts}`);
      assertNosniff(res, path);
    }
  });
});

// Seed 002's prefilled logon links: `?username=` fills the user name field, on the general page and on an account's
// dedicated page (which asks only for the short name). The value comes from the URL, so it must arrive escaped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';

/** The value attribute of the user name field, as served (still escaped). */
const fieldValue = (page: string): string | undefined => /<input type="text" id="username" name="username" value="([^"]*)"/.exec(page)?.[1];

describe('prefilled RAM user logon pages', () => {
  let server: TestServer;
  let domain: string;
  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server?.close());

  const page = async (path: string): Promise<string> => {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200, path);
    return res.text();
  };

  it('holds the user name from the URL on the dedicated page (short name) and on the general page (full name)', async () => {
    const dedicated = await page(`/${domain}/login.htm?username=${encodeURIComponent(`bob@${domain}`)}`);
    assert.equal(fieldValue(dedicated), 'bob');
    assert.match(dedicated, new RegExp(`<span>@${domain.replace(/\./g, '\\.')}</span>`));
    const shortOnly = await page(`/${domain}/login.htm?username=carol`);
    assert.equal(fieldValue(shortOnly), 'carol');
    const general = await page(`/login.htm?username=${encodeURIComponent(`bob@${domain}`)}`);
    assert.equal(fieldValue(general), `bob@${domain}`);
  });

  it('escapes a hostile value instead of letting it out of the attribute', async () => {
    const hostile = `x"><script>alert(1)</script><input value="`;
    for (const path of [`/${domain}/login.htm`, '/login.htm']) {
      const body = await page(`${path}?username=${encodeURIComponent(hostile)}`);
      assert.doesNotMatch(body, /<script>alert\(1\)<\/script>/, path);
      assert.equal(fieldValue(body), 'x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;input value=&quot;', path);
    }
  });
});

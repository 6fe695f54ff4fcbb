import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE_DOMAINS, localReturnPath, returnAddress } from '../../src/redirects/return-address.js';
import { KEPT, KEPT_PATHS, OFF_SITE_TRICKS, staysOnSite, withSelf } from './corpus.js';

const self = 'http://127.0.0.1:8080';
const rule = { selfOrigin: self, allowedDomains: CONSOLE_DOMAINS };

describe('the return address rule', () => {
  it('keeps local paths, normalized', () => {
    for (const { value, address } of KEPT_PATHS) {
      assert.equal(localReturnPath(value), address, value);
      assert.equal(returnAddress(value, rule), address, value);
    }
    assert.equal(localReturnPath('/console?tab=users#top'), '/console?tab=users#top');
    assert.equal(localReturnPath('/console?q=a%20b'), '/console?q=a%20b');
    assert.equal(localReturnPath('/..'), '/');
  });

  it('keeps our own origin and https pages on the allowed domains and their subdomains, normalized', () => {
    for (const { value, address } of KEPT) assert.equal(returnAddress(withSelf(value, self), rule), withSelf(address, self), value);
    assert.equal(returnAddress('http://127.0.0.1:8080/console', rule), 'http://127.0.0.1:8080/console');
    assert.equal(returnAddress('https://alibabacloud.com', rule), 'https://alibabacloud.com/');
    assert.equal(returnAddress('https://ram.console.aliyun.com:443/users', rule), 'https://ram.console.aliyun.com/users');
    assert.equal(returnAddress('https://ecs.console.aliyun.com/a/../b?next=https%3A%2F%2Fevil.example', rule), 'https://ecs.console.aliyun.com/b?next=https%3A%2F%2Fevil.example');
  });

  it('turns /..//evil.example/x into nothing, not into //evil.example/x (issue 12, finding 4)', () => {
    assert.equal(localReturnPath('/..//evil.example/x'), null);
    assert.equal(returnAddress('/..//evil.example/x', rule), null);
  });

  for (const trick of OFF_SITE_TRICKS.map((t) => withSelf(t, self))) {
    it(`refuses ${JSON.stringify(trick)}`, () => {
      assert.equal(returnAddress(trick, rule), null);
      assert.equal(localReturnPath(trick), null);
    });
  }

  it('refuses another port of our own host, and leading spaces or header breaks around an allowed address', () => {
    for (const value of ['http://127.0.0.1:8081/', 'https://127.0.0.1:8080/', ' https://ram.console.aliyun.com', 'https://ram.console.aliyun.com ', '/console\r\nSet-Cookie: x=1']) {
      assert.equal(returnAddress(value, rule), null, JSON.stringify(value));
    }
  });

  it('refuses local paths where only absolute ones are asked for, and absolute ones where only local paths are', () => {
    assert.equal(localReturnPath('https://ram.console.aliyun.com/'), null);
    assert.equal(localReturnPath(`${self}/console`), null);
  });

  it('refuses what is not a string, empty, or too long', () => {
    for (const value of [undefined, null, 42, ['/console'], { toString: () => '/console' }, '', `/${'a'.repeat(2048)}`]) {
      assert.equal(returnAddress(value, rule), null, String(value));
    }
  });

  it('answers only addresses that stay on site, and that pass the rule again unchanged', () => {
    const values = [...OFF_SITE_TRICKS, ...KEPT.map((k) => k.value), ...KEPT_PATHS.map((k) => k.value)].map((t) => withSelf(t, self));
    for (const value of values) {
      const address = returnAddress(value, rule);
      if (address === null) continue;
      assert.ok(staysOnSite(address, self), `${value} → ${address}`);
      assert.equal(returnAddress(address, rule), address, value);
    }
  });
});

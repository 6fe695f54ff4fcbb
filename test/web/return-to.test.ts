import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeLocalPath, safeRedirect } from '../../src/web/return-to.js';

const policy = { selfOrigin: 'http://127.0.0.1:8080', allowedDomains: ['aliyun.com', 'alibabacloud.com'] };

describe('return-to allow-list', () => {
  it('keeps local paths', () => {
    assert.equal(safeLocalPath('/console'), '/console');
    assert.equal(safeLocalPath('/console?tab=users#top'), '/console?tab=users#top');
  });

  it('keeps our own origin and https pages on the allowed domains and their subdomains', () => {
    assert.equal(safeRedirect('http://127.0.0.1:8080/console', policy), 'http://127.0.0.1:8080/console');
    assert.equal(safeRedirect('https://ram.console.aliyun.com/users', policy), 'https://ram.console.aliyun.com/users');
    assert.equal(safeRedirect('https://alibabacloud.com/', policy), 'https://alibabacloud.com/');
  });

  const refused = [
    'https://evil.example/',
    'https://aliyun.com.evil.example/',
    'https://evilaliyun.com/',
    'https://aliyun.com@evil.example/',
    'https://user:pw@ram.console.aliyun.com/',
    'http://ram.console.aliyun.com/',
    '//evil.example/',
    '/\\evil.example',
    '\\\\evil.example',
    '/%2F%2Fevil.example',
    '/%252F%252Fevil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,hi',
    'https:evil.example',
    'https:/evil.example',
    ' https://ram.console.aliyun.com',
    'https://ram.console.aliyun.com\\@evil.example',
    'https://evil.example%2F.aliyun.com/',
    'https://evil.example%252F@aliyun.com/',
    '/console\r\nSet-Cookie: x=1',
    'http://127.0.0.1:8081/',
    'ftp://aliyun.com/',
    '',
  ];
  for (const value of refused) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      assert.equal(safeRedirect(value, policy), null);
    });
  }
});

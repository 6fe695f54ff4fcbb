// Our signers must agree byte for byte with the official SDK's, and verification must catch any change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import OpenApiUtilModule from '@alicloud/openapi-util';
import { signV1, verifyV1 } from '../../src/openapi/signature-v1.js';
import { parseV3Authorization, signV3, verifyV3, type SignedRequest } from '../../src/openapi/signature-v3.js';

const OpenApiUtil = (OpenApiUtilModule as any).default;
const SECRET = 'testSecret0123456789abcdefghij';

function v3Request(overrides: Partial<SignedRequest> = {}): SignedRequest {
  const body = Buffer.from('');
  return {
    method: 'POST',
    pathname: '/',
    query: [['UserName', "o'brien (admin)*!"], ['Tag.1.Key', 'a b'], ['MaxItems', '10']],
    headers: {
      host: 'ram.example.test',
      'x-acs-action': 'ListUsers',
      'x-acs-version': '2015-05-01',
      'x-acs-date': '2026-11-27T10:00:00Z',
      'x-acs-signature-nonce': 'nonce-1',
      'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
      accept: 'application/json',
    },
    body,
    ...overrides,
  };
}

test('V3: our signature equals the SDK\'s for the same request', () => {
  const request = v3Request();
  const payload = createHash('sha256').update(request.body).digest('hex');
  const sdk = OpenApiUtil.getAuthorization(
    { pathname: '/', method: 'POST', query: Object.fromEntries(request.query), headers: request.headers },
    'ACS3-HMAC-SHA256',
    payload,
    'LTAIexample',
    SECRET,
  );
  assert.equal(signV3(request, 'LTAIexample', SECRET), sdk);
});

test('V3: verification accepts the SDK signature and refuses any tampering', () => {
  const request = v3Request();
  const auth = parseV3Authorization(signV3(request, 'LTAIexample', SECRET));
  assert.ok(auth);
  assert.deepEqual(verifyV3(request, auth, SECRET), { ok: true });
  assert.equal(verifyV3(request, auth, 'another-secret').ok, false);
  const tamperedQuery = v3Request({ query: [['UserName', 'mallory'], ['Tag.1.Key', 'a b'], ['MaxItems', '10']] });
  assert.deepEqual(verifyV3(tamperedQuery, auth, SECRET), { ok: false, code: 'SignatureDoesNotMatch', message: 'Specified signature is not matched with our calculation.' });
  const tamperedBody = v3Request({ body: Buffer.from('UserName=mallory') });
  assert.equal(verifyV3(tamperedBody, auth, SECRET).ok, false);
  const extraHeader = v3Request();
  (extraHeader.headers as Record<string, string>)['x-acs-security-token'] = 'unsigned';
  const check = verifyV3(extraHeader, auth, SECRET);
  assert.equal(check.ok, false);
  assert.equal(!check.ok && check.code, 'IncompleteSignature');
});

test('V3: an Authorization header of another scheme is not parsed', () => {
  assert.equal(parseV3Authorization('AWS4-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00'), null);
  assert.equal(parseV3Authorization('ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=zz'), null);
});

test('V1: our signature equals the SDK\'s RPC signature, and tampering is refused', () => {
  const pairs: Array<[string, string]> = [
    ['Action', 'GetUser'],
    ['Version', '2015-05-01'],
    ['Format', 'json'],
    ['UserName', 'alice*(x)'],
    ['Timestamp', '2026-11-27T10:00:00Z'],
    ['SignatureNonce', 'n-1'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['AccessKeyId', 'LTAIexample'],
  ];
  const sdk = OpenApiUtil.getRPCSignature(Object.fromEntries(pairs), 'POST', SECRET);
  const ours = signV1('POST', pairs, SECRET);
  assert.equal(ours, sdk);
  assert.deepEqual(verifyV1('POST', [...pairs, ['Signature', ours]], SECRET), { ok: true });
  assert.equal(verifyV1('GET', [...pairs, ['Signature', ours]], SECRET).ok, false);
  const changed = pairs.map(([k, v]): [string, string] => [k, k === 'UserName' ? 'bob' : v]);
  assert.equal(verifyV1('POST', [...changed, ['Signature', ours]], SECRET).ok, false);
});

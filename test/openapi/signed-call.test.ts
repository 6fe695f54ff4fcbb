// Properties of readCall against the official SDK's signers: a request the SDK signs is read back with exactly its
// parameters, and every mutation of a signed request is refused or runs the signed action with the signed parameters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import querystring from 'node:querystring';
import { readCall, type ApiCall, type HttpRequestParts } from '../../src/openapi/signed-call.js';
import { ApiError } from '../../src/errors.js';
import { OpenApiUtil } from '../support/raw-client.js';

const SECRET = 'propertySecret0123456789abcdef';
const AK = 'LTAIproperty000000000';

/** mulberry32: a seeded generator, so a failing case can be replayed from its seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~';
const VALUE_PIECES = ['a', 'Z', '9', ' ', '&', '=', '%', '+', '/', '?', '#', '*', "'", '(', ')', '!', '~', '.', '%20', '%2B', 'é', '中', '😀', '\n', '"', '<', '\\', ',', ';', ':', '@'];
const RESERVED = ['&', '=', '%', '+', '/', '?', '#', ' ', 'é', '[', ']'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function name(rand: () => number): string {
  const shape = rand();
  if (shape < 0.2) return `Tag.${1 + Math.floor(rand() * 3)}.${pick(rand, ['Key', 'Value'])}`;
  let out = pick(rand, ['User', 'Role', 'Policy', 'Max', 'Next', 'Description', 'Duration']);
  const extra = Math.floor(rand() * 6);
  for (let i = 0; i < extra; i++) out += pick(rand, NAME_CHARS.split(''));
  return out;
}

function value(rand: () => number): string {
  if (rand() < 0.1) return '';
  const length = 1 + Math.floor(rand() * 12);
  let out = '';
  for (let i = 0; i < length; i++) out += pick(rand, VALUE_PIECES);
  return out;
}

function params(rand: () => number): Record<string, string> {
  const out: Record<string, string> = {};
  const count = 1 + Math.floor(rand() * 6);
  while (Object.keys(out).length < count) {
    const key = name(rand);
    // Tag.N.Key and a bare `Tag` together would be one parameter given two ways; keep the generated sets unambiguous.
    if (key === 'Tag') continue;
    out[key] = value(rand);
  }
  return out;
}

const headerBase = (action: string): Record<string, string> => ({
  host: 'gatehouse.test',
  'x-acs-action': action,
  'x-acs-version': '2015-05-01',
  'x-acs-date': '2026-12-05T10:00:00Z',
  'x-acs-signature-nonce': 'nonce-1',
  accept: 'application/json',
});

/** A V3 request as `@alicloud/openapi-client` sends it: query through node's querystring, signed by the SDK. */
function v3(action: string, query: Record<string, string>, form?: Record<string, string>): HttpRequestParts {
  const headers = headerBase(action);
  const body = form ? Buffer.from(querystring.stringify(form)) : Buffer.alloc(0);
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  headers['x-acs-content-sha256'] = createHash('sha256').update(body).digest('hex');
  headers.authorization = OpenApiUtil.getAuthorization({ pathname: '/', method: 'POST', query, headers }, 'ACS3-HMAC-SHA256', headers['x-acs-content-sha256'], AK, SECRET);
  const qs = querystring.stringify(query);
  return { method: 'POST', url: qs ? `/?${qs}` : '/', headers, body };
}

/** A V1 request as the SDK's `signatureAlgorithm: 'v2'` mode sends it: everything in the query. */
function v1(action: string, business: Record<string, string>): HttpRequestParts {
  const all: Record<string, string> = {
    Action: action,
    Version: '2015-05-01',
    Format: 'JSON',
    AccessKeyId: AK,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: 'nonce-1',
    Timestamp: '2026-12-05T10:00:00Z',
    ...business,
  };
  all.Signature = OpenApiUtil.getRPCSignature(all, 'GET', SECRET);
  return { method: 'GET', url: `/?${querystring.stringify(all)}`, headers: { host: 'gatehouse.test', 'x-acs-action': action, 'x-acs-version': '2015-05-01' }, body: Buffer.alloc(0) };
}

type Outcome = { refused: string } | { call: ApiCall };

function read(parts: HttpRequestParts): Outcome {
  try {
    const call = readCall(parts);
    const check = call.verify(SECRET);
    return check.ok ? { call } : { refused: check.code };
  } catch (error) {
    if (error instanceof ApiError) return { refused: error.code };
    throw error;
  }
}

function accepted(outcome: Outcome): ApiCall {
  if ('refused' in outcome) assert.fail(`refused with ${outcome.refused}`);
  return outcome.call;
}

/** Parameters as an action sees them: everything but the common signature material. */
function business(call: ApiCall): Record<string, unknown> {
  const common = new Set(['Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']);
  return Object.fromEntries(Object.entries(call.params).filter(([k]) => !common.has(k)));
}

describe('readCall against the official SDK', () => {
  it('reads back exactly what the SDK signed with V3, for generated parameters with reserved characters, unicode and empty values', () => {
    const rand = generator(1205);
    for (let i = 0; i < 400; i++) {
      const query = params(rand);
      const call = accepted(read(v3('GetUser', query)));
      assert.deepEqual({ ...call.params }, query, `case ${i}`);
      assert.equal(call.action, 'GetUser');
      const form = params(rand);
      assert.deepEqual({ ...accepted(read(v3('GetUser', {}, form))).params }, form, `form case ${i}`);
    }
  });

  it('reads back exactly what the SDK signed with V1', () => {
    const rand = generator(512);
    for (let i = 0; i < 400; i++) {
      const signed = params(rand);
      const call = accepted(read(v1('ListUsers', signed)));
      assert.deepEqual(business(call), signed, `case ${i}`);
      assert.equal(call.action, 'ListUsers');
    }
  });

  it('refuses a key the SDK would sign unencoded, rather than read it as two parameters', () => {
    const rand = generator(77);
    for (let i = 0; i < 100; i++) {
      const query = params(rand);
      query[`${name(rand)}${pick(rand, RESERVED)}${name(rand)}`] = value(rand);
      assert.deepEqual(read(v3('GetUser', query)), { refused: 'InvalidParameter' }, `case ${i}`);
    }
  });

  it('refuses a repeated key in the query, in a form body, or across both', () => {
    const once = v3('GetUser', { UserName: 'alice' });
    assert.deepEqual(read({ ...once, url: `${once.url}&UserName=alice` }), { refused: 'InvalidParameter' });
    const signed = v1('GetUser', { UserName: 'alice' });
    assert.deepEqual(read({ ...signed, url: `${signed.url}&UserName=root` }), { refused: 'InvalidParameter' });
    assert.deepEqual(
      read({ ...signed, headers: { ...signed.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('UserName=alice') }),
      { refused: 'InvalidParameter' },
    );
  });
});

/** Ways an attacker can rework a signed request in transit. Each returns the reworked request. */
const MUTATIONS: Record<string, (parts: HttpRequestParts, rand: () => number) => HttpRequestParts> = {
  'move a query pair into a form body'(parts, rand) {
    const [path, qs = ''] = parts.url.split('?') as [string, string?];
    const pairs = qs.split('&').filter(Boolean);
    const moved = pairs.splice(Math.floor(rand() * pairs.length), 1);
    return { ...parts, url: `${path}?${pairs.join('&')}`, headers: { ...parts.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(moved.join('&')) };
  },
  'move a query pair into a JSON body'(parts, rand) {
    const [path, qs = ''] = parts.url.split('?') as [string, string?];
    const pairs = [...new URLSearchParams(qs)];
    const [moved] = pairs.splice(Math.floor(rand() * pairs.length), 1);
    return { ...parts, url: `${path}?${new URLSearchParams(pairs)}`, headers: { ...parts.headers, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(Object.fromEntries(moved ? [moved] : []))) };
  },
  'merge two pairs into one key'(parts, rand) {
    const [path, qs = ''] = parts.url.split('?') as [string, string?];
    const pairs = qs.split('&').filter(Boolean);
    if (pairs.length < 2) return parts;
    const i = Math.floor(rand() * (pairs.length - 1));
    const [first, second] = [pairs[i]!, pairs[i + 1]!];
    const eq = second.indexOf('=');
    pairs.splice(i, 2, `${encodeURIComponent(`${decodeURIComponent(first)}&${second.slice(0, eq)}`)}${second.slice(eq)}`);
    return { ...parts, url: `${path}?${pairs.join('&')}` };
  },
  'split a value into two pairs'(parts, rand) {
    const [path, qs = ''] = parts.url.split('?') as [string, string?];
    const pairs = qs.split('&').filter(Boolean);
    const i = Math.floor(rand() * pairs.length);
    pairs.splice(i, 1, `${pairs[i]}x`, 'UserName=root');
    return { ...parts, url: `${path}?${pairs.join('&')}` };
  },
  'add a query parameter'(parts) {
    return { ...parts, url: `${parts.url}${parts.url.includes('?') ? '&' : '?'}UserName=root` };
  },
  'add a form field'(parts) {
    return { ...parts, headers: { ...parts.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.concat([parts.body, Buffer.from(parts.body.length ? '&PolicyName=AdministratorAccess' : 'PolicyName=AdministratorAccess')]) };
  },
  'add a JSON body'(parts) {
    return { ...parts, headers: { ...parts.headers, 'content-type': 'application/json' }, body: Buffer.from('{"Action":"CreateAccessKey","UserName":"root","Timestamp":"2026-12-05T10:01:00Z","SignatureNonce":"fresh"}') };
  },
  'name another action in a header'(parts) {
    return { ...parts, headers: { ...parts.headers, 'x-acs-action': 'CreateAccessKey' } };
  },
  'name another version in a header'(parts) {
    return { ...parts, headers: { ...parts.headers, 'x-acs-version': '2019-08-15' } };
  },
  'add an Action parameter'(parts) {
    return { ...parts, url: `${parts.url}${parts.url.includes('?') ? '&' : '?'}Action=CreateAccessKey` };
  },
  'add an unsigned security token header'(parts) {
    return { ...parts, headers: { ...parts.headers, 'x-acs-security-token': 'token' } };
  },
  'change the case of a key'(parts) {
    return { ...parts, url: parts.url.replace(/([?&])([A-Za-z])/, (_m, sep: string, c: string) => `${sep}${c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()}`) };
  },
  'change a value'(parts) {
    return { ...parts, url: parts.url.replace(/=([^&]*)/, '=$1x') };
  },
  'change the body content type'(parts) {
    return parts.body.length ? { ...parts, headers: { ...parts.headers, 'content-type': 'application/json' } } : parts;
  },
};

describe('every mutation of a signed request is refused or runs as signed', () => {
  for (const [label, mutate] of Object.entries(MUTATIONS)) {
    it(label, () => {
      const rand = generator(label.length * 7919);
      let refusedCount = 0;
      for (let i = 0; i < 60; i++) {
        for (const original of [v3('GetUser', params(rand)), v3('GetUser', {}, params(rand)), v1('GetUser', params(rand))]) {
          const signed = accepted(read(original));
          const outcome = read(mutate(original, rand));
          if ('refused' in outcome) {
            refusedCount++;
            continue;
          }
          assert.equal(outcome.call.action, signed.action, `${label}, case ${i}`);
          assert.equal(outcome.call.version, signed.version, `${label}, case ${i}`);
          assert.deepEqual({ ...outcome.call.params }, { ...signed.params }, `${label}, case ${i}`);
        }
      }
      // A mutation that is always accepted would prove nothing here; every kind above is refused at least sometimes.
      assert.ok(refusedCount > 0, `${label} was never refused`);
    });
  }
});

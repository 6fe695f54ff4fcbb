// A Gatehouse node for benchmarks, plus routes on the same Fastify instance that serve as baselines and floors:
// - /bench/hello: hello world (issue 2's baseline);
// - /bench/busy?us=N: hello world after N µs of pure computation, to calibrate what a given amount of work per
//   request costs against hello world on this machine;
// - /bench/floor/signed: only what any signed read must do in process (parse, V3 check with a secret held in memory,
//   a nonce kept in memory, a constant answer): no store, no policy. It bounds what the real path can reach here;
// - /bench/floor/logon/*: the four requests of a password logon doing nothing but the argon2id check. Likewise;
// - /bench/floor/store-logon/*: the same, plus the statements Gatehouse's logon runs (the state read by name at the
//   password step; the state read and the one write of flow end, logon record and session at the last step) and
//   nothing else of it: what any logon against this store can reach here.
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { buildGatehouse } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { newRequestId } from '../src/ids.js';
import { hashPassword, verifyPassword } from '../src/crypto/passwords.js';
import { parseV3Authorization, verifyV3 } from '../src/openapi/signature-v3.js';
import { readLogonState, readLogonStateByName } from '../src/ram/logon-state.js';
import { newFlow } from '../src/signin/flow.js';
import { finishLogon } from '../src/signin/finish-logon.js';
import { newSession } from '../src/sessions/sessions.js';
import { FLOOR_ACCESS_KEY, FLOOR_PASSWORD } from './floor.js';


const config = loadConfig();
const gatehouse = await buildGatehouse(config);
const app = gatehouse.app;
app.get('/bench/hello', async () => ({ hello: 'world' }));
app.get<{ Querystring: { us?: string } }>('/bench/busy', async (request) => {
  const until = performance.now() + Number(request.query.us ?? 0) / 1000;
  while (performance.now() < until);
  return { hello: 'world' };
});

const floorSecrets = new Map([[FLOOR_ACCESS_KEY.accessKeyId, FLOOR_ACCESS_KEY.accessKeySecret]]);
const floorNonces = new Set<string>();
app.post('/bench/floor/signed', async (request, reply) => {
  const url = new URL(request.raw.url ?? '/', 'http://floor.invalid');
  const auth = parseV3Authorization(String(request.headers.authorization ?? ''));
  const secret = auth && floorSecrets.get(auth.accessKeyId);
  const nonce = String(request.headers['x-acs-signature-nonce'] ?? '');
  const date = Date.parse(String(request.headers['x-acs-date'] ?? ''));
  const signed = { method: request.method, pathname: url.pathname, query: [...url.searchParams], headers: request.headers, body: Buffer.alloc(0) };
  if (!auth || !secret || !verifyV3(signed, auth, secret).ok || !(Math.abs(date - Date.now()) < 900_000) || floorNonces.has(nonce)) {
    return reply.status(400).send({ Code: 'SignatureDoesNotMatch' });
  }
  floorNonces.add(nonce);
  return { RequestId: newRequestId(), User: { UserName: url.searchParams.get('UserName') } };
});

const floorHash = await hashPassword(FLOOR_PASSWORD);
// In a scope of its own with the same form and cookie parsers the web pages use.
await app.register(async (scope) => {
  await scope.register(cookie);
  await scope.register(formbody, { bodyLimit: 64 * 1024 });
  const form = (body: unknown): Record<string, string> => (body ?? {}) as Record<string, string>;
  scope.get('/bench/floor/logon', async (_request, reply) =>
    reply.type('text/html').send(`<form method="post"><input type="hidden" name="_csrf" value="${randomBytes(16).toString('hex')}"><input name="username"></form>`),
  );
  scope.post('/bench/floor/logon/identify', async (_request, reply) => reply.redirect('/bench/floor/logon/password', 303));
  scope.post('/bench/floor/logon/password', async (request, reply) =>
    (await verifyPassword(floorHash, form(request.body).password ?? ''))
      ? reply.redirect('/bench/floor/logon/mfa-bind', 303)
      : reply.status(400).type('text/html').send('wrong password'),
  );
  scope.post('/bench/floor/logon/skip', async (_request, reply) =>
    reply.setCookie('floor_session', randomBytes(32).toString('base64url'), { path: '/', httpOnly: true, sameSite: 'lax' }).redirect('/console', 303),
  );

  const db = gatehouse.services.store.db;
  scope.post('/bench/floor/store-logon/identify', async (request, reply) =>
    reply.setCookie('floor_name', form(request.body).username ?? '', { path: '/' }).redirect('/bench/floor/store-logon/password', 303),
  );
  scope.post('/bench/floor/store-logon/password', async (request, reply) => {
    const typed = request.cookies.floor_name ?? '';
    const at = typed.lastIndexOf('@');
    const state = await readLogonStateByName(db, { name: typed.slice(0, at), domain: typed.slice(at + 1) });
    if (!state?.profile.password_hash || !(await verifyPassword(state.profile.password_hash, form(request.body).password ?? ''))) {
      return reply.status(400).type('text/html').send('wrong password');
    }
    return reply.setCookie('floor_user', `${state.profile.user_id}.${state.generation}`, { path: '/' }).redirect('/bench/floor/store-logon/mfa-bind', 303);
  });
  scope.post('/bench/floor/store-logon/skip', async (request, reply) => {
    const [userId = '', generation] = (request.cookies.floor_user ?? '').split('.');
    const state = await readLogonState(db, userId);
    if (!state) return reply.status(400).type('text/html').send('no user');
    const now = new Date();
    const flow = { ...newFlow({ kind: 'ram-user', now }), step: 'mfa-bind' as const, user_id: userId, account_id: state.profile.account_id, logon_generation: Number(generation) };
    const { token, session } = newSession({ accountId: state.profile.account_id, principalType: 'user', userId, mfaPresent: false, lifetimeSeconds: 3600, now });
    if ((await finishLogon(db, { flow, userId, session, now })) !== 'opened') return reply.status(400).type('text/html').send('not opened');
    return reply.setCookie('floor_session', token, { path: '/', httpOnly: true, sameSite: 'lax' }).redirect('/console', 303);
  });
});

await app.listen({ port: config.port, host: config.host });
process.send?.({ ready: true, port: (app.server.address() as { port: number }).port });
process.on('disconnect', () => void gatehouse.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void gatehouse.close().then(() => process.exit(0)));

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { findDirectoryByName, type Directory } from '../../cloudsso/directories.js';
import { enabledIdp } from '../../cloudsso/saml-idp.js';
import { portalLoginUrl } from '../../cloudsso/login-url.js';
import {
  cliCredentials,
  configurationsOnAccount,
  ramUserAccountsForUser,
  roleAccountsForUser,
  signInAsRamUser,
  signInAsRole,
  type PortalSignIn,
} from '../../cloudsso/portal.js';
import { findUser, type SsoUser } from '../../cloudsso/users.js';
import { endPortalSession, validatePortalSession, type PortalSession } from '../../sessions/portal-sessions.js';
import { newFlow, type LoginFlow } from '../../signin/flow.js';
import {
  portalPasswordRules,
  submitPortalMfaBinding,
  submitPortalMfaCode,
  submitPortalPassword,
  submitPortalPasswordChange,
} from '../../signin/portal.js';
import { PORTAL_COOKIE, SESSION_COOKIE, cookieOptions } from '../cookies.js';
import { csrfToken, isCsrfValid } from '../csrf.js';
import { flowCookie } from '../signin/flow-cookie.js';
import { signinSteps, type SigninSteps } from '../signin/follow.js';
import type { WebContext } from '../context.js';
import { CONSOLE_DOMAINS, localReturnPath, returnAddress, type ReturnAddress, type ReturnAddressRule } from '../../redirects/return-address.js';
import { trustedOrigin } from '../origin.js';
import { isThrottled, THROTTLED_MESSAGE } from '../logon-throttle.js';
import {
  credentialsPage,
  directLinkPage,
  insufficientAccessPage,
  logonDialogPage,
  portalLoginPage,
  portalMessagePage,
  portalMfaBindPage,
  portalMfaPage,
  portalPasswordChangePage,
  portalSsoLoginPage,
  ramUserAccountsPage,
  roleAccountsPage,
} from './pages.js';

// The CloudSSO user portal (seed 000) at `/sso/<DirectoryName>`: sign-in, the account lists, Log On as a RAM role or
// RAM user, direct access links and CLI credentials.

const PAGE_SIZE = 50;

type Query = Record<string, string | undefined>;
type QuickLogin = { kind: 'role'; accountId: string; accessConfigurationName: string } | { kind: 'user'; accountId: string };

/** The CloudSSO user portal, under /sso/<directory>: sign-in, the portal, Log On, direct links, CLI credentials. */
export const portal: FastifyPluginAsync<{ context: WebContext }> = async (app, { context: web }) => {
  const { services, secure } = web;
  const db = services.store.db;
  const now = (): Date => services.clock.now();
  const send = (reply: FastifyReply, body: string, status = 200): FastifyReply => reply.status(status).type('text/html').send(body);
  const baseOf = (d: Directory): string => `/sso/${encodeURIComponent(d.name)}`;
  const cookiePath = (d: Directory): string => baseOf(d);
  /** Landing pages: our own origin (as this request reached it) or a console page on the allowed domains. */
  const landingRule = (request: FastifyRequest): ReturnAddressRule => ({
    selfOrigin: trustedOrigin(request, services.config.publicUrl)?.origin ?? services.config.publicUrl,
    allowedDomains: CONSOLE_DOMAINS,
  });

  async function directory(request: FastifyRequest<{ Params: { dir: string } }>, reply: FastifyReply): Promise<Directory | null> {
    const found = /^[a-z0-9-]{2,64}$/.test(request.params.dir) ? await findDirectoryByName(db, request.params.dir) : undefined;
    if (!found) {
      send(reply, portalMessagePage('Unknown portal', 'There is no CloudSSO user portal at this address. Check the Login URL with your administrator.'), 404);
      return null;
    }
    return found;
  }

  async function signedIn(request: FastifyRequest, d: Directory): Promise<{ session: PortalSession; user: SsoUser } | null> {
    const session = await validatePortalSession(db, request.cookies[PORTAL_COOKIE], d.id, now());
    if (!session) return null;
    const user = await findUser(db, d.id, session.user_id);
    return user ? { session, user } : null;
  }

  function quickLoginOf(query: Query): QuickLogin | null {
    if (query.quickLogin !== 'true' || !query.accountId) return null;
    if (query.provisionUser === 'true') return { kind: 'user', accountId: query.accountId };
    return query.accessConfigurationName ? { kind: 'role', accountId: query.accountId, accessConfigurationName: query.accessConfigurationName } : null;
  }

  /** After a sign-in into a member account: the callback/landing page if it is allowed, else the relay state, else the console. */
  function land(request: FastifyRequest, reply: FastifyReply, outcome: Extract<PortalSignIn, { ok: true }>, landing: ReturnAddress | null): FastifyReply {
    reply.setCookie(SESSION_COOKIE, outcome.consoleToken, cookieOptions(secure));
    const relay = outcome.relayState ? returnAddress(outcome.relayState, landingRule(request)) : null;
    return reply.redirect(landing ?? relay ?? '/console', 303);
  }

  function refusedSignIn(reply: FastifyReply, d: Directory, outcome: Extract<PortalSignIn, { ok: false }>): FastifyReply {
    if (outcome.reason === 'signed-out') return reply.redirect(`${baseOf(d)}/login`, 303);
    const messages = {
      'not-assigned': 'You do not have this permission on the account any more. Contact your administrator.',
      'not-provisioned': 'This access configuration is not provisioned on the account yet. Try again later or contact your administrator.',
      'no-user-provisioning': 'You have no RAM user on this account: no RAM user provisioning includes you there. Contact your administrator.',
      'no-ram-user': 'No RAM user has been provisioned for you on this account yet. Contact your administrator.',
    } as const;
    return send(reply, portalMessagePage('Cannot sign in', messages[outcome.reason], `${baseOf(d)}/portal`), 403);
  }

  async function quickLogin(request: FastifyRequest, reply: FastifyReply, d: Directory, who: { session: PortalSession; user: SsoUser }, intent: QuickLogin, landing: ReturnAddress | null, csrf: string) {
    if (intent.kind === 'user') {
      const outcome = await signInAsRamUser(db, { directoryId: d.id, user: who.user, accountId: intent.accountId, portalSession: who.session, now: now() });
      return outcome.ok ? land(request, reply, outcome, landing) : refusedSignIn(reply, d, outcome);
    }
    const configurations = await configurationsOnAccount(db, d.id, who.user.id, intent.accountId);
    const chosen = configurations.find((c) => c.name.toLowerCase() === intent.accessConfigurationName.toLowerCase());
    if (!chosen) {
      return send(
        reply,
        insufficientAccessPage({ base: baseOf(d), csrf, accountId: intent.accountId, requested: intent.accessConfigurationName, configurations, landingPage: landing }),
        403,
      );
    }
    const outcome = await signInAsRole(db, services.secrets, {
      directoryId: d.id,
      user: who.user,
      accountId: intent.accountId,
      configurationId: chosen.id,
      portalSession: who.session,
      now: now(),
    });
    return outcome.ok ? land(request, reply, outcome, landing) : refusedSignIn(reply, d, outcome);
  }

  const flows = flowCookie(web, 'gh_pflow', 'portal');
  const inDirectory = (d: Directory) => (flow: LoginFlow) => flow.directory_id === d.id;

  /** The sign-in steps of one directory's portal: its pages and cookies live under its path. */
  const stepsOf = (d: Directory): SigninSteps =>
    signinSteps(web, {
      flows,
      cookiePath: cookiePath(d),
      stepPath: (step) => `${baseOf(d)}/${step}`,
      startPath: `${baseOf(d)}/login`,
      refusedPage: (_request, _reply, message) => portalMessagePage('Sign-in refused', message, `${baseOf(d)}/login`),
      openSession(reply, done) {
        reply.setCookie(PORTAL_COOKIE, done.token, { ...cookieOptions(secure), path: cookiePath(d) });
        return done.redirect || `${baseOf(d)}/portal`;
      },
    });

  const csrfFailed = (reply: FastifyReply): FastifyReply =>
    send(reply, portalMessagePage('Form expired', 'Your form expired or came from another site. Start again.'), 403);

  /** While SSO is the directory's logon method, every password-flow step is refused (also one begun before SSO was on). */
  async function passwordSignInOff(reply: FastifyReply, d: Directory): Promise<boolean> {
    if (!(await enabledIdp(db, d.id))) return false;
    send(reply, portalMessagePage('Password sign-in is off', 'This directory signs users in through its identity provider. Use Redirect on the sign-in page.', `${baseOf(d)}/login`), 403);
    return true;
  }

  type DirRequest = FastifyRequest<{ Params: { dir: string }; Querystring: Query }>;

  app.get('/:dir', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    return d ? reply.redirect(`${baseOf(d)}/login`, 303) : reply;
  });

  app.get('/:dir/login', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    const query = request.query;
    const intent = quickLoginOf(query);
    let landing: ReturnAddress | null = null;
    if (intent && query.landingPage !== undefined && query.landingPage !== '') {
      landing = returnAddress(query.landingPage, landingRule(request));
      if (!landing) {
        return send(
          reply,
          portalMessagePage('Landing page not allowed', 'The landingPage of this link is not on an allowed domain (aliyun.com, alibabacloud.com or this console), so it will not be opened. Ask your administrator for a correct link.'),
          400,
        );
      }
    }
    const csrf = csrfToken(request, reply, secure);
    const who = await signedIn(request, d);
    if (who && intent) return quickLogin(request, reply, d, who, intent, landing, csrf);
    if (who) return reply.redirect(`${baseOf(d)}/portal`, 303);
    const returnTo = intent ? localReturnPath(request.url) : null;
    const idp = await enabledIdp(db, d.id);
    if (idp) {
      // SSO is the logon method: no password form, only the way to the IdP. Until the SAML exchange lands this is
      // a plain link to the IdP's LoginUrl; RelayState carries the direct access link to come back to, if any.
      const redirect = new URL(idp.login_url);
      if (returnTo) redirect.searchParams.set('RelayState', returnTo);
      return send(reply, portalSsoLoginPage({ directoryName: d.name, redirectUrl: redirect.toString() }));
    }
    flows.keep(reply, newFlow({ kind: 'portal', directoryId: d.id, returnTo, now: now() }), cookiePath(d));
    return send(reply, portalLoginPage({ base: baseOf(d), directoryName: d.name, csrf, userName: '' }));
  });

  app.post('/:dir/login', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (await passwordSignInOff(reply, d)) return reply;
    if (!isCsrfValid(request, services.config.publicUrl)) return csrfFailed(reply);
    const flow = flows.current(request, 'identify', inDirectory(d));
    if (!flow) return reply.redirect(`${baseOf(d)}/login`, 303);
    const body = request.body as Query;
    const userName = String(body.username ?? '').slice(0, 64);
    if (await isThrottled(services, request)) {
      return send(reply, portalLoginPage({ base: baseOf(d), directoryName: d.name, csrf: csrfToken(request, reply, secure), userName, error: THROTTLED_MESSAGE }), 429);
    }
    const outcome = await submitPortalPassword(services, db, flow, d, { userName, password: String(body.password ?? '').slice(0, 256), sourceIp: request.ip });
    const csrf = csrfToken(request, reply, secure);
    return stepsOf(d).follow(request, reply, flow, outcome, (message) => portalLoginPage({ base: baseOf(d), directoryName: d.name, csrf, userName, error: message }));
  });

  app.get('/:dir/mfa', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (!flows.current(request, 'mfa', inDirectory(d))) return reply.redirect(`${baseOf(d)}/login`, 303);
    return send(reply, portalMfaPage({ base: baseOf(d), csrf: csrfToken(request, reply, secure) }));
  });

  app.post('/:dir/mfa', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (await passwordSignInOff(reply, d)) return reply;
    if (!isCsrfValid(request, services.config.publicUrl)) return csrfFailed(reply);
    const flow = await flows.live(request, 'mfa', inDirectory(d));
    if (!flow) return reply.redirect(`${baseOf(d)}/login`, 303);
    const outcome = await submitPortalMfaCode(services, db, flow, d, { code: String((request.body as Query).code ?? '').slice(0, 16), sourceIp: request.ip });
    const csrf = csrfToken(request, reply, secure);
    return stepsOf(d).follow(request, reply, flow, outcome, (message) => portalMfaPage({ base: baseOf(d), csrf, error: message }));
  });

  async function bindPage(reply: FastifyReply, d: Directory, flow: LoginFlow, csrf: string, error?: string): Promise<string> {
    return portalMfaBindPage({ base: baseOf(d), csrf, ...(await stepsOf(d).mfaBinding(reply, flow, { issuer: 'Gatehouse CloudSSO', accountName: `${flow.login_name ?? 'user'}@${d.name}` })), error });
  }

  app.get('/:dir/mfa-bind', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    const flow = flows.current(request, 'mfa-bind', inDirectory(d));
    if (!flow) return reply.redirect(`${baseOf(d)}/login`, 303);
    return send(reply, await bindPage(reply, d, flow, csrfToken(request, reply, secure)));
  });

  app.post('/:dir/mfa-bind', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (await passwordSignInOff(reply, d)) return reply;
    if (!isCsrfValid(request, services.config.publicUrl)) return csrfFailed(reply);
    const flow = await flows.live(request, 'mfa-bind', inDirectory(d));
    if (!flow) return reply.redirect(`${baseOf(d)}/login`, 303);
    const body = request.body as Query;
    const outcome = await submitPortalMfaBinding(services, db, flow, d, {
      code1: String(body.code1 ?? '').slice(0, 16),
      code2: String(body.code2 ?? '').slice(0, 16),
      sourceIp: request.ip,
    });
    const csrf = csrfToken(request, reply, secure);
    return stepsOf(d).follow(request, reply, flow, outcome, (message) => bindPage(reply, d, flow, csrf, message));
  });

  app.get('/:dir/password-change', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (!flows.current(request, 'password-change', inDirectory(d))) return reply.redirect(`${baseOf(d)}/login`, 303);
    return send(reply, portalPasswordChangePage({ base: baseOf(d), csrf: csrfToken(request, reply, secure), rules: portalPasswordRules(d) }));
  });

  app.post('/:dir/password-change', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (await passwordSignInOff(reply, d)) return reply;
    if (!isCsrfValid(request, services.config.publicUrl)) return csrfFailed(reply);
    const flow = await flows.live(request, 'password-change', inDirectory(d));
    if (!flow) return reply.redirect(`${baseOf(d)}/login`, 303);
    const body = request.body as Query;
    const outcome = await submitPortalPasswordChange(services, db, flow, d, {
      newPassword: String(body.newPassword ?? '').slice(0, 256),
      confirmPassword: String(body.confirmPassword ?? '').slice(0, 256),
      sourceIp: request.ip,
    });
    const csrf = csrfToken(request, reply, secure);
    return stepsOf(d).follow(request, reply, flow, outcome, (message) => portalPasswordChangePage({ base: baseOf(d), csrf, rules: portalPasswordRules(d), error: message }));
  });

  /** Pages that need a portal session; without one, back to the Login URL. */
  async function requireUser(request: DirRequest, reply: FastifyReply): Promise<{ d: Directory; who: { session: PortalSession; user: SsoUser }; csrf: string } | null> {
    const d = await directory(request, reply);
    if (!d) return null;
    const who = await signedIn(request, d);
    if (!who) {
      await reply.redirect(`${baseOf(d)}/login`, 303);
      return null;
    }
    return { d, who, csrf: csrfToken(request, reply, secure) };
  }

  app.get('/:dir/portal', async (request: DirRequest, reply) => {
    const ctx = await requireUser(request, reply);
    if (!ctx) return reply;
    const { d, who, csrf } = ctx;
    if (request.query.tab === 'user') {
      const accounts = await ramUserAccountsForUser(db, d.id, who.user.id);
      return send(reply, ramUserAccountsPage({ base: baseOf(d), csrf, userName: who.user.user_name, accounts }));
    }
    const query = String(request.query.q ?? '').slice(0, 64);
    const pageNumber = Math.max(1, Math.min(100_000, Number.parseInt(request.query.page ?? '1', 10) || 1));
    const result = await roleAccountsForUser(db, { directoryId: d.id, userId: who.user.id, query }, { offset: (pageNumber - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    return send(
      reply,
      roleAccountsPage({
        base: baseOf(d),
        csrf,
        userName: who.user.user_name,
        accounts: result.items,
        total: result.total,
        query,
        page: pageNumber,
        pageSize: PAGE_SIZE,
        allowCredentials: d.allow_user_to_get_credentials === 1,
      }),
    );
  });

  app.get('/:dir/logon', async (request: DirRequest, reply) => {
    const ctx = await requireUser(request, reply);
    if (!ctx) return reply;
    const { d, who, csrf } = ctx;
    const accountId = String(request.query.accountId ?? '');
    if (request.query.provisionUser === 'true') return send(reply, logonDialogPage({ base: baseOf(d), csrf, accountId }));
    const configuration = (await configurationsOnAccount(db, d.id, who.user.id, accountId)).find((c) => c.id === request.query.accessConfigurationId);
    if (!configuration) return send(reply, portalMessagePage('Cannot sign in', 'You do not have this permission on the account.', `${baseOf(d)}/portal`), 403);
    return send(reply, logonDialogPage({ base: baseOf(d), csrf, accountId, configuration }));
  });

  app.post('/:dir/logon', async (request: DirRequest, reply) => {
    const ctx = await requireUser(request, reply);
    if (!ctx) return reply;
    const { d, who, csrf } = ctx;
    if (!isCsrfValid(request, services.config.publicUrl)) return csrfFailed(reply);
    const body = request.body as Query;
    const accountId = String(body.accountId ?? '');
    const callback = String(body.callbackUrl ?? '').trim();
    const landing = callback ? returnAddress(callback, landingRule(request)) : null;
    if (callback && !landing) {
      const configuration = (await configurationsOnAccount(db, d.id, who.user.id, accountId)).find((c) => c.id === body.accessConfigurationId);
      return send(
        reply,
        logonDialogPage({ base: baseOf(d), csrf, accountId, configuration, error: 'The Callback URL must be a console page on aliyun.com, alibabacloud.com or this console.' }),
        400,
      );
    }
    const intentUser = body.provisionUser === 'true';
    const outcome = intentUser
      ? await signInAsRamUser(db, { directoryId: d.id, user: who.user, accountId, portalSession: who.session, now: now() })
      : await signInAsRole(db, services.secrets, {
          directoryId: d.id,
          user: who.user,
          accountId,
          configurationId: String(body.accessConfigurationId ?? ''),
          portalSession: who.session,
          now: now(),
        });
    return outcome.ok ? land(request, reply, outcome, landing) : refusedSignIn(reply, d, outcome);
  });

  app.get('/:dir/link', async (request: DirRequest, reply) => {
    const ctx = await requireUser(request, reply);
    if (!ctx) return reply;
    const { d, who } = ctx;
    const accountId = String(request.query.accountId ?? '');
    const loginUrl = `${portalLoginUrl(services.config, d.name)}/login`;
    const here = `${baseOf(d)}/link?${new URLSearchParams({ ...(request.query as Record<string, string>), generate: 'true' })}`;
    if (request.query.provisionUser === 'true') {
      const link = `${loginUrl}?quickLogin=true&provisionUser=true&accountId=${encodeURIComponent(accountId)}`;
      return send(reply, directLinkPage({ base: baseOf(d), accountId, link: request.query.generate === 'true' ? link : undefined, generateUrl: here }));
    }
    const configuration = (await configurationsOnAccount(db, d.id, who.user.id, accountId)).find((c) => c.id === request.query.accessConfigurationId);
    if (!configuration) return send(reply, portalMessagePage('No such permission', 'You do not have this permission on the account.', `${baseOf(d)}/portal`), 403);
    const link = `${loginUrl}?quickLogin=true&accountId=${encodeURIComponent(accountId)}&accessConfigurationName=${encodeURIComponent(configuration.name)}`;
    return send(reply, directLinkPage({ base: baseOf(d), accountId, link, generateUrl: here, configurationName: configuration.name }));
  });

  app.get('/:dir/credentials', async (request: DirRequest, reply) => {
    const ctx = await requireUser(request, reply);
    if (!ctx) return reply;
    const { d, who } = ctx;
    if (d.allow_user_to_get_credentials !== 1) {
      return send(reply, portalMessagePage('Not allowed', 'Your administrator does not allow users to get credentials.', `${baseOf(d)}/portal`), 403);
    }
    const accountId = String(request.query.accountId ?? '');
    const result = await cliCredentials(db, services.secrets, { directoryId: d.id, user: who.user, accountId, configurationId: String(request.query.accessConfigurationId ?? ''), now: now() });
    if (!result.ok) return refusedSignIn(reply, d, result);
    const name = result.roleName.replace(/^AliyunReservedSSO-/, '');
    return send(
      reply,
      credentialsPage({
        base: baseOf(d),
        accountId,
        configurationName: name,
        credentials: result.credentials,
        region: services.config.region,
        endpoint: services.config.publicUrl,
      }),
    );
  });

  app.post('/:dir/logout', async (request: DirRequest, reply) => {
    const d = await directory(request, reply);
    if (!d) return reply;
    if (!isCsrfValid(request, services.config.publicUrl)) return csrfFailed(reply);
    const token = request.cookies[PORTAL_COOKIE];
    if (token) await endPortalSession(db, token);
    reply.clearCookie(PORTAL_COOKIE, { path: cookiePath(d) });
    return reply.redirect(`${baseOf(d)}/login`, 303);
  });
};

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { endFlow, newFlow, updateFlow, type FlowStep, type LoginFlow } from '../../signin/flow.js';
import {
  identify,
  isBindingRequired,
  isPasskeyOffered,
  MESSAGES,
  passwordRules,
  skipMfaBinding,
  submitMfaBinding,
  submitPasskey,
  submitMfaCode,
  submitPassword,
  submitPasswordChange,
} from '../../signin/ram-user.js';
import { accountOfDomain } from '../../signin/logon-name.js';
import { passkeyLogonOptions } from '../../signin/strategies/passkey.js';
import { SESSION_COOKIE, cookieOptions } from '../cookies.js';
import { csrfToken, isCsrfValid } from '../csrf.js';
import { flowCookie } from './flow-cookie.js';
import { signinSteps, type SigninAudience } from './follow.js';
import { CONSOLE_DOMAINS, returnAddress } from '../../redirects/return-address.js';
import type { WebContext } from '../context.js';
import { relyingParty } from '../webauthn-party.js';
import { isThrottled, THROTTLED_MESSAGE } from '../logon-throttle.js';
import { identifyPage, messagePage, mfaBindPage, mfaPage, passwordChangePage, passwordPage } from './pages.js';

const STEP_PATHS: Record<FlowStep, string> = {
  identify: '/login.htm',
  password: '/login/password',
  mfa: '/login/mfa',
  'mfa-bind': '/login/mfa-bind',
  'password-change': '/login/password-change',
  done: '/console',
};

type Form = Record<string, string | undefined>;

/** The RAM user logon pages of seed 002: general, dedicated `/<domain>/login.htm`, prefilled `?username=`. */
export const ramUserSignin: FastifyPluginAsync<{ context: WebContext }> = async (app, { context: web }) => {
  const { services, secure } = web;
  const db = services.store.db;
  const now = (): Date => services.clock.now();
  const html = (reply: FastifyReply, body: string, status = 200): FastifyReply => reply.status(status).type('text/html').send(body);

  const flows = flowCookie(web, 'gh_flow', 'ram-user');

  const restart = (reply: FastifyReply): FastifyReply => reply.redirect('/login.htm', 303);

  const audience: SigninAudience = {
    flows,
    cookiePath: '/',
    stepPath: (step) => STEP_PATHS[step],
    startPath: '/login.htm',
    refusedPage: (_request, _reply, message) => messagePage('Logon refused', message),
    openSession(reply, done) {
      reply.setCookie(SESSION_COOKIE, done.token, cookieOptions(secure));
      return done.redirect;
    },
  };
  const steps = signinSteps(web, audience);

  async function startFlow(request: FastifyRequest, reply: FastifyReply, fixedDomain: string | null): Promise<FastifyReply> {
    const query = request.query as Form;
    const returnTo = returnAddress(query.returnTo ?? query.redirect, { selfOrigin: services.config.publicUrl, allowedDomains: CONSOLE_DOMAINS });
    // The flow starts here only when it has something to carry (the dedicated page's domain, a return address);
    // otherwise the name step starts it, and an earlier one's cookie is dropped so it cannot lend its domain.
    if (fixedDomain || returnTo) flows.keep(reply, newFlow({ kind: 'ram-user', fixedDomain, returnTo, now: now() }));
    else if (request.cookies[flows.name]) flows.clear(reply);
    const username = String(query.username ?? '').slice(0, 200);
    const prefill = fixedDomain && username.toLowerCase().endsWith(`@${fixedDomain}`) ? username.slice(0, -fixedDomain.length - 1) : username;
    return html(reply, identifyPage({ csrf: csrfToken(request, reply, secure), fixedDomain, username: prefill }));
  }

  function csrfOk(request: FastifyRequest, reply: FastifyReply): boolean {
    if (isCsrfValid(request, services.config.publicUrl)) return true;
    html(reply, messagePage('Form expired', 'Your form expired or came from another site. Start the logon again.'), 403);
    return false;
  }

  app.get('/login.htm', async (request, reply) => startFlow(request, reply, null));

  app.get<{ Params: { domain: string } }>('/:domain/login.htm', async (request, reply) => {
    const domain = request.params.domain.toLowerCase();
    if (!/^[a-z0-9.-]{3,128}$/.test(domain) || !(await accountOfDomain(db, domain))) {
      return html(reply, messagePage('Unknown logon address', 'There is no RAM user logon page at this address. Check the link with your administrator.'), 404);
    }
    return startFlow(request, reply, domain);
  });

  // The steps, under /login.
  await app.register(
    async (login) => {
    login.get('/restart', async (_request, reply) => restart(reply));

    login.post('/identify', async (request, reply) => {
      if (!csrfOk(request, reply)) return reply;
      const flow = flows.current(request, 'identify') ?? newFlow({ kind: 'ram-user', now: now() });
      const typed = String((request.body as Form).username ?? '').slice(0, 200);
      const csrf = csrfToken(request, reply, secure);
      return steps.follow(request, reply, flow, identify(flow, typed), (message) => identifyPage({ csrf, fixedDomain: flow.fixed_domain, username: typed, error: message }));
    });

    async function passwordPageFor(flow: LoginFlow, csrf: string, error?: string): Promise<string> {
      const passkeyAllowed = await isPasskeyOffered(db, flow);
      return passwordPage({ csrf, loginName: flow.login_name ?? '', passkeyAllowed, error });
    }

    login.get('/password', async (request, reply) => {
      const flow = flows.current(request, 'password');
      if (!flow) return restart(reply);
      return html(reply, await passwordPageFor(flow, csrfToken(request, reply, secure)));
    });

    login.post('/password', async (request, reply) => {
      if (!csrfOk(request, reply)) return reply;
      const flow = flows.current(request, 'password');
      if (!flow) return restart(reply);
      if (await isThrottled(services, request)) {
        return html(reply, await passwordPageFor(flow, csrfToken(request, reply, secure), THROTTLED_MESSAGE), 429);
      }
      const password = String((request.body as Form).password ?? '').slice(0, 256);
      const outcome = await submitPassword(services, db, flow, password, request.ip);
      const page = outcome.kind === 'retry' ? await passwordPageFor(flow, csrfToken(request, reply, secure), outcome.message) : '';
      return steps.follow(request, reply, flow, outcome, () => page);
    });

    login.get('/mfa', async (request, reply) => {
      const flow = flows.current(request, 'mfa');
      if (!flow) return restart(reply);
      return html(reply, mfaPage({ csrf: csrfToken(request, reply, secure) }));
    });

    login.post('/mfa', async (request, reply) => {
      if (!csrfOk(request, reply)) return reply;
      const flow = await flows.live(request, 'mfa');
      if (!flow) return restart(reply);
      const code = String((request.body as Form).code ?? '').slice(0, 16);
      const csrf = csrfToken(request, reply, secure);
      return steps.follow(request, reply, flow, await submitMfaCode(services, db, flow, code, request.ip), (message) => mfaPage({ csrf, error: message }));
    });

    async function bindPage(reply: FastifyReply, flow: LoginFlow, csrf: string, error?: string): Promise<string> {
      const binding = await steps.mfaBinding(reply, flow, { issuer: 'Gatehouse', accountName: flow.login_name ?? 'RAM user' });
      const required = await isBindingRequired(db, flow);
      return mfaBindPage({
        csrf,
        ...binding,
        title: 'Bind an MFA device',
        intro: `${required ? 'Your administrator requires an MFA device for logon.' : 'Protect your account with an MFA device (optional).'}
  Scan the QR code with an authenticator app, or enter the secret key by hand, then enter two consecutive codes.`,
        action: '/login/mfa-bind',
        skipAction: required ? undefined : '/login/mfa-bind/skip',
        error,
      });
    }

    login.get('/mfa-bind', async (request, reply) => {
      const flow = flows.current(request, 'mfa-bind');
      if (!flow) return restart(reply);
      return html(reply, await bindPage(reply, flow, csrfToken(request, reply, secure)));
    });

    login.post('/mfa-bind', async (request, reply) => {
      if (!csrfOk(request, reply)) return reply;
      const flow = await flows.live(request, 'mfa-bind');
      if (!flow) return restart(reply);
      const body = request.body as Form;
      const outcome = await submitMfaBinding(services, db, flow, {
        code1: String(body.code1 ?? '').slice(0, 16),
        code2: String(body.code2 ?? '').slice(0, 16),
        sourceIp: request.ip,
      });
      const page = outcome.kind === 'retry' ? await bindPage(reply, flow, csrfToken(request, reply, secure), outcome.message) : '';
      return steps.follow(request, reply, flow, outcome, () => page);
    });

    login.post('/mfa-bind/skip', async (request, reply) => {
      if (!csrfOk(request, reply)) return reply;
      const flow = flows.current(request, 'mfa-bind');
      if (!flow) return restart(reply);
      const outcome = await skipMfaBinding(services, db, flow, request.ip);
      const page = outcome.kind === 'retry' ? await bindPage(reply, flow, csrfToken(request, reply, secure), outcome.message) : '';
      return steps.follow(request, reply, flow, outcome, () => page);
    });

    login.get('/password-change', async (request, reply) => {
      const flow = flows.current(request, 'password-change');
      if (!flow) return restart(reply);
      const rules = await passwordRules(db, flow);
      return html(reply, passwordChangePage({ csrf: csrfToken(request, reply, secure), action: '/login/password-change', rules }));
    });

    login.post('/password-change', async (request, reply) => {
      if (!csrfOk(request, reply)) return reply;
      const flow = await flows.live(request, 'password-change');
      if (!flow) return restart(reply);
      const body = request.body as Form;
      const outcome = await submitPasswordChange(services, db, flow, {
        newPassword: String(body.newPassword ?? '').slice(0, 256),
        confirmPassword: String(body.confirmPassword ?? '').slice(0, 256),
        sourceIp: request.ip,
      });
      const rules = await passwordRules(db, flow);
      const csrf = csrfToken(request, reply, secure);
      return steps.follow(request, reply, flow, outcome, (message) =>
        passwordChangePage({ csrf, action: '/login/password-change', rules, error: message }),
      );
    });

    // Passkey logon: JSON endpoints driven by /static/passkey-logon.js. Same CSRF pair as the forms.
    login.post('/passkey/options', async (request, reply) => {
      if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).send({ message: 'Your page expired. Reload it.' });
      const flow = flows.current(request, 'password');
      const party = relyingParty(request, services.config.publicUrl);
      if (!flow || !party) return reply.status(400).send({ message: MESSAGES.startAgain });
      if (!(await isPasskeyOffered(db, flow))) {
        return reply.status(403).send({ message: MESSAGES.passkeyDisabled });
      }
      const options = await passkeyLogonOptions(party);
      flows.keep(reply, updateFlow(flow, { challenge: options.challenge }));
      return reply.send(options);
    });

    login.post('/passkey/verify', async (request, reply) => {
      if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).send({ message: 'Your page expired. Reload it.' });
      const flow = flows.current(request, 'password');
      const party = relyingParty(request, services.config.publicUrl);
      if (!flow || !party || !flow.challenge) return reply.status(400).send({ message: MESSAGES.startAgain });
      // Refused before anything is verified or recorded: turned off after the options were given, a passkey's use
      // (counter, last used) must not move for a logon that cannot happen.
      if (!(await isPasskeyOffered(db, flow))) return reply.status(403).send({ message: MESSAGES.passkeyDisabled });
      const response = (request.body as { response?: AuthenticationResponseJSON }).response;
      const outcome = await submitPasskey(services, db, flow, { response, party, sourceIp: request.ip });
      if (outcome.kind === 'done') {
        flows.clear(reply);
        reply.setCookie(SESSION_COOKIE, outcome.token, cookieOptions(secure));
        return reply.send({ redirect: outcome.redirect });
      }
      if (outcome.kind === 'next') {
        // A password that must be changed first: the page the password path would go to.
        flows.keep(reply, outcome.flow);
        return reply.send({ redirect: STEP_PATHS[outcome.flow.step] });
      }
      if (outcome.kind === 'refused') await endFlow(db, flow);
      if (outcome.kind === 'refused' || outcome.kind === 'restart') flows.clear(reply);
      if (outcome.kind === 'restart') return reply.status(400).send({ message: MESSAGES.startAgain });
      return reply.status(outcome.kind === 'refused' ? 403 : 400).send({ message: outcome.message });
    });
    },
    { prefix: '/login' },
  );
};

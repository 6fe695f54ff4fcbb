import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../ram/authorization.js';
import { sessionPrincipal } from '../sessions/principal.js';
import type { Principal } from '../ram/principal.js';
import type { RequestContext } from '../policy/evaluate.js';
import type { ConsoleSession } from '../sessions/sessions.js';
import { sendPage } from './console-chrome.js';
import { CSRF_FIELD, csrfToken, isCsrfValid } from './csrf.js';
import { html, type Raw } from './html.js';
import type { WebContext } from './context.js';

// Who is using a console and what they may do: the same RAM actions and resource ARNs as the API, decided by the
// same policy engine, so a console never grants more than the SDK would. Shared by the RAM and CloudSSO consoles.

export interface Administrator {
  session: ConsoleSession;
  principal: Principal;
  /** Display name for the header: `root` or the RAM user's name. */
  name: string;
  csrf: string;
  context: RequestContext;
}

/** The signed-in administrator (root, RAM user or RAM role session), or null after redirecting to the logon page. */
export async function administrator(web: WebContext, request: FastifyRequest, reply: FastifyReply): Promise<Administrator | null> {
  const session = await web.currentSession(request);
  if (!session) {
    await reply.redirect('/login.htm', 303);
    return null;
  }
  const principal = await sessionPrincipal(web.services.store.db, web.services.secrets, session, web.services.clock.now());
  if (!principal) {
    await reply.redirect('/login.htm', 303);
    return null;
  }
  const name = principal.kind === 'root' ? 'root' : principal.kind === 'user' ? principal.userName : `${principal.roleName}/${principal.sessionName}`;
  return {
    session,
    principal,
    name,
    csrf: csrfToken(request, reply, web.secure),
    context: {
      'acs:SourceIp': request.ip,
      'acs:CurrentTime': web.services.clock.now().toISOString(),
      'acs:SecureTransport': String(request.protocol === 'https'),
      'acs:MFAPresent': session.mfa_present === 1 ? 'true' : 'false',
      'acs:PrincipalARN': principal.arn,
      'acs:RequestedRegion': web.services.config.region,
    },
  };
}

export type Check = { allowed: true } | { allowed: false; action: string; resource: string };

export async function check(web: WebContext, admin: Administrator, action: string, resource: string): Promise<Check> {
  const decision = await authorize(web.services.store.db, admin.principal, { action, resources: [resource], context: admin.context });
  return decision.allowed ? { allowed: true } : { allowed: false, action, resource: decision.resource };
}

export async function isAllowed(web: WebContext, admin: Administrator, action: string, resource: string): Promise<boolean> {
  return (await check(web, admin, action, resource)).allowed;
}

export function denialMessage(denied: { action: string; resource: string }): string {
  return `You are not authorized to do this action. Action: ${denied.action}, Resource: ${denied.resource}`;
}

/** For POSTs: a missing or wrong CSRF token is 403 and nothing happens. */
export async function csrfOk(web: WebContext, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (isCsrfValid(request, web.services.config.publicUrl)) return true;
  await sendPage(reply, 403, 'Form expired', html`<h1>Form expired</h1><p class="error" role="alert">Your form expired. Reload the page and try again.</p>`);
  return false;
}

export function csrfField(admin: Administrator): Raw {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${admin.csrf}">`;
}

export type Form = Record<string, string | undefined>;

export function formOf(request: FastifyRequest): Form {
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const out: Form = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    out[key] = Array.isArray(value) ? String(value[value.length - 1] ?? '') : typeof value === 'string' ? value : undefined;
  }
  return out;
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { endFlow, pendingTotpSecret, type FlowStep, type LoginFlow } from '../../signin/flow.js';
import type { StepOutcome } from '../../signin/step-outcome.js';
import { otpauthUri } from '../../ram/totp.js';
import type { WebContext } from '../context.js';
import type { FlowCookie } from './flow-cookie.js';

// The web side of a sign-in flow, once for every audience (RAM user, CloudSSO portal user, root): a step's outcome
// becomes the next page or redirect, and the MFA binding step's seed becomes a QR code. What differs between the
// audiences is this adapter: where their pages are, where their flow cookie lives, how a refusal reads, and where the
// session goes.

export interface SigninAudience {
  flows: FlowCookie;
  /** The path the flow cookie is set on. */
  cookiePath: string;
  /** Where a flow at this step is answered. */
  stepPath(step: FlowStep): string;
  /** Where the sign-in starts (again). */
  startPath: string;
  /** The page that tells a refusal. */
  refusedPage(request: FastifyRequest, reply: FastifyReply, message: string): string;
  /** Sets the session's cookie and tells where the browser goes now. */
  openSession(reply: FastifyReply, done: Extract<StepOutcome, { kind: 'done' }>): string;
}

const sendPage = (reply: FastifyReply, body: string, status: number): FastifyReply => reply.status(status).type('text/html').send(body);

export interface SigninSteps {
  /**
   * Answers a step's outcome. `flow` is the flow the step was given (null when the step made it): a refusal ends it
   * on the server too, so sending its cookie again cannot retry a refused sign-in.
   */
  follow(
    request: FastifyRequest,
    reply: FastifyReply,
    flow: LoginFlow | null,
    outcome: StepOutcome,
    retry: (message: string) => string | Promise<string>,
    options?: { retryStatus?: number },
  ): Promise<FastifyReply>;
  /**
   * The seed of a flow's MFA binding step and its QR code, labelled for the authenticator app; the flow's cookie is
   * renewed when the seed is new.
   */
  mfaBinding(reply: FastifyReply, flow: LoginFlow, label: { issuer: string; accountName: string }): Promise<{ secret: string; qrDataUrl: string }>;
}

export function signinSteps(web: WebContext, audience: SigninAudience): SigninSteps {
  const { flows, cookiePath } = audience;
  return {
    async follow(request, reply, flow, outcome, retry, options = {}) {
      /** Drops the flow's cookie, when the browser has one. */
      const dropFlow = (): void => {
        if (request.cookies[flows.name] !== undefined) flows.clear(reply, cookiePath);
      };
      switch (outcome.kind) {
        case 'next':
          flows.keep(reply, outcome.flow, cookiePath);
          return reply.redirect(audience.stepPath(outcome.flow.step), 303);
        case 'retry':
          return sendPage(reply, await retry(outcome.message), options.retryStatus ?? 400);
        case 'refused':
          if (flow) await endFlow(web.services.store.db, flow);
          dropFlow();
          return sendPage(reply, audience.refusedPage(request, reply, outcome.message), 403);
        case 'restart':
          dropFlow();
          return reply.redirect(audience.startPath, 303);
        case 'done':
          dropFlow();
          return reply.redirect(audience.openSession(reply, outcome), 303);
      }
    },

    async mfaBinding(reply, flow, label) {
      const pending = pendingTotpSecret(web.services.secrets, flow);
      if (pending.flow !== flow) flows.keep(reply, pending.flow, cookiePath);
      const uri = otpauthUri({ secret: pending.secret, ...label });
      return { secret: pending.secret, qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 200 }) };
    },
  };
}

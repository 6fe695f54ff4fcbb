import type { FastifyReply, FastifyRequest } from 'fastify';
import { FLOW_LIFETIME_SECONDS, hasEnded, openFlow, sealFlow, type FlowStep, type LoginFlow } from '../../signin/flow.js';
import { cookieOptions } from '../cookies.js';
import type { WebContext } from '../context.js';

/** The cookie a sign-in flow travels in between steps: one kind of flow under one name (the portal's on its directory's path). */
export interface FlowCookie {
  readonly name: string;
  /** The flow the request carries at `step`; null when there is none, it is another kind, tampered with or expired, or `belongs` refuses it. */
  current(request: FastifyRequest, step: FlowStep, belongs?: (flow: LoginFlow) => boolean): LoginFlow | null;
  /** The same, for steps with effects of their own (a code used up, a device bound, a password changed): never a flow that ended. */
  live(request: FastifyRequest, step: FlowStep, belongs?: (flow: LoginFlow) => boolean): Promise<LoginFlow | null>;
  keep(reply: FastifyReply, flow: LoginFlow, path?: string): void;
  clear(reply: FastifyReply, path?: string): void;
}

export function flowCookie(web: WebContext, name: string, kind: LoginFlow['kind']): FlowCookie {
  const { services, secure } = web;
  const current: FlowCookie['current'] = (request, step, belongs) => {
    const flow = openFlow(services.flowSealer, request.cookies[name], services.clock.now());
    return flow && flow.kind === kind && flow.step === step && (!belongs || belongs(flow)) ? flow : null;
  };
  return {
    name,
    current,
    async live(request, step, belongs) {
      const flow = current(request, step, belongs);
      return flow && !(await hasEnded(services.store.db, flow)) ? flow : null;
    },
    keep(reply, flow, path = '/') {
      reply.setCookie(name, sealFlow(services.flowSealer, flow), { ...cookieOptions(secure, FLOW_LIFETIME_SECONDS), path });
    },
    clear(reply, path = '/') {
      reply.clearCookie(name, { path });
    },
  };
}

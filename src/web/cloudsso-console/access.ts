import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ActionContext, ActionDefinition } from '../../openapi/define-action.js';
import { actionRegistry } from '../../openapi/actions.js';
import { ActionDenied, decideAction, invokeAction } from '../../openapi/invoke.js';
import { ApiError } from '../../errors.js';
import { newRequestId } from '../../ids.js';
import type { RawParams } from '../../openapi/params.js';
import { withStoredNames } from '../../openapi/stored-names.js';
import { findDirectoryOf, type Directory } from '../../cloudsso/directories.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { cloudssoConsoleFrame, sendPage } from '../console-chrome.js';
import { administrator, csrfOk, type Administrator } from '../console-access.js';

// The CloudSSO console is a client of the CloudSSO actions themselves: each read and each change goes through
// invokeAction, as an API call does (the action's own parameter rules, policy check with the same `cloudsso:<Action>`
// and ARN, and handler), so the console can never allow or accept what the API would refuse.

let registry: Map<string, ActionDefinition> | undefined;

function definition(name: string): ActionDefinition {
  registry ??= actionRegistry();
  const action = registry.get(`cloudsso:${name}`);
  if (!action?.ramAction || !action.resource) throw new Error(`no CloudSSO action ${name}`);
  return action;
}

function contextOf(web: WebContext, admin: Administrator, raw: RawParams): ActionContext {
  return {
    tx: web.services.store.db,
    clock: web.services.clock,
    caller: admin.principal,
    accountId: admin.principal.accountId,
    region: web.services.config.region,
    requestId: newRequestId(),
    sourceIp: admin.context['acs:SourceIp'] as string,
    secureTransport: admin.context['acs:SecureTransport'] === 'true',
    services: web.services,
    raw,
    requestContext: admin.context,
  };
}

const clean = (raw: Record<string, string | number | boolean | undefined>): RawParams =>
  Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));

/**
 * Runs a CloudSSO action as the administrator. Throws ApiError (bad input, conflicts) or ActionDenied, which the
 * handlers render as the 403 page rather than as a form's message.
 */
export async function run(web: WebContext, admin: Administrator, name: string, input: Record<string, string | number | boolean | undefined>): Promise<any> {
  return invokeAction(definition(name), contextOf(web, admin, clean(input)));
}

/** Whether the administrator may run the action on the resource these parameters name (to show or hide a control). */
export async function can(web: WebContext, admin: Administrator, name: string, input: Record<string, string>): Promise<boolean> {
  const action = definition(name);
  const context = contextOf(web, admin, input);
  return (await decideAction(action, await withStoredNames(action.params, input, context), context)).allowed;
}

/**
 * Throws ActionDenied unless the administrator may run the action on what these parameters name: for a console
 * change that no API action makes (rotating the SP certificate), authorized as the action that governs it.
 */
export async function authorizeAs(web: WebContext, admin: Administrator, name: string, input: Record<string, string>): Promise<void> {
  const action = definition(name);
  const context = contextOf(web, admin, input);
  const decision = await decideAction(action, await withStoredNames(action.params, input, context), context);
  if (!decision.allowed) throw new ActionDenied(admin.principal, action.ramAction!, decision.resource, decision.effect, decision.policyType);
}

/** The management account's directory (the actions decide whether the administrator may see it). */
export function directoryOf(web: WebContext, admin: Administrator): Promise<Directory | undefined> {
  return findDirectoryOf(web.services.store.db, admin.principal.accountId);
}

export function errorBox(error: string | undefined): Raw {
  return error ? html`<p class="error" role="alert">${error}</p>` : html``;
}

export function show(reply: FastifyReply, admin: Administrator, title: string, body: Raw, status = 200, head?: Raw): Promise<FastifyReply> {
  return sendPage(reply, status, title, cloudssoConsoleFrame(body), admin, head);
}

function failure(error: unknown): { status: number; title: string; message: string } {
  if (error instanceof ActionDenied) return { status: 403, title: 'Not authorized', message: error.message };
  if (error instanceof ApiError) return { status: error.status, title: error.status === 404 ? 'Not found' : 'Error', message: error.message };
  throw error;
}

/** A page or form answer: signed-in check (and CSRF for POSTs); ActionDenied → 403, other API errors → their status. */
export function handler(
  web: WebContext,
  body: (admin: Administrator, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | void>,
  options: { post?: boolean } = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    if (options.post && !(await csrfOk(web, request, reply))) return reply;
    const admin = await administrator(web, request, reply);
    if (!admin) return reply;
    try {
      await body(admin, request, reply);
      return reply;
    } catch (error) {
      const f = failure(error);
      return show(reply, admin, f.title, html`<h1>${f.title}</h1><p class="error" role="alert">${f.message}</p><p><a href="/cloudsso">Back to CloudSSO</a></p>`, f.status);
    }
  };
}

/** A page or form of the directory: handler() once the directory exists, with its id. */
export function directoryHandler(
  web: WebContext,
  body: (admin: Administrator, dir: string, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | void>,
  options: { post?: boolean } = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return handler(
    web,
    async (admin, request, reply) => {
      const directory = await requireDirectory(web, admin, reply);
      if (!directory) return;
      return body(admin, directory.id, request, reply);
    },
    options,
  );
}

/** Runs a change; an ApiError comes back as a message for the form (a denial still becomes the 403 page). */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ApiError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (error instanceof ApiError && !(error instanceof ActionDenied)) return { ok: false, error };
    throw error;
  }
}

/** The directory or a page asking to create it first. */
export async function requireDirectory(web: WebContext, admin: Administrator, reply: FastifyReply): Promise<Directory | null> {
  const directory = await directoryOf(web, admin);
  if (directory) return directory;
  await show(reply, admin, 'No directory', html`<h1>No directory</h1><p>There is no CloudSSO directory yet. <a href="/cloudsso">Create it on the Overview page</a>.</p>`, 404);
  return null;
}

export const query = (request: FastifyRequest): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((request.query as Record<string, unknown>) ?? {})) out[k] = typeof v === 'string' ? v : undefined;
  return out;
};

export const params = (request: FastifyRequest): Record<string, string> => request.params as Record<string, string>;

/** Repeated form fields (checkboxes) as a list. */
export function many(request: FastifyRequest, name: string): string[] {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function check(id: string, name: string, value: string, label: string, checked = false, required = false): Raw {
  return html`<div><input type="checkbox" id="${id}" name="${name}" value="${value}"${checked ? html` checked` : ''}${required ? html` required` : ''}> <label for="${id}" style="display:inline;font-weight:normal">${label}</label></div>`;
}

export function radio(id: string, name: string, value: string, label: string, checked: boolean): Raw {
  return html`<div><input type="radio" id="${id}" name="${name}" value="${value}"${checked ? html` checked` : ''}> <label for="${id}" style="display:inline;font-weight:normal">${label}</label></div>`;
}

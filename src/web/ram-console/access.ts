import type { FastifyReply } from 'fastify';
import { ramConsoleFrame, sendPage } from '../console-chrome.js';
import { check, denialMessage, type Administrator } from '../console-access.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';

// The RAM console's own page helpers; who the administrator is and what they may do is in ../console-access.ts.

export const accountResource = (accountId: string): string => `acs:ram:*:${accountId}:*`;

/** Checks the action; when denied, answers 403 with the API's NoPermission sentence and returns false. */
export async function permit(web: WebContext, admin: Administrator, reply: FastifyReply, action: string, resource: string): Promise<boolean> {
  const decision = await check(web, admin, action, resource);
  if (decision.allowed) return true;
  await sendPage(
    reply,
    403,
    'Not authorized',
    ramConsoleFrame(html`<h1>Not authorized</h1><p class="error" role="alert">${denialMessage(decision)}</p><p><a href="/ram/users">Back to Users</a></p>`),
    admin,
  );
  return false;
}

/** Renders a full console page for the administrator. */
export function consolePage(reply: FastifyReply, admin: Administrator, title: string, body: Raw, status = 200): Promise<FastifyReply> {
  return sendPage(reply, status, title, ramConsoleFrame(body), admin);
}

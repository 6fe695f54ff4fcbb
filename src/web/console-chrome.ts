import type { FastifyReply } from 'fastify';
import { CSRF_FIELD } from './csrf.js';
import { html, page, type Raw } from './html.js';

// The frame every console page shares: the Log Out button in the header (with the signed-in name on the consoles'
// pages) and each console's navigation, which always leads back to the console home.

/** Who the header names, and the CSRF token its Log Out form carries. */
export interface Viewer {
  name: string;
  csrf: string;
}

export function logoutForm(csrf: string): Raw {
  return html`<form method="post" action="/logout" style="margin:0"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button class="secondary" style="margin:0" type="submit">Log Out</button></form>`;
}

function viewerHeader(viewer: Viewer): Raw {
  return html`<span style="display:flex;gap:12px;align-items:center"><span>${viewer.name}</span>${logoutForm(viewer.csrf)}</span>`;
}

function consoleNav(label: string, links: Raw, body: Raw): Raw {
  return html`<nav aria-label="${label}" style="margin-bottom:16px"><a href="/console">Console home</a> · ${links}</nav>${body}`;
}

/** The RAM console's navigation (Identities > Users, Settings) above the body. */
export function ramConsoleFrame(body: Raw): Raw {
  return consoleNav('RAM console', html`Identities &gt; <a href="/ram/users">Users</a> · <a href="/ram/settings">Settings</a>`, body);
}

/** The CloudSSO console's navigation above the body. */
export function cloudssoConsoleFrame(body: Raw): Raw {
  return consoleNav(
    'CloudSSO console',
    html`CloudSSO:
<a href="/cloudsso">Overview</a> · <a href="/cloudsso/users">Users</a> · <a href="/cloudsso/groups">Groups</a> ·
<a href="/cloudsso/access-configurations">Access Configurations</a> · <a href="/cloudsso/permissions">Multi-account Permissions</a> ·
<a href="/cloudsso/tasks">Tasks</a> · <a href="/cloudsso/settings">Settings</a>`,
    body,
  );
}

/** Sends a whole page; with a viewer, the header names them beside the Log Out button. */
export async function sendPage(reply: FastifyReply, status: number, title: string, body: Raw, viewer?: Viewer, head?: Raw): Promise<FastifyReply> {
  return reply.status(status).type('text/html').send(page(title, body, { ...(viewer ? { header: viewerHeader(viewer) } : {}), ...(head ? { head } : {}) }));
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, formOf, type Administrator, type Form } from '../console-access.js';
import { attempt, check, directoryHandler, errorBox, params, query, run } from './access.js';

// The pieces every list page of the CloudSSO console is made of: a table, a name filter, Next/First page links,
// and a Create form under the list that, when the API refuses it, shows the list again with the message.

/** A table with its column headings, and a sentence instead of rows when there are none. */
export function dataTable(label: string, headings: string[], rows: Raw[], empty: string): Raw {
  return html`<table aria-label="${label}"><thead><tr>${headings.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${rows}</tbody></table>${rows.length === 0 ? html`<p>${empty}</p>` : ''}`;
}

/** The "name starts with" search of a list; the list action gets it as `<Attribute> sw <filter>`. */
export function filterForm(path: string, filter: string, placeholder: string): Raw {
  return html`<form method="get" action="${path}" role="search"><label for="filter">Filter</label>
<input type="text" id="filter" name="filter" value="${filter}" placeholder="${placeholder}"><button type="submit" class="secondary">Search</button></form>`;
}

export const startsWith = (attribute: string, filter: string): string | undefined => (filter ? `${attribute} sw ${filter}` : undefined);

/** Next page (the list's NextToken) and, given the current page's token, First page; `keep` are the query parameters both links carry. */
export function pageLinks(path: string, keep: Record<string, string>, page: { next?: string; current?: string }): Raw {
  const link = (params: Record<string, string>): string => {
    const search = new URLSearchParams(params).toString();
    return search ? `${path}?${search}` : path;
  };
  return html`${page.next ? html`<p><a href="${link({ ...keep, next: page.next })}">Next page</a></p>` : ''}
${page.current ? html`<p><a href="${link(keep)}">First page</a></p>` : ''}`;
}

/** The Create form under a list: its fields, the API's refusal above them. */
export function createSection(admin: Administrator, title: string, path: string, error: string | undefined, fields: Raw): Raw {
  return html`<section aria-label="${title}"><h2>${title}</h2>${errorBox(error)}
<form method="post" action="${path}">${csrfField(admin)}
${fields}
<button type="submit">${title}</button></form></section>`;
}

export type ListQuery = Record<string, string | undefined>;
export type ListPage = (
  reply: FastifyReply,
  admin: Administrator,
  dir: string,
  q: ListQuery,
  create?: { error?: string; values?: Form },
  status?: number,
) => Promise<FastifyReply>;

/**
 * GET `path`: the list page; a filter or page link the API refuses shows the first page with the message.
 * POST `path`: the Create action with the form's values; a refusal shows the list with the message and what was typed.
 */
export function listRoutes(
  app: FastifyInstance,
  web: WebContext,
  path: string,
  listPage: ListPage,
  create: { action: string; values: (form: Form) => Record<string, string>; created: (result: any) => string },
): void {
  app.get(
    path,
    directoryHandler(web, async (admin, dir, request, reply) => {
      const result = await attempt(() => listPage(reply, admin, dir, query(request)));
      if (!result.ok) return listPage(reply, admin, dir, {}, { error: result.error.message }, result.error.status);
    }),
  );

  app.post(
    path,
    directoryHandler(
      web,
      async (admin, dir, request, reply) => {
        const values = create.values(formOf(request));
        const result = await attempt(() => run(web, admin, create.action, { DirectoryId: dir, ...values }));
        if (!result.ok) return listPage(reply, admin, dir, {}, { error: result.error.message, values }, result.error.status);
        return reply.redirect(create.created(result.value), 303);
      },
      { post: true },
    ),
  );
}

/** The Delete section at the foot of a detail page: the administrator ticks a confirmation, then deletes. */
export function deleteSection(admin: Administrator, title: string, path: string, name: string): Raw {
  return html`<section aria-label="${title}"><h2>${title}</h2>
<form method="post" action="${path}/delete">${csrfField(admin)}
${check('confirm-delete', 'confirm', 'yes', `I understand that ${name} is deleted and cannot be restored`, false, true)}
<button type="submit" class="secondary">${title}</button></form></section>`;
}

/**
 * POST `<detail path>/delete`: runs the Delete action on the item, then goes to the list. Without the confirmation,
 * or when the API refuses (the item is still in use, say), the detail page shows the message and nothing changes.
 */
export function deleteRoute(
  app: FastifyInstance,
  web: WebContext,
  options: {
    path: string;
    listPath: string;
    action: string;
    params: (dir: string, id: string) => Record<string, string | boolean>;
    detailPage: (reply: FastifyReply, admin: Administrator, dir: string, id: string, error: string, status: number) => Promise<FastifyReply>;
  },
): void {
  app.post(
    `${options.path}/:id/delete`,
    directoryHandler(
      web,
      async (admin, dir, request, reply) => {
        const id = params(request).id!;
        if (formOf(request).confirm !== 'yes') return options.detailPage(reply, admin, dir, id, 'Tick the confirmation to delete.', 400);
        const result = await attempt(() => run(web, admin, options.action, options.params(dir, id)));
        if (!result.ok) return options.detailPage(reply, admin, dir, id, result.error.message, result.error.status);
        return reply.redirect(options.listPath, 303);
      },
      { post: true },
    ),
  );
}

/**
 * POST `<detail path>/:id/<suffix>`: performs a change on one item, then goes back to its page (or where `perform`
 * says). When the API refuses, the detail page shows the message beside the form as it was sent.
 */
export function changeRoute(
  app: FastifyInstance,
  web: WebContext,
  options: {
    path: string;
    suffix: string;
    detailPath: (id: string) => string;
    perform: (admin: Administrator, dir: string, id: string, form: Form) => Promise<string | void>;
    detailPage: (reply: FastifyReply, admin: Administrator, dir: string, id: string, form: Form, error: string, status: number) => Promise<FastifyReply>;
  },
): void {
  app.post(
    `${options.path}/:id/${options.suffix}`,
    directoryHandler(
      web,
      async (admin, dir, request, reply) => {
        const id = params(request).id!;
        const form = formOf(request);
        const result = await attempt(() => options.perform(admin, dir, id, form));
        if (!result.ok) return options.detailPage(reply, admin, dir, id, form, result.error.message, result.error.status);
        return reply.redirect(result.value ?? options.detailPath(id), 303);
      },
      { post: true },
    ),
  );
}

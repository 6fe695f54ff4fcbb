import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

// The few scripts and the stylesheet the pages need, served from our own origin so the CSP can stay `'self'`.
const require = createRequire(import.meta.url);

function load(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Registered under the /static prefix. */
export const staticFiles: FastifyPluginAsync = async (app) => {
  const browserBundle = join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
  const own = (name: string): string => load(new URL(`./static/${name}`, import.meta.url).pathname);
  const javascript = 'application/javascript; charset=utf-8';
  const files: Record<string, { body: string; type: string }> = {
    'webauthn.js': { body: load(browserBundle), type: javascript },
    'passkey-logon.js': { body: own('passkey-logon.js'), type: javascript },
    'passkey-register.js': { body: own('passkey-register.js'), type: javascript },
    'sso-settings.js': { body: own('sso-settings.js'), type: javascript },
    'gatehouse.css': { body: own('gatehouse.css'), type: 'text/css; charset=utf-8' },
  };
  app.get<{ Params: { name: string } }>('/:name', async (request, reply) => {
    const file = Object.hasOwn(files, request.params.name) ? files[request.params.name] : undefined;
    if (file === undefined) return reply.status(404).type('text/plain').send('Not found');
    return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.body);
  });
};

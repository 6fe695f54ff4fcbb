import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// The few scripts the pages need, served from our own origin so the CSP can stay `script-src 'self'`.
const require = createRequire(import.meta.url);

function load(path: string): string {
  return readFileSync(path, 'utf8');
}

export async function staticRoutes(app: FastifyInstance): Promise<void> {
  const browserBundle = join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
  const scripts: Record<string, string> = {
    'webauthn.js': load(browserBundle),
    'passkey-logon.js': load(new URL('./static/passkey-logon.js', import.meta.url).pathname),
    'passkey-register.js': load(new URL('./static/passkey-register.js', import.meta.url).pathname),
  };
  app.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const body = Object.hasOwn(scripts, request.params.name) ? scripts[request.params.name] : undefined;
    if (body === undefined) return reply.status(404).type('text/plain').send('Not found');
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  });
}

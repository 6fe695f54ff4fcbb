import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer } from '../support/server.js';
import { nodeArgs } from '../support/paths.js';

const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

describe('SQLite data directory', { skip: onPostgres && 'SQLite only' }, () => {
  it('belongs to one process: a second Gatehouse on it stops with a message, and the first carries on', async () => {
    const server = await startServer();
    try {
      const second = spawn(process.execPath, nodeArgs('src/main.ts'), {
        env: { ...process.env, GATEHOUSE_DATA_DIR: server.config.dataDir, PORT: '0', DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      second.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      second.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
      assert.notEqual(code, 0);
      assert.match(output, /^Gatehouse cannot start: .* is in use by another Gatehouse process\. .*PostgreSQL/m);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

// One Gatehouse node in its own process, for the multi-node tests (test/support/node-process.ts starts it).
// It is src/main.ts with two test-only additions: a clock set off by GATEHOUSE_TEST_CLOCK_OFFSET_MS (so clock skew
// between nodes needs no production setting), and GET /test/node, which says how many requests this process served.
import { createInterface } from 'node:readline';
import { buildGatehouse } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';

// The parent holds our stdin open: when it ends, however it ended, this node ends too (no orphans).
process.stdin.on('close', () => process.exit(1));
process.stdin.resume();

// Held (GATEHOUSE_TEST_HOLD=1), the node says it has loaded and waits for `go` on stdin before it opens the store,
// so that several nodes can meet an empty schema at the same moment.
if (process.env.GATEHOUSE_TEST_HOLD === '1') {
  process.stdout.write(`${JSON.stringify({ state: 'loaded' })}\n`);
  await new Promise<void>((resolve) => {
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line === 'go') resolve();
    });
  });
}

const clock = new ManualClock();
clock.advance(Number(process.env.GATEHOUSE_TEST_CLOCK_OFFSET_MS ?? 0));
const config = loadConfig();
const gatehouse = await buildGatehouse(config, { clock });

let served = 0;
gatehouse.app.addHook('onResponse', async (request) => {
  if (request.url !== '/test/node' && request.url !== '/healthz') served++;
});
gatehouse.app.get('/test/node', async () => ({ pid: process.pid, served }));

await gatehouse.app.listen({ port: 0, host: '127.0.0.1' });
const address = gatehouse.app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
config.publicUrl = `http://127.0.0.1:${port}`;
const { account, created } = gatehouse.bootstrap;
// The parent reads this line to learn where the node listens.
process.stdout.write(`${JSON.stringify({ state: 'ready', port, pid: process.pid, accountId: account.id, alias: account.alias, created })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gatehouse.close().then(() => process.exit(0));
  });
}

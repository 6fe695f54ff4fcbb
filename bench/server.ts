// A Gatehouse node for benchmarks, plus a hello-world route on the same Fastify instance as the baseline.
import { buildGatehouse } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const config = loadConfig();
const gatehouse = await buildGatehouse(config);
gatehouse.app.get('/bench/hello', async () => ({ hello: 'world' }));
await gatehouse.app.listen({ port: config.port, host: config.host });
process.send?.({ ready: true, port: (gatehouse.app.server.address() as { port: number }).port });
process.on('disconnect', () => void gatehouse.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void gatehouse.close().then(() => process.exit(0)));

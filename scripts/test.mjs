// Runs every test file under test/ (or the files/folders given) with Node's own runner, on the code compiled once.
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { build } from 'esbuild';

/** The files under `path` (or `path` itself) whose names end with `suffix`, in name order. */
function filesUnder(path, suffix) {
  if (!statSync(path).isDirectory()) return path.endsWith(suffix) ? [path] : [];
  return readdirSync(path).sort().flatMap((entry) => filesUnder(join(path, entry), suffix));
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
const found = roots.flatMap((root) => filesUnder(root, '.test.ts'));
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
// Browser files run in the SQLite job only: what they check lives in pages and scripts, and storage is covered by the
// HTTP tests, which run on both databases.
// A browser file is one that launches Chromium (test/support/browser.js's launchBrowser); HTTP files may borrow its
// oathtool helper and still run on both.
const usesBrowser = (file) => /\blaunchBrowser\(/.test(readFileSync(file, 'utf8'));
const files = onPostgres ? found.filter((file) => !usesBrowser(file)) : found;
if (files.length < found.length) {
  console.log(`skipping ${found.length - files.length} browser test file(s) on PostgreSQL: they run in the SQLite job; storage is covered by the HTTP tests on both databases`);
}
if (files.length === 0) {
  console.error(found.length ? 'only browser test files given, and they do not run on PostgreSQL' : 'no test files found');
  process.exit(found.length ? 0 : 1);
}
// Test files mostly wait: on sockets, the database, argon2's thread pool, task workers and browsers. With one file more
// than cores, a whole SQLite run kept two cores less than half busy (245 CPU-s in 500 s); three files per core fill them.
const concurrency = process.env.TEST_CONCURRENCY ?? String(availableParallelism() * 3);
// Each run names its PostgreSQL schemas t_<run>_…, and drops them once every test process has finished.
const run = randomBytes(3).toString('hex');
const out = join('.build', run);
await compile(out);
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files.map((file) => join(out, file.replace(/\.ts$/, '.js')))],
  { stdio: 'inherit', env: { ...process.env, GATEHOUSE_TEST_RUN: run } },
);
rmSync(out, { recursive: true, force: true });
if (onPostgres) await dropRunSchemas(process.env.DATABASE_URL, run);
process.exit(result.status ?? 1);

// Loading TypeScript through tsx costs each test process about 3 s of CPU (Node 20 runs its loader hooks on another
// thread, file by file); compiling src/, test/ and scripts/ once, to plain JavaScript beside copies of the other files
// they read (static assets, the hash worker), costs well under a second for the whole run. Inside the repository, so
// that packages resolve from node_modules as they do for the sources. Types are checked by tsc, not here.
async function compile(outdir) {
  const sources = [];
  for (const dir of ['src', 'test', 'scripts']) {
    cpSync(dir, join(outdir, dir), { recursive: true, filter: (from) => !from.endsWith('.ts') });
    sources.push(...filesUnder(dir, '.ts').filter((file) => !file.endsWith('.d.ts')));
  }
  await build({ entryPoints: sources, outdir, outbase: '.', format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'error' });
}

async function dropRunSchemas(url, runId) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_${runId}\\_%'`);
  for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  await client.end();
}

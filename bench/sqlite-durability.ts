// Issue 12, item 10: what `synchronous=FULL` costs a logon on SQLite. A logon's last step commits one write
// transaction (the session row, the profile's counters); in WAL mode FULL syncs the WAL at every commit, NORMAL only at
// checkpoints. This measures that transaction's commit rate under both settings, interleaved round by round in the
// same run on the same disk, and sets the difference per commit against one argon2id verification (the floor of every
// password logon), measured in the same run.
// Run: npx tsx bench/sqlite-durability.ts   (BENCH_ROUNDS, BENCH_SECONDS per measurement)
import Database from 'better-sqlite3';
import { hash, verify } from '@node-rs/argon2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FLOOR_PASSWORD } from './floor.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function openWith(file: string, synchronous: 'NORMAL' | 'FULL'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, user_id TEXT, expires_at TEXT);
           CREATE TABLE IF NOT EXISTS profiles (user_id TEXT PRIMARY KEY, failed_attempts INTEGER, last_logon TEXT);
           INSERT OR IGNORE INTO profiles VALUES ('u1', 0, NULL);`);
  return db;
}

/** Logon-shaped commits per second: one session row in, the profile's counters updated. */
function commitRate(db: Database.Database): number {
  const insert = db.prepare('INSERT INTO sessions VALUES (?, ?, ?)');
  const update = db.prepare("UPDATE profiles SET failed_attempts = 0, last_logon = ? WHERE user_id = 'u1'");
  const logon = db.transaction((id: string, at: string) => {
    insert.run(id, 'u1', at);
    update.run(at);
  });
  let commits = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  while (performance.now() < deadline) {
    logon(randomBytes(16).toString('hex'), new Date().toISOString());
    commits++;
  }
  return commits / ((performance.now() - started) / 1000);
}

async function verifyMs(): Promise<number> {
  const phc = await hash(FLOOR_PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 });
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await verify(phc, FLOOR_PASSWORD);
    count++;
  }
  return (performance.now() - started) / count;
}

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'gh-durability-'));
try {
  const normal: number[] = [];
  const full: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [setting, results] of [['NORMAL', normal], ['FULL', full]] as const) {
      const db = openWith(join(dir, `${setting}.sqlite`), setting);
      results.push(commitRate(db));
      db.close();
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const normalRate = median(normal);
  const fullRate = median(full);
  const extraMs = 1000 / fullRate - 1000 / normalRate;
  const argon2Ms = await verifyMs();
  console.log(`commits/s, synchronous=NORMAL: ${normal.map((r) => r.toFixed(0)).join(' ')} (median ${normalRate.toFixed(0)})`);
  console.log(`commits/s, synchronous=FULL:   ${full.map((r) => r.toFixed(0)).join(' ')} (median ${fullRate.toFixed(0)})`);
  console.log(`FULL adds ${extraMs.toFixed(3)} ms per commit; one argon2id verification takes ${argon2Ms.toFixed(1)} ms`);
  console.log(`cost on a password logon's critical path: ${((100 * extraMs) / argon2Ms).toFixed(2)} % of the floor`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// No assertion that cannot fail: every test file is read for the patterns in assertion-rules.ts. Sleeping is allowed
// only where it is listed below, counted per file, with the reason; any new sleep (or one fewer) fails this test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT, filesUnder } from '../support/paths.js';
import { checkSource, type Finding, type RuleName } from './assertion-rules.js';

const TEST_ROOT = join(REPO_ROOT, 'test');

/** Where a test may sleep: how many sleeps the file holds, and why nothing deterministic can take their place yet. */
const SLEEP_ALLOWED: Record<string, { count: number; reason: string }> = {
  'e2e/portal.test.ts': { count: 2, reason: 'polls the portal until provisioning has made the RAM-user link and the logon available' },
  'web/browser-attacks.test.ts': { count: 1, reason: 'a race: the skip request is sent after varied delays against a concurrent password change' },
  'web/multi-node.test.ts': {
    count: 2,
    reason:
      'nodes are child processes with their own workers: spreads task arrival over the workers\' polls; lets a live lease be observed ' +
      'held (a sleep-based negative, to be replaced once the nodes can be driven)',
  },
};

const show = (file: string, findings: Finding[]) => findings.map((f) => `${file}:${f.line} ${f.rule}: ${f.text}`).join('\n');

describe('assertion lint', () => {
  it('finds no assertion that cannot fail, and sleeps only where allowed', () => {
    const problems: string[] = [];
    const sleepsSeen: Record<string, number> = {};
    const files = filesUnder(TEST_ROOT, '.test.ts');
    assert.ok(files.length > 50, `only ${files.length} test files found under ${TEST_ROOT}`);
    for (const path of files) {
      const file = relative(TEST_ROOT, path).split('\\').join('/');
      const findings = checkSource(file, readFileSync(path, 'utf8'));
      const sleeps = findings.filter((f) => f.rule === 'sleep');
      if (sleeps.length) sleepsSeen[file] = sleeps.length;
      const allowed = SLEEP_ALLOWED[file]?.count ?? 0;
      if (sleeps.length > allowed) problems.push(show(file, sleeps));
      problems.push(...findings.filter((f) => f.rule !== 'sleep').map((f) => show(file, [f])));
    }
    assert.deepEqual(problems, []);
    // The allow-list stays exact: a sleep removed takes its allowance with it.
    assert.deepEqual(sleepsSeen, Object.fromEntries(Object.entries(SLEEP_ALLOWED).map(([file, entry]) => [file, entry.count])));
  });

  it('catches each pattern it is meant to catch', () => {
    const bad: Array<[RuleName, string]> = [
      ['rejects-without-matcher', 'await assert.rejects(client.getUser(req));'],
      ['rejects-without-matcher', "await assert.rejects(client.getUser(req), 'must fail');"],
      ['rejects-without-matcher', 'assert.throws(() => parse(x));'],
      ['rejects-without-matcher', 'assert.throws(() => parse(x), `bad ${x}`);'],
      ['ok-always-truthy', 'assert.ok(true);'],
      ['ok-always-truthy', 'assert(true);'],
      ['ok-always-truthy', "assert.ok('done');"],
      ['ok-always-truthy', 'assert.ok({ status: res.status });'],
      ['ok-always-truthy', 'assert.ok([rows]);'],
      ['ok-always-truthy', 'assert.ok(() => check());'],
      ['ok-always-truthy', 'assert.ok(new Date());'],
      ['sleep', "import { setTimeout as sleep } from 'node:timers/promises';\nawait sleep(100);"],
      ['sleep', "import { setTimeout as pause } from 'timers/promises';\nawait pause(100);"],
      ['sleep', 'await new Promise((r) => setTimeout(r, 50));'],
      ['sleep', 'await page.waitForTimeout(500);'],
      ['count-after-click', "await page.getByRole('button', { name: 'Next' }).click();\nassert.equal(await page.getByText('x').count(), 0);"],
      ['count-after-click', "await link.click();\nconst n = await rows.count();"],
    ];
    for (const [rule, snippet] of bad) {
      const found = checkSource('snippet.test.ts', snippet).map((f) => f.rule);
      assert.ok(found.includes(rule), `${rule} not caught in:\n${snippet}\n(found: ${found.join(', ') || 'nothing'})`);
    }
  });

  it('leaves the same steps alone when they can fail', () => {
    const good = [
      "await assert.rejects(client.getUser(req), (e: any) => e.code === 'EntityNotExist.User');",
      'assert.throws(() => parse(x), /bad input/);',
      'assert.throws(() => parse(x), { code: "InvalidParameter" });',
      'assert.ok(res.ok);',
      'assert.ok(rows.includes(id));',
      "await page.getByRole('button', { name: 'Next' }).click();\nawait page.getByLabel('Password').waitFor();\nassert.equal(await page.getByText('x').count(), 0);",
      "await Promise.all([page.waitForURL('/console'), link.click()]);\nassert.equal(await rows.count(), 1);",
      'await new Promise((resolve) => setImmediate(resolve));',
    ];
    for (const snippet of good) assert.deepEqual(checkSource('snippet.test.ts', snippet), [], snippet);
  });
});

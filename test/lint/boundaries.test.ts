// The import rules of .dependency-cruiser.cjs, checked on src/ by dependency-cruiser's own API: domain folders import
// no edge (src/web/, src/openapi/, Fastify), web pages import no query layer (src/store/, Kysely) and src has no
// import cycle, counting type-only imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { REPO_ROOT, filesUnder } from '../support/paths.js';

const root = REPO_ROOT;
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IFlattenedRuleSet & { options: object };

/**
 * Violations not removed yet, each with why. The test fails when one of them disappears, so the list only shrinks:
 * delete the line in the same commit that removes the import.
 */
const KNOWN: Record<string, string> = {};

/** `rule from -> to` for each violation found when cruising `dir` (paths relative to it). */
async function violations(dir: string): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = await cruise(
      ['src'],
      { ...config.options, validate: true, ruleSet: config, tsPreCompilationDeps: true, tsConfig: { fileName: join(root, 'tsconfig.json') } },
      {},
      { tsConfig: extractTSConfig(join(root, 'tsconfig.json')) },
    );
    const output = result.output as ICruiseResult;
    // A module dependency-cruiser could not resolve would silently escape the rules.
    const unresolved = output.modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} -> ${d.module}`));
    assert.deepEqual(unresolved, [], 'every import resolves');
    return output.summary.violations.map((v) => `${v.rule.name} ${v.from} -> ${v.to}`).sort();
  } finally {
    process.chdir(cwd);
  }
}

test('domain folders import no edge module and src has no import cycle', async () => {
  const found = await violations(root);
  const unexpected = found.filter((v) => !(v in KNOWN));
  assert.deepEqual(unexpected, [], 'new violations of .dependency-cruiser.cjs');
  const gone = Object.keys(KNOWN).filter((v) => !found.includes(v));
  assert.deepEqual(gone, [], 'listed violations that no longer occur: remove them from KNOWN');
});

test('the rules catch a domain module importing the web edge, a page importing the store and an import cycle (planted in test/lint/fixture)', async () => {
  const found = await violations(join(root, 'test', 'lint', 'fixture'));
  assert.ok(found.includes('domain-imports-no-edge src/ram/planted.ts -> src/web/page.ts'), found.join('\n'));
  assert.ok(found.includes('web-imports-no-store src/web/planted-query.ts -> src/store/users.ts'), found.join('\n'));
  assert.ok(found.some((v) => v.startsWith('no-circular src/policy/one.ts -> src/policy/two.ts')), found.join('\n'));
  assert.ok(!found.some((v) => v.includes('src/web/page.ts ->')), 'the edge module itself breaks no rule');
});

/**
 * Web files that build SQL themselves, as `file:line`. The import rules cannot see this: a page gets the query
 * handle through its context (`services.store.db`), not through an import. Pages call domain functions instead.
 */
function sqlBuiltIn(dir: string): string[] {
  const builder = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|with)\(|\bsql`|\.raw\(/;
  return filesUnder(dir, '.ts').flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (builder.test(line) ? [`${relative(dir, file)}:${i + 1}`] : [])),
  );
}

test('no web file builds SQL: pages call domain functions', () => {
  assert.deepEqual(sqlBuiltIn(join(root, 'src', 'web')), []);
  assert.deepEqual(sqlBuiltIn(join(root, 'test', 'lint', 'fixture', 'src', 'web')), ['planted-builder.ts:7'], 'the check catches the planted page');
});

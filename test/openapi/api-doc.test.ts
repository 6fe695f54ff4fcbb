// docs/api.md is generated from the action registry; it must match the code it describes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { nodeArgs } from '../support/paths.js';

test('docs/api.md lists exactly the actions the registry serves', () => {
  const generated = execFileSync(process.execPath, nodeArgs('scripts/api-coverage.ts'), { encoding: 'utf8' });
  const committed = readFileSync('docs/api.md', 'utf8');
  assert.equal(committed.trim(), generated.trim(), 'run `npx tsx scripts/api-coverage.ts > docs/api.md`');
});

// Where things are when tests run. `npm test` runs the tests compiled once into .build/<run>/ (see scripts/test.mjs);
// a single file may also run from its .ts source through tsx. Tests that read source files use REPO_ROOT; tests that
// start another Gatehouse process use nodeArgs, which runs the same kind of code the test itself runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of the tree this module was loaded from: the repository, or the compiled copy of it. */
const CODE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const compiled = import.meta.url.endsWith('.js');

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The repository's checkout, where the .ts sources, docs and configuration live. */
export const REPO_ROOT = findRepoRoot(CODE_ROOT);

/** Node arguments that run `file` (a repository path such as 'src/main.ts'), compiled or through tsx like this process. */
export function nodeArgs(file: string): string[] {
  return compiled ? ['--enable-source-maps', join(CODE_ROOT, file.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', join(REPO_ROOT, file)];
}

/** The files under `dir` whose names end with `suffix`, in name order (for tests that read sources). */
export function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? filesUnder(path, suffix) : path.endsWith(suffix) ? [path] : [];
    });
}

import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

// The data directory holds the SQLite database (password hashes, sealed secrets, sessions) and the key that seals
// secrets: only the user Gatehouse runs as may read them. Modes are set when a file is created and again at every
// start, for files an earlier version created readable by everyone.

const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates the data directory for its owner only, or makes an existing one so. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIRECTORY_MODE });
  chmodSync(dir, DIRECTORY_MODE);
}

/** Makes those of `paths` that exist readable and writable by their owner only. */
export function restrictFiles(paths: string[]): void {
  for (const path of paths) {
    try {
      chmodSync(path, FILE_MODE);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Creates `path` empty for its owner only when it does not exist, so whatever fills it keeps that mode (SQLite gives
 * a database's -wal and -shm files the mode of the database file).
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', FILE_MODE));
  restrictFiles([path]);
}

// Where the shared binlog files are: ../shared/fixtures/binlogs beside the checkout (CI), or two levels up
// for a git worktree kept in a folder of worktrees. Undefined when neither exists.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedBinlogDir(): string | undefined {
  for (const up of ['..', '../..']) {
    const dir = join(root, up, 'shared', 'fixtures', 'binlogs');
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

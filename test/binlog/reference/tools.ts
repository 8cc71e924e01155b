// Locating the reference decoders (mysqlbinlog 9.7, mariadb-binlog 11.8) and the shared fixture binlogs.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provisioned } from '../../../src/servers/local-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** ../shared/fixtures/binlogs beside the checkout (CI), or BINLOGSYNC_FIXTURES; undefined when absent. */
export function sharedFixturesDir(): string | undefined {
  const candidates = [
    process.env.BINLOGSYNC_FIXTURES,
    join(ROOT, '..', 'shared', 'fixtures', 'binlogs'),
    join(ROOT, '..', '..', 'shared', 'fixtures', 'binlogs'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return undefined;
}

export function referenceTool(flavor: 'mysql' | 'mariadb'): string | undefined {
  try {
    const p = provisioned(flavor === 'mysql' ? 'mysql-9.7' : 'mariadb-11.8');
    return existsSync(p.binlogTool) ? p.binlogTool : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the reference decoder and returns its stdout as latin1 text (bytes preserved 1:1). */
export function referenceOutput(flavor: 'mysql' | 'mariadb', file: string): Promise<string> {
  const tool = referenceTool(flavor);
  if (!tool) return Promise.reject(new Error(`${flavor} binlog tool is not provisioned`));
  const args =
    flavor === 'mysql'
      ? ['-vv', '--base64-output=decode-rows', '--print-table-metadata', file]
      : ['-vv', '--base64-output=decode-rows', file];
  return new Promise((ok, fail) => {
    execFile(tool, args, { encoding: 'latin1', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${tool} ${file}: ${stderr || err.message}`));
      else ok(stdout);
    });
  });
}

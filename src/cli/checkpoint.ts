// `--checkpoint FILE`: the resume point, written atomically (write a temp file, fsync, rename, fsync the
// directory) so that a crash at any moment leaves either the old or the new checkpoint, never a torn one.
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors.js';

export interface Checkpoint {
  /** Binlog file and position of the last transaction boundary delivered. */
  file: string;
  pos: number;
  /** MySQL executed GTID set or MariaDB GTID position at that boundary, when GTIDs are on. */
  gtid?: string;
  flavor?: 'mysql' | 'mariadb';
  /** How the stream was started: resume by GTID or by position. */
  mode?: 'gtid' | 'position';
  /** Length of stdout (a regular file) when this checkpoint was taken: a restart cuts it back to this. */
  outputSize?: number;
  /** Which file stdout was (device and inode, as text): a restart with another file does not cut it. */
  outputFile?: string;
  /**
   * The FORMAT_DESCRIPTION of `file`: when the file was made (its header timestamp) and by which
   * server_id. A source whose binlog was reset since, or another server, has another one for that name.
   */
  origin?: { ts: number; serverId: number };
  /** ISO time of the write (information only). */
  at?: string;
}

export function readCheckpoint(path: string): Checkpoint | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      canWrite(path);
      return undefined;
    }
    throw new ConfigError(`checkpoint ${path} cannot be read (${code ?? String(e)})`);
  }
  // it will be rewritten: in a folder that no longer takes files, say so before the stream starts
  canWrite(path);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ConfigError(`checkpoint ${path} is not valid JSON`);
  }
  const c = v as Partial<Checkpoint>;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.file !== 'string' ||
    !Number.isInteger(c.pos) ||
    !((c.pos as number) >= 4)
  ) {
    throw new ConfigError(`checkpoint ${path} lacks a valid file and pos`);
  }
  if (c.gtid !== undefined && typeof c.gtid !== 'string')
    throw new ConfigError(`checkpoint ${path} has an invalid gtid`);
  if (c.outputSize !== undefined && !(Number.isInteger(c.outputSize) && c.outputSize >= 0)) {
    throw new ConfigError(`checkpoint ${path} has an invalid outputSize`);
  }
  if (c.outputFile !== undefined && typeof c.outputFile !== 'string')
    throw new ConfigError(`checkpoint ${path} has an invalid outputFile`);
  const o = c.origin;
  if (
    o !== undefined &&
    (typeof o !== 'object' || o === null || !Number.isInteger(o.ts) || !Number.isInteger(o.serverId))
  )
    throw new ConfigError(`checkpoint ${path} has an invalid origin`);
  const mode = c.mode === 'gtid' || c.mode === 'position' ? c.mode : undefined;
  return {
    file: c.file,
    pos: c.pos as number,
    gtid: c.gtid,
    flavor: c.flavor,
    mode,
    outputSize: c.outputSize,
    outputFile: c.outputFile,
    origin: o === undefined ? undefined : { ts: o.ts, serverId: o.serverId },
    at: c.at,
  };
}

/** A first checkpoint can be written there: found out before the stream starts, not at its first write. */
function canWrite(path: string): void {
  const tmp = tempPath(path);
  try {
    closeSync(openSync(tmp, 'w', 0o600));
    unlinkSync(tmp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`checkpoint ${path} cannot be written (${code ?? String(e)})`);
  }
}

/** The file a checkpoint is written to before its rename over `path`. */
function tempPath(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

export function writeCheckpoint(path: string, cp: Checkpoint): void {
  const tmp = tempPath(path);
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ ...cp, at: cp.at ?? new Date().toISOString() }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // a full disk, a directory gone: say which file, and leave no temp file behind
    rmSync(tmp, { force: true });
    if (e instanceof Error) e.message = `checkpoint ${path} cannot be written: ${e.message}`;
    throw e;
  }
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // some file systems refuse fsync on a directory; the rename itself is still atomic
  }
}

// The server a command talks to: `mysql://user[:password]@host[:port]`, `mariadb://…`, or a unix socket
// path (`/run/mysqld/mysqld.sock`, user from --user). The password comes from the URL, else the
// BINLOGSYNC_PASSWORD or MYSQL_PWD environment variable, else a prompt on the terminal (never echoed),
// else empty. Nothing here ever prints it.
import { AbortError, ConfigError } from '../errors.js';

export interface Target {
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password: string;
  /** For messages: the target without any password. */
  display: string;
}

export function parseTarget(
  spec: string,
  flags: { user?: string },
): Omit<Target, 'password'> & { password?: string } {
  if (spec.startsWith('/') || spec.startsWith('./')) {
    return { socketPath: spec, user: flags.user ?? 'root', display: `${flags.user ?? 'root'}@${spec}` };
  }
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new ConfigError(
      `not a server URL or socket path: ${redacted(spec)} (expected mysql://user@host:port)`,
    );
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError(`unsupported URL scheme ${url.protocol} (use mysql:// or mariadb://)`);
  }
  // a '/', '?' or '#' in a password ends the URL's host part: the rest of the password lands in its path
  if (`${url.pathname}${url.search}${url.hash}`.includes('@')) {
    throw new ConfigError(
      `${redacted(spec)}: an '@' after the host — percent-encode '/', '?', '#' and '@' in the user or ` +
        'password (%2F, %3F, %23, %40), or give the password in BINLOGSYNC_PASSWORD',
    );
  }
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new ConfigError(
        `${redacted(spec)}: a malformed %-escape in the user or password (a literal '%' is %25)`,
      );
    }
  };
  const user = decode(url.username) || flags.user || 'root';
  const socket = url.searchParams.get('socket') ?? undefined;
  const port = url.port ? Number(url.port) : undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const display = socket ? `${user}@${socket}` : `${user}@${host}:${port ?? 3306}`;
  return {
    ...(socket ? { socketPath: socket } : { host, port }),
    user,
    // `user:@host` gives an empty password (no prompt); `user@host` gives none
    ...(url.password || /^[a-z]+:\/\/[^/?#]*:@/i.test(spec) ? { password: decode(url.password) } : {}),
    display,
  };
}

/**
 * The target as it may be printed: everything between `scheme://` and the last '@' (user and password,
 * whatever characters the password has) becomes `***`.
 */
export function redacted(spec: string): string {
  const at = spec.lastIndexOf('@');
  if (at < 0) return spec;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(spec)?.[0] ?? '';
  return `${scheme}***${spec.slice(at)}`;
}

/**
 * Takes a URL's password out of the process title, which `ps` and /proc/PID/cmdline show to every user
 * of the machine for as long as the command runs (the shell's history and the moment before this runs
 * still see it: BINLOGSYNC_PASSWORD or the prompt keep it out of those too).
 */
function hideFromProcessList(spec: string): void {
  const args = process.argv.slice(2).map((a) => a.split(spec).join(redacted(spec)));
  process.title = ['binlogsync', ...args].join(' ');
}

/** Reads a password from the terminal without echoing it. */
export async function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return '';
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let pw = '';
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          done();
          resolve(pw);
          return;
        }
        if (ch === '\u0003') {
          // raw mode turned Ctrl-C into a character: it is the user's interrupt all the same (exit 130)
          done();
          reject(new AbortError('password prompt interrupted'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') pw = pw.slice(0, -1);
        else pw += ch;
      }
    };
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export async function resolveTarget(
  spec: string,
  flags: { user?: string; prompt?: boolean },
): Promise<Target> {
  const t = parseTarget(spec, flags);
  if (t.password !== undefined) hideFromProcessList(spec);
  let password = t.password ?? process.env.BINLOGSYNC_PASSWORD ?? process.env.MYSQL_PWD;
  if (password === undefined && flags.prompt !== false && process.stdin.isTTY) {
    password = await promptPassword(`Password for ${t.display}: `);
  }
  return { ...t, password: password ?? '' };
}

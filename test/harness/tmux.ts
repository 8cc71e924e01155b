// A real terminal for CLI tests: one command in a detached tmux session of a fixed size, on a private
// tmux server (its own socket, no user config, no status bar), read back with `capture-pane`.
// Pipes cannot show what a person sees: whether stdout is a TTY, the width the program reads, how
// stdout and stderr share the screen, what raw mode echoes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps a screen in the test's output (escapes shown as \e), so that a failure can be read without a rerun. */
export function snapshot(t: TestContext, title: string, screen: string): void {
  t.diagnostic(`${title}:`);
  // eslint-disable-next-line no-control-regex
  for (const row of screen.split('\n')) t.diagnostic(`│${row.replace(/\x1b/g, '\\e')}`);
}

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

export interface TerminalOptions {
  width: number;
  height: number;
  /** The command's whole environment (tmux's server passes its own on to the pane). */
  env: Record<string, string | undefined>;
}

export class TmuxTerminal {
  readonly #dir: string;
  readonly #socket: string;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#socket = join(dir, 'tmux.sock');
  }

  /** Starts `argv` in a fresh terminal of `width` × `height`. */
  static start(argv: string[], o: TerminalOptions): TmuxTerminal {
    const t = new TmuxTerminal(mkdtempSync(join(tmpdir(), 'binlogsync-tmux-')));
    // remain-on-exit keeps the pane, and so the last screen, after the command has exited.
    writeFileSync(
      join(t.#dir, 'tmux.conf'),
      'set -g status off\nset -g remain-on-exit on\nset -g remain-on-exit-format ""\n',
    );
    // The exit status comes from a shell around the command, not from #{pane_dead_status}: tmux 3.3
    // now and then marks the pane dead and never reaps the process (1 run in 6 here; tmux/tmux#4841 is
    // the same race). The shell's no-op trap lets Ctrl-C reach the command alone.
    const wrapped = ['sh', '-c', 'trap : INT; "$@"; echo $? > "$0"', t.#statusFile, ...argv];
    t.#tmux(
      [
        '-f',
        join(t.#dir, 'tmux.conf'),
        'new-session',
        '-d',
        '-x',
        `${o.width}`,
        '-y',
        `${o.height}`,
        ...wrapped,
      ],
      o.env,
    );
    return t;
  }

  get #statusFile(): string {
    return join(this.#dir, 'status');
  }

  #tmux(args: string[], env: Record<string, string | undefined> = process.env): string {
    const r = spawnSync('tmux', ['-S', this.#socket, ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /**
   * The visible screen, one string per row, trailing blanks dropped. `colors` keeps the SGR escapes,
   * `history` adds the scrollback, `joined` puts lines the terminal wrapped back together.
   */
  screen(o: { colors?: boolean; history?: boolean; joined?: boolean } = {}): string {
    return this.#tmux([
      'capture-pane',
      '-p',
      ...(o.colors ? ['-e'] : []),
      ...(o.history ? ['-S', '-'] : []),
      ...(o.joined ? ['-J'] : []),
    ]).replace(/\s+$/, '');
  }

  /** Types `text` as keystrokes (not interpreted as key names). */
  type(text: string): void {
    this.#tmux(['send-keys', '-l', text]);
  }

  press(key: 'Enter' | 'C-c'): void {
    this.#tmux(['send-keys', key]);
  }

  /** The command's exit status once it has ended (128 + N when killed by signal N), else undefined. */
  exitStatus(): number | undefined {
    if (!existsSync(this.#statusFile)) return undefined;
    const text = readFileSync(this.#statusFile, 'utf8');
    return text.endsWith('\n') ? Number(text) : undefined;
  }

  /** Polls the screen until `ok` holds; throws with the last screen when `ms` pass first. */
  async waitFor(ok: (screen: string) => boolean, what: string, ms = 20_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = this.screen();
      if (ok(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
      await sleep(100);
    }
  }

  async waitForExit(ms = 20_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const st = this.exitStatus();
      if (st !== undefined) return st;
      if (Date.now() > deadline) throw new Error(`timed out waiting for exit; the screen:\n${this.screen()}`);
      await sleep(100);
    }
  }

  /** Ends the tmux server (and with it the command), and removes the socket's directory. */
  close(): void {
    spawnSync('tmux', ['-S', this.#socket, 'kill-server']);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

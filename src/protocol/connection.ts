// One client connection: socket ownership, the inbound packet queue (bounded in bytes, pausing the
// socket above its high-water mark), outbound framing with 'drain', the command lock, and close().
// `connect()` (connect.ts) creates it and runs the handshake; the replication layer uses the framing
// methods directly: writeCommand(COM_BINLOG_DUMP…), then readPacket() in a loop.
import type { Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectOptions, type TLSSocket } from 'node:tls';
import { ClosedError, ConnectionError, ErrorCode, ProtocolError, ServerError, TlsError } from '../errors.js';
import { COM } from './capabilities.js';
import type { OkPacket } from './ok-packet.js';
import { PacketQueue, abortError } from './packet-queue.js';
import { PacketReader } from './packet-reader.js';
import { encodeFrames } from './packet-writer.js';
import { ping, runQuery, type QueryResult } from './query.js';
import { decodeErrPacket, isErrPacket } from './server-error.js';
import { mapSocketError, oneLine } from './socket-errors.js';

/** What the server said about itself and what the login negotiated. */
export interface ServerInfo {
  readonly flavor: 'mysql' | 'mariadb';
  /** Version without MariaDB's "5.5.5-" prefix, e.g. "10.11.19-MariaDB-log". */
  readonly serverVersion: string;
  /** Version string as the greeting sent it. */
  readonly rawServerVersion: string;
  readonly connectionId: number;
  /** Capabilities the server offered. */
  readonly serverCapabilities: number;
  /** MariaDB extended capabilities the server offered (0 for MySQL). */
  readonly mariadbCapabilities: number;
  /** Capabilities in effect (what both sides support and binlogsync asked for). */
  readonly capabilities: number;
  /** The authentication plugin that completed the login. */
  readonly authPlugin: string;
  /** The connection is encrypted. */
  readonly tls: boolean;
  /** Status flags of the final OK packet. */
  readonly status: number;
}

/** Options of one call on a {@link Connection}. */
export interface CallOptions {
  /** Aborts the call: it rejects with AbortError. */
  readonly signal?: AbortSignal;
}

export interface ConnectionSetup {
  /** "host:port" or "unix socket <path>", for messages. */
  readonly endpoint: string;
  readonly unixSocket: boolean;
  readonly maxPacketSize: number;
  readonly highWaterMark: number;
}

/** Payload limit while connecting: greetings, auth packets and PEM keys are far below it. */
const HANDSHAKE_MAX_PAYLOAD = 64 * 1024;
/** How long close() waits for the server to hang up after COM_QUIT. */
const QUIT_GRACE_MS = 1000;

/**
 * A logged-in client connection to a MySQL or MariaDB server: text queries, plus the packet framing the
 * replication layer builds on. Created by {@link connect}; `close()` sends COM_QUIT and waits for the
 * socket to go.
 *
 * @example
 * ```ts
 * const conn = await connect({ connection: { host: 'db' }, auth: { user: 'repl', password } });
 * const { rows } = await conn.query('SHOW BINARY LOGS');
 * await conn.close();
 * ```
 */
export class Connection {
  readonly endpoint: string;
  readonly #setup: ConnectionSetup;
  #socket: Socket;
  readonly #sockets = new Set<Socket>();
  readonly #reader: PacketReader;
  readonly #queue: PacketQueue;
  readonly #failureHooks = new Set<(err: Error) => void>();
  #failure: Error | undefined;
  #pausedByUser = false;
  #lastDataAt = Date.now();
  #tlsHandshaking = false;
  #info: ServerInfo | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #inCommand = false;
  /** writeCommand() was used directly (e.g. COM_BINLOG_DUMP): the exchange's end is unknown here. */
  #rawExchange = false;
  #closing: Promise<void> | undefined;
  readonly #allClosed: Promise<void>;
  #resolveAllClosed!: () => void;

  /** @internal Created by connect(). */
  constructor(socket: Socket, setup: ConnectionSetup) {
    this.#setup = setup;
    this.endpoint = setup.endpoint;
    this.#socket = socket;
    this.#queue = new PacketQueue(setup.highWaterMark, {
      pause: () => this.#socket.pause(),
      resume: () => {
        if (!this.#pausedByUser && !this.#failure) this.#socket.resume();
      },
    });
    this.#reader = new PacketReader(
      (p) => this.#queue.push(p),
      Math.min(HANDSHAKE_MAX_PAYLOAD, setup.maxPacketSize),
    );
    this.#allClosed = new Promise((resolve) => (this.#resolveAllClosed = resolve));
    this.#attach(socket);
  }

  /** The server, once connected. */
  get server(): ServerInfo {
    if (!this.#info) throw new ClosedError('not connected yet');
    return this.#info;
  }

  /** The current socket (a TLSSocket after the TLS upgrade), for pause/resume or inspection. */
  get socket(): Socket {
    return this.#socket;
  }

  /** Bytes of received payloads waiting to be read. */
  get queuedBytes(): number {
    return this.#queue.bytes;
  }

  /** Set once the connection failed or was closed; every later call rejects with it. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** True once the connection failed or was closed. */
  get closed(): boolean {
    return this.#failure !== undefined;
  }

  /** Resolves when every socket of this connection has closed (its handles are gone). */
  whenClosed(): Promise<void> {
    return this.#allClosed;
  }

  // ---- inbound ----

  #attach(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('data', this.#onData);
    socket.on('error', (err: Error) => this.#onSocketError(err));
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.#fail(this.#closedByPeer());
      if (this.#sockets.size === 0) this.#resolveAllClosed();
    });
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#lastDataAt = Date.now();
    try {
      this.#reader.push(chunk);
    } catch (err) {
      this.#fail(err as Error);
    }
  };

  /** When the socket last received any bytes (ms since the epoch; a read timeout counts from here). */
  get lastDataAt(): number {
    return this.#lastDataAt;
  }

  /** The next packet's payload when it has arrived already, else undefined: readPacket() waits. */
  tryReadPacket(): Buffer | undefined {
    return this.#queue.tryRead();
  }

  /**
   * The next payload from the server (split packets joined), in order. Rejects with the connection's
   * failure once the queue is empty, or AbortError if `signal` aborts first (the packet stays queued).
   */
  readPacket(options?: CallOptions): Promise<Buffer> {
    return this.#queue.read(options?.signal);
  }

  /** Payloads as an async iterable; ends by throwing the connection's failure. `break` does not close. */
  async *packets(options?: CallOptions): AsyncGenerator<Buffer, void, undefined> {
    for (;;) yield await this.readPacket(options);
  }

  /** Stop reading from the socket (backpressure from the consumer). */
  pause(): void {
    this.#pausedByUser = true;
    this.#socket.pause();
  }

  /** Read from the socket again after {@link pause}. */
  resume(): void {
    this.#pausedByUser = false;
    if (!this.#queue.paused && !this.#failure) this.#socket.resume();
  }

  // ---- outbound ----

  /** Starts a command: resets the sequence id to 0 and writes `payload` (framed, split if needed). */
  writeCommand(payload: Buffer, options?: CallOptions): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#inCommand) this.#rawExchange = true;
    this.#reader.nextSeq = 0;
    return this.writePacket(payload, options);
  }

  /**
   * Writes `payload` with the exchange's next sequence id. Resolves at once when the socket takes it,
   * else on 'drain'. An abort only stops the waiting: the bytes are already queued in the socket.
   */
  writePacket(payload: Buffer, options?: CallOptions): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const { chunks, nextSeq } = encodeFrames(payload, this.#reader.nextSeq);
    this.#reader.nextSeq = nextSeq;
    return this.#writeChunks(chunks, options);
  }

  /**
   * @internal Binlog dump with semi-sync (replication layer). A semi-sync source restarts its sequence ids
   * after each event that asks for an ACK (mysql-server plugin/semisync/semisync_source.cc readSlaveReply:
   * net_clear, pkt_nr++; MariaDB the same), so the packet after such an event carries id 1, whenever the
   * ACK goes out. `rule` sees each inbound payload and returns the id the next packet must carry, or
   * undefined to keep counting.
   */
  setSequenceRule(rule: ((payload: Buffer) => number | undefined) | undefined): void {
    this.#reader.sequenceRule = rule;
  }

  /**
   * @internal Writes one packet with sequence id `seq`, leaving the inbound count alone: a semi-sync ACK
   * (id 0) goes out while the source's events keep arriving.
   */
  writeDetached(payload: Buffer, seq: number, options?: CallOptions): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.#rawExchange = true;
    return this.#writeChunks(encodeFrames(payload, seq).chunks, options);
  }

  #writeChunks(chunks: Buffer[], options: CallOptions | undefined): Promise<void> {
    const socket = this.#socket;
    let ok = true;
    if (chunks.length === 1) {
      ok = socket.write(chunks[0]);
    } else {
      socket.cork();
      for (const c of chunks) ok = socket.write(c);
      socket.uncork();
    }
    if (ok) return Promise.resolve();
    return this.#waitFor(socket, 'drain', options?.signal, 'write');
  }

  /** Resolves on `event`, rejects on the connection's failure or an abort. */
  #waitFor(socket: Socket, event: string, signal: AbortSignal | undefined, what: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (signal?.aborted) return Promise.reject(abortError(signal, what));
    return new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        socket.removeListener(event, onEvent);
        this.#failureHooks.delete(onFail);
        signal?.removeEventListener('abort', onAbort);
      };
      const onEvent = (): void => {
        cleanup();
        resolve();
      };
      const onFail = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const onAbort = (): void => {
        cleanup();
        reject(abortError(signal!, what));
      };
      socket.once(event, onEvent);
      this.#failureHooks.add(onFail);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- commands ----

  /** COM_QUERY with a text result. A server error rejects with ServerError and keeps the connection. */
  query(sql: string, options?: CallOptions): Promise<QueryResult> {
    return this.#command('query', options?.signal, () => runQuery(this, sql));
  }

  /** COM_PING. */
  ping(options?: CallOptions): Promise<OkPacket> {
    return this.#command('ping', options?.signal, () => ping(this));
  }

  /**
   * Runs one request/response exchange under the command lock. An abort, or any failure other than
   * the server's ERR packet, leaves the response half-read, so it destroys the connection.
   */
  #command<T>(what: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    const previous = this.#lock;
    const result = previous.then(async () => {
      if (this.#failure) throw this.#failure;
      if (signal?.aborted) throw abortError(signal, what);
      const onAbort = (): void => this.destroy(abortError(signal!, what));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#inCommand = true;
      try {
        return await run();
      } catch (err) {
        if (!(err instanceof ServerError)) this.destroy(err as Error);
        throw err;
      } finally {
        this.#inCommand = false;
        signal?.removeEventListener('abort', onAbort);
      }
    });
    this.#lock = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  // ---- lifecycle ----

  /**
   * Sends COM_QUIT when idle and healthy, waits briefly for the server to hang up, then destroys the
   * socket(s) and resolves once they are closed. Pending reads reject with ClosedError. Idempotent.
   * After a direct writeCommand() (a binlog dump, say) the server may not be reading commands, so no
   * COM_QUIT is sent: the socket is destroyed at once.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (!this.#failure && this.#info && !this.#rawExchange) {
      const idle = this.#lock;
      const quit = (async (): Promise<boolean> => {
        await idle;
        if (this.#failure || this.#rawExchange) return false;
        this.#inCommand = true; // our own COM_QUIT is not a raw exchange
        await this.writeCommand(Buffer.from([COM.COM_QUIT]));
        this.#socket.end();
        return true;
      })();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        quit.then((sent) => (sent ? this.#allClosed : undefined)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_GRACE_MS))),
      ]).catch(() => undefined);
      clearTimeout(timer);
    }
    this.destroy();
    await this.#allClosed;
  }

  /**
   * Destroys the socket(s) now. Pending and later calls reject with `error` (default ClosedError).
   * Use whenClosed() to wait until the handles are gone.
   */
  destroy(error?: Error): void {
    this.#fail(error ?? new ClosedError('connection closed'), true);
  }

  #fail(err: Error, local = false): void {
    if (this.#failure) {
      if (local) {
        this.#queue.fail(err, true);
        this.#destroySockets();
      }
      return;
    }
    this.#failure = err;
    this.#queue.fail(err, local);
    for (const hook of [...this.#failureHooks]) hook(err);
    this.#destroySockets();
  }

  #destroySockets(): void {
    for (const s of this.#sockets) s.destroy();
    if (this.#sockets.size === 0) this.#resolveAllClosed();
  }

  #closedByPeer(): Error {
    // after our COM_QUIT the server hanging up is the expected end
    if (this.#closing) return new ClosedError('connection closed');
    if (this.#tlsHandshaking) {
      return new TlsError(
        ErrorCode.ERR_TLS,
        `${this.endpoint} closed the connection during the TLS handshake`,
      );
    }
    const phase = this.#info ? '' : ' during the handshake';
    const said = this.#lastWord();
    if (said !== undefined) return said;
    return new ConnectionError(
      ErrorCode.ERR_CONNECTION_CLOSED,
      `${this.endpoint} closed the connection${phase}`,
    );
  }

  /**
   * The failure of a session the server hung up on after an ERR packet no command will read (MySQL
   * 8.0.24+ sends 4031 to an idle session at wait_timeout), quoting it; undefined when no such packet
   * is queued or a command is running (the command reads the packet itself).
   */
  #lastWord(): ConnectionError | undefined {
    if (!this.#info || this.#inCommand || this.#rawExchange) return undefined;
    const last = this.#queue.peekLast();
    if (last === undefined || !isErrPacket(last)) return undefined;
    let said: ServerError;
    try {
      said = decodeErrPacket(last);
    } catch {
      return undefined; // a malformed ERR packet: the plain message
    }
    return new ConnectionError(
      ErrorCode.ERR_CONNECTION_CLOSED,
      `${this.endpoint} closed the connection: ${oneLine(said.message)}`,
      { cause: said },
    );
  }

  #onSocketError(err: NodeJS.ErrnoException): void {
    if (this.#failure) return;
    // a reset after our COM_QUIT (MariaDB 11.8 over TLS does this) is still just the end
    if (this.#closing) {
      this.#fail(new ClosedError('connection closed'));
      return;
    }
    if (this.#tlsHandshaking) {
      this.#fail(
        new TlsError(
          ErrorCode.ERR_TLS,
          `TLS handshake with ${this.endpoint} failed: ${oneLine(err.message)}`,
          {
            cause: err,
          },
        ),
      );
      return;
    }
    this.#fail(
      this.#lastWord() ??
        mapSocketError(err, this.endpoint, this.#setup.unixSocket, this.#info !== undefined),
    );
  }

  // ---- used by connect() ----

  /** @internal Upgrades to TLS over the same socket (after SSLRequest). */
  async startTls(options: TlsConnectOptions): Promise<void> {
    if (this.#reader.pending > 0 || this.#queue.length > 0) {
      throw new ProtocolError(ErrorCode.ERR_PROTOCOL, `${this.endpoint} sent data before the TLS handshake`);
    }
    const raw = this.#socket;
    raw.removeListener('data', this.#onData);
    this.#tlsHandshaking = true;
    let secure: TLSSocket;
    try {
      secure = tlsConnect({ ...options, socket: raw });
    } catch (e) {
      // the options' own fault, before any byte is sent: a key that is not the certificate's, an
      // encrypted key without its passphrase, a file that is no PEM key or certificate
      throw new TlsError(ErrorCode.ERR_TLS, `TLS options refused: ${oneLine((e as Error).message)}`, {
        cause: e,
      });
    }
    this.#socket = secure;
    this.#attach(secure);
    await this.#waitFor(secure, 'secureConnect', undefined, 'TLS handshake');
    this.#tlsHandshaking = false;
  }

  /** @internal Called by connect() once authenticated. */
  ready(info: ServerInfo): void {
    this.#info = info;
    this.#reader.maxPayload = this.#setup.maxPacketSize;
  }
}

// A FAKE MySQL server on 127.0.0.1, scripted per test, for the faults a real server cannot be made to
// produce (garbage, hang-ups mid-handshake, unknown auth plugins, wrong sequence ids). Its packets are
// built by hand here, independently of src/protocol, following the layouts on dev.mysql.com. Never use
// it where a real server (test/harness/servers.ts) can answer.
import { createServer, type Server, type Socket } from 'node:net';

export interface FakePacket {
  seq: number;
  payload: Buffer;
}

/** One accepted client connection, seen from the fake server. */
export class FakeClient {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on('error', () => undefined);
  }

  /** Sends one packet: u24 LE length, sequence id, payload. */
  send(payload: Buffer, seq: number): void {
    const h = Buffer.alloc(4);
    h.writeUIntLE(payload.length, 0, 3);
    h[3] = seq;
    this.socket.write(Buffer.concat([h, payload]));
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next packet from the client; rejects if the client hangs up first. */
  async read(): Promise<FakePacket> {
    for (;;) {
      if (this.buf.length >= 4) {
        const len = this.buf.readUIntLE(0, 3);
        if (this.buf.length >= 4 + len) {
          const p = { seq: this.buf[3], payload: this.buf.subarray(4, 4 + len) };
          this.buf = this.buf.subarray(4 + len);
          return p;
        }
      }
      if (this.ended) throw new Error('fake server: client closed the connection');
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

export type Script = (client: FakeClient) => void | Promise<void>;

export interface FakeServer {
  readonly port: number;
  /** Errors thrown by the script (assertions on what the client sent). */
  readonly scriptErrors: unknown[];
  /** Resolves when the script of the n-th connection (0-based) has finished. */
  done(n?: number): Promise<void>;
  /** Resolves when every accepted connection has closed on the server side too. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeServer(script: Script): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const finished: Array<Promise<void>> = [];
  const scriptErrors: unknown[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    finished.push(
      (async () => {
        try {
          await script(new FakeClient(socket));
        } catch (err) {
          scriptErrors.push(err);
        }
      })(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    scriptErrors,
    done: async (n = 0) => {
      while (finished.length <= n) await new Promise((r) => setTimeout(r, 5));
      await finished[n];
    },
    settled: async () => {
      while (sockets.size > 0) await new Promise((r) => setTimeout(r, 5));
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

// ---- hand-built server packets ----

export const FAKE_SCRAMBLE = Buffer.from('0102030405060708090a0b0c0d0e0f1011121314', 'hex');

// capability bits (include/mysql_com.h)
const LONG_PASSWORD = 1;
const CONNECT_WITH_DB = 8;
const PROTOCOL_41 = 512;
const SSL = 2048;
const TRANSACTIONS = 8192;
const SECURE_CONNECTION = 32768;
const PLUGIN_AUTH = 1 << 19;
const CONNECT_ATTRS = 1 << 20;
const PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
const DEPRECATE_EOF = 1 << 24;

export interface GreetingOptions {
  plugin?: string;
  ssl?: boolean;
  protocolVersion?: number;
  /** Offer CLIENT_DEPRECATE_EOF (default true). */
  deprecateEof?: boolean;
}

/** Protocol::HandshakeV10 for server version "8.0.99-fake", connection id 7. */
export function fakeGreeting(o: GreetingOptions = {}): Buffer {
  const caps =
    LONG_PASSWORD |
    CONNECT_WITH_DB |
    PROTOCOL_41 |
    TRANSACTIONS |
    SECURE_CONNECTION |
    PLUGIN_AUTH |
    CONNECT_ATTRS |
    PLUGIN_AUTH_LENENC_CLIENT_DATA |
    (o.deprecateEof === false ? 0 : DEPRECATE_EOF) |
    (o.ssl ? SSL : 0);
  const head = Buffer.concat([Buffer.from([o.protocolVersion ?? 10]), Buffer.from('8.0.99-fake\0')]);
  const rest = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10);
  let p = 0;
  rest.writeUInt32LE(7, p); // connection_id
  p += 4;
  FAKE_SCRAMBLE.copy(rest, p, 0, 8); // auth_data_1
  p += 8;
  rest[p++] = 0; // filler
  rest.writeUInt16LE(caps & 0xffff, p); // capabilities_lo
  p += 2;
  rest[p++] = 45; // character_set
  rest.writeUInt16LE(2, p); // status_flags
  p += 2;
  rest.writeUInt16LE(caps >>> 16, p); // capabilities_hi
  p += 2;
  rest[p++] = 21; // auth_data_len
  // 10 reserved zero bytes
  return Buffer.concat([
    head,
    rest,
    FAKE_SCRAMBLE.subarray(8), // auth_data_2
    Buffer.from([0]),
    Buffer.from(`${o.plugin ?? 'mysql_native_password'}\0`),
  ]);
}

/** OK: affected_rows 0, last_insert_id 0, status AUTOCOMMIT, warnings 0. */
export const FAKE_OK = Buffer.from('00000002000000', 'hex');

export function fakeErr(errno: number, sqlState: string, message: string): Buffer {
  const b = Buffer.alloc(3);
  b[0] = 0xff;
  b.writeUInt16LE(errno, 1);
  return Buffer.concat([b, Buffer.from(`#${sqlState}${message}`)]);
}

export function fakeAuthSwitch(plugin: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xfe]), Buffer.from(`${plugin}\0`), data]);
}

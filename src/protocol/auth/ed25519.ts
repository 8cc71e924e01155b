// Ed25519 signing (RFC 8032 §5.1) with BigInt, for MariaDB's client_ed25519.
// MariaDB (plugin/auth_ed25519/ref10/sign.c, 10.4+) hashes the *password* of any length with SHA-512
// where RFC 8032 hashes a 32-byte seed; the rest is standard Ed25519. Node's crypto only takes 32-byte
// seeds, hence this implementation. With a 32-byte secret it is exactly RFC 8032 Ed25519.
//
// Not constant-time (BigInt arithmetic is not): fine for signing a login nonce on the client, where the
// secret is the user's own password, but do not reuse it for server-side or long-lived keys.
import { createHash } from 'node:crypto';

const P = 2n ** 255n - 19n;
/** Group order. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function mod(a: bigint, m: bigint = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function inv(a: bigint): bigint {
  return pow(a, P - 2n);
}

const D = mod(-121665n * inv(121666n));
const D2 = mod(2n * D);
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** Extended homogeneous coordinates: x = X/Z, y = Y/Z, x·y = T/Z. */
interface Point {
  X: bigint;
  Y: bigint;
  Z: bigint;
  T: bigint;
}

const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };

function add(p: Point, q: Point): Point {
  const a = mod((p.Y - p.X) * (q.Y - q.X));
  const b = mod((p.Y + p.X) * (q.Y + q.X));
  const c = mod(p.T * D2 * q.T);
  const d = mod(2n * p.Z * q.Z);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return { X: mod(e * f), Y: mod(g * h), Z: mod(f * g), T: mod(e * h) };
}

function double(p: Point): Point {
  const a = mod(p.X * p.X);
  const b = mod(p.Y * p.Y);
  const c = mod(2n * p.Z * p.Z);
  const h = a + b;
  const s = p.X + p.Y;
  const e = h - mod(s * s);
  const g = a - b;
  const f = c + g;
  return { X: mod(e * f), Y: mod(g * h), Z: mod(f * g), T: mod(e * h) };
}

/** x from y and the sign bit (RFC 8032 §5.1.3); used once, for the base point. */
function recoverX(y: bigint, sign: number): bigint {
  const x2 = mod((y * y - 1n) * inv(D * y * y + 1n));
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x - x2) !== 0n) x = mod(x * SQRT_M1);
  if (Number(x & 1n) !== sign) x = P - x;
  return x;
}

const BASE_Y = mod(4n * inv(5n));
const BASE_X = recoverX(BASE_Y, 0);
const BASE: Point = { X: BASE_X, Y: BASE_Y, Z: 1n, T: mod(BASE_X * BASE_Y) };

function multiply(scalar: bigint, point: Point): Point {
  let q = IDENTITY;
  for (let i = 255; i >= 0; i--) {
    q = double(q);
    // add on every bit and keep the sum only for set bits: the work does not depend on the bits
    const sum = add(q, point);
    if ((scalar >> BigInt(i)) & 1n) q = sum;
  }
  return q;
}

function fromLE(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

function toLE32(v: bigint): Buffer {
  const out = Buffer.alloc(32);
  let x = v;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

function encodePoint(p: Point): Buffer {
  const zi = inv(p.Z);
  const x = mod(p.X * zi);
  const y = mod(p.Y * zi);
  const out = toLE32(y);
  out[31] |= Number(x & 1n) << 7;
  return out;
}

function sha512(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The secret scalar and nonce prefix from SHA-512 of the secret (RFC 8032 §5.1.5, MariaDB: any length). */
function expand(secret: Uint8Array): { a: bigint; prefix: Buffer } {
  const h = sha512(secret);
  const s = Buffer.from(h.subarray(0, 32));
  s[0] &= 248;
  s[31] &= 63;
  s[31] |= 64;
  return { a: fromLE(s), prefix: h.subarray(32) };
}

/** The 32-byte public key for `secret` (MariaDB stores it base64-encoded as the ed25519 "password"). */
export function ed25519PublicKey(secret: Uint8Array): Buffer {
  return encodePoint(multiply(expand(secret).a, BASE));
}

/** The 64-byte signature R ‖ S of `message` (RFC 8032 §5.1.6). */
export function ed25519Sign(message: Uint8Array, secret: Uint8Array): Buffer {
  const { a, prefix } = expand(secret);
  const publicKey = encodePoint(multiply(a, BASE));
  const r = mod(fromLE(sha512(prefix, message)), L);
  const R = encodePoint(multiply(r, BASE));
  const k = mod(fromLE(sha512(R, publicKey, message)), L);
  const S = mod(r + k * a, L);
  return Buffer.concat([R, toLE32(S)]);
}

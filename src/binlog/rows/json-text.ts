// How MySQL prints JSON scalars in CAST(j AS CHAR): mysql-server sql-common/json_dom.cc (double_quote,
// escape_character, wrapper_to_string's J_DOUBLE case), strings/dtoa.cc (my_gcvt), mysys/base64.cc
// (base64_encode), 8.4 / 9.x.

const HEX = '0123456789abcdef';
const ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

/** A JSON string literal as MySQL's double_quote writes it. */
export function quoteJsonString(s: string): string {
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) break;
    i++;
  }
  if (i === n) return '"' + s + '"';
  let out = '"' + s.slice(0, i);
  let from = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += s.slice(from, i) + (ESCAPES[c] ?? '\\u00' + HEX[c >> 4] + HEX[c & 15]);
    from = i + 1;
  }
  return out + s.slice(from) + '"';
}

/** mysys base64_encode: standard alphabet with padding, a "\n" after every 76 output characters. */
export function mysqlBase64(buf: Buffer, start: number, end: number): string {
  const b64 = buf.toString('base64', start, end);
  if (b64.length <= 76) return b64;
  let out = b64.slice(0, 76);
  for (let i = 76; i < b64.length; i += 76) out += '\n' + b64.slice(i, i + 76);
  return out;
}

/** MAX_DECPT_FOR_F_FORMAT (DBL_DIG) and the JSON printer's field width MY_GCVT_MAX_FIELD_WIDTH. */
const MAX_DECPT_F = 15;
const GCVT_WIDTH = 34;

/**
 * A JSON double as MySQL prints it: my_gcvt(d, MY_GCVT_ARG_DOUBLE, 34) — the shortest round-trip digits
 * (dtoa mode 4 with 34 digits never truncates a double), in 'f' notation when that fits and the decimal
 * exponent is within -14..15 (or the value has a fraction), else as "1.5e-300" (no "+", no exponent
 * padding) — then ".0" when the result has neither "." nor "e" (json_dom.cc). NaN and ±Infinity, which
 * MySQL cannot store in JSON, print as my_gcvt's overflow "0" plus ".0".
 */
export function jsonDoubleToText(d: number): string {
  if (!Number.isFinite(d)) return '0.0';
  const sign = d < 0 || Object.is(d, -0) ? '-' : '';
  const width = d < 0 ? GCVT_WIDTH - 1 : GCVT_WIDTH;
  let digits: string;
  let decpt: number;
  if (d === 0) {
    digits = '0';
    decpt = 1;
  } else {
    const e = Math.abs(d).toExponential();
    const at = e.indexOf('e');
    digits = e.charCodeAt(1) === 46 ? e[0] + e.slice(2, at) : e.slice(0, at);
    decpt = Number(e.slice(at + 1)) + 1;
  }
  const len = digits.length;
  const haveSpace = (decpt <= 0 ? len - decpt + 2 : decpt < len ? len + 1 : decpt) <= width;
  const expLen = 1 + (decpt >= 101 || decpt <= -99 ? 1 : 0) + (decpt >= 11 || decpt <= -9 ? 1 : 0);
  const forceE = decpt <= 0 && width <= 2 - decpt && width >= 3 + expLen;
  const useF =
    (haveSpace || (decpt <= width && (decpt >= -1 || (decpt === -2 && (len > 1 || !forceE))) && !forceE)) &&
    (!haveSpace || (decpt >= -MAX_DECPT_F + 1 && (decpt <= MAX_DECPT_F || len > decpt)));
  let out: string;
  if (useF) {
    // With at most 17 digits and a width of 33/34 the 'f' form always fits: no re-rounding step.
    if (decpt <= 0) out = sign + '0.' + '0'.repeat(-decpt) + digits;
    else if (decpt < len) out = sign + digits.slice(0, decpt) + '.' + digits.slice(decpt);
    else out = sign + digits + '0'.repeat(decpt - len);
    return out.includes('.') ? out : out + '.0';
  }
  const exp = decpt - 1;
  return (
    sign + digits[0] + (len > 1 ? '.' + digits.slice(1) : '') + 'e' + (exp < 0 ? '-' : '') + Math.abs(exp)
  );
}

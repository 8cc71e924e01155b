// Test helper: parses the JSON text a server prints into the JS values binlogsync's contract uses, so that
// decodeJsonBinary can be compared with the server's own CAST(j AS CHAR): integers as numbers, or bigint
// outside ±(2^53 - 1); other numbers as doubles. (Decimals and opaque values print like doubles and
// strings; tests give their values explicitly.)
export type Parsed = null | boolean | number | bigint | string | Parsed[] | { [k: string]: Parsed };

export function parseJsonText(text: string): Parsed {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): Parsed => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [k: string]: Parsed } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const k = value() as string;
        ws();
        if (text[i++] !== ':') throw new Error(`expected : at ${i}`);
        const v = value();
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        const sep = text[i++];
        if (sep === '}') return obj;
        if (sep !== ',') throw new Error(`expected , or } at ${i}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: Parsed[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return arr;
        if (sep !== ',') throw new Error(`expected , or ] at ${i}`);
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)) as string;
      i = j + 1;
      return s;
    }
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    let j = i;
    while (j < text.length && '+-0123456789.eE'.includes(text[j])) j++;
    const num = text.slice(i, j);
    i = j;
    if (/^-?\d+$/.test(num)) {
      const n = Number(num);
      return Number.isSafeInteger(n) ? n : BigInt(num);
    }
    return Number(num);
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error(`trailing text at ${i}`);
  return v;
}

// Objects of a JSON column built from object literals. The documents of one column mostly repeat a
// few key lists ({"id": …, "tags": […], "ok": …} in every row); building such an object one keyed store
// at a time (`obj[key] = v`) costs a megamorphic store per key, ~20 ns each, where a compiled literal
// for the key list makes the whole object in ~10 ns with its final shape at once. So a key list seen
// often in a column gets a literal of its own, as the row builder does for a table's columns
// (row-image.ts). Owned by the caller (one per column plan, so one per table map), never module state;
// the compiled literals are kept by the decode context, shared by every table map (one per
// transaction) of every table.
import type { JsonValue } from './json-binary.js';

type BuildObject = (values: (JsonValue | undefined)[], base: number) => { [k: string]: JsonValue };

interface Shape {
  keys: string[];
  seen: number;
  build: BuildObject | undefined;
  /** the literal's source (the key of the shared cache), once it was seen twice */
  src: string | undefined;
}

/** a key list gets its literal once it has been seen this often (one-off lists never compile) */
const COMPILE_AFTER = 8;
/** key lists remembered per column; a list that does not fit replaces them in turn */
const MAX_SHAPES = 8;
/** literals compiled per column at most: a column whose key lists keep changing stops compiling */
const MAX_COMPILED = 64;
/** a longer key list is assigned key by key (the literal's source would be as long as the keys) */
const MAX_KEYS = 64;
/** literals kept in a shared cache; past this many it starts over */
const MAX_SHARED = 1024;

/**
 * The key and value stacks the JSON decoder fills while it reads an object (nested objects above their
 * parents), and the literals for the key lists it keeps seeing.
 */
export class ObjectShapes {
  /** the values of the objects being read: values[base + i] is member i */
  readonly values: (JsonValue | undefined)[] = [];
  /** their keys, at the same indices */
  readonly keys: string[] = [];
  /** first free index of the stacks */
  top = 0;
  private readonly shapes: Shape[] = [];
  private replace = 0;
  private compiled = 0;
  /** the shape of the last object made from a known key list */
  private last: Shape | undefined;
  /** compiled literals by their source, shared with the other columns and table maps */
  private readonly literals: Map<string, unknown>;

  /** `literals`: the decode context's cache of compiled literals (a cache of its own when absent) */
  constructor(literals?: Map<string, unknown>) {
    this.literals = literals ?? new Map<string, unknown>();
  }

  /**
   * The object of the `count` members at [base, base + count) of the stacks; their values are cleared
   * (the stacks keep no value of a document past its decoding).
   */
  make(base: number, count: number): { [k: string]: JsonValue } {
    if (count === 0) return {};
    // the key list of the previous object first: most columns have one
    const last = this.last;
    const obj =
      last !== undefined && last.build !== undefined && sameKeys(last.keys, this.keys, base, count)
        ? last.build(this.values, base)
        : this.build(base, count);
    const values = this.values;
    for (let i = base + count - 1; i >= base; i--) values[i] = undefined;
    return obj;
  }

  private build(base: number, count: number): { [k: string]: JsonValue } {
    const keys = this.keys;
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s];
      if (!sameKeys(shape.keys, keys, base, count)) continue;
      this.last = shape;
      if (shape.build !== undefined) return shape.build(this.values, base);
      const seen = ++shape.seen;
      // seen twice: a literal another table map compiled is taken at once (one-off lists never
      // get this far, so they never pay for the source text)
      if (seen === 2) {
        shape.src = literalSource(shape.keys);
        shape.build = shape.src === undefined ? undefined : (this.literals.get(shape.src) as BuildObject);
      } else if (seen >= COMPILE_AFTER && shape.src !== undefined && this.compiled < MAX_COMPILED) {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        shape.build = new Function('v', 'b', shape.src) as BuildObject;
        this.compiled++;
        if (this.literals.size >= MAX_SHARED) this.literals.clear();
        this.literals.set(shape.src, shape.build);
      }
      return shape.build !== undefined ? shape.build(this.values, base) : this.assign(base, count);
    }
    if (count <= MAX_KEYS) {
      const shape: Shape = {
        keys: keys.slice(base, base + count),
        seen: 1,
        build: undefined,
        src: undefined,
      };
      if (shapes.length < MAX_SHAPES) shapes.push(shape);
      else {
        shapes[this.replace] = shape;
        this.replace = (this.replace + 1) % MAX_SHAPES;
      }
    }
    return this.assign(base, count);
  }

  /** The object built one member at a time (what the literal does at once). */
  private assign(base: number, count: number): { [k: string]: JsonValue } {
    const obj: { [k: string]: JsonValue } = {};
    const keys = this.keys;
    const values = this.values;
    for (let i = 0; i < count; i++) {
      const k = keys[base + i];
      // a plain store would set the prototype
      if (k === '__proto__')
        Object.defineProperty(obj, k, {
          value: values[base + i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else obj[k] = values[base + i] as JsonValue;
    }
    return obj;
  }
}

/**
 * The body of `(v, b) => ({ "k0": v[b], "k1": v[b + 1], … })`; undefined for a list with `__proto__` (a
 * literal would set the prototype with it). Keys go into the source only as JSON.stringify'd string
 * literals; a key repeated (a malformed document) keeps its first place and its last value, as the
 * stores do.
 */
function literalSource(keys: string[]): string | undefined {
  if (keys.includes('__proto__')) return undefined;
  const members = keys.map((k, i) => `${JSON.stringify(k)}: v[b + ${i}]`);
  return `'use strict';\nreturn { ${members.join(', ')} };`;
}

/** keys[base, base + count) is the key list `list`. */
function sameKeys(list: string[], keys: string[], base: number, count: number): boolean {
  if (list.length !== count) return false;
  for (let i = 0; i < count; i++) if (list[i] !== keys[base + i]) return false;
  return true;
}

// Sorted GNO interval lists, stored flat: [start0, end0, start1, end1, …] with exclusive ends, as
// mysql-server sql/rpl_gtid_set.cc keeps them (Gtid_set::Interval). Intervals are disjoint and never
// touch: end(k) < start(k + 1). All values are bigint (GNOs go up to 2^63 - 2).

export type Intervals = bigint[];

/** Smallest k with end(k) >= x (the first interval that touches or follows x); n if none. */
function firstEndAtLeast(iv: Intervals, x: bigint): number {
  let lo = 0;
  let hi = iv.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (iv[2 * mid + 1] >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Smallest k >= from with start(k) > x; n if none. */
function firstStartAbove(iv: Intervals, x: bigint, from: number): number {
  let lo = from;
  let hi = iv.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (iv[2 * mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Adds [s, e) (s < e), merging with the intervals it overlaps or touches. */
export function addInterval(iv: Intervals, s: bigint, e: bigint): void {
  const n = iv.length;
  // Fast path for the replication stream: the new GNO extends or follows the last interval.
  if (n === 0 || s > iv[n - 1]) {
    iv.push(s, e);
    return;
  }
  if (s >= iv[n - 2]) {
    if (e > iv[n - 1]) iv[n - 1] = e;
    return;
  }
  const i = firstEndAtLeast(iv, s);
  const j = firstStartAbove(iv, e, i);
  if (i === j) {
    iv.splice(2 * i, 0, s, e);
    return;
  }
  const start = iv[2 * i] < s ? iv[2 * i] : s;
  const end = iv[2 * j - 1] > e ? iv[2 * j - 1] : e;
  iv.splice(2 * i, 2 * (j - i), start, end);
}

/** Removes [s, e) (s < e). */
export function removeInterval(iv: Intervals, s: bigint, e: bigint): void {
  // first interval that ends after s, then the first one that starts at or after e
  let i = firstEndAtLeast(iv, s);
  if (i < iv.length >> 1 && iv[2 * i + 1] === s) i++;
  let j = i;
  while (j < iv.length >> 1 && iv[2 * j] < e) j++;
  if (i === j) return;
  const pieces: bigint[] = [];
  if (iv[2 * i] < s) pieces.push(iv[2 * i], s);
  if (iv[2 * j - 1] > e) pieces.push(e, iv[2 * j - 1]);
  iv.splice(2 * i, 2 * (j - i), ...pieces);
}

/** Whether [s, e) lies inside one interval. */
export function coversInterval(iv: Intervals, s: bigint, e: bigint): boolean {
  const k = firstEndAtLeast(iv, e);
  return k < iv.length >> 1 && iv[2 * k] <= s;
}

export function containsGno(iv: Intervals, gno: bigint): boolean {
  return coversInterval(iv, gno, gno + 1n);
}

/** Whether every interval of `sub` lies inside `sup`. */
export function isSubset(sub: Intervals, sup: Intervals): boolean {
  for (let k = 0; k < sub.length; k += 2) if (!coversInterval(sup, sub[k], sub[k + 1])) return false;
  return true;
}

export function intersect(a: Intervals, b: Intervals): Intervals {
  const out: Intervals = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = a[i] > b[j] ? a[i] : b[j];
    const e = a[i + 1] < b[j + 1] ? a[i + 1] : b[j + 1];
    if (s < e) out.push(s, e);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

export function intervalsEqual(a: Intervals, b: Intervals): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Number of GNOs in the list. */
export function countGnos(iv: Intervals): bigint {
  let n = 0n;
  for (let k = 0; k < iv.length; k += 2) n += iv[k + 1] - iv[k];
  return n;
}

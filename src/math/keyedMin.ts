/**
 * The least of a set of keyed numbers, kept up to date as they change: a tournament tree over
 * slots, so a set or a delete costs O(log n) and the min O(1), where a re-scan costs O(n). NaN
 * follows Math.min: any NaN held makes the min NaN. With nothing held the min is +Infinity.
 */
export class KeyedMin<K> {
  private readonly values = new Map<K, number>();
  private readonly slotOf = new Map<K, number>();
  private readonly free: number[] = [];
  private used = 0;
  private nan = 0;
  /** Leaves at [cap, 2·cap) (NaN held as +Infinity, counted apart), each inner node the min of its two. */
  private tree = new Float64Array(2).fill(Number.POSITIVE_INFINITY);
  private cap = 1;

  get size(): number {
    return this.values.size;
  }

  set(key: K, value: number): void {
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.used++;
      if (slot >= this.cap) this.grow();
      this.slotOf.set(key, slot);
    }
    const old = this.values.get(key);
    if (old !== undefined && Number.isNaN(old)) this.nan -= 1;
    if (Number.isNaN(value)) this.nan += 1;
    this.values.set(key, value);
    this.update(slot, value);
  }

  delete(key: K): void {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return;
    if (Number.isNaN(this.values.get(key)!)) this.nan -= 1;
    this.values.delete(key);
    this.slotOf.delete(key);
    this.free.push(slot);
    this.update(slot, Number.POSITIVE_INFINITY);
  }

  min(): number {
    return this.nan > 0 ? Number.NaN : this.tree[1]!;
  }

  private update(slot: number, value: number): void {
    let i = slot + this.cap;
    this.tree[i] = Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
    while (i > 1) {
      i >>= 1;
      this.tree[i] = Math.min(this.tree[2 * i]!, this.tree[2 * i + 1]!);
    }
  }

  /** Doubles the slots (amortised O(1) a slot). */
  private grow(): void {
    const cap = this.cap * 2;
    const tree = new Float64Array(2 * cap).fill(Number.POSITIVE_INFINITY);
    tree.set(this.tree.subarray(this.cap, 2 * this.cap), cap);
    for (let i = cap - 1; i >= 1; i--) tree[i] = Math.min(tree[2 * i]!, tree[2 * i + 1]!);
    this.tree = tree;
    this.cap = cap;
  }
}

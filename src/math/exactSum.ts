/**
 * A running sum of floats that stays exact however many values come and go: the sum is held as
 * non-overlapping partials (Shewchuk's algorithm, as in Python's math.fsum), so adding x and later
 * removing the same x cancels exactly, and `value()` is the exact sum of the values held, rounded
 * once (half-even). It never drifts, and its value depends only on which values are held, not on
 * the order they came and went in. An add or a remove costs O(partials): a handful in practice,
 * never more than ~40 (the exponent range of a double over its 53-bit mantissa).
 *
 * Non-finite values follow IEEE addition: any NaN, or +Infinity with -Infinity, gives NaN; an
 * infinity otherwise wins. Finite values are assumed not to overflow together (|Σ| < 2^1023).
 */
export class ExactSum {
  /** Non-overlapping partials, increasing in magnitude. */
  private readonly partials: number[] = [];
  private nan = 0;
  private posInf = 0;
  private negInf = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.countSpecial(x, 1);
      return;
    }
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    if (x !== 0) p.push(x);
  }

  /** Takes out a value added before (exactly: the sum is as if it had never been added). */
  remove(x: number): void {
    if (!Number.isFinite(x)) {
      this.countSpecial(x, -1);
      return;
    }
    this.add(-x);
  }

  /** The sum of the values held, correctly rounded. */
  value(): number {
    if (this.nan > 0 || (this.posInf > 0 && this.negInf > 0)) return Number.NaN;
    if (this.posInf > 0) return Number.POSITIVE_INFINITY;
    if (this.negInf > 0) return Number.NEGATIVE_INFINITY;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    // from the top, until the sum becomes inexact
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // half-even rounding across partials: the rest pushes a tie the way of its sign
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  private countSpecial(x: number, by: 1 | -1): void {
    if (Number.isNaN(x)) this.nan += by;
    else if (x > 0) this.posInf += by;
    else this.negInf += by;
  }
}

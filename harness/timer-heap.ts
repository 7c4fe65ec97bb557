// Pending Timer resumptions, earliest first; equal times resume in the order
// they were registered.
import type { Reject, Resume } from './wait-list.ts';

export interface TimerEntry {
  time: number;
  seq: number;
  resume: Resume;
  reject: Reject;
  counted: boolean;
  value: unknown;
}

export class TimerHeap {
  private heap: TimerEntry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest entry, Infinity when empty. */
  peekTime(): number {
    return this.heap.length ? this.heap[0]!.time : Infinity;
  }

  push(time: number, resume: Resume, reject: Reject, counted: boolean, value: unknown): void {
    const h = this.heap;
    h.push({ time, seq: this.seq++, resume, reject, counted, value });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  pop(): TimerEntry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Removes the entry resumed by `resume` (First's losers). */
  remove(resume: Resume): void {
    const keep = this.heap.filter((e) => e.resume !== resume);
    if (keep.length === this.heap.length) return;
    this.heap = keep.sort((a, b) => (less(a, b) ? -1 : 1)); // a sorted array is a heap
  }

  /** Takes every entry out, for cancellation at the end of a test. */
  drain(): TimerEntry[] {
    const all = this.heap;
    this.heap = [];
    return all;
  }
}

function less(a: TimerEntry, b: TimerEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

// Callbacks waiting on one thing (an edge of a signal, a phase, an event).
// Each entry is (resume, reject, counted): `counted` marks a suspended task,
// which the scheduler must see resume before it moves on; internal callbacks
// (First, Combine) are not counted. Stored flat, without an object per entry,
// because the per-cycle path adds and fires one on every edge.
export type Resume = (value: unknown) => void;
export type Reject = (reason: unknown) => void;

/** The simulation side a WaitList reports to (harness/simulation.ts). */
export interface WaitOwner {
  /** Called before each counted resume. */
  readonly onCounted: () => void;
  /** Lists to cancel when the test ends. */
  adopt(list: WaitList): void;
}

export class WaitList {
  // Entries live in items[0, n); `spare` is the other buffer, swapped in while
  // firing so entries added meanwhile wait for the next fire. Stale slots past
  // n are overwritten, never read (no shrinking on the per-cycle path).
  private items: unknown[] = [];
  private spare: unknown[] = [];
  private n = 0;
  private owner: WaitOwner | undefined;

  /** `value` is what an awaiting task receives. */
  constructor(readonly value: unknown = undefined) {}

  get size(): number {
    return this.n / 3;
  }

  add(owner: WaitOwner, resume: Resume, reject: Reject, counted: boolean): void {
    if (this.owner !== owner) {
      this.owner = owner;
      owner.adopt(this);
    }
    const a = this.items;
    const n = this.n;
    a[n] = resume;
    a[n + 1] = reject;
    a[n + 2] = counted;
    this.n = n + 3;
  }

  /** Removes the entry whose resume is `resume`; returns whether it was there. */
  remove(resume: Resume): boolean {
    const a = this.items;
    for (let i = 0; i < this.n; i += 3) {
      if (a[i] === resume) {
        a.splice(i, 3);
        this.n -= 3;
        return true;
      }
    }
    return false;
  }

  /** Takes every entry out and resumes it. */
  fire(value: unknown = this.value): void {
    const n = this.n;
    if (n === 0) return;
    const a = this.items;
    const onCounted = this.owner!.onCounted;
    this.items = this.spare;
    this.spare = a;
    this.n = 0;
    for (let i = 0; i < n; i += 3) {
      if (a[i + 2]) onCounted();
      (a[i] as Resume)(value);
    }
  }

  /** Resumes only the first entry (Lock, Queue); returns whether there was one. */
  fireOne(value: unknown = this.value): boolean {
    if (this.n === 0) return false;
    const [resume, , counted] = this.items.splice(0, 3) as [Resume, Reject, boolean];
    this.n -= 3;
    if (counted) this.owner!.onCounted();
    resume(value);
    return true;
  }

  /** Takes every entry out and rejects it with `reason`, counted like fire (a cancelled task's joiners). */
  fireReject(reason: unknown): void {
    const n = this.n;
    if (n === 0) return;
    const a = this.items.slice(0, n);
    this.n = 0;
    const onCounted = this.owner!.onCounted;
    for (let i = 0; i < n; i += 3) {
      if (a[i + 2]) onCounted();
      (a[i + 1] as Reject)(reason);
    }
  }

  /** Takes every entry out and rejects it with `reason`. */
  rejectAll(reason: unknown): void {
    const a = this.items.slice(0, this.n);
    this.items = [];
    this.spare = [];
    this.n = 0;
    for (let i = 0; i < a.length; i += 3) (a[i + 1] as Reject)(reason);
  }
}

/** A fixed-capacity list that forgets its oldest entries: recent history without unbounded memory. */
export class BoundedList<T> {
  /** The entries from `start` on; those before it are forgotten, cut off once they fill a capacity's worth. */
  private items: T[] = [];
  private start = 0;
  dropped = 0;

  constructor(readonly capacity: number) {}

  /** Adds an entry, forgetting the oldest beyond capacity (amortised O(1): a push every tick costs no copy of the list). */
  push(item: T): void {
    this.items.push(item);
    if (this.items.length - this.start > this.capacity) {
      this.start++;
      this.dropped++;
      if (this.start >= this.capacity) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Replaces the contents (oldest first), keeping the newest `capacity`. */
  replace(items: readonly T[]): void {
    this.items = items.slice(Math.max(0, items.length - this.capacity));
    this.start = 0;
  }

  /** Oldest first. */
  toArray(): T[] {
    return this.items.slice(this.start);
  }

  get length(): number {
    return this.items.length - this.start;
  }
}

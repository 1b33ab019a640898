/** A fixed-capacity list that forgets its oldest entries: recent history without unbounded memory. */
export class BoundedList<T> {
  private items: T[] = [];
  dropped = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.splice(0, this.items.length - this.capacity);
      this.dropped++;
    }
  }

  /** Replaces the contents (oldest first), keeping the newest `capacity`. */
  replace(items: readonly T[]): void {
    this.items = items.slice(Math.max(0, items.length - this.capacity));
  }

  /** Oldest first. */
  toArray(): T[] {
    return this.items.slice();
  }

  get length(): number {
    return this.items.length;
  }
}

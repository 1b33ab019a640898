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

  /** Oldest first. */
  toArray(): T[] {
    return this.items.slice();
  }

  get length(): number {
    return this.items.length;
  }
}

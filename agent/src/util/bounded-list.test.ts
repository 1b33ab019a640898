import { BoundedList } from './bounded-list';

describe('BoundedList', () => {
  it('keeps the newest `capacity` entries, oldest first, and counts the pushes that forgot one', () => {
    const list = new BoundedList<number>(3);
    const kept: number[] = [];
    for (let i = 0; i < 20; i++) {
      list.push(i);
      kept.push(i);
      expect(list.toArray()).toEqual(kept.slice(-3));
      expect(list.length).toBe(Math.min(3, i + 1));
      expect(list.dropped).toBe(Math.max(0, i + 1 - 3));
    }
  });

  it('replaces its contents, keeping the newest', () => {
    const list = new BoundedList<number>(3);
    for (let i = 0; i < 5; i++) list.push(i);
    list.replace([7, 8, 9, 10]);
    expect(list.toArray()).toEqual([8, 9, 10]);
    list.push(11);
    expect(list.toArray()).toEqual([9, 10, 11]);
    expect(list.length).toBe(3);
  });

  it('with no capacity keeps nothing', () => {
    const list = new BoundedList<number>(0);
    list.push(1);
    list.push(2);
    expect(list.toArray()).toEqual([]);
    expect(list.dropped).toBe(2);
  });
});

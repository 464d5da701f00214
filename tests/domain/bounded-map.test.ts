import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/domain/bounded-map';

describe('BoundedMap', () => {
  it('keeps the last keys set, the oldest set going first, a key set again counting as new', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    expect([...m]).toEqual([['a', 3], ['c', 4]]);
  });
  it('makes a value once per key it keeps', () => {
    const m = new BoundedMap<string, number>(1);
    let made = 0;
    const make = () => ++made;
    expect([m.of('x', make), m.of('x', make)]).toEqual([1, 1]);
    m.of('y', make);
    expect(m.of('x', make)).toBe(3);
  });
});

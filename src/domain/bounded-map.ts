/**
 * A Map that keeps the last `limit` keys set, the oldest going first: for what is remembered
 * (decrypted, hashed, compiled) so that it never grows with the number of cases.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #limit: number;
  constructor(limit: number) {
    super();
    this.#limit = limit;
  }
  override set(key: K, value: V): this {
    super.delete(key); // a Map iterates in insertion order: set again, a key becomes the newest
    super.set(key, value);
    if (this.size > this.#limit) super.delete(this.keys().next().value as K);
    return this;
  }
  /** What `make` made for `key`, made the first time it is asked for. */
  of(key: K, make: () => V): V {
    if (this.has(key)) return this.get(key) as V;
    const value = make();
    this.set(key, value);
    return value;
  }
}

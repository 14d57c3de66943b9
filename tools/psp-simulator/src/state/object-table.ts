import type { Listable } from './objects.js';

/** Objects of one kind in creation order; Stripe lists them newest first. */
export class ObjectTable<T extends Listable> {
  private readonly byId = new Map<string, T>();

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  put(object: T): T {
    this.byId.set(object.id, object);
    return object;
  }

  newestFirst(): T[] {
    return [...this.byId.values()].reverse();
  }

  all(): IterableIterator<T> {
    return this.byId.values();
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }
}

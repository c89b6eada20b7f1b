/**
 * Just enough IndexedDB for RunStorage in Node: object stores keyed by keyPath, put/get/getAll,
 * transactions that complete in a later task. Writes apply when issued (there is one writer), so a
 * test sees what a transaction wrote once it completed, and which transactions were ever started.
 */
type Rec = Record<string, unknown>;
type Handler = (() => void) | null;

class Req<T> {
  result!: T;
  error: Error | null = null;
  onsuccess: Handler = null;
  onerror: Handler = null;
  onupgradeneeded: Handler = null;
}

class Store {
  constructor(
    private readonly data: Map<string, Rec>,
    private readonly keyPath: string | string[],
    private readonly tx: Tx,
  ) {}
  private key(v: Rec): string {
    return JSON.stringify(Array.isArray(this.keyPath) ? this.keyPath.map((k) => v[k]) : v[this.keyPath]);
  }
  put(v: Rec): Req<undefined> {
    this.data.set(this.key(v), structuredClone(v));
    return this.tx.request(() => undefined);
  }
  get(k: string): Req<Rec | undefined> {
    return this.tx.request(() => structuredClone(this.data.get(JSON.stringify(k))));
  }
  getAll(): Req<Rec[]> {
    return this.tx.request(() => [...this.data.values()].map((v) => structuredClone(v)));
  }
}

class Tx {
  oncomplete: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  error: Error | null = null;
  private open = 0;
  private done = false;
  constructor(
    private readonly db: FakeDb,
    readonly stores: string[],
  ) {
    setTimeout(() => this.maybeComplete(), 0);
  }
  objectStore(name: string): Store {
    const s = this.db.stores.get(name);
    if (!s) throw new Error(`no store ${name}`);
    return new Store(s.data, s.keyPath, this);
  }
  request<T>(read: () => T): Req<T> {
    if (this.done) throw new Error('TransactionInactiveError');
    const r = new Req<T>();
    this.open++;
    setTimeout(() => {
      r.result = read();
      r.onsuccess?.();
      this.open--;
      this.maybeComplete();
    }, 0);
    return r;
  }
  commit(): void {
    /* completes when its requests are done, as without commit() */
  }
  private maybeComplete(): void {
    if (this.open || this.done) return;
    this.done = true;
    setTimeout(() => this.oncomplete?.(), 0);
  }
}

export class FakeDb {
  readonly stores = new Map<string, { data: Map<string, Rec>; keyPath: string | string[] }>();
  /** Every transaction started, with its stores, in order. */
  readonly transactions: string[][] = [];
  get objectStoreNames(): string[] {
    return [...this.stores.keys()];
  }
  createObjectStore(name: string, opts: { keyPath: string | string[] }): void {
    this.stores.set(name, { data: new Map(), keyPath: opts.keyPath });
  }
  deleteObjectStore(name: string): void {
    this.stores.delete(name);
  }
  transaction(stores: string[]): Tx {
    this.transactions.push(stores);
    return new Tx(this, stores);
  }
  /** The stored records of a store (a copy). */
  all(store: string): Rec[] {
    return [...(this.stores.get(store)?.data.values() ?? [])];
  }
}

/** An IDBFactory holding one database. */
export function fakeIndexedDb(db = new FakeDb()): { factory: IDBFactory; db: FakeDb } {
  const factory = {
    open(): Req<FakeDb> {
      const r = new Req<FakeDb>();
      setTimeout(() => {
        r.result = db;
        if (!db.stores.size) r.onupgradeneeded?.();
        r.onsuccess?.();
      }, 0);
      return r;
    },
  };
  return { factory: factory as unknown as IDBFactory, db };
}

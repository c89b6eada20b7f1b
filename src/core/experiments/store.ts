/**
 * Where an experiment's files live, as the engine sees them: paths are relative to the experiment
 * folder, `/`-separated. The CLI backs it with the file system (a shared folder for many shards);
 * the app can back it with IndexedDB. Keeping I/O behind this keeps src/core free of Node.
 */
export interface ExperimentStore {
  /** The file's bytes, or null when it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
  /** Replaces the file as a whole (readers see the old or the new file, never half of one). */
  write(path: string, data: Uint8Array | string): Promise<void>;
  /** Appends text to the file, creating it. */
  append(path: string, text: string): Promise<void>;
  /** Names of the entries of a folder ([] when it does not exist). */
  list(dir: string): Promise<string[]>;
}

/** The file as UTF-8 text, or null. */
export async function readText(store: ExperimentStore, path: string): Promise<string | null> {
  const bytes = await store.read(path);
  return bytes ? new TextDecoder().decode(bytes) : null;
}

/** An in-memory store (tests, and a template for other hosts). */
export function memoryStore(): ExperimentStore & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const bytes = (d: Uint8Array | string) => (typeof d === 'string' ? new TextEncoder().encode(d) : d.slice());
  return {
    files,
    read: async (p) => files.get(p) ?? null,
    write: async (p, d) => void files.set(p, bytes(d)),
    append: async (p, t) => {
      const old = files.get(p) ?? new Uint8Array(0);
      const add = bytes(t);
      const out = new Uint8Array(old.length + add.length);
      out.set(old);
      out.set(add, old.length);
      files.set(p, out);
    },
    list: async (dir) => {
      const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
      const names = [...files.keys()]
        .filter((p) => p.startsWith(prefix))
        .map((p) => p.slice(prefix.length).split('/')[0]);
      return [...new Set(names)];
    },
  };
}

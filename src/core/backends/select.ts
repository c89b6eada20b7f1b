/** The TF.js backends the engine can run on, fastest class first (DEVELOPERS.md). */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(s: string): s is BackendName {
  return (BACKENDS as readonly string[]).includes(s);
}

/** What a host found out about one backend before choosing. */
export interface BackendProbe {
  name: BackendName;
  /** It can be initialised here. */
  available: boolean;
  /** A software rasteriser posing as a GPU (SwiftShader, llvmpipe): far slower than wasm (SPEC §8). */
  software: boolean;
  /** Adapter or renderer description, or why it is unavailable. */
  detail: string;
}

export interface BackendChoice {
  name: BackendName;
  /** One line a person can read: why this backend. */
  reason: string;
}

/**
 * Picks the backend: an explicit override if it is available; else the first available
 * backend in preference order that is not a software GPU. wasm is the fast path without a GPU.
 */
export function chooseBackend(probes: readonly BackendProbe[], override?: string | null): BackendChoice {
  const byName = new Map(probes.map((p) => [p.name, p]));
  if (override) {
    if (!isBackendName(override))
      throw new Error(`unknown backend "${override}" (choose one of ${BACKENDS.join(', ')})`);
    const p = byName.get(override);
    if (!p?.available) throw new Error(`backend ${override} is not available here: ${p?.detail ?? 'not probed'}`);
    return { name: override, reason: `requested${p.software ? ' (software adapter: slow)' : ''}; ${p.detail}` };
  }
  const skipped: string[] = [];
  for (const name of BACKENDS) {
    const p = byName.get(name);
    if (!p?.available) continue;
    if (p.software) {
      skipped.push(`${name} (software: ${p.detail})`);
      continue;
    }
    return { name, reason: `${p.detail}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}` };
  }
  throw new Error('no TF.js backend is available');
}

/** True when a GPU description names a software implementation. */
export function looksSoftware(description: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(description);
}

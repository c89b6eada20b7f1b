/**
 * Downloads that survive a transient network failure (issue #15). The experiment workers all fetch
 * the same MNIST files at once, and Chromium fails all but one of several concurrent downloads of a
 * file too large for its HTTP cache with net::ERR_CACHE_WRITE_FAILURE, which fetch reports as
 * "TypeError: Failed to fetch". A retry bypasses the HTTP cache (`cache: 'no-store'`), so that
 * failure cannot recur; a page going away aborts fetches the same way. No TF.js here.
 */

export interface FetchRetryOptions {
  /** Attempts in all (first try and retries). */
  tries?: number;
  /** Wait before retry r (r = 1, 2, …): r × delayMs. */
  delayMs?: number;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  sleep?: (ms: number) => Promise<void>;
}

export const FETCH_TRIES = 3;

/** A failure worth another try: the network (fetch rejects with a TypeError), an abort, or a busy server. */
export function isTransientFetchError(e: unknown): boolean {
  if (e instanceof TypeError) return true;
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'NetworkError';
}

const transientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

class HttpError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/**
 * The bytes at `url` (`name` in messages). Network errors and HTTP 408/429/5xx are tried again up to
 * `tries` attempts in all; other HTTP errors fail at once with `hint`. The last error names the
 * file, the attempts and the cause.
 */
export async function fetchBytes(url: string, name: string, hint = '', o: FetchRetryOptions = {}): Promise<Uint8Array> {
  const tries = Math.max(1, o.tries ?? FETCH_TRIES);
  const doFetch = o.fetch ?? ((u: string, init?: RequestInit) => fetch(u, init));
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const delayMs = o.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    let why: string;
    try {
      const res = await doFetch(url, attempt === 1 ? undefined : { cache: 'no-store' });
      if (!res.ok) throw new HttpError(`HTTP ${res.status}`, transientStatus(res.status));
      return new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      const transient = e instanceof HttpError ? e.transient : isTransientFetchError(e);
      why = (e as Error).message || String(e);
      if (!transient) throw new Error(`could not load ${name} (${why})${hint ? `; ${hint}` : ''}`);
    }
    if (attempt >= tries)
      throw new Error(
        `could not load ${name} after ${tries} tries (${why}): the network failed or the page was closing`,
      );
    await sleep(delayMs * attempt);
  }
}

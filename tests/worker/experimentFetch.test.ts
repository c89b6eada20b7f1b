import { describe, expect, it } from 'vitest';
import { fetchBytes, isTransientFetchError } from '../../src/worker/experimentFetch';

/** A fetch that answers from a script: an Error is thrown, a number is an HTTP status, a string the body. */
function scripted(answers: Array<Error | number | string>) {
  const calls: Array<RequestInit | undefined> = [];
  const fetch = async (_url: string, init?: RequestInit): Promise<Response> => {
    calls.push(init);
    const a = answers.shift();
    if (a === undefined) throw new Error('no more answers');
    if (a instanceof Error) throw a;
    return typeof a === 'number' ? new Response('', { status: a }) : new Response(a);
  };
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);
  return { calls, waits, o: { fetch, sleep, delayMs: 100 } };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('fetchBytes (issue #15: many workers download MNIST at once)', () => {
  it('tries a network failure again, bypassing the HTTP cache, and returns the bytes', async () => {
    // Chromium fails concurrent downloads of a file too big for its cache: "TypeError: Failed to fetch".
    const f = scripted([new TypeError('Failed to fetch'), 'abc']);
    expect(text(await fetchBytes('u', 'train-images', '', f.o))).toBe('abc');
    expect(f.calls).toEqual([undefined, { cache: 'no-store' }]);
    expect(f.waits).toEqual([100]);
  });

  it('gives up after the tries with a message naming the file, the tries and the cause', async () => {
    const f = scripted([new TypeError('Failed to fetch'), new TypeError('Failed to fetch'), 503]);
    await expect(fetchBytes('u', 'train-images-idx3-ubyte', '', f.o)).rejects.toThrow(
      /^could not load train-images-idx3-ubyte after 3 tries \(HTTP 503\): the network failed or the page was closing$/,
    );
    expect(f.calls).toHaveLength(3);
    expect(f.waits).toEqual([100, 200]);
  });

  it('fails at once on a missing file (HTTP 404) with the hint, and on errors that are not the network', async () => {
    const f = scripted([404]);
    await expect(fetchBytes('u', 'labels', 'run `npm run prepare-data`', f.o)).rejects.toThrow(
      'could not load labels (HTTP 404); run `npm run prepare-data`',
    );
    expect(f.calls).toHaveLength(1);
    const g = scripted([new RangeError('Array buffer allocation failed')]);
    await expect(fetchBytes('u', 'images', '', g.o)).rejects.toThrow(/images \(Array buffer allocation failed\)/);
    expect(g.calls).toHaveLength(1);
  });

  it('counts network errors and aborts as transient, nothing else', () => {
    expect(isTransientFetchError(new TypeError('Failed to fetch'))).toBe(true);
    expect(isTransientFetchError(new DOMException('The user aborted a request.', 'AbortError'))).toBe(true);
    expect(isTransientFetchError(new Error('loss is NaN'))).toBe(false);
    expect(isTransientFetchError(null)).toBe(false);
  });
});

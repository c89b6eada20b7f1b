import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLenet5, ModelFileError } from '../../../src/core/io/checkpoint';
import { createRng } from '../../../src/core/random';

const good = new Uint8Array(readFileSync(join(__dirname, '../../fixtures/torch-lenet5.safetensors')));
const headerLength = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));

/** One random mutation of a valid file: byte flips, truncation, header edits, length lies. */
function mutate(rng: ReturnType<typeof createRng>): Uint8Array {
  const f = good.slice();
  switch (rng.int(7)) {
    case 0: // flip bytes anywhere
      for (let i = rng.int(8) + 1; i > 0; i--) f[rng.int(f.length)] ^= 1 << rng.int(8);
      return f;
    case 1: // flip bytes in the header
      for (let i = rng.int(4) + 1; i > 0; i--) f[8 + rng.int(headerLength)] = rng.int(256);
      return f;
    case 2: // truncate
      return f.subarray(0, rng.int(f.length));
    case 3: // lie about the header length
      new DataView(f.buffer).setBigUint64(
        0,
        BigInt(rng.int(2) ? rng.int(headerLength * 2) : Math.floor(rng.next() * 2 ** 52)),
        true,
      );
      return f;
    case 4: {
      // rewrite a number in the header (shapes, offsets)
      const text = new TextDecoder().decode(f.subarray(8, 8 + headerLength));
      const nums = [...text.matchAll(/\d+/g)];
      const m = nums[rng.int(nums.length)];
      const replaced = text.slice(0, m.index) + String(rng.int(100000)) + text.slice(m.index! + m[0].length);
      const h = new TextEncoder().encode(replaced);
      const out = new Uint8Array(8 + h.length + (f.length - 8 - headerLength));
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      out.set(f.subarray(8 + headerLength), 8 + h.length);
      return out;
    }
    case 5: {
      // a NaN or infinity in the data
      const view = new DataView(f.buffer);
      const at = 8 + headerLength + 4 * rng.int((f.length - 8 - headerLength) / 4);
      view.setFloat32(at, rng.int(2) ? NaN : Infinity, true);
      return f;
    }
    default: // random junk
      return Uint8Array.from({ length: rng.int(400) }, () => rng.int(256));
  }
}

describe('LeNet5 safetensors parser under fuzzing', () => {
  it('rejects or correctly loads 2,000 mutated files: no crash, no hang', () => {
    const rng = createRng(2024);
    let rejected = 0;
    let loaded = 0;
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) {
      const f = mutate(rng);
      try {
        const { params } = readLenet5(f);
        // Anything accepted must be a complete, finite LeNet5.
        expect(params.size).toBe(10);
        for (const v of params.values()) expect(v.every(Number.isFinite)).toBe(true);
        loaded++;
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFileError); // a clear, typed message; never a TypeError or RangeError
        expect((e as Error).message.length).toBeGreaterThan(10);
        rejected++;
      }
    }
    console.log(
      `fuzz: ${rejected} rejected, ${loaded} loaded (mutations that kept the file valid) in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(rejected + loaded).toBe(2000);
    expect(rejected).toBeGreaterThan(1000);
  });
});

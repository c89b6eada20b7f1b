import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '../../../src/core/tf';
import { parseSafetensors, writeSafetensors, SafetensorsError } from '../../../src/core/io/safetensors';
import { readLenet5, writeLenet5, ModelFileError } from '../../../src/core/io/checkpoint';
import { forward, initLenet5Host, toDevice, disposeParams, LENET5 } from '../../../src/core/model/lenet5';
import { fromTorchLayout, toTorchLayout } from '../../../src/core/model/layout';
import { takeSplit } from '../../../src/core/data/mnist';
import { maxAbsDiff, mnist } from '../../helpers';

const fixtures = join(__dirname, '../../fixtures');
const torchFile = new Uint8Array(readFileSync(join(fixtures, 'torch-lenet5.safetensors')));
const torchLogits = JSON.parse(readFileSync(join(fixtures, 'torch-lenet5-logits.json'), 'utf8')).logits as number[][];

describe('safetensors', () => {
  it('round-trips tensors and metadata, with the data 8-byte aligned', () => {
    const a = Float32Array.from([1, -2, 3.5]);
    const b = Float32Array.from({ length: 6 }, (_, i) => i / 7);
    const bytes = writeSafetensors(
      [
        { name: 'a', shape: [3], data: a },
        { name: 'b', shape: [2, 3], data: b },
      ],
      { note: 'x' },
    );
    const header = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + header) % 8).toBe(0);
    const parsed = parseSafetensors(bytes);
    expect(parsed.metadata).toEqual({ note: 'x' });
    expect(parsed.tensors.get('b')!.shape).toEqual([2, 3]);
    expect(Array.from(new Float32Array(parsed.tensors.get('b')!.bytes.slice().buffer))).toEqual(Array.from(b));
  });

  it('rejects lying headers: offsets out of range, gaps, wrong byte counts, unknown dtypes', () => {
    const make = (header: object, dataBytes: number) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + json.length + dataBytes);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      return out;
    };
    expect(() => parseSafetensors(make({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 4))).toThrow(
      /outside/,
    );
    expect(() => parseSafetensors(make({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4))).toThrow(
      /do not hold/,
    );
    expect(() => parseSafetensors(make({ t: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8))).toThrow(
      /gap or overlap/,
    );
    expect(() => parseSafetensors(make({ t: { dtype: 'Q4', shape: [1], data_offsets: [0, 4] } }, 4))).toThrow(
      /unknown dtype/,
    );
    expect(() => parseSafetensors(make({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 12))).toThrow(
      /8 bytes after/,
    );
    expect(() => parseSafetensors(new Uint8Array(5))).toThrow(SafetensorsError);
  });
});

describe('LeNet5 checkpoints in PyTorch layout', () => {
  it('layout conversion is a bijection for every tensor (fc1 reorders C,H,W ↔ H,W,C)', () => {
    for (const spec of LENET5) {
      const v = Float32Array.from({ length: spec.shape.reduce((a, b) => a * b) }, (_, i) => i);
      const t = toTorchLayout(spec, v);
      expect(Array.from(fromTorchLayout(spec, t))).toEqual(Array.from(v));
      if (spec.kind === 'weight') expect(Array.from(t)).not.toEqual(Array.from(v));
    }
  });

  it('a state_dict saved by PyTorch loads and predicts the same logits (first 32 test images)', async () => {
    const { params } = readLenet5(torchFile);
    const device = toDevice(params);
    // The fixture's logits were made with torchvision's rounded constants (scripts/torch-fixture.py).
    const images = takeSplit(mnist().test, 32).images;
    const x = tf.tensor4d(
      Float32Array.from(images, (p) => (p / 255 - 0.1307) / 0.3081),
      [32, 28, 28, 1],
    );
    const logits = forward(device, x);
    const ours = await logits.data();
    const diff = maxAbsDiff(ours, torchLogits.flat());
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([x, logits]);
    disposeParams(device);
  });

  it('writes back the PyTorch file tensor for tensor, byte for byte (so ours loads in PyTorch)', () => {
    const { params } = readLenet5(torchFile);
    const ours = parseSafetensors(writeLenet5(params));
    const theirs = parseSafetensors(torchFile);
    for (const [name, t] of theirs.tensors) {
      expect(ours.tensors.get(name)!.shape).toEqual(t.shape);
      expect(Buffer.from(ours.tensors.get(name)!.bytes).equals(Buffer.from(t.bytes))).toBe(true);
    }
    expect(ours.metadata.format).toBe('pt');
  });

  it('round-trips an engine model exactly', () => {
    const host = initLenet5Host(3);
    const back = readLenet5(writeLenet5(host)).params;
    for (const [name, v] of host) expect(Array.from(back.get(name)!)).toEqual(Array.from(v));
  });

  it('rejects files that are not LeNet5 models with one clear message', () => {
    const host = initLenet5Host(3);
    const tensors = LENET5.map((s) => ({
      name: s.name,
      shape: s.torchShape,
      data: toTorchLayout(s, host.get(s.name)!),
    }));
    const drop = writeSafetensors(tensors.filter((t) => t.name !== 'fc2.bias'));
    expect(() => readLenet5(drop)).toThrow(/missing tensor fc2.bias/);
    const extra = writeSafetensors([...tensors, { name: 'fc4.weight', shape: [1], data: new Float32Array(1) }]);
    expect(() => readLenet5(extra)).toThrow(/unexpected tensors fc4.weight/);
    const tfShape = writeSafetensors(
      tensors.map((t) => (t.name === 'conv1.weight' ? { ...t, shape: [5, 5, 1, 6] } : t)),
    );
    expect(() => readLenet5(tfShape)).toThrow(
      /conv1.weight: shape \[5, 5, 1, 6\], expected PyTorch shape \[6, 1, 5, 5\]/,
    );
    const nan = tensors.map((t) =>
      t.name === 'fc3.bias' ? { ...t, data: Float32Array.from([NaN, ...t.data.subarray(1)]) } : t,
    );
    expect(() => readLenet5(writeSafetensors(nan))).toThrow(/fc3.bias: element 0 is NaN/);
    expect(() => readLenet5(torchFile.subarray(0, 1000))).toThrow(ModelFileError);
  });
});

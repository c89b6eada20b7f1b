import { readLenet5, writeLenet5 } from '../core/io/checkpoint';
import type { HostParams } from '../core/model/lenet5';
import type { ModelInfo, Slot } from './protocol';

/** A model held by the worker: host values (engine layout), a name for the UI, its test accuracy. */
export interface SlotModel {
  params: HostParams;
  name: string;
  testAccuracy: number | null;
}

/** Safetensors bytes of host params as a transferable ArrayBuffer. */
export function paramsToBuffer(p: HostParams, metadata: Record<string, string> = {}): ArrayBuffer {
  const bytes = writeLenet5(p, metadata);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The model slots A and B: loaded from files or set by endpoint training. */
export class ModelSlots {
  private readonly models = new Map<Slot, SlotModel>();
  /** Bumped whenever A or B changes: results computed on older endpoints are stale. */
  version = 0;

  /** Parses a model file into a slot; a bad file throws before anything changes. */
  load(slot: Slot, name: string, bytes: ArrayBuffer): SlotModel {
    const { params, metadata } = readLenet5(new Uint8Array(bytes));
    const testAccuracy = metadata.testAccuracy ? Number(metadata.testAccuracy) : null;
    return this.set(slot, { params, name, testAccuracy });
  }

  set(slot: Slot, model: SlotModel): SlotModel {
    this.models.set(slot, model);
    this.version++;
    return model;
  }

  get(slot: Slot): SlotModel | null {
    return this.models.get(slot) ?? null;
  }

  /** Both endpoints, or an error saying which one is missing. */
  endpoints(): { a: HostParams; b: HostParams } {
    const a = this.require('A', 'load or train model A first').params;
    return { a, b: this.require('B', 'load or train model B first').params };
  }

  /** The slot's model, or an error saying what to do. */
  require(slot: Slot, why: string): SlotModel {
    const m = this.models.get(slot);
    if (!m) throw new Error(`model ${slot} is missing: ${why}`);
    return m;
  }

  /** The `model` event payload of a slot: its info and its bytes (for the UI to restore a new worker). */
  describe(slot: Slot): { info: ModelInfo; bytes: ArrayBuffer } {
    const m = this.require(slot, 'nothing to describe');
    return { info: { slot, name: m.name, testAccuracy: m.testAccuracy }, bytes: paramsToBuffer(m.params) };
  }
}

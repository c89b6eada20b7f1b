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

  /** Parses a model file into a slot; a bad file throws before anything changes. */
  load(slot: Slot, name: string, bytes: ArrayBuffer): SlotModel {
    const { params, metadata } = readLenet5(new Uint8Array(bytes));
    const testAccuracy = metadata.testAccuracy ? Number(metadata.testAccuracy) : null;
    return this.set(slot, { params, name, testAccuracy });
  }

  set(slot: Slot, model: SlotModel): SlotModel {
    this.models.set(slot, model);
    return model;
  }

  get(slot: Slot): SlotModel | null {
    return this.models.get(slot) ?? null;
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

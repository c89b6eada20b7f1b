import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  LEGACY_DEFAULTS,
  PRESETS,
  presetFor,
  RUN_FIELDS,
  toSearchParams,
  upgradeConfig,
  validateConfig,
  type RunConfig,
} from '../../src/core/config';

describe('run config: data pipeline fields (issue #11)', () => {
  it("paper presets use the reference's pipeline and evaluate on the whole test set", () => {
    for (const [mode, every] of [
      ['m2m', 100],
      ['m2o', 10],
    ] as const) {
      const p = presetFor('paper', mode);
      expect(p).toMatchObject({ augment: true, trainSubset: 0, batchMode: 'reference', evalSubset: 10000 });
      expect(p.evalEvery).toBe(every);
      expect(validateConfig(p)).toBe(p);
    }
  });

  it('quick presets use fixed batch shapes and the full test set; M2M trains on clean images', () => {
    expect(presetFor('quick', 'm2m').augment).toBe(false);
    expect(presetFor('quick', 'm2o').augment).toBe(true);
    for (const mode of ['m2m', 'm2o'] as const) {
      expect(presetFor('quick', mode)).toMatchObject({ trainSubset: 0, batchMode: 'fixed' });
      expect(presetFor('quick', mode).evalSubset).toBe(10000);
    }
    expect(presetFor('paper', 'm2m')).toMatchObject({ groupSteps: 'equal', adaptive: false });
    expect(Object.keys(PRESETS).sort()).toEqual(['paper-m2m', 'paper-m2o', 'quick-m2m', 'quick-m2o']);
  });

  it('parses --augment true|false, --train-subset N and --batch-mode', () => {
    const base = presetFor('paper', 'm2m');
    const c = applyOverrides(base, { augment: 'false', 'train-subset': '32', batch: '32', 'batch-mode': 'fixed' });
    expect(c).toMatchObject({ augment: false, trainSubset: 32, batch: 32, batchMode: 'fixed' });
    expect(applyOverrides(presetFor('quick', 'm2m'), { augment: 'true' }).augment).toBe(true);
    expect(applyOverrides(presetFor('quick', 'm2m'), { augment: true }).augment).toBe(true); // a bare --augment
    expect(() => applyOverrides(base, { augment: 'yes' })).toThrow(/--augment: "yes" is not true or false/);
    expect(() => applyOverrides(base, { 'train-subset': '-1' })).toThrow(/--train-subset: must be an integer/);
    expect(() => applyOverrides(base, { 'train-subset': '60001' })).toThrow(/from 0 to 60000/);
    expect(() => applyOverrides(base, { 'train-subset': '32' })).toThrow(/--batch must not exceed --train-subset/);
    expect(() => applyOverrides(base, { 'batch-mode': 'ragged' })).toThrow(/must be one of reference, fixed/);
  });

  it('round-trips through the URL: only fields that differ from the preset', () => {
    const base = presetFor('paper', 'm2o');
    const c: RunConfig = { ...base, augment: false, trainSubset: 128, batchMode: 'fixed', evalSubset: 2000 };
    const p = toSearchParams(c, base);
    expect(Object.fromEntries(p.entries())).toEqual({
      augment: 'false',
      'train-subset': '128',
      'batch-mode': 'fixed',
      'eval-subset': '2000',
    });
    expect(applyOverrides(base, Object.fromEntries(p.entries()))).toEqual(c);
  });

  it('reads a config saved before these fields existed as what that run did', () => {
    const saved: Partial<RunConfig> = presetFor('paper', 'm2m');
    delete saved.augment;
    delete saved.trainSubset;
    delete saved.batchMode;
    delete saved.trainEvalSamples;
    expect(() => validateConfig(saved as RunConfig)).toThrow(/--augment/);
    const c = upgradeConfig(saved as RunConfig);
    expect(c).toMatchObject(LEGACY_DEFAULTS);
    expect(c).toMatchObject({ augment: false, trainSubset: 0, batchMode: 'fixed', trainEvalSamples: 0 });
    expect(upgradeConfig(presetFor('paper', 'm2m'))).toEqual(presetFor('paper', 'm2m')); // saved fields win
  });

  it('every field has its own flag and a help text', () => {
    const flags = Object.values(RUN_FIELDS).map((f) => f.flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const f of Object.values(RUN_FIELDS)) expect(f.help.length).toBeGreaterThan(10);
    expect(RUN_FIELDS.augment.kind).toBe('bool');
    expect(RUN_FIELDS.trainSubset.flag).toBe('train-subset');
  });
});

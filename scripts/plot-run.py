#!/usr/bin/python3
"""Plots a lowloss run directory (points.jsonl) as PNGs: loss along the path and per-layer
distance to the destination; for M2O also test accuracy against layer variance.
Needs Debian's python3-matplotlib. Usage: scripts/plot-run.py RUN_DIR OUT_PREFIX"""
import json, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

run, prefix = sys.argv[1], sys.argv[2]
pts = [json.loads(l) for l in open(f'{run}/points.jsonl')]
cfg = json.load(open(f'{run}/run.json'))
groups = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3']
tick = [p['tick'] for p in pts]

fig, ax = plt.subplots(figsize=(7, 3.6))
tr = [(p['tick'], p['trainLossMovingAverage']) for p in pts if p['trainLossMovingAverage'] is not None]
ax.plot(*zip(*tr), lw=0.6, label='training loss (moving average of the last rounds-min mini-batches)')
te = [(p['tick'], p['test']['loss'], p['test']['accuracy']) for p in pts if p['test']]
ax.plot([t[0] for t in te], [t[1] for t in te], 'o-', ms=2, label='test loss')
if cfg['mode'] == 'm2m':
    ax.axhline(cfg['config']['threshold'], color='grey', ls='--', lw=0.8, label='threshold')
ax2 = ax.twinx()
ax2.plot([t[0] for t in te], [t[2] for t in te], 'g.-', ms=2, label='test accuracy')
ax2.set_ylabel('test accuracy')
ax.set_xlabel('tick'); ax.set_ylabel('loss'); ax.legend(fontsize=7, loc='upper left')
fig.tight_layout(); fig.savefig(f'{prefix}-loss.png', dpi=110)

fig, ax = plt.subplots(figsize=(7, 3.6))
for g in groups:
    ax.plot(tick, [(p['tensors'][f'{g}.weight']['distToDest'] ** 2 + p['tensors'][f'{g}.bias']['distToDest'] ** 2) ** 0.5 for p in pts], label=g)
ax.set_yscale('log'); ax.set_xlabel('tick'); ax.set_ylabel('‖P − D‖ (weight and bias)')
ax.axhline(0.1, color='grey', ls='--', lw=0.8)
ax.legend(fontsize=7); fig.tight_layout(); fig.savefig(f'{prefix}-distance.png', dpi=110)

if cfg['mode'] == 'm2o':
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for g in groups:
        ax.plot([p['tensors'][f'{g}.weight']['variance'] for p in pts if p['test']], [p['test']['accuracy'] for p in pts if p['test']], '.-', ms=2, lw=0.6, label=f'{g}.weight')
    ax.set_xscale('log'); ax.invert_xaxis(); ax.set_xlabel('weight variance (path runs right)'); ax.set_ylabel('test accuracy')
    ax.legend(fontsize=7); fig.tight_layout(); fig.savefig(f'{prefix}-variance.png', dpi=110)
print('wrote', prefix + '-*.png')

#!/usr/bin/python3
"""Plots an experiment's summary.json as the paper's Figure 2: mean ± std over the pairs per tick, smoothed with
a moving average of 10, for the training loss and each layer's distance to the destination.
Needs Debian's python3-matplotlib. Usage: scripts/plot-experiment.py EXPERIMENT_DIR OUT.png"""
import json, math, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt

exp, out = sys.argv[1], sys.argv[2]
s = json.load(open(f'{exp}/summary.json'))
tick = s['tick']

def smooth(xs, k=10):
    out = []
    for i in range(len(xs)):
        window = [x for x in xs[max(0, i - k + 1):i + 1] if x is not None]
        out.append(sum(window) / len(window) if window else math.nan)
    return out

def band(ax, key, label, color):
    mean, std = s[key]['mean'], s[key]['std']
    if sum(x is not None for x in mean) < len(mean) / 2:  # measured at the evaluated ticks only: no smoothing
        at = [i for i, x in enumerate(mean) if x is not None]
        ax.errorbar([tick[i] for i in at], [mean[i] for i in at], [std[i] for i in at], fmt='s-', ms=3,
                    color=color, lw=1, capsize=2, label=label)
        return
    m, sd = smooth(mean), smooth(std)
    ax.plot(tick, m, color=color, lw=1.2, label=label)
    ax.fill_between(tick, [a - b for a, b in zip(m, sd)], [a + b for a, b in zip(m, sd)], color=color, alpha=0.2)

fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.6))
band(a1, 'trainLossMovingAverage', 'training loss (moving average)', 'tab:blue')
if 'trainEvalLoss' in s:
    band(a1, 'trainEvalLoss', 'train loss, first 10,000 images', 'tab:orange')
a1.set_xlabel('tick'); a1.set_ylabel('loss (nats)'); a1.legend(fontsize=7)
colors = {'conv1': 'tab:blue', 'conv2': 'tab:orange', 'fc1': 'tab:green', 'fc2': 'tab:pink', 'fc3': 'tab:brown'}
for g, c in colors.items():
    band(a2, f'distToDest:{g}.weight', f'{g}.weight', c)
a2.set_yscale('log'); a2.set_xlabel('tick'); a2.set_ylabel('‖P − D‖'); a2.legend(fontsize=7)
n = len(s['meta']['pairs'])
fig.suptitle(f'{n} pairs, mean ± std per tick, moving average of 10', fontsize=9)
fig.tight_layout(); fig.savefig(out, dpi=110)
print(f'wrote {out}')

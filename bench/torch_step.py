"""One LeNet5 SGD step (batch 64) in PyTorch, timed: the comparison of issue #10.

Same model as the engine (SPEC §2), SGD lr 0.01, a random batch of 64 drawn each step from
tensors in memory (60,000 random images). Prints one JSON line: {"threads", "medianMs", "times"}.
Usage: python3 bench/torch_step.py --threads 1 --warmup 20 --steps 200
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--steps", type=int, default=200)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    images = torch.randn(60000, 1, 28, 28)
    labels = torch.randint(0, 10, (60000,))
    model = LeNet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    times = []
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        idx = torch.randint(0, 60000, (64,))
        x, y = images[idx], labels[idx]
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
        if i >= args.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"threads": args.threads, "medianMs": statistics.median(times), "times": times}))


if __name__ == "__main__":
    main()

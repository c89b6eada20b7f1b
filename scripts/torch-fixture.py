#!/usr/bin/python3
"""PyTorch side of the interop check (SPEC §2). Needs Debian's python3-torch; not run in CI.

  scripts/torch-fixture.py make          writes tests/fixtures/torch-lenet5.safetensors and
                                         torch-lenet5-logits.json (logits of the first 32 test images)
  scripts/torch-fixture.py check M.safetensors [--json]
                                         loads a model written by lowloss into PyTorch and prints its
                                         test accuracy on all 10,000 test images

safetensors is written and read by hand (8-byte LE header length, JSON header, raw F32 data),
so only torch and numpy are needed.
"""
import json, struct, sys, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
MNIST = os.path.join(ROOT, 'public', 'data', 'mnist')


class LeNet5(nn.Module):
    """The reference's LeNet5."""
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


def save_safetensors(state, path):
    header, blobs, off = {}, [], 0
    for name, t in state.items():
        a = t.detach().cpu().numpy().astype('<f4')
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [off, off + a.nbytes]}
        blobs.append(a.tobytes()); off += a.nbytes
    h = json.dumps(header).encode()
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h); f.write(b''.join(blobs))


def load_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        b, end = e['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(data[b:end], dtype='<f4').reshape(e['shape']).copy())
    return out


def test_images(n=10000):
    imgs = np.fromfile(os.path.join(MNIST, 't10k-images-idx3-ubyte'), dtype=np.uint8, offset=16)[: n * 784]
    labels = np.fromfile(os.path.join(MNIST, 't10k-labels-idx1-ubyte'), dtype=np.uint8, offset=8)[:n]
    x = (imgs.reshape(n, 1, 28, 28).astype(np.float32) / 255 - 0.1307) / 0.3081
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def make():
    torch.manual_seed(0)
    model = LeNet5()
    # A few steps of training so the weights are not just the init (biases non-zero).
    x, y = test_images(512)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for _ in range(30):
        opt.zero_grad(); F.cross_entropy(model(x), y).backward(); opt.step()
    fx = os.path.join(ROOT, 'tests', 'fixtures')
    save_safetensors(model.state_dict(), os.path.join(fx, 'torch-lenet5.safetensors'))
    with torch.no_grad():
        logits = model(test_images(32)[0])
    json.dump({'images': 'first 32 MNIST test images', 'logits': logits.tolist()}, open(os.path.join(fx, 'torch-lenet5-logits.json'), 'w'))
    print('wrote fixtures; torch', torch.__version__)


def check(path, as_json):
    model = LeNet5()
    model.load_state_dict(load_safetensors(path))
    x, y = test_images()
    with torch.no_grad():
        logits = model(x)
    acc = (logits.argmax(1) == y).float().mean().item()
    loss = F.cross_entropy(logits, y).item()
    print(json.dumps({'testAccuracy': acc, 'testLoss': loss, 'samples': len(y)}) if as_json else f'PyTorch: test accuracy {acc * 100:.2f}%  loss {loss:.4f}')


if __name__ == '__main__':
    torch.set_num_threads(1)
    if sys.argv[1:2] == ['make']:
        make()
    elif sys.argv[1:2] == ['check']:
        check(sys.argv[2], '--json' in sys.argv)
    else:
        print(__doc__); sys.exit(2)

"""Reference values for the layer, model and checkpoint tests (RetortNetworks).

Run with /opt/torchenv/bin/python from this folder; writes Fixtures/layers/*. Deterministic:
every tensor comes from torch.manual_seed. Tensors are stored as {"shape": [...],
"values": [...]} in row-major order. Parameters are given in the fixture, so the Swift side
copies them in instead of relying on the same random initialisation.
"""
import json
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "layers")
os.makedirs(OUT, exist_ok=True)


def t(x):
    x = x.detach().to(torch.float32)
    return {"shape": list(x.shape), "values": [round(float(v), 8) for v in x.reshape(-1)]}


def write(name, payload):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))


def state(module):
    return {k: t(v) for k, v in module.state_dict().items()}


# --- Linear forward and backward -------------------------------------------------------------
torch.manual_seed(1)
lin = nn.Linear(4, 5)
x = torch.randn(3, 4, requires_grad=True)
y = lin(x)
g = torch.randn(3, 5)
y.backward(g)
write("linear.json", {
    "weight": t(lin.weight), "bias": t(lin.bias), "input": t(x), "output": t(y), "seed": t(g),
    "grad_input": t(x.grad), "grad_weight": t(lin.weight.grad), "grad_bias": t(lin.bias.grad)})

# --- Conv2d forward and backward (two geometries) ---------------------------------------------
cases = []
for (cin, cout, k, stride, pad, size) in [(2, 3, 3, 1, 0, 5), (2, 4, 3, 2, 1, 6)]:
    torch.manual_seed(2 + stride)
    conv = nn.Conv2d(cin, cout, k, stride=stride, padding=pad)
    x = torch.randn(2, cin, size, size, requires_grad=True)
    y = conv(x)
    g = torch.randn(*y.shape)
    y.backward(g)
    cases.append({
        "in": cin, "out": cout, "kernel": k, "stride": stride, "padding": pad,
        "weight": t(conv.weight), "bias": t(conv.bias), "input": t(x), "output": t(y),
        "seed": t(g), "grad_input": t(x.grad), "grad_weight": t(conv.weight.grad),
        "grad_bias": t(conv.bias.grad)})
write("conv2d.json", {"cases": cases})

# --- BatchNorm1d / 2d: two training steps, then evaluation ------------------------------------
def batchnorm_case(bn, shape, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(bn.num_features) + 0.5)
        bn.bias.copy_(torch.randn(bn.num_features) * 0.1)
    weight, bias = t(bn.weight), t(bn.bias)
    bn.train()
    steps = []
    for _ in range(2):
        x = (torch.randn(*shape) * 2 + 0.5).requires_grad_(True)
        y = bn(x)
        g = torch.randn(*y.shape)
        bn.zero_grad()
        y.backward(g)
        steps.append({"input": t(x), "output": t(y), "seed": t(g), "grad_input": t(x.grad),
                      "grad_weight": t(bn.weight.grad), "grad_bias": t(bn.bias.grad)})
    bn.eval()
    x = torch.randn(*shape)
    y = bn(x)
    return {"features": bn.num_features, "weight": weight, "bias": bias, "steps": steps,
            "running_mean": t(bn.running_mean), "running_var": t(bn.running_var),
            "num_batches_tracked": int(bn.num_batches_tracked),
            "eval_input": t(x), "eval_output": t(y)}


write("batchnorm.json", {
    "bn1d": batchnorm_case(nn.BatchNorm1d(4), (5, 4), 10),
    "bn2d": batchnorm_case(nn.BatchNorm2d(3), (2, 3, 4, 4), 11)})

# --- LayerNorm over the trailing [3, 4] ---------------------------------------------------------
torch.manual_seed(12)
ln = nn.LayerNorm([3, 4])
with torch.no_grad():
    ln.weight.copy_(torch.rand(3, 4) + 0.5)
    ln.bias.copy_(torch.randn(3, 4) * 0.1)
x = torch.randn(2, 3, 4, requires_grad=True)
y = ln(x)
g = torch.randn(*y.shape)
y.backward(g)
write("layernorm.json", {
    "weight": t(ln.weight), "bias": t(ln.bias), "input": t(x), "output": t(y), "seed": t(g),
    "grad_input": t(x.grad), "grad_weight": t(ln.weight.grad), "grad_bias": t(ln.bias.grad)})


# --- Residual block (CIFAR basic block, projection shortcut) ------------------------------------
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


def randomize_bn(module):
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.weight.copy_(torch.rand(m.num_features) + 0.5)
                m.bias.copy_(torch.randn(m.num_features) * 0.1)


torch.manual_seed(13)
block = BasicBlock(2, 4, 2)
randomize_bn(block)
initial = state(block)
block.train()
x = torch.randn(3, 2, 6, 6)
y_train = block(x)
block.eval()
y_eval = block(x)
write("residual.json", {
    "in": 2, "out": 4, "stride": 2, "state": initial, "input": t(x),
    "train_output": t(y_train), "eval_output": t(y_eval),
    "state_after": state(block), "state_order": list(block.state_dict().keys())})


# --- Teachers trained in PyTorch, saved with safetensors ----------------------------------------
def train_briefly(model, inputs, labels, steps=30):
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model.train()
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.cross_entropy(model(inputs), labels).backward()
        opt.step()
    model.eval()


torch.manual_seed(14)
mlp = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.BatchNorm1d(32), nn.Linear(32, 10))
inputs, labels = torch.randn(40, 64), torch.randint(0, 10, (40,))
train_briefly(mlp, inputs, labels)
save_file({k: v.contiguous() for k, v in mlp.state_dict().items()},
          os.path.join(OUT, "mlp_teacher.safetensors"), metadata={"format": "pt"})
probe = torch.randn(4, 64)
with torch.no_grad():
    write("mlp_teacher.json", {"input": t(probe), "logits": t(mlp(probe)),
                               "names": list(mlp.state_dict().keys())})

# ResNet-8 at width 0.25 (4/8/16 channels) on 1x8x8 images, as Sequential.resnet builds it.
torch.manual_seed(15)
resnet = nn.Sequential(
    nn.Conv2d(1, 4, 3, 1, 1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
    BasicBlock(4, 4, 1), BasicBlock(4, 8, 2), BasicBlock(8, 16, 2),
    GlobalAvgPool(), nn.Linear(16, 10))
inputs, labels = torch.randn(16, 1, 8, 8), torch.randint(0, 10, (16,))
train_briefly(resnet, inputs, labels, steps=10)
save_file({k: v.contiguous() for k, v in resnet.state_dict().items()},
          os.path.join(OUT, "resnet8_teacher.safetensors"), metadata={"format": "pt"})
probe = torch.randn(3, 1, 8, 8)
with torch.no_grad():
    write("resnet8_teacher.json", {"input": t(probe), "logits": t(resnet(probe)),
                                   "names": list(resnet.state_dict().keys())})
print("wrote", sorted(os.listdir(OUT)))

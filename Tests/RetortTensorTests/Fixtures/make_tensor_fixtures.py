"""Reference values for RetortTensor's differentiable ops, computed by PyTorch (float32).

Run with /opt/torchenv/bin/python from this folder; it rewrites tensor_ops.json.

Every case stores its inputs, the op's parameters, the output, a random upstream gradient
and the gradient of every input, so the Swift tests replay exactly the same numbers.
Inputs and upstream gradients are multiples of 1/256: they survive the trip through JSON
and Double -> Float exactly. Inputs are kept away from kinks (relu/abs at 0, clamp bounds,
ties in max/min/max-pool) by at least 0.05, so that central finite differences with a step
of 1e-2 are also valid on them.
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(20240611)


def dyadic(values):
    """Rounds to multiples of 1/256 so the float32 value is written exactly."""
    return np.round(np.asarray(values, dtype=np.float64) * 256) / 256


def normal(*shape, scale=1.0):
    return dyadic(rng.standard_normal(shape) * scale)


def positive(*shape, low=0.5, high=2.0):
    return dyadic(rng.uniform(low, high, shape))


def away_from(*shape, points=(0.0,), gap=0.05, scale=1.0):
    """Normal samples nudged at least `gap` away from each point in `points`."""
    x = rng.standard_normal(shape) * scale
    for p in points:
        near = np.abs(x - p) < gap
        x = np.where(near, p + np.sign(x - p + 1e-9) * (gap + rng.uniform(0, 0.1, shape)), x)
    return dyadic(x)


def distinct(*shape, spacing=0.0625):
    """A random permutation of evenly spaced values: no ties, gaps of `spacing`."""
    n = int(np.prod(shape))
    values = (np.arange(n) - n / 2) * spacing
    return dyadic(rng.permutation(values).reshape(shape))


def number(x):
    """Shortest text for a float32 that reads back to the same float32."""
    x = np.float32(x)
    if not np.isfinite(x):
        raise ValueError("fixture values must be finite")
    text = np.format_float_positional(x, unique=True, trim="-")
    if np.float32(float(text)) != x:
        text = repr(float(x))
    return float(text) if "." in text or "e" in text else int(text)


def encode(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "data": [number(v) for v in array.reshape(-1)]}


cases = []


def case(name, op, inputs, function, **params):
    """Runs `function` on float32 leaves made from `inputs` and records everything."""
    leaves = [torch.tensor(np.asarray(x, dtype=np.float32), requires_grad=True) for x in inputs]
    output = function(*leaves)
    upstream = torch.tensor(normal(*output.shape).astype(np.float32))
    output.backward(upstream)
    cases.append(
        {
            "name": name,
            "op": op,
            "params": params,
            "inputs": [encode(x) for x in inputs],
            "output": encode(output.detach().numpy()),
            "upstream": encode(upstream.numpy()),
            "grads": [encode(leaf.grad.numpy()) for leaf in leaves],
        }
    )


# MARK: - Arithmetic with broadcasting

for op, fn in [("add", torch.add), ("subtract", torch.sub), ("multiply", torch.mul)]:
    case(f"{op}_same", op, [normal(3, 4), normal(3, 4)], fn)
    case(f"{op}_row", op, [normal(3, 4), normal(4)], fn)
    case(f"{op}_3d", op, [normal(2, 1, 4), normal(3, 1)], fn)
    case(f"{op}_scalar_tensor", op, [normal(3, 4), normal()], fn)
case("divide_row", "divide", [normal(3, 4), away_from(4, gap=0.5)], torch.div)
case("divide_3d", "divide", [normal(2, 1, 4), away_from(3, 1, gap=0.5)], torch.div)
case("divide_scalar_tensor", "divide", [away_from(gap=0.5), away_from(2, 3, gap=0.5)], torch.div)

case("add_float", "add_float", [normal(3, 4)], lambda x: x + 1.5, value=1.5)
case("subtract_float", "subtract_float", [normal(3, 4)], lambda x: x - 0.75, value=0.75)
case("rsubtract_float", "rsubtract_float", [normal(3, 4)], lambda x: 2.0 - x, value=2.0)
case("multiply_float", "multiply_float", [normal(3, 4)], lambda x: x * -2.5, value=-2.5)
case("divide_float", "divide_float", [normal(3, 4)], lambda x: x / 4.0, value=4.0)
case("rdivide_float", "rdivide_float", [away_from(3, 4, gap=0.5)], lambda x: 2.0 / x, value=2.0)
case("negate", "negate", [normal(3, 4)], lambda x: -x)
case("pow_tensor", "pow_tensor", [positive(3, 4), normal(4)], torch.pow)
case("pow_cube", "pow_float", [normal(3, 4)], lambda x: x**3, exponent=3.0)
case("pow_fraction", "pow_float", [positive(3, 4)], lambda x: x**2.5, exponent=2.5)
case("pow_negative", "pow_float", [positive(3, 4)], lambda x: x**-1.5, exponent=-1.5)

# MARK: - Elementwise maths and activations

case("exp", "exp", [normal(3, 4)], torch.exp)
case("log", "log", [positive(3, 4)], torch.log)
case("sqrt", "sqrt", [positive(3, 4)], torch.sqrt)
case("abs", "abs", [away_from(3, 4)], torch.abs)
case("clamp", "clamp", [away_from(3, 4, points=(-0.5, 0.5))],
     lambda x: torch.clamp(x, -0.5, 0.5), min=-0.5, max=0.5)
case("relu", "relu", [away_from(3, 4)], torch.relu)
case("leaky_relu", "leaky_relu", [away_from(3, 4)], lambda x: F.leaky_relu(x, 0.1), slope=0.1)
case("gelu", "gelu", [normal(3, 4, scale=2)], F.gelu)
case("tanh", "tanh", [normal(3, 4)], torch.tanh)
case("sigmoid", "sigmoid", [normal(3, 4, scale=3)], torch.sigmoid)

# MARK: - Softmax family

for axis in (0, -1):
    for temperature in (1.0, 4.0):
        t = int(temperature)
        x = normal(3, 5, scale=2)
        case(f"softmax_axis{axis}_T{t}", "softmax", [x],
             lambda v, a=axis, tt=temperature: torch.softmax(v / tt, dim=a),
             axis=axis, temperature=temperature)
        case(f"log_softmax_axis{axis}_T{t}", "log_softmax", [x],
             lambda v, a=axis, tt=temperature: torch.log_softmax(v / tt, dim=a),
             axis=axis, temperature=temperature)
case("softmax_middle_axis", "softmax", [normal(2, 3, 4)],
     lambda v: torch.softmax(v / 2.0, dim=1), axis=1, temperature=2.0)
case("logsumexp_last", "logsumexp", [normal(3, 5, scale=3)],
     lambda v: torch.logsumexp(v, dim=-1), axis=-1, keepdim=False)
case("logsumexp_axis0_keep", "logsumexp", [normal(3, 5, scale=3)],
     lambda v: torch.logsumexp(v, dim=0, keepdim=True), axis=0, keepdim=True)

# MARK: - Reductions

case("sum_all", "sum_all", [normal(2, 3, 4)], torch.sum)
case("sum_axis0", "sum", [normal(2, 3, 4)], lambda v: v.sum(dim=0), axes=[0], keepdim=False)
case("sum_axes02_keep", "sum", [normal(2, 3, 4)],
     lambda v: v.sum(dim=(0, 2), keepdim=True), axes=[0, 2], keepdim=True)
case("sum_last_keep", "sum", [normal(2, 3, 4)],
     lambda v: v.sum(dim=-1, keepdim=True), axes=[-1], keepdim=True)
case("mean_all", "mean_all", [normal(2, 3, 4)], torch.mean)
case("mean_axis1", "mean", [normal(2, 3, 4)], lambda v: v.mean(dim=1), axes=[1], keepdim=False)
case("mean_axes02_keep", "mean", [normal(2, 3, 4)],
     lambda v: v.mean(dim=(0, 2), keepdim=True), axes=[0, 2], keepdim=True)
case("max_axis1", "max", [distinct(2, 3, 4)],
     lambda v: v.max(dim=1).values, axis=1, keepdim=False)
case("max_axis0_keep", "max", [distinct(3, 4)],
     lambda v: v.max(dim=0, keepdim=True).values, axis=0, keepdim=True)
case("min_last", "min", [distinct(3, 4)], lambda v: v.min(dim=-1).values, axis=-1, keepdim=False)
case("min_axis0_keep", "min", [distinct(2, 3, 4)],
     lambda v: v.min(dim=0, keepdim=True).values, axis=0, keepdim=True)
case("var_axis1_biased", "var", [normal(3, 5)],
     lambda v: torch.var(v, dim=1, correction=0), axes=[1], keepdim=False, unbiased=False)
case("var_axes02_keep_unbiased", "var", [normal(2, 3, 4)],
     lambda v: torch.var(v, dim=(0, 2), correction=1, keepdim=True),
     axes=[0, 2], keepdim=True, unbiased=True)

# MARK: - Shapes, slicing, indexing, joining

case("reshape", "reshape", [normal(2, 3, 4)], lambda v: v.reshape(4, 6), shape=[4, 6])
case("reshape_inferred", "reshape", [normal(2, 3, 4)], lambda v: v.reshape(-1, 2), shape=[-1, 2])
case("transpose_last", "transpose", [normal(2, 3, 4)],
     lambda v: v.transpose(-2, -1), dims=[-2, -1])
case("transpose_outer", "transpose", [normal(2, 3, 4)], lambda v: v.transpose(0, 2), dims=[0, 2])
case("permute", "permute", [normal(2, 3, 4)], lambda v: v.permute(2, 0, 1), dims=[2, 0, 1])
case("slice_step", "slice", [normal(3, 5, 4)], lambda v: v[0:3:2, 1:5:2],
     ranges=[[0, 3, 2], [1, 5, 2]])
case("slice_inner", "slice", [normal(3, 5, 4)], lambda v: v[1:3, :, 0:4:3],
     ranges=[[1, 3, 1], [0, 5, 1], [0, 4, 3]])
case("concatenate_axis0", "concatenate", [normal(2, 3), normal(1, 3), normal(3, 3)],
     lambda a, b, c: torch.cat([a, b, c], dim=0), axis=0)
case("concatenate_axis1", "concatenate", [normal(2, 3), normal(2, 1), normal(2, 2)],
     lambda a, b, c: torch.cat([a, b, c], dim=1), axis=1)
case("stack_axis0", "stack", [normal(2, 3), normal(2, 3)],
     lambda a, b: torch.stack([a, b], dim=0), axis=0)
case("stack_last", "stack", [normal(2, 3), normal(2, 3), normal(2, 3)],
     lambda a, b, c: torch.stack([a, b, c], dim=-1), axis=-1)
case("index_select_axis1", "index_select", [normal(3, 4, 2)],
     lambda v: torch.index_select(v, 1, torch.tensor([2, 0, 2, 3])), axis=1, indices=[2, 0, 2, 3])
case("index_select_axis0", "index_select", [normal(4, 3)],
     lambda v: torch.index_select(v, 0, torch.tensor([3, 1])), axis=0, indices=[3, 1])
case("gather_rows", "gather_rows", [normal(5, 4)],
     lambda v: v[torch.arange(5), torch.tensor([3, 0, 1, 3, 2])], indices=[3, 0, 1, 3, 2])
case("expand", "expand", [normal(3, 1)], lambda v: v.expand(2, 3, 4), shape=[2, 3, 4])

# MARK: - Matrix products

case("matmul_2d", "matmul", [normal(3, 4), normal(4, 5)], torch.matmul)
case("matmul_batched", "matmul", [normal(2, 3, 4), normal(2, 4, 5)], torch.matmul)
case("matmul_batched_shared", "matmul", [normal(2, 3, 4), normal(4, 5)], torch.matmul)
case("matmul_vector_matrix", "matmul", [normal(4), normal(4, 5)], torch.matmul)
case("matmul_matrix_vector", "matmul", [normal(3, 4), normal(4)], torch.matmul)
case("matmul_vector_vector", "matmul", [normal(4), normal(4)], torch.matmul)
case("linear_bias", "linear", [normal(5, 4), normal(3, 4), normal(3)], F.linear)
case("linear_no_bias", "linear", [normal(5, 4), normal(3, 4)], F.linear)

# MARK: - Convolution and pooling

for stride in (1, 2):
    for padding in (0, 1):
        case(f"conv2d_s{stride}_p{padding}", "conv2d",
             [normal(2, 2, 5, 5), normal(3, 2, 3, 3, scale=0.5), normal(3)],
             lambda x, w, b, s=stride, p=padding: F.conv2d(x, w, b, stride=s, padding=p),
             stride=stride, padding=padding)
case("conv2d_no_bias", "conv2d", [normal(1, 3, 4, 4), normal(2, 3, 2, 2)],
     lambda x, w: F.conv2d(x, w, stride=1, padding=0), stride=1, padding=0)
case("maxpool_k2", "maxpool", [distinct(2, 2, 4, 4)],
     lambda x: F.max_pool2d(x, 2), kernel=2, stride=2, padding=0)
case("maxpool_k3_s1_p1", "maxpool", [distinct(1, 2, 4, 4)],
     lambda x: F.max_pool2d(x, 3, stride=1, padding=1), kernel=3, stride=1, padding=1)
case("avgpool_k2", "avgpool", [normal(2, 2, 4, 4)],
     lambda x: F.avg_pool2d(x, 2), kernel=2, stride=2, padding=0)
case("avgpool_k3_s2_p1", "avgpool", [normal(1, 2, 5, 5)],
     lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=True),
     kernel=3, stride=2, padding=1)

names = [c["name"] for c in cases]
assert len(names) == len(set(names)), "case names must be unique"
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor_ops.json")
with open(path, "w") as f:
    json.dump({"generator": "make_tensor_fixtures.py", "torch": torch.__version__,
               "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {path} ({os.path.getsize(path)} bytes)")

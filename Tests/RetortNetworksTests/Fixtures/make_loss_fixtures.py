"""Reference values for RetortNetworks' losses, optimizers and schedules.

Run with /opt/torchenv/bin/python from this folder; it rewrites losses/*.json. Every case
stores its inputs (shape + row-major data), the value PyTorch computes and the gradients
with respect to the inputs a student would train. Deterministic: fixed seeds, float32.

The distillation losses follow the reference implementations they name:
  * KD: F.kl_div(F.log_softmax(s/T), F.softmax(t/T), reduction='batchmean') * T*T
  * DKD: dkd_loss from megvii-research/mdistiller (mdistiller/distillers/DKD.py)
  * AT: at / at_loss from szagoruyko/attention-transfer (utils.py)
  * RKD: rkd_loss from mdistiller (mdistiller/distillers/RKD.py), itself from lenscloth/RKD
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses")


def enc(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(x) for x in t.reshape(-1).tolist()]}


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, indent=None, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------------------- references
def kd_loss(s, t, T, square=True, reduction="batchmean"):
    loss = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction=reduction)
    return loss * T * T if square else loss


def _get_gt_mask(logits, target):
    target = target.reshape(-1)
    return torch.zeros_like(logits).scatter_(1, target.unsqueeze(1), 1).bool()


def _get_other_mask(logits, target):
    target = target.reshape(-1)
    return torch.ones_like(logits).scatter_(1, target.unsqueeze(1), 0).bool()


def cat_mask(t, mask1, mask2):
    t1 = (t * mask1).sum(dim=1, keepdims=True)
    t2 = (t * mask2).sum(1, keepdims=True)
    return torch.cat([t1, t2], dim=1)


def dkd_loss(logits_student, logits_teacher, target, alpha, beta, temperature):
    # Verbatim from mdistiller (size_average=False is reduction='sum').
    gt_mask = _get_gt_mask(logits_student, target)
    other_mask = _get_other_mask(logits_student, target)
    pred_student = F.softmax(logits_student / temperature, dim=1)
    pred_teacher = F.softmax(logits_teacher / temperature, dim=1)
    pred_student = cat_mask(pred_student, gt_mask, other_mask)
    pred_teacher = cat_mask(pred_teacher, gt_mask, other_mask)
    log_pred_student = torch.log(pred_student)
    tckd_loss = (F.kl_div(log_pred_student, pred_teacher, reduction="sum")
                 * (temperature**2) / target.shape[0])
    pred_teacher_part2 = F.softmax(logits_teacher / temperature - 1000.0 * gt_mask, dim=1)
    log_pred_student_part2 = F.log_softmax(
        logits_student / temperature - 1000.0 * gt_mask, dim=1)
    nckd_loss = (F.kl_div(log_pred_student_part2, pred_teacher_part2, reduction="sum")
                 * (temperature**2) / target.shape[0])
    return alpha * tckd_loss + beta * nckd_loss


def at(x):
    return F.normalize(x.pow(2).mean(1).view(x.size(0), -1))


def at_loss(x, y):
    return (at(x) - at(y)).pow(2).mean()


def _pdist(e, squared, eps):
    e_square = e.pow(2).sum(dim=1)
    prod = e @ e.t()
    res = (e_square.unsqueeze(1) + e_square.unsqueeze(0) - 2 * prod).clamp(min=eps)
    if not squared:
        res = res.sqrt()
    res = res.clone()
    res[range(len(e)), range(len(e))] = 0
    return res


def rkd_parts(f_s, f_t, squared=False, eps=1e-12):
    stu = f_s.view(f_s.shape[0], -1)
    tea = f_t.view(f_t.shape[0], -1)
    with torch.no_grad():
        t_d = _pdist(tea, squared, eps)
        mean_td = t_d[t_d > 0].mean()
        t_d = t_d / mean_td
    d = _pdist(stu, squared, eps)
    mean_d = d[d > 0].mean()
    d = d / mean_d
    loss_d = F.smooth_l1_loss(d, t_d)
    with torch.no_grad():
        td = tea.unsqueeze(0) - tea.unsqueeze(1)
        norm_td = F.normalize(td, p=2, dim=2)
        t_angle = torch.bmm(norm_td, norm_td.transpose(1, 2)).view(-1)
    sd = stu.unsqueeze(0) - stu.unsqueeze(1)
    norm_sd = F.normalize(sd, p=2, dim=2)
    s_angle = torch.bmm(norm_sd, norm_sd.transpose(1, 2)).view(-1)
    loss_a = F.smooth_l1_loss(s_angle, t_angle)
    return loss_d, loss_a


def graded(fn, *inputs):
    """Value of fn(*leaves) and the gradient of every input."""
    leaves = [leaf(x) for x in inputs]
    value = fn(*leaves)
    value.backward()
    return value.item(), [enc(x.grad) for x in leaves]


# ---------------------------------------------------------------------------- classification
def classification():
    g = torch.Generator().manual_seed(1)
    logits = torch.randn(4, 5, generator=g) * 2
    labels = torch.tensor([2, 0, 4, 2])
    cases = {}
    for smoothing in (0.0, 0.1, 0.3):
        v, (gl,) = graded(
            lambda x: F.cross_entropy(x, labels, label_smoothing=smoothing), logits)
        cases[f"ce_{smoothing}"] = {
            "logits": enc(logits), "labels": labels.tolist(), "labelSmoothing": smoothing,
            "value": v, "grad": gl}
    logp = F.log_softmax(logits, 1)
    v, (gl,) = graded(lambda x: F.nll_loss(x, labels), logp)
    cases["nll"] = {"logProbs": enc(logp), "labels": labels.tolist(), "value": v, "grad": gl}
    a = torch.randn(3, 4, generator=g)
    b = torch.randn(3, 4, generator=g)
    b[0, 1] = a[0, 1] + 0.5  # one pair inside the smooth-L1 quadratic zone
    for name, fn in (
        ("mse", lambda x, y: F.mse_loss(x, y)),
        ("l1", lambda x, y: F.l1_loss(x, y)),
        ("smooth_l1", lambda x, y: F.smooth_l1_loss(x, y, beta=1.0)),
        ("cosine", lambda x, y: (1 - F.cosine_similarity(x, y, dim=1)).mean()),
    ):
        v, (ga, gb) = graded(fn, a, b)
        cases[name] = {"a": enc(a), "b": enc(b), "value": v, "gradA": ga, "gradB": gb}
    # cosine along dim 1 of a 4-D feature map: mean over batch and spatial positions
    fa = torch.randn(2, 3, 2, 2, generator=g)
    fb = torch.randn(2, 3, 2, 2, generator=g)
    v, (ga, gb) = graded(lambda x, y: (1 - F.cosine_similarity(x, y, dim=1)).mean(), fa, fb)
    cases["cosine_4d"] = {"a": enc(fa), "b": enc(fb), "value": v, "gradA": ga, "gradB": gb}
    write("classification.json", cases)


# ---------------------------------------------------------------------------- distillation
def distillation():
    g = torch.Generator().manual_seed(2)
    s = torch.randn(4, 6, generator=g) * 2
    t = torch.randn(4, 6, generator=g) * 3
    labels = torch.tensor([1, 5, 0, 3])
    cases = {"student": enc(s), "teacher": enc(t), "labels": labels.tolist()}
    kd = {}
    for T in (1.0, 4.0):
        for square in (True, False):
            for reduction in ("batchmean", "mean"):
                v, (gs,) = graded(lambda x: kd_loss(x, t, T, square, reduction), s)
                kd[f"T={T},square={square},{reduction}"] = {
                    "temperature": T, "square": square, "reduction": reduction,
                    "value": v, "grad": gs}
    cases["kd"] = kd
    teachers = [torch.randn(4, 6, generator=g) * 2 for _ in range(3)]
    cases["teachers"] = [enc(x) for x in teachers]
    multi = {}
    for weights in ([1.0, 1.0, 1.0], [1.0, 2.0, 1.0]):
        w = torch.tensor(weights) / sum(weights)
        T = 3.0

        def multi_kd(x):
            soft = sum(wi * F.softmax(ti / T, 1) for wi, ti in zip(w, teachers))
            return F.kl_div(F.log_softmax(x / T, 1), soft, reduction="batchmean") * T * T

        v, (gs,) = graded(multi_kd, s)
        multi[",".join(str(x) for x in weights)] = {
            "weights": weights, "temperature": T, "value": v, "grad": gs}
    cases["multi"] = multi
    dkd = {}
    for alpha, beta, T in ((1.0, 8.0, 4.0), (1.0, 0.0, 4.0), (0.0, 1.0, 4.0), (2.0, 1.0, 1.0)):
        v, (gs,) = graded(lambda x: dkd_loss(x, t, labels, alpha, beta, T), s)
        dkd[f"{alpha},{beta},{T}"] = {
            "alpha": alpha, "beta": beta, "temperature": T, "value": v, "grad": gs}
    cases["dkd"] = dkd
    write("distillation.json", cases)


# ---------------------------------------------------------------------------- features
def features():
    g = torch.Generator().manual_seed(3)
    cases = {}
    # Hint with a linear regressor: student [3, 4] -> teacher [3, 6]
    s = torch.randn(3, 4, generator=g)
    t = torch.randn(3, 6, generator=g)
    w = torch.randn(6, 4, generator=g) * 0.3
    b = torch.randn(6, generator=g) * 0.1
    v, grads = graded(lambda x, ww, bb: F.mse_loss(F.linear(x, ww, bb), t), s, w, b)
    cases["hint_linear"] = {"student": enc(s), "teacher": enc(t), "weight": enc(w),
                            "bias": enc(b), "value": v, "gradStudent": grads[0],
                            "gradWeight": grads[1], "gradBias": grads[2]}
    # Hint with a 1x1 conv regressor: [2, 3, 4, 4] -> [2, 5, 4, 4]
    s = torch.randn(2, 3, 4, 4, generator=g)
    t = torch.randn(2, 5, 4, 4, generator=g)
    w = torch.randn(5, 3, 1, 1, generator=g) * 0.3
    b = torch.randn(5, generator=g) * 0.1
    v, grads = graded(lambda x, ww, bb: F.mse_loss(F.conv2d(x, ww, bb), t), s, w, b)
    cases["hint_conv"] = {"student": enc(s), "teacher": enc(t), "weight": enc(w),
                          "bias": enc(b), "value": v, "gradStudent": grads[0],
                          "gradWeight": grads[1], "gradBias": grads[2]}
    # Attention transfer: channels differ, spatial size matches
    s = torch.randn(2, 3, 4, 4, generator=g)
    t = torch.randn(2, 5, 4, 4, generator=g) * 2
    v, (gs,) = graded(lambda x: at_loss(x, t), s)
    cases["at"] = {"student": enc(s), "teacher": enc(t), "value": v, "grad": gs}
    # Relational KD on embeddings of different widths
    s = torch.randn(5, 4, generator=g)
    t = torch.randn(5, 6, generator=g) * 2
    d, _ = rkd_parts(leaf(s), t)
    vd, (gd,) = graded(lambda x: rkd_parts(x, t)[0], s)
    va, (ga,) = graded(lambda x: rkd_parts(x, t)[1], s)
    vt, (gt,) = graded(lambda x: 25 * rkd_parts(x, t)[0] + 50 * rkd_parts(x, t)[1], s)
    cases["rkd"] = {"student": enc(s), "teacher": enc(t),
                    "distance": vd, "gradDistance": gd, "angle": va, "gradAngle": ga,
                    "total": vt, "gradTotal": gt}
    write("features.json", cases)


# ---------------------------------------------------------------------------- optimizers
def optimizers():
    g = torch.Generator().manual_seed(4)
    p0 = torch.randn(3, 2, generator=g)
    p1 = torch.randn(4, generator=g)
    steps = 5
    grads = [[torch.randn(3, 2, generator=g), torch.randn(4, generator=g)]
             for _ in range(steps)]
    configs = {
        "sgd": (torch.optim.SGD, dict(lr=0.1)),
        "sgd_momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
        "sgd_nesterov_wd": (torch.optim.SGD,
                            dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
        "adam": (torch.optim.Adam, dict(lr=0.01)),
        "adam_wd": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                           weight_decay=0.1)),
        "adamw": (torch.optim.AdamW, dict(lr=0.01)),
        "adamw_wd": (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
    }
    cases = {"initial": [enc(p0), enc(p1)],
             "grads": [[enc(a), enc(b)] for a, b in grads], "runs": {}}
    for name, (cls, kwargs) in configs.items():
        params = [leaf(p0), leaf(p1)]
        opt = cls(params, **kwargs)
        trajectory = []
        for step in range(steps):
            for p, gr in zip(params, grads[step]):
                p.grad = gr.clone()
            opt.step()
            trajectory.append([enc(p) for p in params])
        cases["runs"][name] = {"options": {k: list(v) if isinstance(v, tuple) else v
                                           for k, v in kwargs.items()},
                               "trajectory": trajectory}
    clip = {}
    for max_norm in (1.0, 100.0):
        params = [leaf(p0), leaf(p1)]
        for p, gr in zip(params, grads[0]):
            p.grad = gr.clone() * 2
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
        clip[str(max_norm)] = {"maxNorm": max_norm, "norm": norm.item(),
                               "grads": [enc(p.grad) for p in params]}
    cases["clip"] = clip
    cases["clipInput"] = [enc(gr * 2) for gr in grads[0]]
    write("optimizers.json", cases)


# ---------------------------------------------------------------------------- schedules
def schedules():
    def run(make, epochs, base=0.1):
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
        sched = make(opt)
        rates = []
        for _ in range(epochs):
            rates.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return rates

    lr = torch.optim.lr_scheduler
    cases = {
        "step": {"stepSize": 3, "gamma": 0.5,
                 "rates": run(lambda o: lr.StepLR(o, step_size=3, gamma=0.5), 10)},
        "cosine": {"tMax": 10, "etaMin": 0.001,
                   "rates": run(lambda o: lr.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
                                11)},
        "linear_warmup": {"startFactor": 0.1, "warmupSteps": 4,
                          "rates": run(lambda o: lr.LinearLR(o, start_factor=0.1,
                                                             total_iters=4), 8)},
        "warmup_cosine": {
            "startFactor": 0.1, "warmupSteps": 4, "tMax": 6, "etaMin": 0.0,
            "rates": run(lambda o: lr.SequentialLR(
                o, [lr.LinearLR(o, start_factor=0.1, total_iters=4),
                    lr.CosineAnnealingLR(o, T_max=6, eta_min=0.0)], milestones=[4]), 11)},
        "base": 0.1,
    }
    write("schedules.json", cases)


if __name__ == "__main__":
    torch.set_default_dtype(torch.float32)
    classification()
    distillation()
    features()
    optimizers()
    schedules()
    print("wrote", sorted(os.listdir(OUT)))

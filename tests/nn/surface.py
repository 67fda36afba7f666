"""List the public torch.nn classes and torch.nn.functional callables that ember.nn lacks (a work list, not a
test; the official surface test lives elsewhere).  Run: ``PYTHONPATH=src python tests/nn/surface.py``."""

import inspect

import torch
import torch.nn.functional as tF

import ember.nn as enn
import ember.nn.functional as eF


def missing() -> tuple[list, list, int, int]:
    classes = [n for n in dir(torch.nn) if not n.startswith("_") and inspect.isclass(getattr(torch.nn, n))]
    funcs = [n for n in dir(tF) if not n.startswith("_") and callable(getattr(tF, n))
             and not inspect.isclass(getattr(tF, n)) and not inspect.ismodule(getattr(tF, n))]
    return ([n for n in classes if not hasattr(enn, n)], [n for n in funcs if not hasattr(eF, n)], len(classes),
            len(funcs))


if __name__ == "__main__":
    mc, mf, nc, nf = missing()
    print(f"torch.nn classes: {nc - len(mc)}/{nc}; missing: {', '.join(mc)}")
    print(f"torch.nn.functional callables: {nf - len(mf)}/{nf}; missing: {', '.join(mf)}")

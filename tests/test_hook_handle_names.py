"""Every register_*_hook returns what prints as PyTorch's torch.utils.hooks.RemovableHandle (PyTorch 2.13 prints
<class 'torch.utils.hooks.RemovableHandle'> for a module's, a tensor's and a graph node's handle alike)."""

import ember
from ember.utils.hooks import RemovableHandle


def _handles():
    m = ember.nn.Linear(2, 1)
    leaf = ember.ones(2, requires_grad=True)
    y = leaf * 2
    return [m.register_forward_hook(lambda *a: None), m.register_full_backward_hook(lambda *a: None),
            leaf.register_hook(lambda g: g), y.register_hook(lambda g: g), y.grad_fn.register_hook(lambda *a: None),
            ember.optim.SGD(m.parameters(), lr=0.1).register_step_post_hook(lambda *a: None)]


def test_every_handle_prints_as_torchs():
    for h in _handles():
        assert str(type(h)) == "<class 'torch.utils.hooks.RemovableHandle'>"
        assert type(h).__name__ == "RemovableHandle"
        assert repr(h).startswith("<torch.utils.hooks.RemovableHandle object at 0x")
        assert isinstance(h, RemovableHandle)


def test_handles_still_remove_their_hook():
    m = ember.nn.Linear(2, 1)
    calls = []
    h = m.register_forward_hook(lambda *a: calls.append(1))
    m(ember.ones(2))
    h.remove()
    m(ember.ones(2))
    assert calls == [1]

# A tiny Vision Transformer as blog posts build it: patchify with unfold / einops-style rearrange written as
# view + permute, a class token and learned position embeddings, nn.MultiheadAttention (need_weights, masks),
# nn.TransformerEncoderLayer(norm_first=True, batch_first=True, activation="gelu"), trunc_normal_ init,
# parameter counting per module, AdamW with betas, a cosine warmup schedule, torch.inference_mode.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)

B, C, H, W, P = 2, 3, 8, 8, 4
imgs = torch.randn(B, C, H, W)


def rearrange_patches(x, p):
    # 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)'
    b, c, h, w = x.shape
    x = x.view(b, c, h // p, p, w // p, p)
    x = x.permute(0, 2, 4, 3, 5, 1)
    return x.reshape(b, (h // p) * (w // p), p * p * c)


patches = rearrange_patches(imgs, P)
print(patches.shape, patches.is_contiguous())
u = F.unfold(imgs, kernel_size=P, stride=P)
print(u.shape)
print(torch.allclose(u.transpose(1, 2).reshape(B, 4, C, P, P).permute(0, 1, 3, 4, 2).reshape(B, 4, -1), patches))
folded = F.fold(u, output_size=(H, W), kernel_size=P, stride=P)
print(torch.equal(folded, imgs))
print(imgs.unfold(2, P, P).unfold(3, P, P).shape)


class PatchEmbed(nn.Module):
    def __init__(self, in_chans=3, embed_dim=16, patch=4):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    def __init__(self, num_classes=5, dim=16, depth=2, heads=4, num_patches=4):
        super().__init__()
        self.patch_embed = PatchEmbed(embed_dim=dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=2 * dim, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, num_classes)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        self.apply(self._init)

    def _init(self, m):
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0)
        elif isinstance(m, nn.LayerNorm):
            nn.init.constant_(m.bias, 0)
            nn.init.constant_(m.weight, 1.0)

    def forward(self, x):
        x = self.patch_embed(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        x = self.encoder(x)
        return self.head(self.norm(x)[:, 0])


model = ViT()
print(model)
for name, mod in model.named_children():
    print(f"{name:12s} {sum(p.numel() for p in mod.parameters()):6d}")
print(model.pos_embed.abs().max() <= 0.04, model.cls_token.shape)
print([n for n, p in model.named_parameters() if "encoder.layers.0" in n])
logits = model(imgs)
print(logits)

mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
q = torch.randn(2, 3, 8)
kv = torch.randn(2, 5, 8)
out, w = mha(q, kv, kv)
print(out.shape, w.shape)
print(w[0])
out, w = mha(q, kv, kv, average_attn_weights=False)
print(w.shape)
pad = torch.tensor([[False, False, False, True, True], [False] * 5])
out, w = mha(q, kv, kv, key_padding_mask=pad)
print(w[0])
causal = nn.Transformer.generate_square_subsequent_mask(3)
print(causal)
out, w = mha(q, q, q, attn_mask=causal, need_weights=True)
print(w[1])
out, w = mha(q, q, q, need_weights=False)
print(w, out[0, 0])
print(F.scaled_dot_product_attention(q, q, q, attn_mask=causal == 0)[0, :2])

decay, no_decay = [], []
for n, p in model.named_parameters():
    (no_decay if p.ndim < 2 or "pos_embed" in n or "cls_token" in n else decay).append(p)
print(len(decay), len(no_decay))
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=1e-3, betas=(0.9, 0.999))
warmup, total = 2, 8
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (total - warmup))))
labels = torch.tensor([1, 3])
for step in range(total):
    loss = F.cross_entropy(model(imgs), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(step, f"{loss.item():.5f}", f"{sched.get_last_lr()[0]:.6f}")
with torch.inference_mode():
    probs = model(imgs).softmax(-1)
print(probs, probs.requires_grad, torch.is_inference_mode_enabled())
print(probs.is_inference())

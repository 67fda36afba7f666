# The "Text classification with the torchtext library" tutorial without torchtext: a vocabulary built by hand,
# collate_batch producing (label, text, offsets), nn.EmbeddingBag(mode="mean"), SGD + StepLR, clip_grad_norm_.
import time
from collections import Counter, OrderedDict

import torch
from torch import nn
from torch.utils.data import DataLoader
from torch.utils.data.dataset import random_split

torch.manual_seed(0)

raw = [
    (1, "wall st. bears claw back into the black"),
    (2, "the team won the final match of the season"),
    (3, "new chip makes phones faster and cheaper"),
    (0, "leaders meet to discuss the peace talks"),
    (1, "oil prices rise as stocks fall on wall st."),
    (2, "star striker scores twice in cup final"),
    (3, "software update fixes security flaw in phones"),
    (0, "talks collapse as leaders leave the summit"),
    (1, "bank shares climb after profit report"),
    (2, "coach praises team after narrow win"),
    (3, "researchers unveil faster quantum chip"),
    (0, "un calls for peace after border clash"),
] * 4

tokenizer = lambda s: s.lower().replace(".", " .").split()
counter = Counter()
for _, line in raw:
    counter.update(tokenizer(line))
ordered = OrderedDict(sorted(counter.items(), key=lambda x: (-x[1], x[0])))
itos = ["<unk>"] + list(ordered.keys())
stoi = {w: i for i, w in enumerate(itos)}
vocab = lambda toks: [stoi.get(t, 0) for t in toks]
print(len(itos), itos[:8])
print(vocab(["here", "is", "the", "team"]))

text_pipeline = lambda x: vocab(tokenizer(x))
label_pipeline = lambda x: int(x)


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for _label, _text in batch:
        label_list.append(label_pipeline(_label))
        processed_text = torch.tensor(text_pipeline(_text), dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list, text_list, offsets


lab, txt, off = collate_batch(raw[:3])
print(lab, txt, off, sep="\n")


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


num_class = len(set([label for (label, text) in raw]))
vocab_size = len(itos)
emsize = 16
model = TextClassificationModel(vocab_size, emsize, num_class)
print(model)
print(model.embedding(txt, off).shape)

# the other EmbeddingBag modes, 2-D input and per_sample_weights
bag = nn.EmbeddingBag(10, 3, mode="sum")
inp = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
offsets = torch.tensor([0, 4])
print(bag(inp, offsets))
print(bag(inp, offsets, per_sample_weights=torch.linspace(0.5, 1.5, 8)))
bag_max = nn.EmbeddingBag.from_pretrained(torch.arange(30.).view(10, 3), mode="max")
print(bag_max(torch.tensor([[1, 2, 4], [4, 3, 2]])))
print(bag_max.weight.requires_grad)
print(nn.functional.embedding_bag(inp, bag.weight, torch.tensor([0, 3, 8]), mode="mean", include_last_offset=True))
pad_bag = nn.EmbeddingBag(10, 3, mode="mean", padding_idx=0)
print(pad_bag(torch.tensor([[0, 2, 0], [0, 0, 0]])))


def train(dataloader, epoch):
    model.train()
    total_acc, total_count = 0, 0
    log_interval = 2
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
        if idx % log_interval == 0 and idx > 0:
            print("| epoch {:3d} | {:5d}/{:5d} batches | accuracy {:8.3f}".format(
                epoch, idx, len(dataloader), total_acc / total_count))
            total_acc, total_count = 0, 0


def evaluate(dataloader):
    model.eval()
    total_acc, total_count = 0, 0
    with torch.no_grad():
        for idx, (label, text, offsets) in enumerate(dataloader):
            predicted_label = model(text, offsets)
            loss = criterion(predicted_label, label)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count


EPOCHS, LR, BATCH_SIZE = 4, 5, 8
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=LR)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
total_accu = None
num_train = int(len(raw) * 0.75)
split_train_, split_valid_ = random_split(raw, [num_train, len(raw) - num_train])
print(len(split_train_), len(split_valid_), split_valid_.indices)
train_dataloader = DataLoader(split_train_, batch_size=BATCH_SIZE, shuffle=True, collate_fn=collate_batch)
valid_dataloader = DataLoader(split_valid_, batch_size=BATCH_SIZE, shuffle=True, collate_fn=collate_batch)

for epoch in range(1, EPOCHS + 1):
    train(train_dataloader, epoch)
    accu_val = evaluate(valid_dataloader)
    if total_accu is not None and total_accu > accu_val:
        scheduler.step()
    else:
        total_accu = accu_val
    print("-" * 59)
    print("| end of epoch {:3d} | valid accuracy {:8.3f} | lr {}".format(epoch, accu_val, scheduler.get_last_lr()))
    print("-" * 59)

ag_news_label = {1: "World", 2: "Sports", 3: "Business", 4: "Sci/Tec"}


def predict(text, text_pipeline):
    with torch.no_grad():
        text = torch.tensor(text_pipeline(text))
        output = model(text, torch.tensor([0]))
        return output.argmax(1).item() + 1


print("This is a %s news" % ag_news_label[predict("the striker won the cup final", text_pipeline)])
print(model.fc.bias, model.embedding.weight.grad.abs().sum() > 0)

# Seq2seq toy ("Translation with a sequence to sequence network"): GRU encoder/decoder reversing sequences.
import random
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

torch.manual_seed(0)
random.seed(0)
SOS_token, EOS_token = 0, 1
vocab = 8
MAX_LENGTH = 6


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size, dropout_p=0.1):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, input):
        embedded = self.dropout(self.embedding(input))
        output, hidden = self.gru(embedded)
        return output, hidden


class DecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size):
        super().__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)

    def forward(self, encoder_outputs, encoder_hidden, target_tensor=None):
        batch_size = encoder_outputs.size(0)
        decoder_input = torch.empty(batch_size, 1, dtype=torch.long).fill_(SOS_token)
        decoder_hidden = encoder_hidden
        decoder_outputs = []
        for i in range(MAX_LENGTH):
            decoder_output, decoder_hidden = self.forward_step(decoder_input, decoder_hidden)
            decoder_outputs.append(decoder_output)
            if target_tensor is not None:
                decoder_input = target_tensor[:, i].unsqueeze(1)  # teacher forcing
            else:
                _, topi = decoder_output.topk(1)
                decoder_input = topi.squeeze(-1).detach()
        decoder_outputs = torch.cat(decoder_outputs, dim=1)
        decoder_outputs = F.log_softmax(decoder_outputs, dim=-1)
        return decoder_outputs, decoder_hidden, None

    def forward_step(self, input, hidden):
        output = self.embedding(input)
        output = F.relu(output)
        output, hidden = self.gru(output, hidden)
        return self.out(output), hidden


def make_batch(n):
    src = torch.randint(2, vocab, (n, MAX_LENGTH - 1))
    eos = torch.full((n, 1), EOS_token, dtype=torch.long)
    return torch.cat([src, eos], 1), torch.cat([src.flip(1), eos], 1)


src, tgt = make_batch(32)
print(src[:2])
print(tgt[:2])
hidden_size = 24
encoder = EncoderRNN(vocab, hidden_size)
decoder = DecoderRNN(hidden_size, vocab)
print(encoder)
print(decoder)
enc_out, enc_hidden = encoder(src)
print(enc_out.shape, enc_hidden.shape)

encoder_optimizer = optim.Adam(encoder.parameters(), lr=0.01)
decoder_optimizer = optim.Adam(decoder.parameters(), lr=0.01)
criterion = nn.NLLLoss()
for epoch in range(1, 31):
    input_tensor, target_tensor = make_batch(32)
    encoder_optimizer.zero_grad()
    decoder_optimizer.zero_grad()
    encoder_outputs, encoder_hidden = encoder(input_tensor)
    decoder_outputs, _, _ = decoder(encoder_outputs, encoder_hidden, target_tensor)
    loss = criterion(decoder_outputs.view(-1, decoder_outputs.size(-1)), target_tensor.view(-1))
    loss.backward()
    encoder_optimizer.step()
    decoder_optimizer.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f}")

encoder.eval()
decoder.eval()
with torch.no_grad():
    src, tgt = make_batch(4)
    enc_out, enc_hidden = encoder(src)
    dec_out, dec_hidden, _ = decoder(enc_out, enc_hidden)
    _, topi = dec_out.topk(1)
    decoded_ids = topi.squeeze()
print(src)
print(decoded_ids)
print(f"token accuracy {(decoded_ids == tgt).float().mean().item():.4f}")
print(dec_hidden.shape, dec_out.shape)

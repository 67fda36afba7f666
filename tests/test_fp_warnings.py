"""PyTorch prints nothing when a float overflows or divides by zero (inf and nan are the answer); NumPy warns from the
line that called it. ember silences those warnings from its own lines only: the user's NumPy code still warns."""

import subprocess
import sys

PROGRAM = """
import numpy as np
import ember
x = ember.tensor([1e30, 0.0, -1.0])
y = x * 1e30          # overflow inside ember's multiply
z = x / 0             # divide by zero and 0/0 inside ember
w = ember.log(x)      # log of 0 and of a negative number
print(y.tolist(), z.tolist(), w.tolist())
np.float32(1e30) * np.float32(1e30)  # the user's own NumPy overflow: still reported
"""


def test_floating_point_warnings_come_only_from_the_users_numpy():
    r = subprocess.run([sys.executable, "-W", "default", "-c", PROGRAM], capture_output=True, text=True, check=True)
    # what PyTorch 2.13 prints for the same three lines
    assert r.stdout.strip() == "[inf, 0.0, -1.0000000150474662e+30] [inf, nan, -inf] [69.07755279541016, -inf, nan]"
    warned = [line for line in r.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warned) == 1 and warned[0].startswith("<string>:"), r.stderr  # the user's line, nothing of ember's
    assert "ember" not in r.stderr

"""A rank that raises stops the whole job at once with its traceback; a job that hangs is stopped by --timeout."""

import time

import pytest
from jobs import PROGRAMS, launch


def test_a_raising_rank_fails_the_job_fast(needs_mpi):
    start = time.monotonic()
    job = launch("fail.py", 2, env={"MODE": "raise"}, timeout=60)
    took = time.monotonic() - start
    assert job.returncode == 1
    # the rank's own traceback, as Python prints it for the script (no launcher frames first)
    assert "Traceback (most recent call last):\n  File \"" + str(PROGRAMS / "fail.py") in job.stderr
    assert "ValueError: boom from rank 1" in job.stderr
    assert "fail.py FAILED on rank 1 (local_rank 1" in job.stderr
    assert job.stderr.rstrip().endswith("ValueError: boom from rank 1")
    assert "unreachable" not in job.stdout  # rank 0 was stopped inside its all_reduce
    assert took < 30, took


def test_a_hanging_job_is_stopped_by_the_timeout(needs_mpi):
    # rank 1 finishes normally while rank 0 waits for it forever: only the timeout can end this job
    start = time.monotonic()
    job = launch("fail.py", 2, env={"MODE": "hang"}, timeout=60, extra=["--timeout", "3"])
    assert job.returncode == 1
    assert "did not finish within 3 s; stopped" in job.stderr
    assert time.monotonic() - start < 30


def test_a_rank_exiting_nonzero_fails_the_job(needs_mpi, tmp_path):
    script = tmp_path / "exit3.py"
    script.write_text("import sys\nimport ember.distributed as dist\ndist.init_process_group('gloo')\n"
                      "if dist.get_rank() == 0:\n    sys.exit(3)\ndist.barrier()\n")
    job = launch(script, 2, timeout=60)
    assert job.returncode == 1
    assert "FAILED on rank 0 (local_rank 0" in job.stderr and "exit code 3" in job.stderr


@pytest.mark.parametrize("argv, message", [
    (["--nnodes", "2", "x.py"], "--nnodes > 1 needs --hostfile"),
    (["--nnodes", "2", "--node-rank", "1", "--hostfile", "h", "x.py"], "starts once, from node rank 0"),
])
def test_launcher_refuses_what_mpi_cannot_do(argv, message):
    from ember.distributed import run
    with pytest.raises(SystemExit, match=message):
        run.run(run.parse_args(argv))

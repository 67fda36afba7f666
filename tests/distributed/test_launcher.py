"""The launcher's command line: torchrun's flags parsed, and the mpiexec command they become (no processes)."""

import sys

import pytest

from ember.distributed import run


def test_torchrun_spellings_parse_the_same():
    a = run.parse_args(["--nproc-per-node", "2", "--master-port", "1234", "train.py", "--lr", "0.1"])
    b = run.parse_args(["--nproc_per_node=2", "--master_port=1234", "train.py", "--lr", "0.1"])
    assert vars(a) == vars(b)
    assert a.nproc_per_node == 2 and a.training_script == "train.py" and a.training_script_args == ["--lr", "0.1"]
    assert run.parse_args(["--nnodes", "1:2", "x.py"]).nnodes == 2
    assert run.parse_args(["--nproc-per-node", "cpu", "x.py"]).nproc_per_node >= 1
    e = run.parse_args(["--rdzv-endpoint", "node0:29400", "x.py"])
    assert (e.master_addr, e.master_port) == ("node0", 29400)


def test_hydra_command(tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("node0\nnode1:4  # second machine\n")
    args = run.parse_args(["--nnodes", "2", "--nproc-per-node", "3", "--hostfile", str(hosts), "-m", "pkg.train",
                           "--x", "1"])
    fake = tmp_path / "mpiexec"
    (tmp_path / "mpichversion").write_text("")
    cmd = run.mpiexec_command(args, {"MASTER_ADDR": "node0"}, mpiexec=str(fake))
    assert cmd == [str(fake), "-n", "6", "-f", str(hosts), "-ppn", "3", "-genv", "MASTER_ADDR", "node0",
                   sys.executable, "-m", "ember.distributed._agent", "-m", "pkg.train", "--x", "1"]
    assert run._hosts(str(hosts)) == ["node0", "node1"]


def test_openmpi_command(tmp_path):
    (tmp_path / "ompi_info").write_text("")
    args = run.parse_args(["--nproc-per-node", "2", "train.py"])
    cmd = run.mpiexec_command(args, {"MASTER_PORT": "29500"}, mpiexec=str(tmp_path / "mpirun"))
    assert cmd[:4] == [str(tmp_path / "mpirun"), "-n", "2", "--oversubscribe"]
    assert cmd[cmd.index("-x") + 1] == "MASTER_PORT=29500"
    assert cmd[-4:] == [sys.executable, "-m", "ember.distributed._agent", "train.py"]


def test_too_few_hosts(tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("only-one\n")
    with pytest.raises(SystemExit, match="names only 1 host"):
        run.run(run.parse_args(["--nnodes", "2", "--hostfile", str(hosts), "x.py"]))

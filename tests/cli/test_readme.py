"""The README's shell blocks run as written, in a fresh copy of the repository after `make lab`.

The copy holds what a clone holds that the commands use (`docs/`, `notebooks/`) and the virtual
environment the tests run in as `.venv`; `.demo-home` is seeded by the very command `make lab`
runs (read from `make -n lab`). Blocks of `make` targets and the development block are checked
for what they name (the targets exist, the scripts are there), not run: they would install
packages or run this suite.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

README = REPO / "README.md"


def shell_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S)


def runs_as_written(block: str) -> bool:
    return "dataplane " in block and not re.search(r"^\s*make ", block, flags=re.M)


def commands(block: str) -> list[str]:
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def fresh_clone(tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    clone.mkdir()
    for folder in ("docs", "notebooks"):
        shutil.copytree(REPO / folder, clone / folder)
    shutil.copy(REPO / "Makefile", clone / "Makefile")
    venv = Path(sys.prefix)
    assert (venv / "bin" / "activate").is_file(), f"the tests must run in a virtual environment, not {venv}"
    (clone / ".venv").symlink_to(venv)
    return clone


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAPLANE_")}
    env["HOME"] = str(tmp_path / "user-home")  # nothing may land in the real ~/.dataplane
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def make_dry_run(clone: Path, target: str, env: dict[str, str], *variables: str) -> str:
    result = subprocess.run(["make", "-n", target, *variables], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_readme_shell_blocks_run_as_written(tmp_path):
    clone = fresh_clone(tmp_path)
    env = environment(tmp_path)
    lab = make_dry_run(clone, "lab", env)
    seed = [line for line in lab.splitlines() if " demo seed" in line]
    assert len(seed) == 1, lab
    seeded = subprocess.run(["bash", "-e", "-c", seed[0]], cwd=clone, env=env, capture_output=True, text=True,
                            timeout=900)
    assert seeded.returncode == 0, seeded.stderr
    assert (clone / ".demo-home").is_dir()

    blocks = shell_blocks()
    runnable = [block for block in blocks if runs_as_written(block)]
    assert len(runnable) >= 2, "the README's CLI examples are gone"
    script = "\n".join(runnable)
    result = subprocess.run(["bash", "-e", "-x", "-c", script], cwd=clone, env=env, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Traceback" not in result.stderr, result.stderr[-4000:]
    assert not (tmp_path / "user-home" / ".dataplane").exists()
    # what the blocks promise: the demo is reachable, churn got its dataset, export and selection
    listed = subprocess.run([".venv/bin/dataplane", "--home", ".demo-home", "--json", "projects", "list"], cwd=clone,
                            env=env, capture_output=True, text=True, timeout=120)
    assert {"demo", "churn"} <= {p["name"] for p in json.loads(listed.stdout)}

    for block in blocks:
        if block in runnable:
            continue
        for command in commands(block):
            words = shlex.split(command)
            if words[0] == "make":
                make_dry_run(REPO, words[1], env)
            elif words[0] == "(cd":
                assert (REPO / words[1].rstrip(")&")).is_dir(), command
            else:
                program = words[0]
                assert (REPO / program).exists() or program.startswith(".venv/"), command
                if program.startswith(".venv/"):
                    assert (clone / program).exists(), command


def test_make_lab_stops_instead_of_sharing_a_port_and_takes_port_and_home(tmp_path):
    clone = fresh_clone(tmp_path)
    env = environment(tmp_path)
    lab = make_dry_run(clone, "lab", env, "PORT=8890", f"DEMO_HOME={tmp_path / 'elsewhere'}")
    server = next(line for line in lab.splitlines() if "jupyterlab" in line)
    assert "--port=8890" in server and "--ServerApp.port_retries=0" in server
    assert "--notebook-dir=notebooks" in server
    assert f"DATAPLANE_HOME={tmp_path / 'elsewhere'}" in server
    text = README.read_text()
    for promise in ("PORT=8890 make lab", "token=", "notebooks/", "port 8888 is not available"):
        assert promise in text


def test_what_notebooks_leave_behind_is_ignored_by_git():
    left_behind = ["notebooks/tips.csv", "notebooks/world.sqlite", "notebooks/shapes-copy.zip",
                   "notebooks/.ipynb_checkpoints/getting-started-checkpoint.ipynb", ".demo-home/catalog.db"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *left_behind], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.split() == left_behind
    kept = subprocess.run(["git", "check-ignore", "--no-index", "notebooks/getting-started.ipynb"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert kept.stdout == ""

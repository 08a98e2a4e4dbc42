"""The `dataplane` command, run as a user would run it (a real subprocess)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import dataplane_jupyter as dp


def dataplane(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dataplane_jupyter.cli", *args], capture_output=True, text=True, check=check, timeout=120
    )


def test_projects_list_as_json(isolated_home):
    dp.Catalog(isolated_home).create_project("churn", "customer churn")
    out = dataplane("--json", "projects", "list")
    assert [(p["name"], p["description"]) for p in json.loads(out.stdout)] == [("churn", "customer churn")]


def test_home_option_wins_over_the_environment(tmp_path):
    other = tmp_path / "other-home"
    dataplane("--home", str(other), "projects", "create", "elsewhere")
    assert [p.name for p in dp.Catalog(other).projects()] == ["elsewhere"]
    assert json.loads(dataplane("--json", "projects", "list").stdout) == []


def test_errors_exit_non_zero_with_the_message(isolated_home):
    dataplane("projects", "create", "p")
    result = dataplane("projects", "create", "p", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: A project named 'p' already exists."
    result = dataplane("--json", "--project", "p", "datasets", "show", "missing", check=False)
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"] == "No dataset named 'missing' in project 'p'."


def test_jobs_list_and_show(isolated_home):
    catalog = dp.Catalog(isolated_home, executor="thread")
    job = catalog.jobs.start("t", "tests.core.job_functions:steps", project_id=catalog.project("default").id)
    catalog.jobs.wait(job.id, timeout=30)
    listed = json.loads(dataplane("--json", "jobs", "list").stdout)
    assert [(j["id"], j["status"]) for j in listed] == [(job.id, "succeeded")]
    shown = json.loads(dataplane("--json", "jobs", "show", job.id).stdout)
    assert shown["result"] == {"counted": 5}


@pytest.mark.parametrize("argv", [[], ["datasets"]])
def test_help_without_a_verb(argv):
    result = dataplane(*argv, check=False)
    assert result.returncode == 2
    assert "usage: dataplane" in result.stdout


@pytest.mark.team
def test_datasets_import_wait_json_then_stats(isolated_home, tmp_path):
    path = tmp_path / "tips.csv"
    path.write_text("day\ttotal\tsmoker\nSun\t16.99\tNo\nSat\t10.34\tYes\nSun\t21.01\tNo\n")
    shown = json.loads(dataplane("--json", "datasets", "import", str(path), "--name", "tips", "--wait").stdout)
    assert (shown["status"], shown["rows"], shown["columns"]) == ("ready", 3, 3)
    stats = json.loads(dataplane("--json", "datasets", "stats", "tips").stdout)
    total = next(c for c in stats["columns"] if c["name"] == "total")
    assert total["type"] == "numeric" and total["max"] == 21.01
    assert set(stats) >= {"summary", "columns", "correlation", "sample"}


@pytest.mark.team
def test_a_failed_import_exits_non_zero_with_the_error(isolated_home, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    result = dataplane("--json", "datasets", "import", str(path), "--wait", check=False)
    assert result.returncode == 1
    assert "empty.csv" in json.loads(result.stdout)["error"]
    assert result.stderr.strip().splitlines()[-1].startswith("error: Dataset 'empty' failed")


@pytest.mark.team
def test_following_a_job_whose_worker_died_ends_with_the_reason(isolated_home):
    catalog = dp.Catalog(isolated_home, executor="process")
    job = catalog.jobs.start("t", "tests.core.job_functions:steps", params={"n": 10_000, "delay": 0.05})
    deadline = time.monotonic() + 30
    while not (running := catalog.jobs.get(job.id)).progress:
        assert time.monotonic() < deadline, "worker never started"
        time.sleep(0.05)
    os.kill(running.worker_pid, signal.SIGKILL)
    result = dataplane("jobs", "wait", job.id, check=False)
    assert result.returncode == 1
    assert "error: Job" in result.stderr and "failed: Interrupted: the worker process" in result.stderr


def test_bad_rows_set_aside_then_listed_and_strict_refuses(isolated_home, tmp_path):
    path = tmp_path / "rag.csv"
    path.write_text("a,b,c\n" + "1,2,3\n" * 20 + "4,5,6,7\n")
    shown = json.loads(dataplane("--json", "datasets", "import", str(path), "--wait").stdout)
    assert (shown["status"], shown["rows"]) == ("ready", 20)
    assert "1 row set aside: lines 22 (4 fields, expected 3); see the rejected rows" in [
        w["message"] for w in shown["warnings"]]
    rows = json.loads(dataplane("--json", "datasets", "rejected", "rag").stdout)
    assert rows == [{"line": 22, "raw": "4,5,6,7", "reason": "4 fields, expected 3"}]
    assert dataplane("datasets", "rejected", "rag").stdout == "line 22: 4 fields, expected 3\n  4,5,6,7\n"
    result = dataplane("--json", "datasets", "import", str(path), "--name", "strict", "--strict", "--wait",
                       check=False)
    assert result.returncode == 1
    # the hint is worded for the CLI: the flag, not the Python keyword
    assert json.loads(result.stdout)["error"].endswith(
        'rag.csv: line 22 has 4 fields, expected 3. To import the file with such rows repaired or set aside: '
        '--on-bad-rows "repair"')
    assert 'set aside: --on-bad-rows "repair"' in result.stderr


def test_a_ragged_row_is_reported_once_with_its_count_and_the_cli_flag_in_jobs_too(isolated_home, tmp_path):
    """Issue #20, item 6 (and 7's "in the words of the surface"): line 4 of a 3-column file has
    5 fields: said once, with 5, the hint a CLI flag, also in `jobs list` and `jobs show`."""
    path = tmp_path / "r.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,6\n7,8,9,10,11\n")
    failed = dataplane("datasets", "import", str(path), "--strict", "--wait", check=False)
    assert failed.returncode == 1
    said = 'r.csv: line 4 has 5 fields, expected 3. To import the file with such rows repaired or set aside: '
    assert all(line.count("line 4 has") <= 1 for line in failed.stderr.splitlines())
    assert said + '--on-bad-rows "repair"' in failed.stderr.splitlines()[-1] and "on_bad_rows=" not in failed.stderr
    listed = dataplane("jobs", "list").stdout
    assert said + '--on-bad-rows "repair"' in listed and "on_bad_rows=" not in listed
    job = json.loads(dataplane("--json", "jobs", "list").stdout)[0]
    shown = dataplane("jobs", "show", job["id"]).stdout
    assert f"message: {said}--on-bad-rows \"repair\"" in shown and "on_bad_rows=" not in shown


def test_header_of_two_lines_warns_with_the_cli_flag_that_overrides_it(isolated_home, tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text(",Revenue,\nregion,q1,q2\n" + "".join(f"r{i},{i}.5,{i}\n" for i in range(10)))
    out = dataplane("datasets", "import", str(path), "--wait").stdout
    assert ("  - groups.csv: the header spans 2 lines (1 to 2); their cells were joined into the column names: "
            "'region', 'Revenue q1', 'Revenue q2'. To read only line 1 as the header: --header-rows 1\n") in out
    shown = json.loads(dataplane("--json", "datasets", "import", str(path), "--name", "one", "--header-rows", "1",
                                 "--wait").stdout)
    assert shown["rows"] == 11 and shown["hints"] == []
    sample = json.loads(dataplane("--json", "datasets", "sample", "one", "-n", "1").stdout)
    assert sample["columns"] == ["column_1", "Revenue", "column_3"]


def test_global_options_work_after_the_verb_too(isolated_home, tmp_path):
    other = tmp_path / "other-home"
    dataplane("projects", "create", "churn", "--home", str(other))
    assert [p.name for p in dp.Catalog(other).projects()] == ["churn"]
    path = tmp_path / "sales.csv"
    path.write_text("region,amount\nnorth,3\nsouth,4\n")
    dataplane("datasets", "import", str(path), "--name", "sales", "--wait", "--project", "churn", "--home", str(other))
    stats = json.loads(dataplane("--project", "churn", "datasets", "stats", "sales", "--json", "--home", str(other)).stdout)
    assert stats["summary"]["rows"] == 2
    # before the noun, between noun and verb, after the verb: all the same options
    listed = json.loads(dataplane("--home", str(other), "datasets", "--json", "list", "-p", "churn").stdout)
    assert [d["name"] for d in listed] == ["sales"]
    # the last one given wins
    assert json.loads(dataplane("--project", "nope", "--home", str(other), "datasets", "list", "--json",
                                "--project", "churn").stdout)[0]["name"] == "sales"


def test_a_closed_pipe_ends_quietly(isolated_home):
    catalog = dp.Catalog(isolated_home, executor="thread")
    for i in range(400):
        catalog.create_project(f"project-{i:03d}", "x" * 200)
    result = subprocess.run(
        f"{sys.executable} -m dataplane_jupyter.cli --json projects list | head -n 3",
        shell=True, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == ["[", "  {"] and len(result.stdout.splitlines()) == 3
    assert result.stderr == ""


def test_commands_that_add_create_the_project_like_python_and_reads_do_not(isolated_home, tmp_path):
    result = dataplane("--project", "churn", "datasets", "list", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == ("error: No project named 'churn'. Create it with `dataplane projects create churn` "
                                     "(an import or create command into it also creates it).")
    assert json.loads(dataplane("--json", "projects", "list").stdout) == []
    path = tmp_path / "sales.csv"
    path.write_text("region,amount\nnorth,3\n")
    dataplane("--project", "churn", "datasets", "import", str(path), "--name", "sales", "--wait")
    assert [p["name"] for p in json.loads(dataplane("--json", "projects", "list").stdout)] == ["churn"]


def test_datasets_retry_with_other_options(isolated_home, tmp_path):
    path = tmp_path / "cities.csv"
    path.write_bytes("city;population\nZürich;421878\nGenève;203856\n".encode("cp1252"))
    failed = dataplane("--json", "datasets", "import", str(path), "--encoding", "utf-8", "--wait", check=False)
    assert failed.returncode == 1
    shown = json.loads(dataplane("datasets", "retry", "cities", "--separator", ";", "--encoding", "cp1252",
                                 "--wait", "--json").stdout)
    assert (shown["status"], shown["rows"], shown["columns"]) == ("ready", 2, 2)
    again = dataplane("datasets", "retry", "cities", check=False)
    assert again.returncode == 1 and "only a failed import can be retried" in again.stderr

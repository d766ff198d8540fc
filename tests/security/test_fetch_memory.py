"""The fetcher's peak memory on compression bombs and an endless body, measured in a process
of its own (as a worker is): a 4 GiB gzip bomb, the same bomb stacked (`gzip, gzip`, 9 KB on
the wire), a 64 MiB deflate bomb and an endless body each end with their message while the
process's resident memory grows by less than MEMORY_BUDGET over what it held before."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

MIB = 1024 * 1024
#: The most a fetch of a hostile page may add to a worker's resident memory: the 5 MB body
#: cap twice over (chunks, then joined), plus room for the buffers of the connection.
MEMORY_BUDGET = 32 * MIB

# Run in the child: warm up (every module imported, one fetch made), cap the address space
# so a regression fails fast instead of eating the machine, then fetch each URL alone with
# the resident high-water mark reset before it (Linux's clear_refs), reporting its peak
# over the resident memory before the first.
CHILD = r"""
import json, resource, sys
import django

django.setup()
from newsroom.desk.importing.fetching import fetch_all

def status(field):
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024

base, paths = sys.argv[1], sys.argv[2:]
fetch_all([base + "/news/grain-exports"])
resource.setrlimit(resource.RLIMIT_AS, (status("VmSize") + 1024**3, resource.RLIM_INFINITY))
report = []
baseline = status("VmRSS")
for path in paths:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
    [result] = fetch_all([base + path])
    # Against the first baseline: memory an earlier case freed but kept counts again here.
    report.append({"path": path, "message": str(result), "grew": status("VmHWM") - baseline})
print(json.dumps(report))
"""

CASES = {
    "/bomb/gzip": "too large: over the 5.0 MB limit once decompressed",
    "/bomb/gzip-gzip": (
        "refused: compressed 2 times over (gzip, gzip); a page compressed more than once "
        "is not read"
    ),
    "/bomb/deflate": "too large: over the 5.0 MB limit once decompressed",
    "/endless": "too large: over the 5.0 MB limit",
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")
def test_bombs_end_with_their_message_and_bounded_memory(hostile_site):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "NEWSROOM_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "NEWSROOM_FETCH_DEADLINE": "20",
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, hostile_site.url, *CASES],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    report = json.loads(child.stdout.splitlines()[-1])

    print({row["path"]: f"{row['grew'] / MIB:.1f} MiB" for row in report})
    for row in report:
        assert row["message"] == CASES[row["path"]], row
        assert row["grew"] < MEMORY_BUDGET, row

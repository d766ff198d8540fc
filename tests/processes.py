"""Helpers for the servers and workers tests start in processes of their own."""

import subprocess


def stop_process(process, timeout=15):
    """Terminate a process if it is still running; kill it if it does not exit in time."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)

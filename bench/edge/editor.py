"""The driver of `bench.edge_editor`, the subprocess that publishes while the mix is read."""

import json
import subprocess
import sys
from pathlib import Path

from bench.load import ROOT, nice_prefix, process_cpu_seconds


class Editor:
    """`bench.edge_editor` in a subprocess, driven over its stdin and stdout."""

    def __init__(self, env: dict, spec: dict, workdir: Path, name: str):
        self.spec_path = workdir / f"{name}-editor-spec.json"
        self.output = workdir / f"{name}-editor.json"
        self.log = workdir / f"{name}-editor.log"
        self.spec_path.write_text(json.dumps(spec))
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            [
                *nice_prefix(),
                sys.executable,
                "-m",
                "bench.edge_editor",
                str(self.spec_path),
                str(self.output),
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log.open("ab"),
            text=True,
        )
        self.expect("ready")

    def expect(self, word: str) -> str:
        line = self.process.stdout.readline().strip()
        if not line.startswith(word):
            self.process.kill()
            raise RuntimeError(
                f"edge editor said {line!r}, not {word!r}: {self.log.read_text()[-3000:]}"
            )
        return line

    def say(self, word: str) -> None:
        self.process.stdin.write(word + "\n")
        self.process.stdin.flush()

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)

    def finish(self) -> dict:
        self.expect("measured")
        return json.loads(self.output.read_text())

    def restore(self) -> str:
        self.say("restore")
        line = self.expect("restored")
        self.process.stdin.close()
        self.process.wait(timeout=120)
        return line

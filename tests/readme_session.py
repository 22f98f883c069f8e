"""The README's partner session ("The API, with curl"): its steps, and running them in bash.

Within that section every ```sh block is a step, run in order in one bash process (so variables
carry over) under `set -euo pipefail`. A ```http block after a step is the response the step
prints (`tests/http_expectations.py`); a step without one must print nothing. Any other fenced
block in the section is refused, so no example there goes unchecked.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.http_expectations import variables_in

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = "## The API, with curl"
FENCE = "```"


@dataclass(frozen=True)
class Step:
    """One ```sh block of the session: its README line (of the opening fence), its commands,
    and the ```http block shown after it, if any."""

    line: int
    script: str
    expected: str | None = None


@dataclass(frozen=True)
class StepRun:
    """What one step did: its standard output and error (text), whether it completed (bash
    stops at the first command that fails), and the values of the shell variables its
    expectation names, read right after it ran (unset ones are absent)."""

    stdout: str
    stderr: str
    completed: bool
    variables: dict[str, str]


@dataclass(frozen=True)
class SessionRun:
    """The session's run: each step that started, in order (the last one failed unless it
    completed), bash's exit status and whatever bash printed outside the steps."""

    steps: list[StepRun]
    returncode: int
    output: str


def _blocks(lines: list[str], start: int) -> list[tuple[int, str, str]]:
    """The fenced blocks from line index `start` to the next level-2 heading, as (line number,
    language, text). Raises ValueError for a fence left open."""
    blocks = []
    index = start
    while index < len(lines) and not lines[index].startswith("## "):
        if lines[index].startswith(FENCE):
            opening = index
            language = lines[index][len(FENCE) :].strip()
            index += 1
            while index < len(lines) and lines[index].rstrip() != FENCE:
                index += 1
            if index == len(lines):
                raise ValueError(f"README.md:{opening + 1}: the fenced block is never closed")
            blocks.append((opening + 1, language, "\n".join(lines[opening + 1 : index]) + "\n"))
        index += 1
    return blocks


def session_steps(markdown: str) -> list[Step]:
    """The session's steps in the README text `markdown`. Raises ValueError when the section is
    missing or holds no step, a ```http block follows no step or a step has two, or a block has
    another language."""
    lines = markdown.splitlines()
    if SECTION not in lines:
        raise ValueError(f"README.md has no section {SECTION!r}")
    steps: list[Step] = []
    for line, language, text in _blocks(lines, lines.index(SECTION) + 1):
        if language == "sh":
            steps.append(Step(line, text))
        elif language == "http":
            if not steps or steps[-1].expected is not None:
                raise ValueError(f"README.md:{line}: this response follows no ```sh command block")
            steps[-1] = Step(steps[-1].line, steps[-1].script, text)
        else:
            raise ValueError(
                f"README.md:{line}: a ```{language} block in {SECTION!r} would go unchecked; "
                "use ```sh for commands and ```http for the responses they print"
            )
    if not steps:
        raise ValueError(f"README.md's section {SECTION!r} holds no ```sh command block")
    return steps


def session_script(steps: list[Step], outputs: Path) -> str:
    """A bash script that runs `steps` in one shell, writing step N's output to
    `outputs/N.out` and `N.err`, then the variables its expectation names to `N.vars`
    (NAME=value, each ended by a NUL byte)."""
    parts = ["set -euo pipefail"]
    for number, step in enumerate(steps):
        base = shlex.quote(str(outputs / str(number)))
        names = " ".join(variables_in(step.expected or ""))
        parts += [
            f"# README.md:{step.line}",
            f"{{\n{step.script}}} >{base}.out 2>{base}.err",
            f"for name in {names}; do",
            '  if [[ -v $name ]]; then printf "%s=%s\\0" "$name" "${!name}"; fi',
            f"done >{base}.vars",
        ]
    return "\n".join(parts) + "\n"


def run_session(
    steps: list[Step], folder: Path, env: Mapping[str, str], timeout: float = 120
) -> SessionRun:
    """Run `steps` with bash in `folder` (its working directory, and where the outputs go)
    with the environment `env`; raises subprocess.TimeoutExpired after `timeout` seconds."""
    outputs = folder / "steps"
    outputs.mkdir()
    script = folder / "session.sh"
    script.write_text(session_script(steps, outputs), encoding="utf-8")
    finished = subprocess.run(
        ["bash", str(script)],
        cwd=folder,
        env=dict(env),
        capture_output=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    runs = []
    for number in range(len(steps)):
        base = outputs / str(number)
        if not base.with_suffix(".out").exists():
            break
        variables = base.with_suffix(".vars")
        completed = variables.exists()
        text = variables.read_text(encoding="utf-8") if completed else ""
        pairs = [item.split("=", 1) for item in text.split("\0") if item]
        stdout = base.with_suffix(".out").read_text(encoding="utf-8")
        stderr = base.with_suffix(".err").read_text(encoding="utf-8")
        runs.append(StepRun(stdout, stderr, completed, {name: value for name, value in pairs}))
    return SessionRun(runs, finished.returncode, finished.stdout + finished.stderr)

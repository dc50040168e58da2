"""Colour as the terminal receives it: NO_COLOR means none at all, 16 colours still show everything.

`reader show` runs in a pseudo-terminal and its bytes are read. The app is
rendered over seeds/ at 80×24 and the checks read the segments Textual
composed for the screen (what it writes to the terminal), with every colour
downgraded the way Rich downgrades it for a 16-colour terminal, never the
theme files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import seed_path

READER = [sys.executable, "-m", "reader.cli"]
# Colour in SGR: 30-37, 90-97 and 38;… (foreground), 40-47, 100-107 and 48;… (background).
_COLOUR_PARAMETER = re.compile(r"(3[0-7]|9[0-7]|4[0-7]|10[0-7]|38|48)\Z")
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def sgr_parameters(output: str) -> set[str]:
    """Every SGR parameter in ``output``; the arguments of 38;5;n and 38;2;r;g;b are not listed."""
    found: set[str] = set()
    for match in _SGR.finditer(output):
        parameters = match.group(1).split(";") if match.group(1) else ["0"]
        index = 0
        while index < len(parameters):
            parameter = parameters[index]
            found.add(parameter)
            if parameter in ("38", "48") and index + 1 < len(parameters):
                index += 3 if parameters[index + 1] == "5" else 5
            else:
                index += 1
    return found


def colour_parameters(output: str) -> set[str]:
    return {parameter for parameter in sgr_parameters(output) if _COLOUR_PARAMETER.match(parameter)}


def test_sgr_parameters_reads_colours_and_attributes():
    output = "\x1b[1;38;5;252;48;2;1;2;3mx\x1b[0m\x1b[3m\x1b[97;100my\x1b[m"
    assert sgr_parameters(output) == {"0", "1", "3", "38", "48", "97", "100"}
    assert colour_parameters(output) == {"38", "48", "97", "100"}
    assert colour_parameters("\x1b[1;2;3;4;7;39;49m") == set()


# ---------------------------------------------------------------- reader show


def show_in_a_terminal(*, no_color: str | None) -> str:
    """`reader show` of seed 001 (a link and a caption) in a pseudo-terminal, as the terminal receives it."""
    import pty

    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env.update(COLUMNS="80", LINES="24", TERM="xterm-256color", COLORTERM="truecolor")
    if no_color is not None:
        env["NO_COLOR"] = no_color
    leader, follower = pty.openpty()
    command = [*READER, "show", str(seed_path("001"))]
    with subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, env=env) as child:
        os.close(follower)  # the child holds its own copy; reading ends when it exits
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other end is closed, everything is read
                break
            if not chunk:
                break
            output += chunk
        os.close(leader)
        errors = child.stderr.read()
    assert child.wait(timeout=60) == 0, errors
    return output.decode("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_show_on_a_terminal_under_no_color_has_no_colour_and_no_hyperlinks():
    output = show_in_a_terminal(no_color="1")
    assert "\x1b]8;" not in output  # no OSC 8 hyperlink
    assert colour_parameters(output) == set()
    # Still a terminal: the title is bold, captions italic, the url underlined.
    assert {"1", "3", "4"} <= sgr_parameters(output)
    assert "https://www.voachinese.com/" in output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [None, ""], ids=["unset", "empty"])
def test_show_on_a_terminal_links_unless_no_color_is_set_and_not_empty(no_color):
    """no-color.org: NO_COLOR counts when it is present and not empty."""
    output = show_in_a_terminal(no_color=no_color)
    assert "\x1b]8;" in output
    assert {"1", "3", "4"} <= sgr_parameters(output)

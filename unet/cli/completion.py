"""`unet completion SHELL`: print the shell completion script."""

from __future__ import annotations

import click

__all__ = ["SHELLS", "completion", "completion_script"]

# shell -> the file name in completions/ (and what packages install it as).
SHELLS: dict[str, str] = {
    "bash": "unet.bash",
    "zsh": "_unet",
    "fish": "unet.fish",
    "powershell": "unet.ps1",
}


def completion_script(shell: str, prog_name: str = "unet") -> str:
    """The completion script for `shell`, as shipped in completions/."""
    from click.shell_completion import get_completion_class

    from unet.cli._complete import PowerShellComplete

    cls = PowerShellComplete if shell == "powershell" else get_completion_class(shell)
    assert cls is not None, shell
    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    # Format the template directly: BashComplete.source() would also run `bash` to
    # check its version, which is the user's shell's business, not the generator's.
    comp = cls(click.Command(prog_name), {}, prog_name, complete_var)
    script: str = cls.source_template % comp.source_vars()
    return script if script.endswith("\n") else script + "\n"


@click.command()
@click.argument("shell", type=click.Choice(list(SHELLS)))
def completion(shell: str) -> None:
    """Print the TAB-completion script for SHELL (bash, zsh, fish, powershell).

    Commands, options and device names from the repository complete. Install once:

    \b
      bash:       unet completion bash > ~/.local/share/bash-completion/completions/unet
      zsh:        unet completion zsh > "${fpath[1]}/_unet"
      fish:       unet completion fish > ~/.config/fish/completions/unet.fish
      powershell: unet completion powershell | Out-String | Invoke-Expression
                  (add that line to $PROFILE)

    The .deb, RPM and Homebrew packages install the bash, zsh and fish files for you.
    """
    click.echo(completion_script(shell), nl=False)

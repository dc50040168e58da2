"""reader's colour themes, one TOML file each; shipped in the package as ``reader.themes``."""

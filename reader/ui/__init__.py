"""The Textual user interface: thin widgets over the pure core."""

"""reader's own files: where they live (XDG), how they are written (atomically), the cache."""

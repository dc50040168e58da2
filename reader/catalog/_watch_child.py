"""The watch, run as a process of its own: ``python _watch_child.py PATH...`` (see watch.py for why).

It prints one line when the watch is set up (``ready``) or cannot be
(``error <what>``, then exits), then one line of JSON per burst of changes,
a list of [change, path] (watchfiles' Change numbers). It ends when its
standard input closes: when the reader stops it, or dies. It imports only
watchfiles, so that it starts in a tenth of a second.
"""

import json
import sys
import threading


def main(paths: list[str], debounce_ms: int, step_ms: int) -> int:
    try:
        from watchfiles._rust_notify import RustNotify

        # Errors not ignored: ignoring them (a folder it may not read) would
        # also ignore the watch limit, and leave folders silently unwatched.
        notify = RustNotify(paths, False, False, 0, True, False)
    except Exception as error:  # noqa: BLE001 - ImportError, OSError for the watch limit, RuntimeError…
        print("error", " ".join(f"{type(error).__name__}: {error}".split()), flush=True)
        return 1
    done = threading.Event()

    def wait_for_the_end() -> None:
        sys.stdin.read()  # returns when the reader closes the pipe, or is gone
        done.set()

    threading.Thread(target=wait_for_the_end, daemon=True).start()
    print("ready", flush=True)
    try:
        while not done.is_set():
            found = notify.watch(debounce_ms, step_ms, 1_000, done)
            if isinstance(found, set) and found:
                print(json.dumps(sorted(found), ensure_ascii=False), flush=True)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0  # the reader is gone
    except Exception as error:  # noqa: BLE001 - the watch limit reached by a new folder, a folder gone…
        print("error", " ".join(f"{type(error).__name__}: {error}".split()), flush=True)
        return 1
    finally:
        notify.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[3:], int(sys.argv[1]), int(sys.argv[2])))

"""Console progress: one live, rewritten line on a terminal; plain lines otherwise (CI logs, pipes).

Everything goes to stderr so that stdout carries only the command's result summary.
"""
import shutil
import sys


class Progress:
    def __init__(self, stream=None, tty=None):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._live = False  # a live line is on screen and must be cleared before other output
        self._last = None

    def _clear_live(self):
        if self._live:
            self.stream.write("\r\033[K")
            self._live = False

    def phase(self, text):
        """A new step of the command ("building", "running the suite")."""
        self._clear_live()
        self.stream.write(f"==> {text}\n")
        self.stream.flush()

    def note(self, text):
        """A line worth keeping in the log (a failing case, a warning)."""
        self._clear_live()
        self.stream.write(f"    {text}\n")
        self.stream.flush()

    def update(self, text):
        """Transient status; shown only on a terminal, where it replaces the previous one."""
        if not self.tty or (self._live and text == self._last):
            return
        self._last = text
        width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
        line = f"    {text}"
        if len(line) > width:
            line = line[: width - 1] + "…"
        self.stream.write("\r\033[K" + line)
        self.stream.flush()
        self._live = True

    def finish(self):
        """Ends any live line (call before printing results)."""
        self._clear_live()
        self.stream.flush()


class Silent(Progress):
    """For library use and tests: says nothing."""

    def __init__(self):
        super().__init__(stream=_NullStream(), tty=False)


class _NullStream:
    def write(self, _text):
        return 0

    def flush(self):
        pass

    def isatty(self):
        return False

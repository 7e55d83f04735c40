"""Runs a command on a pseudo-terminal and types a passphrase at each passphrase prompt.

age reads passphrases from the terminal only; this lets tests drive the stock age binary.
Usage: PTY_PASSPHRASE=... python3 pty_answer.py age -p -o out in
"""
import os
import pty
import select
import sys
import time

secret = os.environ["PTY_PASSPHRASE"].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

seen = b""
answered = 0
deadline = time.time() + 300
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 1)
    if fd not in ready:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    while seen.lower().count(b"passphrase:") + seen.lower().count(b"passphrase (") > answered:
        answered += 1
        time.sleep(0.2)
        try:
            os.write(fd, secret + b"\n")
        except OSError:
            pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))

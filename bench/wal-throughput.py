#!/usr/bin/env python3
"""One phase of bench/wal-throughput: runs pgbench unthrottled and samples archiving every second.

Lag at a sample: the age of the oldest finished WAL segment (the server moved past it) that is not yet
in the archive directory (a segment counts as finished at the first sample that sees the server past
it, so lag has a resolution of a second). After the load, one pg_switch_wal() ends the last segment and
sampling goes on until every finished segment is in the archive ("catch-up"). Prints one JSON object.
"""
import argparse, json, os, subprocess, sys, threading, time

p = argparse.ArgumentParser()
p.add_argument("--phase"), p.add_argument("--port"), p.add_argument("--duration", type=int)
p.add_argument("--clients", type=int), p.add_argument("--w"), p.add_argument("--archive")
p.add_argument("--shipper-pid", type=int), p.add_argument("--shipper-comm"), p.add_argument("--mark", type=int)
a = p.parse_args()
env = dict(os.environ)


def sql(q):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", a.port, "-U", "postgres", "-d", "postgres", "-X", "-q", "-t",
                           "-A", "-v", "ON_ERROR_STOP=1", "-c", q], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def nxt(seg):  # the next 16 MiB segment name
    tli, log, s = seg[:8], int(seg[8:16], 16), int(seg[16:24], 16) + 1
    if s == 0x100:
        log, s = log + 1, 0
    return f"{tli}{log:08X}{s:08X}"


def stored():
    names = set()
    for root, _, files in os.walk(a.archive):
        for f in files:
            if len(f) >= 24 and all(c in "0123456789ABCDEF" for c in f[:24]):
                names.add(f[:24])
    return names


def ticks(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12]), int(f[13]) + int(f[14]), int(f[1])  # own, waited-for children, ppid
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def machine():
    v = list(map(int, open("/proc/stat").readline().split()[1:]))
    return v[0] + v[1] + v[2] + v[5] + v[6], v[3] + v[4]


hz = os.sysconf("SC_CLK_TCK")
shipper = {}  # pid -> highest CPU ticks seen


def sample_cpu(archiver):
    if a.shipper_pid:  # the service: the launcher's shell and its java child, and anything under them
        tree, parents = {a.shipper_pid}, {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            t = ticks(pid)
            if t:
                parents[int(pid)] = (t[2], t[0])
        grew = True
        while grew:
            grew = False
            for pid, (ppid, _) in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid in tree:
            if pid in parents:
                shipper[pid] = max(shipper.get(pid, 0), parents[pid][1])
    if a.shipper_comm:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                comm = open(f"/proc/{pid}/comm").read().strip()
            except OSError:
                continue
            t = ticks(pid) if comm == a.shipper_comm else None
            if t and t[2] != archiver:  # the archiver's own children are counted by its cutime
                shipper[pid] = max(shipper.get(pid, 0), t[0])


def archiver_pid():
    return int(sql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'archiver'"))


def wal_dir_bytes():
    d = f"{a.w}/pg/data/pg_wal"
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)))


mark = {}


def marker():
    time.sleep(a.duration / 2)
    out = sql("BEGIN; LOCK TABLE pgbench_accounts, pgbench_history IN EXCLUSIVE MODE;"
              " INSERT INTO marks SELECT 1, (SELECT sum(abalance) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_history),"
              " clock_timestamp(); COMMIT;"
              " SELECT accounts || '|' || history || '|' || pg_xact_commit_timestamp(xmin)::text FROM marks WHERE id = 1")
    acc, hist, commit = out.splitlines()[-1].split("|")
    mark.update(accounts=int(acc), history=int(hist), commit=commit)
    time.sleep(2)
    sql("INSERT INTO marks VALUES (2, 0, 0, clock_timestamp())")  # after the target: must not be recovered


# a clean start: the segment in progress is ended and archived under the archive_command this phase set
sql("CHECKPOINT")  # each phase starts with full-page images to write, as after any checkpoint
ended = sql("SELECT pg_walfile_name(pg_switch_wal())")
for _ in range(600):
    last = sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
    if last[:24] >= ended:
        break
    time.sleep(0.2)
first = sql("SELECT pg_walfile_name(pg_current_wal_lsn())")
lsn0 = int(sql("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"))
failed0 = int(sql("SELECT failed_count FROM pg_stat_archiver"))
arch = archiver_pid()
arch0 = ticks(arch)[1]
stored0 = stored()
busy0, idle0 = machine()
sample_cpu(arch)
ship0 = dict(shipper)
finished = {}  # segment -> time it was seen finished
current = first
lags = []
bench = subprocess.Popen(["pgbench", "-h", "127.0.0.1", "-p", a.port, "-U", "postgres", "-c", str(a.clients), "-j", "2",
                          "-T", str(a.duration), "postgres"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
t0 = time.time()
if a.mark:
    threading.Thread(target=marker, daemon=True).start()
load_end = None
end = {}


def step():
    global current
    now = time.time()
    cur = sql("SELECT pg_walfile_name(pg_current_wal_lsn())")
    while current != cur and current < cur:
        finished[current] = now
        current = nxt(current)
    have = stored()
    waiting = [t for s, t in finished.items() if s not in have]
    sample_cpu(arch)
    return now, (now - min(waiting)) if waiting else 0.0, have


while bench.poll() is None:
    s0 = time.time()
    now, lag, _ = step()
    lags.append(lag)
    time.sleep(max(0, 1 - (time.time() - s0)))
load_end = time.time()
out = bench.stdout.read()
open(f"{a.w}/pgbench-{a.phase}.log", "w").write(out)
lsn1 = int(sql("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"))
pg_wal = wal_dir_bytes()
stored_at_end = stored()
busy1, idle1 = machine()
sql("SELECT pg_switch_wal()")
catchup = None
said = 0
while time.time() - load_end < 900:
    now, lag, have = step()
    missing = sorted(s for s in finished if s not in have)
    if not missing:
        catchup = now - load_end
        break
    if now - said > 10:
        said = now
        print(f"{a.phase}: catching up, {len(missing)} segment(s) not archived yet: {missing[:3]}", file=sys.stderr)
    time.sleep(0.5)
arch1 = ticks(arch)[1]
cpu_ticks = (arch1 - arch0) + sum(v - ship0.get(k, 0) for k, v in shipper.items())
gen_mb = (lsn1 - lsn0) / 1e6
archived = [s for s in stored_at_end - stored0 if s >= first]
tps = [l for l in out.splitlines() if l.startswith("tps")]
print(json.dumps(dict(
    phase=a.phase, duration=a.duration, generated_mb=gen_mb, generated_mbs=gen_mb / (load_end - t0),
    archived_mbs=len(archived) * 16 * 1048576 / 1e6 / (load_end - t0), segments=len(finished),
    catchup_s=catchup if catchup is not None else float("nan"),
    lag_max=max(lags), lag_mean=sum(lags) / len(lags), pg_wal_mb=pg_wal / 1e6,
    failed=int(sql("SELECT failed_count FROM pg_stat_archiver")) - failed0,
    cpu_s=cpu_ticks / hz, cpu_per_gb=(cpu_ticks / hz) / max(gen_mb / 1000, 1e-9),
    busy_pct=100 * (busy1 - busy0) / max(1, (busy1 - busy0) + (idle1 - idle0)),
    tps=float(tps[0].split("=")[1].split()[0]) if tps else float("nan"), mark=mark or None)))

"""What makes a timing run noisy, recorded with the results and warned about.

The facts: the CPU frequency governor (anything but "performance" lets the clock speed move during
a run), the load average (other processes competing for the CPUs), the number of usable cores (on
two, the runner shares them with the whole system), a virtual machine (the hypervisor schedules the
virtual CPUs, which also shows as "steal" time) and the steal time itself during the measurement.
None of them invalidates a run: the statistics (confidence intervals, rounds, minimum effects)
are there to absorb noise; the warnings say why intervals may be wide or a comparison weak.

Each fact has a parser that takes text (testable on recorded inputs) and a reader for this machine.
"""
import glob
import os

from coremodlib.machine import environment

CPUFREQ_GLOB = "/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor"
LOAD_PER_CORE_WARNING = 0.5  # 1-minute load average per usable core before measuring
STEAL_WARNING_PERCENT = 1.0  # share of CPU time the hypervisor gave to someone else
FEW_CORES = 2


def parse_loadavg(text):
    """[1, 5, 15-minute load averages] from /proc/loadavg text, or None."""
    try:
        return [float(v) for v in (text or "").split()[:3]] if text else None
    except ValueError:
        return None


def parse_cpu_times(text):
    """(total, steal) jiffies of the aggregate `cpu` line of /proc/stat, or None."""
    for line in (text or "").splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            try:
                values = [int(v) for v in fields[1:]]
            except ValueError:
                return None
            # user nice system idle iowait irq softirq steal guest guest_nice; guest time is
            # already counted in user/nice.
            steal = values[7] if len(values) > 7 else 0
            return sum(values[:8]), steal
    return None


def steal_percent(before, after):
    """Steal time between two parse_cpu_times() readings, in percent of all CPU time."""
    if not before or not after or after[0] <= before[0]:
        return None
    return 100.0 * (after[1] - before[1]) / (after[0] - before[0])


def governor_summary(governors):
    """One word for the governors of every CPU: the common one, "mixed: a, b", or None (the
    kernel does not expose cpufreq, as in most virtual machines)."""
    found = sorted({g.strip() for g in governors if g and g.strip()})
    if not found:
        return None
    return found[0] if len(found) == 1 else "mixed: " + ", ".join(found)


def read_governors():
    return [environment.read_text(path) for path in sorted(glob.glob(CPUFREQ_GLOB))]


def warnings_for(facts):
    """Human-readable warnings about the facts that make timings noisy."""
    out = []
    governor = facts.get("governor")
    if governor and governor != "performance":
        out.append(
            f"CPU frequency governor is '{governor}', not 'performance': the clock speed "
            f"may change during the run"
        )
    load = facts.get("loadavg")
    cores = facts.get("cores_usable") or facts.get("cores") or 0
    if load and cores and load[0] > LOAD_PER_CORE_WARNING * cores:
        out.append(
            f"load average {load[0]:.2f} on {cores} usable core(s) before measuring: "
            f"other processes compete for the CPUs"
        )
    if cores and cores <= FEW_CORES:
        out.append(
            f"only {cores} usable core(s): the runner shares them with the rest of the " f"system"
        )
    if facts.get("virtualized"):
        out.append(
            f"virtual machine ({facts.get('virtualization') or 'hypervisor'}): the "
            f"hypervisor's scheduling adds noise to every timing"
        )
    steal = facts.get("steal_percent")
    if steal is not None and steal > STEAL_WARNING_PERCENT:
        out.append(
            f"the hypervisor took {steal:.1f}% of the CPU time during the measurement "
            f"(steal time)"
        )
    return out


class Recorder:
    """Reads the facts around a measurement: start() before it, finish() after it."""

    def __init__(self):
        self._before = None
        self._load = None

    def start(self):
        self._load = parse_loadavg(environment.read_text("/proc/loadavg"))
        self._before = parse_cpu_times(environment.read_text("/proc/stat"))
        return self

    def finish(self):
        after = parse_cpu_times(environment.read_text("/proc/stat"))
        # The environment's virtual machine (environment.virtualization), never a second
        # detection that could disagree with it; a container adds no scheduling of its own.
        vm = environment.virtualization().vm
        facts = {
            "governor": governor_summary(read_governors()),
            "loadavg": self._load,
            "loadavg_after": parse_loadavg(environment.read_text("/proc/loadavg")),
            "cores": os.cpu_count() or 0,
            "cores_usable": environment.usable_cores(),
            "virtualized": vm != environment.NONE,
            "virtualization": vm,
            "steal_percent": steal_percent(self._before, after),
        }
        facts["warnings"] = warnings_for(facts)
        return facts

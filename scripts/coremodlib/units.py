"""Units of measured quantities and their conversion (budgets and samples may use different ones).

Decimal prefixes are decimal (KB = 1000 bytes), binary ones binary (KiB = 1024 bytes), as in the
IEC convention; a budget that means 150 * 1024 bytes must say KiB.
"""

_SCALES = {
    # time, in nanoseconds
    "ns": ("time", 1.0),
    "us": ("time", 1e3),
    "µs": ("time", 1e3),
    "ms": ("time", 1e6),
    "s": ("time", 1e9),
    # memory, in bytes
    "bytes": ("memory", 1.0),
    "byte": ("memory", 1.0),
    "B": ("memory", 1.0),
    "KB": ("memory", 1e3),
    "kB": ("memory", 1e3),
    "MB": ("memory", 1e6),
    "KiB": ("memory", 1024.0),
    "MiB": ("memory", 1024.0**2),
    # plain counts
    "count": ("count", 1.0),
    "modules": ("count", 1.0),
}


def known(unit):
    return unit in _SCALES


def convert(value, from_unit, to_unit):
    """`value` expressed in `from_unit`, converted to `to_unit`. ValueError if not comparable."""
    if from_unit == to_unit:
        return value
    try:
        dim_from, scale_from = _SCALES[from_unit]
        dim_to, scale_to = _SCALES[to_unit]
    except KeyError as exc:
        raise ValueError(f"unknown unit {exc.args[0]!r}") from None
    if dim_from != dim_to:
        raise ValueError(f"cannot convert {from_unit} ({dim_from}) to {to_unit} ({dim_to})")
    return value * scale_from / scale_to


# Units reports use, largest first, per dimension (memory in binary units, as RSS is page-based).
_DISPLAY = {"time": ("s", "ms", "us", "ns"), "memory": ("MiB", "KiB", "bytes"), "count": ("count",)}


def display_unit(unit, magnitude):
    """The largest unit of `unit`'s dimension in which `magnitude` (in `unit`) is at least 1, so
    that 1500000 ns reads 1.5 ms and 153600 bytes reads 150 KiB."""
    dimension, _ = _SCALES[unit]
    if dimension == "count":
        return unit
    for candidate in _DISPLAY[dimension]:
        if abs(convert(magnitude, unit, candidate)) >= 1:
            return candidate
    return _DISPLAY[dimension][-1]


def signed_percent(ratio):
    """A ratio of two figures as the change it means: 1.219 -> '+21.9%' ('n/a' for None)."""
    return "n/a" if ratio is None else f"{(ratio - 1) * 100:+.1f}%"

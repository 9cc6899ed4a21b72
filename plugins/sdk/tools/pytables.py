"""What the Unicode table generators share (`sdk/tools/gen_pyunicode*.py`,
`math/tools/gen_pydigits.py`): the code points where a CPython predicate
holds, as sorted inclusive ranges, and those ranges as a Rust constant.

A generator imports it by path:

    sys.path.insert(0, <the folder of this file>)
    import pytables
"""


def ranges(pred, stop=0x110000):
    """The code points below `stop` whose character satisfies `pred`, as
    sorted inclusive `(first, last)` ranges."""
    out, start = [], None
    for cp in range(stop):
        ok = pred(chr(cp))
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, stop - 1))
    return out


def rust_table(name, doc, rs):
    """`rs` as a documented `pub(crate) const NAME: &[(u32, u32)]`, without a final newline."""
    lines = [f"/// {doc}", f"pub(crate) const {name}: &[(u32, u32)] = &["]
    lines += [f"    (0x{a:04X}, 0x{b:04X})," for a, b in rs]
    lines.append("];")
    return "\n".join(lines)

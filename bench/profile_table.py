#!/usr/bin/env python3
"""Turns bench/profile.sh's callgrind dumps into the table of BENCHMARKS.md.

Usage: profile_table.py DUMP_DIR N. Each dump holds one phase of one
document (see profile.sh); the phase is read from the dump's trigger. The
first document (cold) is left out; the others are averaged. Each function's
own instructions (exclusive) are put in a kind by the name of its crate.
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

# (phase, kind, name patterns); first match wins; "" phase: either.
KINDS = [
    ("", "allocation and copying (malloc, free, memcpy)",
     r"^(__)?(libc_)?(malloc|free|realloc|calloc|cfree|_int_\w+|mem(cpy|move|set|cmp)\w*|__mem\w+|"
     r"malloc_\w+|unlink_chunk|alloc::raw_vec|alloc::alloc|<alloc::vec|alloc::vec|sysmalloc)"),
    ("", "hashing and memoization (comemo, SipHash, hash128)",
     r"comemo::|siphasher|typst_utils::hash|LazyHash|core::hash::|<std::hash|hashbrown|"
     r"rustc_hash|foldhash|Hash(er)?>::|::hash::"),
    ("pdf", "font subsetting", r"subsetter::|skrifa::|read_fonts::|krilla::text::|krilla::font"),
    ("pdf", "compression (deflate)", r"zlib_rs::|miniz_oxide::|flate2::|krilla::util::.*deflate|deflate"),
    ("pdf", "tagging (structure tree)", r"typst_pdf::tags|krilla::tagging|krilla::interchange::tagging"),
    ("pdf", "writing (objects, content streams)", r"pdf_writer::|krilla::|typst_pdf::|ryu::|itoa::"),
    ("compile", "layout (incl. shaping, line breaking)",
     r"typst_layout::|rustybuzz|harfrust|ttf_parser|unicode_bidi|icu_|typst_library::layout|"
     r"typst_library::text|hypher|unicode_script|unicode_segmentation|kurbo"),
    ("compile", "realization (show rules, styles)",
     r"typst_realize::|typst_library::foundations::(styles|content|selector|element)|"
     r"typst_library::model"),
    ("compile", "introspection (counters, queries)", r"typst_library::introspection"),
    ("compile", "evaluation (templates, data)",
     r"typst_eval::|typst_syntax::|typst_library::foundations|serde_json|typst_library::loading|ecow::"),
]


def functions(dump: Path) -> dict[str, int]:
    """Exclusive instructions per function of one dump, read from the
    callgrind format: cost lines belong to the current `fn=`, except the
    line after each `calls=`, which is the inclusive cost of that call."""
    names, out, fn, skip = {}, defaultdict(int), "", False
    for line in dump.read_text(errors="replace").splitlines():
        if skip:
            skip = False
            continue
        if line.startswith(("fn=", "cfn=")):
            m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
            name = names.setdefault(m.group(1), m.group(2) or "") if m else line[3:]
            if line.startswith("fn="):
                fn = name
        elif line.startswith("calls="):
            skip = True
        elif line[:1].isdigit() or line[:1] in "+-*":
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                out[fn] += int(parts[1])
    return out


def phase_of(dump: Path) -> str:
    head = dump.read_text(errors="replace")[:2000]
    m = re.search(r"^desc: Trigger: (.*)$", head, re.M)
    trigger = m.group(1) if m else ""
    if "after" not in trigger.lower():
        return ""
    return "compile" if "compile" in trigger else "pdf" if "pdf" in trigger else ""


def kind(phase: str, name: str) -> str:
    for p, label, pattern in KINDS:
        if p in ("", phase) and re.search(pattern, name):
            return label
    return "other"


def main() -> None:
    folder, n = Path(sys.argv[1]), int(sys.argv[2])
    dumps = sorted(folder.glob("cg.out*"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)])
    phases = [(d, phase_of(d)) for d in dumps]
    seen = defaultdict(int)
    totals = {"compile": defaultdict(int), "pdf": defaultdict(int)}
    for dump, phase in phases:
        if not phase:
            continue
        seen[phase] += 1
        if seen[phase] == 1:
            continue  # the cold first document
        for name, ir in functions(dump).items():
            totals[phase][kind(phase, name)] += ir
    warm = {p: seen[p] - 1 for p in totals}
    grand = sum(sum(t.values()) / max(warm[p], 1) for p, t in totals.items())
    print(f"每份（第 2—{n} 份的平均，{warm['compile']} 份）的指令数，按代码所属分类（函数自身的指令）：")
    print("| 阶段 | 类别 | 百万条指令 | 占比 |\n|---|---|---|---|")
    for phase, label in (("compile", "Typst 排版"), ("pdf", "PDF 导出")):
        t = totals[phase]
        count = max(warm[phase], 1)
        print(f"| **{label}** | 合计 | **{sum(t.values()) / count / 1e6:.0f}** | "
              f"**{sum(t.values()) / count / grand * 100:.0f} %** |")
        for k, v in sorted(t.items(), key=lambda kv: -kv[1]):
            print(f"| {label} | {k} | {v / count / 1e6:.0f} | {v / count / grand * 100:.1f} % |")
    print(f"合计 {grand / 1e6:.0f} 百万条指令/份")


if __name__ == "__main__":
    main()

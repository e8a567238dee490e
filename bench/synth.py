#!/usr/bin/env python3
"""Writes N synthetic departments, variations of the sample, for benchmarks.

Each copy gets its own department name and code and its own 公务接待费
(the 三公 figures are not tied to the line items), so every file differs
in text and figures and still passes `yusuan check`. Usage: synth.py SAMPLE.toml OUT_DIR N
"""
import re
import sys
from decimal import Decimal
from pathlib import Path

UNITS = ["发展和改革局", "教育局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
         "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局",
         "文化广电和旅游局", "卫生健康委员会", "审计局", "统计局", "医疗保障局", "林业和草原局"]


def shift(text: str, key: str, delta: Decimal) -> str:
    def repl(m):
        return f"{m.group(1)}{Decimal(m.group(2)) + delta}"
    return re.sub(rf"^({key} = )([0-9.]+)$", repl, text, count=1, flags=re.M)


def main() -> None:
    sample, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    base = sample.read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        name = f"第{i + 1}区{UNITS[i % len(UNITS)]}"
        code = f"{200001 + i}"
        delta = Decimal(i % 97) / Decimal(10)
        text = base.replace("张家口市人大常委会办公室", name).replace('"101001"', f'"{code}"')
        text = text.replace('short_name = "市人大常委会办公室"', f'short_name = "{name}"')
        text = shift(text, "reception", delta)
        (out / f"{code}-2021.toml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

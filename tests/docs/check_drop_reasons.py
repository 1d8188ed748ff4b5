"""The table of drop reasons (docs/reference/drop-reasons.md) names every
reason the datapath counts (core/datapath/include/sl_drop.h), and no
other: operators read the table to know what a counter means. The table is
generated (docs/gen); this reads the header on its own, as a second
opinion."""
import re
import sys

header, readme = sys.argv[1], sys.argv[2]
reasons = re.findall(r'X\(\s*\w+,\s*"([a-z0-9_]+)"', open(header).read())
text = open(readme).read()
table = text[text.index("| drop reason | meaning |"):]
table = table.split("\n\n")[0]
listed = re.findall(r"^\| `([a-z0-9_]+)` \|", table, re.M)
missing = [r for r in reasons if r not in listed]
extra = [r for r in listed if r not in reasons]
if missing or extra or not reasons:
    print(f"drop table: missing {missing}, not counted {extra}")
    sys.exit(1)
print(f"ok: {len(reasons)} drop reasons documented")

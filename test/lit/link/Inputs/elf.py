# Prints what a cubin's ELF header says, and whether a symbol name is in it:
# "ELF machine=190 type=EXEC has=block_sums".
import sys

data = open(sys.argv[1], "rb").read()
if data[:4] != b"\x7fELF":
    print("not ELF")
    sys.exit(1)
machine = int.from_bytes(data[18:20], "little")
etype = {1: "REL", 2: "EXEC"}.get(int.from_bytes(data[16:18], "little"), "?")
names = [n for n in sys.argv[2:] if n.encode() + b"\0" in data]
print("ELF machine=%d type=%s has=%s" % (machine, etype, ",".join(names)))

# Copies LTO-IR with its container version raised, as a newer NVRTC would
# write it.
import sys

data = bytearray(open(sys.argv[1], "rb").read())
data[4] += 1
open(sys.argv[2], "wb").write(data)

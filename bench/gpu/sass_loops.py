#!/usr/bin/env python3
"""Finds the loops of a cuobjdump -sass listing by their backward branches and reports, per loop that issues
tensor-core instructions, the MMA count (HMMA/IMMA), LDSM, LDGSTS and the other instructions per MMA: the
static cost of one steady-state iteration. Usage: sass_loops.py KERNEL.sass"""
import re
import sys

line_rx = re.compile(r'^\s+/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;')
branch_rx = re.compile(r'\bBRA\b(?:\.\S+)?\s+(?:`\(\.L_x_\d+\)|0x([0-9a-f]+))')


def opcode(text):
    text = re.sub(r'^\{?\s*', '', text)
    text = re.sub(r'^@!?U?P[0-9T]+\s+', '', text)
    return text.split()[0].split('.')[0] if text else ''


def main(path):
    instructions, labels = [], {}
    for raw in open(path):
        label = re.match(r'^\s*\.(L_x_\d+):', raw)
        if label:
            labels[label.group(1)] = len(instructions)
            continue
        m = line_rx.match(raw)
        if m:
            instructions.append((int(m.group(1), 16), m.group(2)))
    index_of = {address: i for i, (address, _) in enumerate(instructions)}
    loops = []
    for i, (address, text) in enumerate(instructions):
        if opcode(text) != 'BRA':
            continue
        target = re.search(r'`\(\.(L_x_\d+)\)', text)
        start = labels.get(target.group(1)) if target else None
        if start is None:
            hexa = re.search(r'BRA\S*\s+0x([0-9a-f]+)', text)
            start = index_of.get(int(hexa.group(1), 16)) if hexa else None
        if start is not None and start <= i:
            loops.append((start, i))
    for start, end in loops:
        # "@!PT LDS RZ, [RZ]" never runs: ptxas pads with it as with NOP.
        ops = [opcode(text) for _, text in instructions[start:end + 1] if not text.startswith('@!PT')]
        ops = [op for op in ops if op != 'NOP']
        mma = sum(op in ('HMMA', 'IMMA') for op in ops)
        if mma == 0:
            continue
        kinds = sorted({op for op in ops if op in ('HMMA', 'IMMA')})
        print(f"loop 0x{instructions[start][0]:x}-0x{instructions[end][0]:x}: {len(ops)} instructions, "
              f"{'/'.join(kinds)} {mma}, LDSM {ops.count('LDSM')}, LDGSTS {ops.count('LDGSTS')}, "
              f"non-MMA per MMA {(len(ops) - mma) / mma:.2f}")


if __name__ == '__main__':
    main(sys.argv[1])

#!/usr/bin/env python3
"""Prints the statements of a generated CREATE script that concern the given new tables (ADR 0003).

Usage: new-statements.py <generated.sql> Table1 Table2 ...
Takes CREATE TABLE, CREATE [UNIQUE] INDEX ... ON "<table>" and ALTER TABLE "<table>" statements of those tables, in the
script's order. New columns on existing tables still need a hand-written ALTER TABLE ... ADD COLUMN.
"""
import re
import sys

path, tables = sys.argv[1], set(sys.argv[2:])
text = open(path, encoding="utf-8").read()
out = []
for stmt in re.split(r";\s*\n", text):
    s = stmt.strip()
    if not s or s.upper().startswith(("BEGIN", "COMMIT", "START TRANSACTION")):
        continue
    m = (re.match(r'CREATE TABLE "([^"]+)"', s) or re.match(r'CREATE (?:UNIQUE )?INDEX "[^"]+" ON "([^"]+)"', s)
         or re.match(r'ALTER TABLE "([^"]+)"', s))
    if m and m.group(1) in tables:
        out.append(s + ";")
print("\n\n".join(out))

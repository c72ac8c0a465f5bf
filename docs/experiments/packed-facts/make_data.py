"""Writes the two inputs of the packed-facts experiment: 1,000,000 facts of
10,000 enterprises (10 fields x 10 years each, as `parkdesk bench import`
makes them) once as rows.csv, a fact a line, and once as packed.csv, an
enterprise a line with its facts as one JSON object ("field|period": value)."""
import json
import random

random.seed(1)
fields = [f"f{i:02d}" for i in range(10)]
with open("rows.csv", "w") as rows, open("packed.csv", "w") as packed:
    for e in range(1, 10001):
        obj = {}
        for f in fields:
            for y in range(2015, 2025):
                v = str(random.randint(1, 10**7))
                rows.write(f"{e},{f},{y},{v}\n")
                obj[f"{f}|{y}"] = v
        # COPY's text format: a backslash is written twice.
        packed.write(f"{e}\t" + json.dumps(obj, separators=(",", ":")).replace("\\", "\\\\") + "\n")

"""Rows against the packed layout on SQLite (Python's sqlite3 module, the same settings as
parkdesk's writer): every enterprise's facts of an import as one history
row, merged into one current row per enterprise with json_patch, against
a row per fact in facts and current_facts as parkdesk has them. Run
make_data.py first; prints the time of each step for two imports of the
same 1,000,000 facts (the first inserts, the second updates)."""
import os
import sqlite3
import time

for f in ("packed.db", "packed.db-wal", "packed.db-shm"):  # one file for both layouts
    if os.path.exists(f):
        os.remove(f)
db = sqlite3.connect("packed.db", isolation_level=None)
print("SQLite", sqlite3.sqlite_version)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA cache_size=-32768")
db.execute("""CREATE TABLE fact_sets (enterprise_id INTEGER NOT NULL, batch_id INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT 'import:x.csv', actor TEXT NOT NULL DEFAULT 'bench',
  recorded_at TEXT NOT NULL DEFAULT '2026-12-04T00:00:00.000Z', facts TEXT NOT NULL,
  PRIMARY KEY (enterprise_id, batch_id)) WITHOUT ROWID""")
db.execute("CREATE TABLE current_sets (enterprise_id INTEGER PRIMARY KEY, facts TEXT NOT NULL)")
db.execute("""CREATE TABLE facts (id INTEGER PRIMARY KEY, enterprise_id INTEGER NOT NULL, field TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period GLOB '[12][0-9][0-9][0-9]*' OR period = ''), value TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'import:x.csv', actor TEXT NOT NULL DEFAULT 'bench', batch_id INTEGER,
  recorded_at TEXT NOT NULL DEFAULT '2026-12-04T00:00:00.000Z')""")
db.execute("CREATE INDEX facts_history ON facts (enterprise_id, field, period, id)")
db.execute("CREATE INDEX facts_batch ON facts (batch_id) WHERE batch_id IS NOT NULL")
db.execute("""CREATE TABLE current_facts (enterprise_id INTEGER NOT NULL, field TEXT NOT NULL, period TEXT NOT NULL,
  value TEXT NOT NULL, fact_id INTEGER NOT NULL, recorded_at TEXT NOT NULL,
  PRIMARY KEY (enterprise_id, field, period)) WITHOUT ROWID""")
with open("rows.csv") as f:
    rows = [tuple(line.rstrip("\n").split(",")) for line in f]
for batch in (1, 2):
    t0 = time.time()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(f"INSERT INTO facts (enterprise_id, field, period, value, batch_id) VALUES (?, ?, ?, ?, {batch})", rows)
    t1 = time.time()
    db.execute("""INSERT INTO current_facts SELECT enterprise_id, field, period, value, id, recorded_at FROM facts
      WHERE batch_id = ? AND true ON CONFLICT (enterprise_id, field, period) DO UPDATE
      SET value = excluded.value, fact_id = excluded.fact_id, recorded_at = excluded.recorded_at
      WHERE current_facts.value <> excluded.value""", (batch,))
    t2 = time.time()
    db.execute("COMMIT")
    t3 = time.time()
    print(f"rows, import {batch}: history {t1 - t0:.3f} s, merge {t2 - t1:.3f} s, commit {t3 - t2:.3f} s, total {t3 - t0:.3f} s")
lines = []
with open("packed.csv") as f:
    for line in f:
        ent, obj = line.rstrip("\n").split("\t", 1)
        lines.append((int(ent), obj.replace("\\\\", "\\")))
for batch in (1, 2):
    t0 = time.time()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(f"INSERT INTO fact_sets (enterprise_id, batch_id, facts) VALUES (?, {batch}, ?)", lines)
    t1 = time.time()
    db.execute("""INSERT INTO current_sets SELECT enterprise_id, facts FROM fact_sets WHERE batch_id = ? AND true
      ON CONFLICT (enterprise_id) DO UPDATE SET facts = json_patch(current_sets.facts, excluded.facts)
      WHERE current_sets.facts <> json_patch(current_sets.facts, excluded.facts)""", (batch,))
    t2 = time.time()
    db.execute("COMMIT")
    t3 = time.time()
    print(f"packed, import {batch}: history {t1 - t0:.3f} s, merge {t2 - t1:.3f} s, commit {t3 - t2:.3f} s, total {t3 - t0:.3f} s")

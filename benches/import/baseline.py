"""The baseline the import is measured against: pandas reads the file and writes it into a
SQLite table, the usual way a script would do this job."""

import sqlite3
import sys

import pandas as pd

path, db = sys.argv[1], sys.argv[2]
if path.endswith(".xlsx"):
    frame = pd.read_excel(path, engine="openpyxl", dtype=str)
else:
    frame = pd.read_csv(path, dtype=str)
with sqlite3.connect(db) as conn:
    frame.to_sql("contacts", conn, if_exists="replace", index=False)
print(len(frame))

"""Runs the audit schema, rows and queries on chDB, a current ClickHouse engine in process.

Reads one JSON request on stdin: {"statements": [sql], "inserts": [{"table", "tsv"}], "queries": {name: sql}}.
Writes one JSON object: {name: {"rows": "<JSONEachRow text>"} or {"error": "<first line>"}}.
Decimals and 64-bit integers come out quoted, so no figure passes through a float.
"""
import json
import sys

from chdb import session

request = json.load(sys.stdin)
engine = session.Session()
for statement in request["statements"]:
    engine.query(statement)
for insert in request["inserts"]:
    engine.query(f"INSERT INTO {insert['table']} FORMAT TabSeparated\n{insert['tsv']}")
settings = " SETTINGS output_format_json_quote_decimals = 1, output_format_json_quote_64bit_integers = 1"
results = {}
for name, sql in request["queries"].items():
    try:
        results[name] = {"rows": str(engine.query(sql + settings, "JSONEachRow"))}
    except Exception as error:  # a query the engine refuses is a result, not a crash
        results[name] = {"error": str(error).strip().split("\n")[0]}
json.dump(results, sys.stdout)

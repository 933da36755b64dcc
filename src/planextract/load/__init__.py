"""Load: records -> Arrow tables -> Parquet files and a DuckDB database."""

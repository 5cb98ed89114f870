"""Sources -> validated records. Nothing here knows about graphs."""
from .problems import DataError, Problem
from .records import Records, load_records, records_from_tables
from .schema import Schema
from .tables import COLUMNS, Tables, default_data_dir, read_tables
from .validate import validate_tables

__all__ = ["COLUMNS", "DataError", "Problem", "Records", "Schema", "Tables", "default_data_dir",
           "load_records", "read_tables", "records_from_tables", "validate_tables"]

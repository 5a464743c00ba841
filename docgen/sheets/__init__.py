"""Spreadsheets: opening xlsx/ods/csv files (``files``), cell values that remember their cell (``values``),
reading a filled sheet into raw documents (``intake``) and writing blank forms (``forms``)."""

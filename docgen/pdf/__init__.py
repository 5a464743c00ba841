"""DOCX → PDF: the converter facade (``converter``), the warm LibreOffice pool (``pool``) and its bridge
run by LibreOffice's own Python (``bridge``), remote unoserver converters (``remote``), and one-page
documents converted together and split back (``batch``)."""

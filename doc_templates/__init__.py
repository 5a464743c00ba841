"""The built-in .docx templates, installed with docgen as the package data of ``docgen._templates``."""

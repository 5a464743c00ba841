"""The built-in document types, installed with docgen as the package ``docgen._builtin``.

docgen loads each module here by its path, like a workspace plugin (this file is
skipped: its name starts with «_»); the package exists so the folder is found
through ``importlib.resources`` the same way in a clone and from a wheel.
"""

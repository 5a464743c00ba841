"""The school's office in a browser (``docgen web``): server-rendered Russian pages over one workspace.

Modules: ``users`` (accounts and roles, argon2 hashes), ``auth`` (sessions,
CSRF, login rate limit, role checks), ``office`` (what the pages show, read
from the workspace folders and the register), ``signing`` (marking a
document signed, over the register), ``auditlog`` (who viewed or downloaded
which number), ``forms`` (an HTML form from a type's JSON Schema and back),
``uploads`` (files put into the inbox from the browser and their results),
``app`` (the Starlette application and its routes), ``server`` (running it
with uvicorn, with or without the inbox watcher).
"""

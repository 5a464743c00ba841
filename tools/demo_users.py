"""`make run`: demo accounts of the web office for the demo school, with fresh passwords printed.

Each run gives the accounts «secretary», «director» and «admin» of the
workspace new random passwords (creating them if missing) and prints the
address and logins, so the demo always has a working login and no password
is fixed anywhere.
"""
from __future__ import annotations

import secrets
import sys

from docgen.settings import Workspace
from docgen.web.options import web_options
from docgen.web.users import UserStore

DEMO = (("secretary", "secretary"), ("director", "director"), ("admin", "admin"))


def main(root: str = ".") -> int:
    ws = Workspace.locate(root)
    store = UserStore(ws.state / "users.json")
    options = web_options(ws.load_settings().raw)
    print(f"Веб-кабинет: http://{options.host}:{options.port}/  (демо-учётные записи, пароли новые при каждом запуске)")
    for login, role in DEMO:
        password = secrets.token_urlsafe(9)
        if store.get(login) is None:
            store.add(login, role, password)
        else:
            store.set_password(login, password)
        print(f"  {store.get(login).role_title:<14} логин {login:<10} пароль {password}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

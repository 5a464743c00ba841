"""Web accounts: login, role and an argon2 password hash, kept in ``.docgen/users.json`` (mode 0600).

Roles: ``admin`` manages accounts; ``director`` sees everything and signs;
``secretary`` does the rest of the office work. Written atomically (temporary
file, fsync, rename), so a crash leaves the old or the new file, never half.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import DocgenError

ROLES = {"secretary": "секретарь", "director": "директор", "admin": "администратор"}
LOGIN_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MIN_PASSWORD = 8
HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("docgen-dummy-password")  # verified for unknown logins, so timing does not tell


@dataclass(frozen=True)
class User:
    login: str
    role: str
    created_at: str

    @property
    def role_title(self) -> str:
        return ROLES.get(self.role, self.role)


class UserStore:
    """The accounts of one workspace."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise DocgenError(f"Файл учётных записей {self.path} повреждён; восстановите его из копии.") from None

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".users-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def users(self) -> list[User]:
        return [User(login, rec["role"], rec.get("created_at", "")) for login, rec in sorted(self._load().items())]

    def get(self, login: str) -> User | None:
        rec = self._load().get(login)
        return User(login, rec["role"], rec.get("created_at", "")) if rec else None

    def add(self, login: str, role: str, password: str) -> User:
        check_login(login)
        check_role(role)
        check_password(password)
        data = self._load()
        if login in data:
            raise DocgenError(f"Пользователь «{login}» уже есть. Сменить пароль: docgen users passwd {login}")
        data[login] = {"role": role, "hash": HASHER.hash(password),
                       "created_at": datetime.now().isoformat(timespec="seconds")}
        self._save(data)
        return self.get(login)

    def remove(self, login: str) -> None:
        data = self._load()
        if login not in data:
            raise DocgenError(f"Пользователя «{login}» нет.")
        del data[login]
        self._save(data)

    def set_password(self, login: str, password: str) -> None:
        check_password(password)
        data = self._load()
        if login not in data:
            raise DocgenError(f"Пользователя «{login}» нет.")
        data[login]["hash"] = HASHER.hash(password)
        self._save(data)

    def authenticate(self, login: str, password: str) -> User | None:
        """The user if the password is right; None otherwise (unknown logins cost the same time)."""
        rec = self._load().get(login)
        try:
            HASHER.verify(rec["hash"] if rec else DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(login, rec["role"], rec.get("created_at", "")) if rec else None


def check_login(login: str) -> None:
    if not LOGIN_RE.match(login or ""):
        raise DocgenError("Логин — латинские буквы, цифры, точка, дефис или подчёркивание, до 64 знаков.")


def check_role(role: str) -> None:
    if role not in ROLES:
        raise DocgenError("Роль: secretary (секретарь), director (директор) или admin (администратор).")


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise DocgenError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD} знаков.")

"""Sessions, CSRF tokens, the login rate limit and role checks of the web office.

The session is Starlette's signed cookie (HttpOnly, SameSite=Strict, an
expiry); it holds the login and a CSRF token, never a password. Every
state-changing request (a POST) must carry the session's token, in the form
field ``csrf`` or the header ``X-CSRF-Token``; a forged POST from another
site has neither. Failed logins are counted per login and per address; past
the limit the login answers «подождите» until the window has passed.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request

from .users import User, UserStore

SESSION_COOKIE = "docgen_session"
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5  # per login
MAX_ADDRESS_FAILURES = 30  # per address (a school behind one NAT shares it)
FAILURE_WINDOW = 15 * 60.0


def session_secret(state: Path) -> str:
    """The signing key of session cookies: made once per workspace, kept in ``.docgen/web-secret`` (0600)."""
    path = state / "web-secret"
    if not path.exists():
        state.mkdir(parents=True, exist_ok=True)
        fd = None
        try:
            fd = path.open("x", encoding="ascii")
            path.chmod(0o600)
            fd.write(secrets.token_hex(32))
        except FileExistsError:
            pass
        finally:
            if fd is not None:
                fd.close()
    return path.read_text(encoding="ascii").strip()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a POST whose token is missing or is not this session's."""
    expected = request.session.get("csrf", "")
    sent = request.headers.get("x-csrf-token", "")
    if not sent:
        form = await request.form()
        sent = str(form.get("csrf", ""))
    if not expected or not hmac.compare_digest(expected, sent):
        raise HTTPException(403, "Запрос отклонён: устаревшая или чужая форма. Обновите страницу и повторите.")


def current_user(request: Request, users: UserStore) -> User | None:
    """The signed-in user, if the session is live and the account still exists with the same role."""
    login = request.session.get("login")
    started = request.session.get("since", 0)
    if not login or time.time() - started > SESSION_SECONDS:
        return None
    user = users.get(login)
    if user is None or user.role != request.session.get("role"):
        return None
    return user


def sign_in(request: Request, user: User) -> None:
    request.session.clear()  # a new session on login: a token planted before it is worthless
    request.session.update({"login": user.login, "role": user.role, "since": int(time.time()),
                            "csrf": secrets.token_urlsafe(32)})


class LoginLimiter:
    """Failed login attempts per key (login, address) in a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW,
                 max_address_failures: int = MAX_ADDRESS_FAILURES):
        self.max_failures = max_failures
        self.max_address_failures = max_address_failures
        self.window = window
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait_seconds(self, keys: list[str]) -> float:
        """How long until another attempt is allowed (0: allowed now)."""
        now = time.monotonic()
        with self.lock:
            waits = [self.window - (now - t[0]) for k, t in ((k, self._recent(k, now)) for k in keys)
                     if len(t) >= self.limit(k)]
        return max(waits, default=0.0)

    def limit(self, key: str) -> int:
        return self.max_address_failures if key.startswith("addr:") else self.max_failures

    def failed(self, keys: list[str]) -> None:
        now = time.monotonic()
        with self.lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, keys: list[str]) -> None:
        with self.lock:
            for key in keys:
                if not key.startswith("addr:"):
                    self.failures.pop(key, None)

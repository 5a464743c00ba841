"""``[web]`` of docgen.toml: where the web office listens and who may see personal data.

    [web]
    host = "127.0.0.1"              # only this computer; "0.0.0.0" — the school network (behind HTTPS)
    port = 8080
    consent_roles = ["secretary", "director"]   # roles that open and download consents
    secure_cookies = false          # true behind HTTPS: the session cookie is sent over HTTPS only
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import DocgenError
from .users import ROLES


@dataclass(frozen=True)
class WebOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    consent_roles: tuple[str, ...] = ("secretary", "director")
    secure_cookies: bool = False


def web_options(raw: dict) -> WebOptions:
    section = dict(raw.get("web", {}) or {})
    unknown = set(section) - {"host", "port", "consent_roles", "secure_cookies"}
    if unknown:
        raise DocgenError(f"В docgen.toml в разделе [web] неизвестные параметры: {', '.join(sorted(unknown))}.")
    roles = tuple(section.get("consent_roles", WebOptions.consent_roles))
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise DocgenError(f"[web] consent_roles: неизвестные роли {', '.join(bad)}; допустимы {', '.join(ROLES)}.")
    return WebOptions(host=str(section.get("host", WebOptions.host)), port=int(section.get("port", WebOptions.port)),
                      consent_roles=roles, secure_cookies=bool(section.get("secure_cookies", False)))

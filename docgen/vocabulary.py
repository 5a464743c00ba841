"""The default closed lists (``docgen_closed_lists``): forms of mentoring and kinds of reward.

They feed the drop-down lists of blank forms; a region's plugin adds its own
values through the same hook (the lists of all plugins are joined).
"""
from __future__ import annotations

from . import hookimpl

MENTORING_FORMS = (
    "Ученик – ученик",
    "Учитель – учитель",
    "Студент – ученик",
    "Студент – студент",
    "Работодатель – ученик",
    "Работодатель – студент",
    "Педагог – педагог",
    "Руководитель – педагог",
    "Воспитатель – воспитатель",
    "Старший воспитатель – воспитатель",
    "Учитель-логопед – педагог-психолог",
)

REWARD_KINDS = ("благодарность", "грамота", "премия")


@hookimpl(trylast=True)
def docgen_closed_lists() -> dict[str, list[str]]:
    return {"mentoring_forms": list(MENTORING_FORMS), "reward_kinds": list(REWARD_KINDS)}

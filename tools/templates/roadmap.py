"""Template of the roadmap (дорожная карта): landscape, approval block, the plan table."""
from __future__ import annotations

from . import CENTER, RIGHT, grid_table, new_document, para


def roadmap():
    doc = new_document(landscape=True)
    para(doc, "{%p for line in approval %}")
    para(doc, "{{ line }}", RIGHT)
    para(doc, "{%p endfor %}")
    para(doc, "{{ title }}", CENTER, bold=True, space_before=12, space_after=12)
    grid_table(doc, ["№", "Мероприятие", "Сроки", "Ответственные", "Результат"], [1.5, 9.0, 4.0, 5.0, 6.5],
               ["{{ row.n }}", "{{ row.activity }}", "{{ row.deadline }}", "{{ row.responsible }}", "{{ row.result }}"],
               "row in rows")
    return doc


BUILDERS = {"roadmap": roadmap}

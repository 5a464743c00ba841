"""Roadmap shapes seen in real plans, each as JSON and as the spreadsheet a secretary would fill, and the
plan-table cells the original has. Shared by the shape tests and the import round trip.

- municipal: a department's plan attached to its order — no grif at all, the department as author, stage rows
  «1 | Нормативно-правовое регулирование …» (number in the № column, no word «Этап»), typed numbers with a
  gap and a repeat, renamed column headers;
- lyceum: «УТВЕРЖДЕНО приказом …» followed by the director's position and name, a СОГЛАСОВАНО with a blank date
  whose year is printed, stage title and «Задача этапа» in one cell beside the number, «Результат» after the
  items, continuous numbering;
- college: shaded «Раздел 1.» rows, «1.» numbers, own columns (one left empty to fill by hand), task and result
  rows both before the items, УТВЕРЖДАЮ on an approval date that is the plan's date.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

NBSP = "\u00a0"

MUNICIPAL_ITEMS_1 = [
    ("1.1", "Разработка и утверждение муниципальной дорожной карты внедрения целевой модели наставничества",
     "август 2021 г.", "Управление образования", "Приказ управления образования"),
    ("1.2", "Издание приказов о внедрении целевой модели наставничества в образовательных организациях",
     "сентябрь 2021 г.", "Руководители ОО", "Приказы ОО"),
    ("1.4", "Разработка положений о программах наставничества", "сентябрь 2021 г.", "Руководители ОО",
     "Положения ОО"),
    ("1.4", "Размещение документов на сайтах образовательных организаций", "октябрь 2021 г.",
     "Ответственные за сайт", "Раздел «Наставничество»"),
]
MUNICIPAL_ITEMS_2 = [
    ("2.1", "Формирование базы наставников", "в течение года", "Руководители ОО", "База наставников"),
    ("2.2", "Обучение кураторов программ наставничества", "ноябрь 2021 г.", "ИМЦ", "Удостоверения"),
]
MUNICIPAL_STAGES = [("1", "Нормативно-правовое регулирование внедрения целевой модели наставничества", MUNICIPAL_ITEMS_1),
                    ("2", "Кадровое обеспечение", MUNICIPAL_ITEMS_2)]
MUNICIPAL_AUTHOR = "Управление образования администрации МО ГО «Ухта»"
MUNICIPAL_JSON = {
    "type": "roadmap",
    "date": "2021-08-30",
    "author": MUNICIPAL_AUTHOR,
    "title": "План мероприятий по внедрению целевой модели наставничества\nв образовательных организациях МО ГО «Ухта»",
    "approval": False,
    "stage_layout": "number_cell",
    "columns": ["number", {"key": "activity", "title": "Наименование мероприятий"},
                {"key": "deadline", "title": "Срок реализации"},
                {"key": "responsible", "title": "Ответственные исполнители"},
                {"key": "result", "title": "Ожидаемый результат"}],
    "stages": [{"number": number, "title": title, "items": [
        {"number": n, "activity": a, "deadline": d, "responsible": r, "result": res} for n, a, d, r, res in items]}
        for number, title, items in MUNICIPAL_STAGES],
}
MUNICIPAL_CELLS = [["№ п/п", "Наименование мероприятий", "Срок реализации", "Ответственные исполнители",
                    "Ожидаемый результат"]]
for _number, _title, _items in MUNICIPAL_STAGES:
    MUNICIPAL_CELLS += [[_number, _title]] + [list(item) for item in _items]
MUNICIPAL_SHEET = {
    "fields": [("Дата документа", "30.08.2021"), ("Составитель (организация)", MUNICIPAL_AUTHOR),
               ("Заголовок", MUNICIPAL_JSON["title"]), ("Гриф утверждения", "нет грифа"),
               ("Вид строки этапа", "номер и название")],
    "headers": ["№ п/п", "Этап", "Наименование мероприятий", "Срок реализации", "Ответственные исполнители",
                "Ожидаемый результат"],
    "rows": [row for number, title, items in MUNICIPAL_STAGES
             for row in [[number, title, None, None, None, None]] + [[n, None, a, d, r, res] for n, a, d, r, res in items]],
}

LYCEUM_STAGES = [
    ("Подготовительный этап", "создать условия для запуска программы наставничества",
     "утверждены Положение и дорожная карта", [
         ("Издание приказа о внедрении программы наставничества", "август 2021 г.", "Директор", "Приказ"),
         ("Разработка Положения о наставничестве", "август 2021 г.", ["Заместитель директора по УВР", "Куратор"],
          "Положение"),
     ]),
    ("Формирование базы наставляемых", "выявить запросы обучающихся", "база наставляемых", [
        ("Анкетирование обучающихся 8–11 классов", "сентябрь 2021 г.", "Педагог-психолог", "Анкеты"),
    ]),
]
LYCEUM_JSON = {
    "type": "roadmap",
    "title": "Дорожная карта реализации программы наставничества в МАОУ «Лицей № 1»",
    "approval": {"preset": "order", "word": "УТВЕРЖДЕНО", "issuer": "МАОУ «Лицей № 1»",
                 "order": {"number": "376/а", "date": "2021-08-30"},
                 "position": "Директор МАОУ «Лицей № 1»", "name": "Первенкова Ирина Александровна"},
    "agreement": {"position": "Председатель Совета родителей", "name": "Иванова Мария Петровна", "year": 2021,
                  "date_prefix": "От"},
    "stage_layout": "title_with_task",
    "numbering": "continuous",
    "stages": [{"title": t, "task": task, "result": res, "items": [
        {"activity": a, "deadline": d, "responsible": r, "result": out} for a, d, r, out in items]}
        for t, task, res, items in LYCEUM_STAGES],
}
LYCEUM_CELLS = [["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"],
                ["1", "Подготовительный этап Задача этапа: создать условия для запуска программы наставничества"],
                ["1", "Издание приказа о внедрении программы наставничества", "август 2021 г.", "Директор", "Приказ"],
                ["2", "Разработка Положения о наставничестве", "август 2021 г.", "Заместитель директора по УВР Куратор",
                 "Положение"],
                ["Результат: утверждены Положение и дорожная карта"],
                ["2", "Формирование базы наставляемых Задача этапа: выявить запросы обучающихся"],
                ["3", "Анкетирование обучающихся 8–11 классов", "сентябрь 2021 г.", "Педагог-психолог", "Анкеты"],
                ["Результат: база наставляемых"]]
LYCEUM_APPROVAL = ["УТВЕРЖДЕНО", f"приказом МАОУ «Лицей №{NBSP}1»", f"от 30.08.2021 №{NBSP}376/а",
                   f"Директор МАОУ «Лицей №{NBSP}1»", f"____________ И.А.{NBSP}Первенкова"]
LYCEUM_AGREEMENT = ["СОГЛАСОВАНО", "Председатель Совета родителей", f"____________ М.П.{NBSP}Иванова",
                    f"От «___» ____________ 2021{NBSP}г."]
LYCEUM_SHEET = {
    "fields": [("Заголовок", LYCEUM_JSON["title"]), ("Гриф утверждения", "утверждена приказом"),
               ("Гриф утверждения: слово", "УТВЕРЖДЕНО"), ("Приказ об утверждении: чей", "МАОУ «Лицей № 1»"),
               ("Приказ об утверждении: номер", "376/а"), ("Приказ об утверждении: дата", "30.08.2021"),
               ("Утверждает: должность", "Директор МАОУ «Лицей № 1»"),
               ("Утверждает: ФИО", "Первенкова Ирина Александровна"),
               ("Согласовано: должность и организация", "Председатель Совета родителей"),
               ("Согласовано: ФИО", "Иванова Мария Петровна"), ("Согласовано: год для даты от руки", 2021),
               ("Согласовано: слово перед датой", "От"),
               ("Вид строки этапа", "название с задачей"), ("Нумерация мероприятий", "сквозная")],
    "headers": ["Этап", "Задача этапа", "Результат этапа", "№ п/п", "Мероприятие", "Сроки", "Ответственные",
                "Результат"],
    "rows": [[t if i == 0 else None, task if i == 0 else None, res if i == 0 else None, None, a, d,
              "\n".join(r) if isinstance(r, list) else r, out]
             for t, task, res, items in LYCEUM_STAGES for i, (a, d, r, out) in enumerate(items)],
}

COLLEGE_STAGES = [
    ("1", "Организационный", "сформировать команду", "приказ о кураторе", [
        ("1.", "Назначение куратора", "сентябрь", "Педагоги", ""),
        ("2.", "Формирование рабочей группы", "сентябрь", "Педагоги", ""),
    ]),
    ("2", "Практический", "", "", [
        ("3.", "Закрепление пар «мастер — студент»", "октябрь", "Студенты 1 курса", ""),
    ]),
]
COLLEGE_JSON = {
    "type": "roadmap",
    "title": "План мероприятий (дорожная карта) наставничества\nГАПОУ «Колледж связи»",
    "approval": {"position": "Директор ГАПОУ «Колледж связи»", "name": "Орлов Пётр Сергеевич", "date": "2022-09-01"},
    "stage_label": "Раздел",
    "number_dot": True,
    "task_position": "before",
    "result_position": "before",
    "columns": ["number", "activity", "deadline", {"key": "audience", "title": "Целевая аудитория"},
                {"key": "mark", "title": "Отметка о выполнении"}],
    "stages": [{"number": number, "title": title, **({"task": task} if task else {}),
                **({"result": res} if res else {}),
                "items": [{"number": n, "activity": a, "deadline": d, "audience": aud, "mark": mark}
                          for n, a, d, aud, mark in items]}
               for number, title, task, res, items in COLLEGE_STAGES],
}
COLLEGE_CELLS = [["№ п/п", "Мероприятие", "Сроки", "Целевая аудитория", "Отметка о выполнении"],
                 ["Раздел 1. Организационный"], ["Задача этапа: сформировать команду"], ["Результат: приказ о кураторе"],
                 ["1.", "Назначение куратора", "сентябрь", "Педагоги"],
                 ["2.", "Формирование рабочей группы", "сентябрь", "Педагоги"],
                 ["Раздел 2. Практический"],
                 ["3.", "Закрепление пар «мастер — студент»", "октябрь", "Студенты 1 курса"]]
COLLEGE_SHEET = {
    "fields": [("Заголовок", COLLEGE_JSON["title"]), ("Утверждает: должность", "Директор ГАПОУ «Колледж связи»"),
               ("Утверждает: ФИО", "Орлов Пётр Сергеевич"), ("Дата утверждения", "01.09.2022"),
               ("Слово перед номером этапа", "Раздел"), ("Точка после номера", "да"),
               ("Результат этапа: где", "до мероприятий"), ("Заголовок столбца «№ п/п»", "№ п/п")],
    "headers": ["Этап", "Задача этапа", "Результат этапа", "№", "Мероприятие", "Сроки", "Целевая аудитория",
                "Отметка о выполнении"],
    "rows": [[f"{number}. {title}" if i == 0 else None, (task or None) if i == 0 else None,
              (res or None) if i == 0 else None, n, a, d, aud, None]
             for number, title, task, res, items in COLLEGE_STAGES for i, (n, a, d, aud, _) in enumerate(items)],
}
SHAPES = {"municipal": (MUNICIPAL_JSON, MUNICIPAL_SHEET, MUNICIPAL_CELLS),
          "lyceum": (LYCEUM_JSON, LYCEUM_SHEET, LYCEUM_CELLS),
          "college": (COLLEGE_JSON, COLLEGE_SHEET, COLLEGE_CELLS)}


def write_roadmap_sheet(path: Path, shape: dict, fields: list | None = None) -> Path:
    """A workbook as a secretary makes it: a «Документ» sheet of label/value rows, a «Мероприятия» list."""
    workbook = Workbook()
    document = workbook.active
    document.title = "Документ"
    document.append(["Поле", "Значение"])
    for label, value in fields if fields is not None else shape["fields"]:
        document.append([label, value])
    plan = workbook.create_sheet("Мероприятия")
    plan.append(shape["headers"])
    for row in shape["rows"]:
        plan.append(row)
    workbook.save(path)
    return path

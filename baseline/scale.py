"""The maturity scale every measured criterion is rated on (documented in docs/baseline.md).

Four levels, so a school cannot sit on the fence, each with a descriptor that reads as a statement about practice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_LEVEL = 3


class Level(models.IntegerChoices):
    ABSENT = 0, _("0 – Not present")
    STARTING = 1, _("1 – Starting")
    EMBEDDED = 2, _("2 – Embedded")
    EXEMPLARY = 3, _("3 – Exemplary")


DESCRIPTORS: dict[int, str] = {
    Level.ABSENT: _("This does not happen at our school yet, or only by chance."),
    Level.STARTING: _("A few teachers or classes do this; it depends on individual initiative and is not planned."),
    Level.EMBEDDED: _("This is planned and happens structurally in several grades or programmes, with support."),
    Level.EXEMPLARY: _("This is school-wide practice, evaluated and improved, and other schools could learn from it."),
}


#: Names of the indicative STEM School Label levels (codes from baseline.scoring).
LABEL_LEVEL_NAMES = {
    "no_label": _("No label"),
    "competent": _("Competent"),
    "proficient": _("Proficient"),
    "expert": _("Expert"),
}

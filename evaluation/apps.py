from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """评估考核: an office's indicator sheets, its rounds of evaluation for a year, the counties'
    self-assessment (an obligation of tracking), scoring and review, published results with
    their ranking, and the objections raised against them."""

    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        import evaluation.actions  # noqa: F401
        import evaluation.kinds  # noqa: F401  (自评: the county's self-assessment obligation)
        import evaluation.permissions  # noqa: F401

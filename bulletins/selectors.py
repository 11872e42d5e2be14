from django.db.models import QuerySet

from bulletins.models import Bulletin
from bulletins.permissions import bulletins_listed_q


def bulletins_listed(*, user) -> QuerySet[Bulletin]:
    listed = Bulletin.objects.all()
    where = bulletins_listed_q(user)
    if where is not None:
        listed = listed.filter(pk__in=Bulletin.objects.filter(where).values("pk"))
    return listed


def bulletin_years(*, user) -> list[int]:
    return list(bulletins_listed(user=user).order_by("-year").values_list("year", flat=True).distinct())


def bulletin_list(*, user, year: int) -> list[Bulletin]:
    """The bulletins `user` reads of `year` (the archive of the year): two queries."""
    return list(
        bulletins_listed(user=user)
        .filter(year=year)
        .select_related("office", "created_by")
        .defer("body")
        .order_by("-created_at", "-pk")
    )


def bulletin_get(*, pk: int) -> Bulletin | None:
    return Bulletin.objects.select_related("office", "round", "issued_by", "created_by").filter(pk=pk).first()

"""Who may do what. Roles are scoped by office through Membership."""
from plans.models import Membership


def _role(user) -> str | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.role if membership is not None else None


def is_bureau_staff(user) -> bool:
    """Bureau staff draft and import plans; Django staff and superusers (admins) may too."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or _role(user) == Membership.Role.STAFF


def is_county_user(user) -> bool:
    return _role(user) == Membership.Role.COUNTY and not (user.is_superuser or user.is_staff)

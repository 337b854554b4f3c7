from pcrm.org.access import visible_to
from pcrm.org.models import Staff


def team_members(user, team):
    """Members of ``team`` visible to ``user``, in name order."""
    return visible_to(user, Staff).filter(team=team).select_related("user").order_by("name")

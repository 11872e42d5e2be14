from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def home(request):
    return HttpResponse("")


plan_list = plan_detail = county_list = county_detail = home

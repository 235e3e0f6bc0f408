
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import clock as rules
from .calendar import UnsupportedYear, validate_calendar_date
from .selectors import get_calendar


class AddWorkdaysApi(APIView):
    class Input(serializers.Serializer):
        start = serializers.DateField(validators=[validate_calendar_date])
        days = serializers.IntegerField(min_value=0, max_value=400)

    def get(self, request):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        cal = get_calendar()
        try:
            due, provisional = rules.due_date_for(cal, data.validated_data["start"], data.validated_data["days"])
        except UnsupportedYear as exc:
            return Response({"start": [str(exc)]}, status=400)
        return Response({"due_date": due.isoformat(), "provisional": provisional})

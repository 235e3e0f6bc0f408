
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import clock as rules
from .selectors import get_calendar


class AddWorkdaysApi(APIView):
    class Input(serializers.Serializer):
        start = serializers.DateField()
        days = serializers.IntegerField(min_value=0, max_value=400)

    def get(self, request):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        cal = get_calendar()
        due, provisional = rules.due_date_for(cal, data.validated_data["start"], data.validated_data["days"])
        return Response({"due_date": due.isoformat(), "provisional": provisional})

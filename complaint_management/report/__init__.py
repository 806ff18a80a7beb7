from . import complaint_period_report

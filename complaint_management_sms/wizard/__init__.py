from . import complaint_sms_gateway_test

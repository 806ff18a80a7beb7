from . import sms_providers
from . import complaint_sms_gateway
from . import sms_sms
from . import complaint_complaint
from . import complaint_resolution

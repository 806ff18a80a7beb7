from . import test_gateway
from . import test_procedure_sms
from . import test_odoo_sms
from . import test_gateway_test_sms
from . import test_notice_sms
from . import test_gift_sms

from . import test_access
from . import test_gates
from . import test_intake
from . import test_lifecycle
from . import test_mail_gateway
from . import test_performance
from . import test_tracking_code
from . import test_ui

from . import complaint_assess_wizard
from . import complaint_approval_wizard
from . import complaint_survey_wizard
from . import complaint_merge_wizard
from . import complaint_reopen_wizard

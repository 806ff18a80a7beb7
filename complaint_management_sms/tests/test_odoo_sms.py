from odoo.tests import tagged

from odoo.addons.sms.tests import test_sms_composer


@tagged("post_install", "-at_install")
class TestOdooSmsComposerWithGatewayAddon(test_sms_composer.TestSMSComposerComment):
    """Odoo's own SMS composer tests, run once this addon is installed (in
    ``sms`` they run at its install, before us): with no gateway configured,
    Odoo's SMS pipeline behaves exactly as without the addon."""

    allow_inherited_tests_method = True

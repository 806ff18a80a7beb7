from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The acknowledgement SMS ends with the phone channel's number. Its
    template is ``noupdate``: databases installed before keep the old text
    unless it is reset from the module's file (and its Persian from fa.po)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "complaint_management_sms.sms_template_complaint_ack", raise_if_not_found=False
    )
    if template:
        template.reset_template()

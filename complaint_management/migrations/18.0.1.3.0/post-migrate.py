from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The acknowledgement email lists the company's complaint channels with
    their hours. Its template is ``noupdate``: databases installed before keep
    the old text unless it is reset from the module's file (and its Persian
    from fa.po)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "complaint_management.mail_template_complaint_acknowledgement", raise_if_not_found=False
    )
    if template:
        template.reset_template()

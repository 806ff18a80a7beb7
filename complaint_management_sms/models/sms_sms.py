from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    failure_type = fields.Selection(
        selection_add=[
            ("sms_not_delivered", "Not Delivered"),
            ("sms_rejected", "Rejected by the Operator"),
        ],
        ondelete={"sms_not_delivered": "set null", "sms_rejected": "set null"},
    )
    gateway_id = fields.Many2one("complaint.sms.gateway", readonly=True, index="btree_not_null")
    gateway_message_id = fields.Char(string="Gateway Message ID", readonly=True, index=True)
    gateway_attempts = fields.Integer(readonly=True)
    gateway_next_try = fields.Datetime(readonly=True)
    gateway_error = fields.Char(readonly=True)
    gateway_unlink = fields.Boolean(readonly=True, help="Delete once the delivery is known.")

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Through the configured gateway when there is one, else Odoo's IAP.

        Messages waiting for their next attempt stay in the queue."""
        Gateway = self.env["complaint.sms.gateway"]
        by_gateway = defaultdict(lambda: self.browse())
        rest = self.browse()
        now = fields.Datetime.now()
        for sms in self:
            company = sms.mail_message_id.record_company_id or self.env.company
            gateway = Gateway._for_company(company)
            if not gateway:
                rest |= sms
            elif not sms.gateway_next_try or sms.gateway_next_try <= now:
                by_gateway[gateway] |= sms
        for gateway, records in by_gateway.items():
            gateway._send_sms(records, unlink_failed=unlink_failed, unlink_sent=unlink_sent)
        if rest:
            return super(SmsSms, rest)._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        return None

    def _gateway_report_failure(self):
        """A message to a complaint's customer that finally failed shows on the
        complaint, with the reason, for the owner to call instead."""
        for sms in self.filtered(lambda s: s.mail_message_id.model == "complaint.complaint"):
            complaint = self.env["complaint.complaint"].browse(sms.mail_message_id.res_id).exists()
            if not complaint:
                continue
            complaint.sudo().message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._("The SMS to %s could not be sent.", sms.number),
                    sms.gateway_error
                    or dict(self._fields["failure_type"]._description_selection(self.env)).get(
                        sms.failure_type, ""
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )

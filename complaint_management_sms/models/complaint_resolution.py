from odoo import fields, models
from odoo.tools import clean_context


class ComplaintResolution(models.Model):
    _inherit = "complaint.resolution"

    gift_sent_by = fields.Selection(selection_add=[("sms", "SMS")], ondelete={"sms": "set null"})

    def _gift_code_channel(self):
        # A customer without email but with a mobile number gets the code by
        # SMS, once a gateway is configured; otherwise the printed voucher.
        channel = super()._gift_code_channel()
        if channel == "voucher" and self.complaint_id._sms_recipients():
            return "sms"
        return channel

    def _send_gift_code_sms(self):
        """The apology and the gift card's code by SMS, in the customer's
        language, queued like the procedure's other SMS."""
        template = self.env.ref("complaint_management_sms.sms_template_complaint_gift")
        body = template.sudo()._render_field("body", self.ids, compute_lang=True)[self.id]
        complaint = self.complaint_id.sudo().with_context(clean_context(self.env.context))
        complaint._message_sms(
            body,
            partner_ids=complaint.partner_id.ids,
            sms_pid_to_number={complaint.partner_id.id: complaint.sms_number},
            put_in_queue=True,
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()

    def _gift_code_note(self):
        if self.gift_sent_by == "sms":
            return self.env._(
                "The apology and the gift card's code went to the customer by SMS (%s).",
                self.complaint_id.sudo().sms_number,
            )
        return super()._gift_code_note()

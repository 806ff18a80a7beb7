from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sms_providers import iran_number


class ComplaintSmsGatewayTest(models.TransientModel):
    """One SMS through one gateway, active or not, to see that it works: the
    outcome shows at once, in the user's language."""

    _name = "complaint.sms.gateway.test"
    _description = "Test SMS of a Gateway"

    gateway_id = fields.Many2one(
        "complaint.sms.gateway", required=True, readonly=True, ondelete="cascade"
    )
    number = fields.Char(
        string="Mobile Number",
        required=True,
        default=lambda self: self.env.user.partner_id.mobile,
        help="An Iranian mobile number, e.g. 0912 123 4567.",
    )
    body = fields.Text(string="Message", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "body" in fields_list and not values.get("body"):
            values["body"] = self.env._(
                "Test SMS from %s: the SMS gateway works.", self.env.company.name
            )
        return values

    def action_send(self):
        """Send the message now through the gateway (not the queue) and say
        what became of it. A message the gateway did not take is not retried."""
        self.ensure_one()
        if not iran_number(self.number):
            raise UserError(self.env._("%s is not an Iranian mobile number.", self.number))
        sms = self.env["sms.sms"].create({"number": self.number, "body": self.body})
        self.gateway_id._send_sms(sms, unlink_failed=False, unlink_sent=False)
        if sms.state == "outgoing":
            # Left for a later attempt: a test is not retried behind the user's back.
            sms.state = "canceled"
        return self._outcome_notification(sms)

    def _outcome_notification(self, sms):
        gateway = self.gateway_id
        if sms.state in ("pending", "sent") and gateway.test_mode:
            kind, sticky = "warning", False
            title = self.env._("Test mode: nothing sent")
            message = self.env._(
                "The gateway “%s” is in test mode: the message did not leave Odoo. Turn "
                "test mode off to send a real SMS.",
                gateway.name,
            )
        elif sms.state in ("pending", "sent"):
            kind, sticky = "success", False
            title = self.env._("Test SMS sent")
            message = self.env._(
                "%(gateway)s took the message to %(number)s (message %(id)s): check that "
                "it arrives.",
                gateway=gateway.name,
                number=self.number,
                id=sms.gateway_message_id,
            )
        else:
            kind, sticky = "danger", True
            title = self.env._("Test SMS not sent")
            message = self.env._(
                "%(explanation)s The gateway's answer: %(answer)s",
                explanation=self._failure_explanation(sms),
                answer=sms.gateway_error or "-",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": sticky,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _failure_explanation(self, sms):
        """What the user can do about it, in their language; the gateway's own
        words (provider, code) follow it for the provider's support."""
        if sms.state == "canceled":
            return self.env._(
                "The gateway did not take the message (busy, or no answer): try again in "
                "a few minutes."
            )
        explanations = {
            "sms_acc": self.env._(
                "The provider refused the account: check the API key, the sender line "
                "and, if the account only accepts some IP addresses, that this server's "
                "address is one of them."
            ),
            "sms_credit": self.env._(
                "The account has no credit left: top it up in the provider's panel."
            ),
            "sms_number_format": self.env._("The provider refused the number."),
            "sms_blacklist": self.env._("The number is on the operator's blacklist."),
            "sms_server": self.env._(
                "No answer from the gateway: check its API address and that this server "
                "can reach it (outgoing HTTPS). The message may have gone out: check the "
                "provider's panel."
            ),
        }
        return explanations.get(sms.failure_type) or self.env._("The provider refused the message.")

import hashlib
import logging
import secrets
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import split_every

from .sms_providers import (
    ACCEPTED,
    DELIVERED,
    FAILED,
    PENDING,
    PROVIDERS,
    REJECTED,
    RETRY,
    UNREADABLE,
    iran_number,
)

_logger = logging.getLogger(__name__)


class ComplaintSmsGateway(models.Model):
    """An account with an Iranian SMS provider. When one is active, every SMS
    Odoo sends (templates, composer, chatter, marketing) goes through it."""

    _name = "complaint.sms.gateway"
    _description = "SMS Gateway"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use this gateway for every company."
    )
    provider = fields.Selection(
        [(code, provider.label) for code, provider in PROVIDERS.items()],
        required=True,
        default="kavenegar",
    )
    api_key = fields.Char(string="API Key", groups="base.group_system", copy=False)
    sender = fields.Char(
        string="Sender Line", help="The line number messages are sent from, e.g. 10004346."
    )
    base_url = fields.Char(
        string="API Address",
        help="Leave empty for the provider's public address.",
    )
    timeout = fields.Float(string="Timeout (s)", default=10.0)
    test_mode = fields.Boolean(
        help="Nothing leaves Odoo: messages are marked sent and logged, no credit is used.",
    )
    max_attempts = fields.Integer(
        default=5, help="Attempts before a message that the gateway does not take is an error."
    )
    retry_delay = fields.Integer(
        string="First Retry After (s)",
        default=60,
        help="Doubles at every attempt.",
    )
    webhook_token = fields.Char(
        copy=False,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(24),
        help="Secret part of the delivery callback address.",
    )
    webhook_url = fields.Char(
        string="Delivery Callback URL",
        compute="_compute_webhook_url",
        groups="base.group_system",
        help="Enter it in the provider's panel (Kavenegar: line settings, status callback).",
    )

    _sql_constraints = [
        (
            "max_attempts_range",
            "CHECK (max_attempts > 0 AND max_attempts <= 20)",
            "Allow from 1 to 20 attempts.",
        ),
        ("retry_delay_positive", "CHECK (retry_delay > 0)", "The retry delay must be positive."),
    ]

    @api.depends("webhook_token", "provider")
    def _compute_webhook_url(self):
        base = self.get_base_url()
        for gateway in self:
            gateway.webhook_url = (
                f"{base}/complaint_sms/delivery/{gateway.id}/{gateway.webhook_token}"
                if gateway.id and PROVIDERS[gateway.provider].callbacks
                else False
            )

    @api.model
    def _for_company(self, company):
        return self.sudo().search(
            [("company_id", "in", [company.id, False])], order="company_id, sequence, id", limit=1
        )

    def _provider(self):
        self.ensure_one()
        gateway = self.sudo()
        return PROVIDERS[gateway.provider](
            gateway.base_url, gateway.api_key, gateway.sender, gateway.timeout
        )

    def action_open_test_sms(self):
        """Ask for a number and send it one SMS through this gateway."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a Test SMS"),
            "res_model": "complaint.sms.gateway.test",
            "view_mode": "form",
            "target": "new",
            "context": {"default_gateway_id": self.id},
        }

    # ------------------------------------------------------------- sending
    def _send_sms(self, sms_records, unlink_failed=False, unlink_sent=True):
        """Hand ``sms_records`` (outgoing, due) to this gateway and record what
        became of each. Invalid numbers fail without a call."""
        self.ensure_one()
        provider = self._provider()
        now = fields.Datetime.now()
        outcomes = {}
        numbers = {}
        for sms in sms_records:
            national = iran_number(sms.number)
            if not national:
                outcomes[sms.id] = (
                    FAILED,
                    "sms_number_format",
                    "not a valid Iranian mobile number",
                )
            else:
                numbers[sms.id] = national
        valid = sms_records.filtered(lambda s: s.id in numbers)
        if self.test_mode:
            for sms in valid:
                outcomes[sms.id] = (ACCEPTED, f"test-{sms.id}")
            _logger.info("SMS gateway %s in test mode: %s messages not sent", self.id, len(valid))
        else:
            local_ids = self._local_ids(valid)
            for body, group in valid.grouped("body").items():
                for chunk in split_every(provider.max_recipients, group.ids):
                    recipients = [(local_ids[sms_id], numbers[sms_id]) for sms_id in chunk]
                    try:
                        answers = provider.send(body, recipients)
                    except Exception:  # an answer we cannot read
                        # The request may have reached the gateway: a resend is
                        # only safe where the gateway recognises it.
                        _logger.exception("SMS gateway %s: unreadable answer", self.id)
                        answers = provider._unanswered(recipients, UNREADABLE)
                    by_local = {local: sms_id for sms_id, local in local_ids.items()}
                    outcomes.update({by_local[local]: answer for local, answer in answers.items()})
        self._apply_send_outcomes(sms_records, outcomes, now, unlink_failed, unlink_sent)

    def _local_ids(self, sms_records):
        """A client id per SMS, unique across databases sharing the account
        (a restored copy must not collide with the original's ids)."""
        seed = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        base = int(hashlib.sha256(seed.encode()).hexdigest()[:6], 16) * 10**12
        return {sms.id: base + sms.id for sms in sms_records}

    def _apply_send_outcomes(self, sms_records, outcomes, now, unlink_failed, unlink_sent):
        accepted = defaultdict(lambda: self.env["sms.sms"])
        failed = defaultdict(lambda: self.env["sms.sms"])
        later = self.env["sms.sms"]
        next_tries = []
        for sms in sms_records:
            outcome = outcomes.get(sms.id) or (RETRY, "no answer for this message")
            if outcome[0] == ACCEPTED:
                sms.gateway_message_id = outcome[1]
                accepted[self.test_mode] |= sms
            elif outcome[0] == FAILED:
                sms.gateway_error = outcome[2]
                failed[outcome[1]] |= sms
            else:
                attempts = sms.gateway_attempts + 1
                if attempts >= self.max_attempts:
                    sms.write({"gateway_attempts": attempts, "gateway_error": outcome[1]})
                    failed["sms_server"] |= sms
                    continue
                next_try = now + timedelta(seconds=self.retry_delay * 2 ** (attempts - 1))
                sms.write(
                    {
                        "gateway_attempts": attempts,
                        "gateway_next_try": next_try,
                        "gateway_error": outcome[1],
                    }
                )
                later |= sms
                next_tries.append(next_try)
        for test_mode, records in accepted.items():
            # Kept until the delivery report (pending = "Sent" in Odoo).
            state = "sent" if test_mode else "pending"
            records.write(
                {
                    "state": state,
                    "failure_type": False,
                    "gateway_id": self.id,
                    "gateway_unlink": unlink_sent,
                    "to_delete": unlink_sent if test_mode else False,
                }
            )
            records.sms_tracker_id._action_update_from_sms_state(state)
        for failure_type, records in failed.items():
            records.write(
                {
                    "state": "error",
                    "failure_type": failure_type,
                    "gateway_id": self.id,
                    "to_delete": unlink_failed,
                }
            )
            for sms in records:
                sms.sms_tracker_id._action_update_from_sms_state(
                    "error", failure_type=failure_type, failure_reason=sms.gateway_error
                )
            records._gateway_report_failure()
        if later:
            _logger.info("SMS gateway %s: %s messages to retry", self.id, len(later))
            self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger(min(next_tries))
        sms_records.mail_message_id._notify_message_notification_update()

    # ------------------------------------------------------------ delivery
    def _apply_delivery(self, statuses):
        """Move sent messages to delivered or not from {message id: outcome}."""
        self.ensure_one()
        final = {k: v for k, v in statuses.items() if v != PENDING}
        if not final:
            return
        messages = (
            self.env["sms.sms"]
            .sudo()
            .search(
                [
                    ("gateway_id", "=", self.id),
                    ("gateway_message_id", "in", list(final)),
                    ("state", "=", "pending"),
                ]
            )
        )
        by_outcome = defaultdict(lambda: self.env["sms.sms"])
        for sms in messages:
            by_outcome[final[sms.gateway_message_id]] |= sms
        for outcome, records in by_outcome.items():
            unlink = records.filtered("gateway_unlink")
            if outcome == DELIVERED:
                records.write({"state": "sent"})
                records.sms_tracker_id._action_update_from_sms_state("sent")
            else:
                failure = "sms_rejected" if outcome == REJECTED else "sms_not_delivered"
                records.write({"state": "error", "failure_type": failure})
                records.sms_tracker_id._action_update_from_provider_error(failure[4:])
                records._gateway_report_failure()
            unlink.to_delete = True
        messages.mail_message_id._notify_message_notification_update()

    @api.model
    def _cron_poll_delivery(self, batch_size=500):
        """Ask the gateways what became of the messages still waiting for a
        delivery report (the providers keep them 48 hours)."""
        since = fields.Datetime.now() - timedelta(hours=48)
        for gateway in self.sudo().search([("test_mode", "=", False)], limit=100):
            pending = (
                self.env["sms.sms"]
                .sudo()
                .search(
                    [
                        ("gateway_id", "=", gateway.id),
                        ("state", "=", "pending"),
                        ("gateway_message_id", "!=", False),
                        ("create_date", ">=", since),
                    ],
                    limit=batch_size,
                    order="id",
                )
            )
            if pending:
                statuses = gateway._provider().statuses(pending.mapped("gateway_message_id"))
                gateway._apply_delivery(statuses)

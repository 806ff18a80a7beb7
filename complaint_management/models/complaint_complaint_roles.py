from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .complaint_complaint_procedure import MANAGER, OFFICER

# What the complaint's CFT (head, members, quality) records: containment, the
# root cause, and the internal and external response it drafts.
CFT_FIELDS = frozenset(
    {
        "immediate_action",
        "root_cause_id",
        "root_cause_analysis",
        "nonconformity_id",
        "action_ids",
        "resolution_ids",
        "visit_findings",
        "color",
    }
)
# The chatter's and activities' own fields, guarded by mail's own rules.
MAIL_FIELDS = ("message_", "activity_", "website_message_")
# What only the officers give a new complaint: its team and what the team finds.
OFFICER_CREATE_FIELDS = frozenset({"team_id", "immediate_action", "root_cause_id"})


class ComplaintComplaint(models.Model):
    """Who may change what on a complaint, whatever the way (a form, an import,
    RPC): the role matrix of the README, on the server.

    - any employee registers a complaint (and reads the ones they registered);
    - the officers change what the procedure's buttons do not;
    - the complaint's CFT records containment, root cause and the responses
      it drafts, nothing else;
    - a closed complaint changes only when a manager reopens it; a manager may
      correct what is not the procedure's state.

    The procedure's own state is written by its transitions only (see
    complaint.procedure.guard); the transitions check their own roles."""

    _inherit = "complaint.complaint"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # Odoo's own refusal first (a portal user, say), before any of ours.
            self.browse().check_access("create")
        if not self.env.su and not self.env.user.has_group(OFFICER):
            for vals in vals_list:
                given = sorted(f for f in OFFICER_CREATE_FIELDS if vals.get(f))
                if given:
                    raise AccessError(
                        self.env._(
                            "Only the complaints officers give a new complaint its %s.",
                            self._field_labels(given),
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not self._is_procedure_write():
            # Odoo's own refusal first, for who may not write complaints at all
            # (the model's rights: no query; the record rules are the ORM's, below).
            self.browse().check_access("write")
            self._check_write_role(vals)
        return super().write(vals)

    def _field_labels(self, fnames):
        return ", ".join(
            self._fields[fname]._description_string(self.env) if fname in self._fields else fname
            for fname in fnames
        )

    def _check_write_role(self, vals):
        # The procedure's own fields are refused to all by its guard, below.
        fnames = sorted(
            f
            for f in vals
            if not f.startswith(MAIL_FIELDS) and f != "stage_id" and f not in self._procedure_fields
        )
        if not fnames:
            return  # the stage asks for a transition, which checks its own role
        user = self.env.user
        closed = self.filtered("is_closed")
        if closed and not user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "Complaint %s is closed: only a manager may correct it, or reopen it "
                    "(“Reopen”) to work on it again.",
                    ", ".join(closed.mapped("name")),
                )
            )
        if user.has_group(OFFICER):
            return
        others = [f for f in fnames if f not in CFT_FIELDS]
        if others:
            raise AccessError(
                self.env._(
                    "Only the complaints officers may change the %(fields)s of complaint %(code)s.",
                    fields=self._field_labels(others),
                    code=", ".join(self.mapped("name")),
                )
            )
        # Who is on the team, whatever the user may read of teams.
        not_theirs = self.sudo().filtered(
            lambda c: (
                user not in (c.team_id.head_id | c.team_id.member_ids | c.team_id.quality_user_ids)
            )
        )
        if not_theirs:
            raise AccessError(
                self.env._(
                    "Only the CFT of complaint %(code)s, or an officer, records its %(fields)s.",
                    code=", ".join(not_theirs.mapped("name")),
                    fields=self._field_labels(fnames),
                )
            )

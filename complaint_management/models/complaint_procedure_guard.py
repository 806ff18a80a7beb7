from odoo import api, models
from odoo.exceptions import UserError

# The mark of a write the procedure's own methods make. An object, not a
# string or a flag: no caller over RPC, import or a form can put it in a context.
_PROCEDURE = object()
_PROCEDURE_KEY = "complaint_procedure_write"


class ComplaintProcedureGuard(models.AbstractModel):
    """Records whose procedure fields only the procedure's methods write.

    A model lists them in ``_procedure_fields`` (``None``: every field). Any
    other create or write of them, by anyone (RPC, import, a form), is refused
    with an error naming what to use instead; the procedure writes them with
    :meth:`_procedure_write` and :meth:`_procedure_create`."""

    _name = "complaint.procedure.guard"
    _description = "Fields Only the Complaint Procedure Writes"

    _procedure_fields = None
    # Values a user may give these fields when creating a record (e.g. a draft state).
    _procedure_create_values = {}

    def _procedure_action_hint(self):
        """What the user should do instead, for the error message."""
        return self.env._("the buttons of the complaint")

    @api.model
    def _is_procedure_write(self):
        return self.env.context.get(_PROCEDURE_KEY) is _PROCEDURE

    def _procedure_guarded(self, vals, create=False):
        if self._procedure_fields is None:
            return sorted(vals)
        guarded = self._procedure_fields.intersection(vals)
        if create:
            guarded = {
                fname
                for fname in guarded
                if vals[fname] not in (False, None)
                and vals[fname] != self._procedure_create_values.get(fname)
            }
        return sorted(guarded)

    def _check_procedure_vals(self, vals, create=False):
        guarded = self._procedure_guarded(vals, create=create)
        if guarded:
            labels = ", ".join(
                self._fields[fname]._description_string(self.env)
                if fname in self._fields
                else fname
                for fname in guarded
            )
            raise UserError(
                self.env._(
                    "%(fields)s of a %(record)s change only through the procedure: use %(hint)s.",
                    fields=labels,
                    record=self.env["ir.model"].sudo()._get(self._name).name,
                    hint=self._procedure_action_hint(),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_procedure_write():
            for vals in vals_list:
                self._check_procedure_vals(vals, create=True)
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_procedure_write():
            self._check_procedure_vals(vals)
        return super().write(vals)

    def _procedure_env(self):
        """These records as the procedure's own methods write them."""
        return self.with_context(**{_PROCEDURE_KEY: _PROCEDURE})

    def _procedure_write(self, vals):
        """Write fields of the procedure: for the procedure's own methods only."""
        return self.with_context(**{_PROCEDURE_KEY: _PROCEDURE}).write(vals)

    @api.model
    def _procedure_create(self, vals_list):
        records = self.with_context(**{_PROCEDURE_KEY: _PROCEDURE}).create(vals_list)
        return records.with_env(self.env)

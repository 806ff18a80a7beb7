from lxml import html
from markupsafe import Markup

from odoo import api, models, tools
from odoo.tools import safe_eval


class MailRenderMixin(models.AbstractModel):
    """The complaints' email templates rendered with their QWeb compiled once.

    Odoo 18 compiles the QWeb body of a template anew for each record it
    renders, and once more to check its expressions: most of the time of the
    intake job's acknowledgements. For ``complaint.complaint``, rendered by a
    user whose rendering is unrestricted (the procedure renders as superuser),
    the compiled template is kept per source text (each language's) and each
    record only runs it: the same values, checks and output as Odoo's; on an
    error Odoo's own rendering raises its own message."""

    _inherit = "mail.render.mixin"

    @api.model
    def _render_template_qweb(self, template_src, model, res_ids, add_context=None, options=None):
        restricted = (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        )
        if model != "complaint.complaint" or restricted or not template_src or not res_ids:
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        compiled = self._complaint_compiled_qweb(template_src, model)
        if not compiled:
            # Placeholders only: Odoo renders them without QWeb.
            return self._render_template_qweb_regex(template_src, model, res_ids)
        functions, def_name = compiled
        variables = self._render_eval_context()
        if add_context:
            variables.update(**add_context)
        qweb = self.env["ir.qweb"].with_context(**(options or {}))
        results = {}
        for record in self.env[model].browse(res_ids):
            values = dict(variables, object=record)
            try:
                # ir.qweb._render, less the compilation.
                render_qweb = qweb._prepare_environment(values)
                safe_eval.check_values(values)
                rendered = Markup("".join(functions[def_name](render_qweb, values)))
            except Exception:  # noqa: BLE001 - Odoo's rendering gives its own error
                return super()._render_template_qweb(
                    template_src, model, res_ids, add_context=add_context, options=options
                )
            # Without the <div> wrapping the template's nodes.
            results[record.id] = rendered[5:-6]
        return results

    @api.model
    @tools.ormcache("template_src", "model", cache="templates")
    def _complaint_compiled_qweb(self, template_src, model):
        """The compiled QWeb of ``template_src``: (functions, name of the main
        one); ``None`` when the template has placeholders only."""
        if not self._has_unsafe_expression_template_qweb(template_src, model):
            return None
        node = html.fragment_fromstring(template_src, create_parent="div")
        qweb = self.env["ir.qweb"].with_context(dev_mode="qweb" in tools.config["dev_mode"])
        return qweb._compile(node)

from odoo import api, models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def get_frontend_session_info(self):
        """Bundles a page loads after it is shown come in the page's language.

        Odoo 18 asks for them (``getBundle``) in the session's language, the
        visitor's browser language for anyone not logged in, which picks the
        stylesheet's direction. The portal chatter's stylesheet is one: a
        visitor with an English browser on a Persian page gets the left-to-right
        one, whose hidden measuring textarea of the composer
        (``.o-mail-Composer-fake``, ``left: -10000px``) then lies 10,000 px
        into the scrollable side of a right-to-left page; a phone zooms out to
        show it and the page is blank. The reverse (a Persian browser on an
        English page) pushes it off the right edge. Later Odoo sources make the
        same change in ``http_routing`` (the bundle language is the page's);
        harmless once Odoo has it."""
        session_info = super().get_frontend_session_info()
        if self.env.lang and "bundle_params" in session_info:
            session_info["bundle_params"]["lang"] = self.env.lang
        return session_info

import ipaddress
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import hmac

EPOCH = datetime(1970, 1, 1)


class ComplaintRateLimit(models.Model):
    """Hits of one client on a public page, per fixed time window.

    Kept in the database so that the limit holds across Odoo workers and
    restarts. Clients are stored as a keyed hash (HMAC with the database secret)
    of their address, never the address: the hash of an IPv4 address alone
    would be reversed by trying the four billion of them.

    Counted on the primary database always, also for the read-only routes
    (the tracking lookup) that Odoo serves from a replica: see :meth:`_hit`.
    """

    _name = "complaint.rate.limit"
    _description = "Public Page Rate Limit"
    _log_access = False

    scope = fields.Char(required=True)
    client = fields.Char(required=True)
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(default=0)

    _sql_constraints = [
        (
            "scope_client_window_uniq",
            "unique (scope, client, window_start)",
            "One counter per client and window.",
        ),
    ]

    @api.model
    def _hit(self, scope, client_address, limit, period):
        """Count one request of ``client_address`` on ``scope``.

        :param int limit: requests allowed per window
        :param int period: window length in seconds
        :return: seconds to wait before the next allowed request, 0 when allowed
        """
        if limit <= 0:
            return 0
        client = hmac(
            self.sudo().env, "complaint.rate.limit", f"{scope}:{self._client_key(client_address)}"
        )[:32]
        if not self.env.cr.readonly:
            return self._count_hit(scope, client, limit, period)
        # A read-only route (Odoo 18's ``readonly=True``), on a cursor of the
        # replica when there is one: the hit is counted on the primary in a
        # short transaction of its own, committed whatever the request does,
        # as Odoo logs a session's device on such routes (res.device.log). The
        # read-only transaction is ended first: it has written nothing (a write
        # still pending in the ORM fails here, and Odoo retries the request on
        # the primary), and Odoo's test cursors refuse a read/write cursor
        # opened inside a read-only one.
        self.env.flush_all()
        self.env.cr.rollback()
        with self.env.registry.cursor() as primary_cr:
            return self.with_env(self.env(cr=primary_cr))._count_hit(scope, client, limit, period)

    @api.model
    def _count_hit(self, scope, client, limit, period):
        """:meth:`_hit` on the current cursor, which must be read/write;
        ``client`` is the keyed hash of the client's address."""
        now = fields.Datetime.now()
        elapsed = int((now - EPOCH).total_seconds())
        window_start = EPOCH + timedelta(seconds=elapsed - elapsed % period)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO complaint_rate_limit (scope, client, window_start, hits)
                VALUES (%(scope)s, %(client)s, %(start)s, 1)
                ON CONFLICT (scope, client, window_start)
                DO UPDATE SET hits = complaint_rate_limit.hits + 1
                RETURNING hits
                """,
                scope=scope,
                client=client,
                start=window_start,
            )
        )
        hits = self.env.cr.fetchone()[0]
        if hits <= limit:
            return 0
        return max(1, int((window_start + timedelta(seconds=period) - now).total_seconds()))

    @api.model
    def _client_key(self, address):
        """What counts as one client: an IPv4 address, an IPv6 /64 network (what
        one subscriber gets; the addresses within it cost nothing to change)."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return address
        if ip.version == 6:
            if ip.ipv4_mapped:
                return str(ip.ipv4_mapped)
            return str(ipaddress.IPv6Network((ip.packed, 64), strict=False))
        return str(ip)

    @api.autovacuum
    def _gc_old_windows(self):
        """Forget counters older than a day."""
        self.search([("window_start", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()

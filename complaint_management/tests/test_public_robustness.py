import base64
import hashlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PDF, ComplaintHttpCommon

API = "/complaint/api/v1/complaints"
BOUNDARY = "cmRobustnessBoundary7MA4YWxk"

# -- what the fuzz tests send ------------------------------------------------
# A valid submission with a few of its fields changed or left out, so that many
# examples go all the way to a complaint; or anything at all.
# Text a customer might type, or not: NUL and other control characters,
# Persian, right-to-left marks, wildcards, path separators, HTML.
TRICKY = "\x00\x01\x1b\x7f\t\n\r \u200f\u200c۰۹۱۲سلام%_\\/<>&\"'aZ9@.-"
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=TRICKY, max_size=40),
    st.integers(0, 6000).map(lambda n: "x" * n),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def _noisy(*valid):
    """One of ``valid`` with a control character somewhere: still valid."""
    return st.tuples(
        st.sampled_from(valid),
        st.sampled_from(["", "\x00", "\x0b", "\x00\x1f", "\u200f"]),
        st.integers(0, 12),
    ).map(lambda args: args[0][: args[2]] + args[1] + args[0][args[2] :])


def _mutations(valid, changes):
    """``valid`` with up to 3 of its fields changed (``changes``: field ->
    strategy) and maybe one left out."""
    return st.tuples(
        st.lists(st.sampled_from(sorted(changes)), max_size=3, unique=True).flatmap(
            lambda keys: st.fixed_dictionaries({key: changes[key] for key in keys})
        ),
        st.sampled_from([None, None, None, *sorted(valid)]),
    ).map(
        lambda args: {key: value for key, value in {**valid, **args[0]}.items() if key != args[1]}
    )


PDF_B64 = base64.b64encode(PDF).decode()
FILE_NAMES = st.one_of(
    _noisy("lid.pdf", "C:\\fakepath\\lid.pdf", "../../etc/passwd.pdf", "عکس.pdf"), texts
)
VALID_JSON = {
    "name": "Reza Karimi",
    "phone": "0912 555 6677",
    "description": "The mixer drum makes a knocking noise.",
    "consent": True,
}
JSON_CHANGES = {
    "name": st.one_of(_noisy("Reza Karimi", "رضا کریمی"), texts, json_values),
    "phone": st.one_of(_noisy("0912 555 6677", "۰۹۱۲ ۳۳۳ ۴۴۵۵"), texts, json_values),
    "email": st.one_of(_noisy("reza.karimi@example.ir"), texts, json_values),
    "reference": st.one_of(st.sampled_from(["MX-350", "%", "S0%", "_"]), texts, json_values),
    "subject": st.one_of(_noisy("Drum knocks"), texts, json_values),
    "description": st.one_of(_noisy(VALID_JSON["description"]), texts, json_values),
    "consent": st.one_of(st.sampled_from([True, "yes", 1, "true"]), json_values),
    "lang": st.one_of(st.sampled_from(["fa_IR", "en-US", "xx"]), texts, json_values),
    "attachments": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {
                    "filename": st.one_of(FILE_NAMES, json_values),
                    "content": st.one_of(
                        st.just(PDF_B64),
                        st.binary(max_size=64).map(lambda raw: base64.b64encode(raw).decode()),
                        texts,
                        json_values,
                    ),
                },
            ),
            max_size=3,
        ),
        json_values,
    ),
    "extra": json_values,
}
json_bodies = st.one_of(
    st.tuples(_mutations(VALID_JSON, JSON_CHANGES), st.booleans()).map(
        lambda args: json.dumps(args[0], ensure_ascii=args[1]).encode()
    ),
    _mutations(VALID_JSON, JSON_CHANGES).map(lambda payload: json.dumps(payload).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 5000).map(lambda depth: ("[" * depth + "]" * depth).encode()),
    st.binary(max_size=300),
)
VALID_FORM = {
    "name": "Reza Karimi",
    "phone": "0912 555 6677",
    "email": "reza.karimi@example.ir",
    "description": "The mixer drum makes a knocking noise.",
    "consent": "1",
}
FORM_CHANGES = {
    "name": st.one_of(_noisy("Reza Karimi", "رضا کریمی"), texts),
    "phone": st.one_of(_noisy("0912 555 6677", "۰۹۱۲ ۳۳۳ ۴۴۵۵"), texts),
    "email": st.one_of(_noisy("reza.karimi@example.ir"), texts),
    "reference": st.one_of(st.sampled_from(["MX-350", "%", "_"]), texts),
    "subject": st.one_of(_noisy("Drum knocks"), texts),
    "description": st.one_of(_noisy(VALID_FORM["description"]), texts),
    "consent": st.one_of(st.sampled_from(["on", "yes", "true", "0", ""]), texts),
    "attachments": texts,  # a text field where the files go
    "extra": texts,
}
form_files = st.lists(
    st.tuples(FILE_NAMES, st.one_of(st.just(PDF), st.binary(max_size=64))), max_size=2
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)


def _multipart(fields_, files=()):
    """A multipart/form-data body as a browser sends it, raw: the names keep
    what requests would escape (NUL, backslashes)."""

    def quoted(text):
        return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A").encode()

    parts = []
    for name, value in fields_.items():
        parts.append(
            b'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (quoted(name), value.encode())
        )
    for filename, content in files:
        parts.append(
            b'Content-Disposition: form-data; name="attachments"; filename="%s"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n%s" % (quoted(filename), content)
        )
    boundary = BOUNDARY.encode()
    body = b"".join(b"--%s\r\n%s\r\n" % (boundary, part) for part in parts)
    return body + b"--%s--\r\n" % boundary, f"multipart/form-data; boundary={BOUNDARY}"


@tagged("post_install", "-at_install")
class TestPublicRobustness(ComplaintHttpCommon):
    def setUp(self):
        super().setUp()
        # Throttling would hide what the tests look for.
        self._set_params(submit_limit=100000, track_limit=100000)
        self._csrf_token = None

    # -- helpers -------------------------------------------------------------
    def _send(self, url, body, content_type, headers=None, method="POST"):
        """``body`` as is (bytes, or an iterator: sent chunked)."""
        headers = dict({"Content-Type": content_type} if content_type else {}, **(headers or {}))
        return self.opener.request(
            method,
            self.base_url() + url,
            data=body,
            headers=headers,
            timeout=60,
            allow_redirects=False,
        )

    def _send_json(self, payload, headers=None):
        return self._send(API, json.dumps(payload).encode(), "application/json", headers)

    def _send_form(self, values, files=()):
        if self._csrf_token is None:
            self._csrf_token = self._csrf()
        body, content_type = _multipart(dict(values, csrf_token=self._csrf_token), files)
        return self._send("/complaint/submit", body, content_type)

    def _valid(self, **values):
        payload = {
            "name": "Maryam Rahimi",
            "phone": "0912 333 4455",
            "description": "The lid of the mixer does not close.",
            "consent": True,
        }
        payload.update(values)
        return payload

    def _counts(self):
        """Complaints, contacts and the complaints' files: what a submission makes."""
        return (
            self.Complaint.sudo().with_context(active_test=False).search_count([]),
            self.env["res.partner"].sudo().with_context(active_test=False).search_count([]),
            self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "=", "complaint.complaint")]),
        )

    def _assert_all_or_nothing(self, before, response, created):
        self.assertLess(response.status_code, 500, response.text[:2000])
        complaints, partners, files = (
            after - was for after, was in zip(self._counts(), before, strict=True)
        )
        if created:
            # The request keeps the complaint and its files; the visitor's
            # contact of its own comes with the intake job, whatever was typed.
            self.assertEqual((complaints, partners), (1, 0), response.text[:500])
            self.assertEqual(files, len(self._files(self._last_complaint())))
            self._run_intake_job()
            self.assertEqual(self._counts()[1] - before[1], 1, response.text[:500])
            self.assertTrue(self._last_complaint().partner_id)
        else:
            self.assertEqual((complaints, partners, files), (0, 0, 0), response.text[:500])

    def _files(self, complaint):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)], order="id"
            )
        )

    def _chunks(self, data, size=64 * 1024):
        for start in range(0, len(data), size):
            yield data[start : start + size]

    # -- 1. deep JSON ---------------------------------------------------------
    def test_deeply_nested_json_is_invalid_json(self):
        for body in (
            "[" * 100000 + "]" * 100000,
            '{"name": ' + '{"a": ' * 100000 + "1" + "}" * 100001,
        ):
            response = self._send(API, body.encode(), "application/json")
            self.assertEqual(response.status_code, 400, response.text[:300])
            self.assertEqual(response.json()["error"], "invalid_json")

    # -- 2. control characters -------------------------------------------------
    def test_nul_and_control_characters_are_dropped(self):
        response = self._send_json(
            self._valid(
                name="Maryam\x00 Rahimi",
                email="maryam\x00@example.ir",
                reference="MX\x00-350",
                subject="Lid\x1b broken",
                description="The lid\x00 of the\x0b mixer\tdoes not\r\nclose.\x7f",
                attachments=[
                    {"filename": "li\x00d\n.pdf", "content": base64.b64encode(PDF).decode()}
                ],
            )
        )
        self.assertEqual(response.status_code, 201, response.text)
        complaint = self._last_complaint()
        self.assertEqual(complaint.partner_name, "Maryam Rahimi")
        self.assertEqual(complaint.email, "maryam@example.ir")
        self.assertEqual(complaint.customer_reference, "MX-350")
        self.assertEqual(complaint.subject, "Lid broken")
        self.assertIn("The lid of the mixer\tdoes not<br", complaint.description, "tab kept")
        self.assertEqual(self._files(complaint).mapped("name"), ["lid.pdf"])
        # From the form, file name included.
        response = self._send_form(
            self._form(name="Reza\x00 Karimi", description="Knocks\x00 after two weeks."),
            [("dr\x00um.pdf", PDF)],
        )
        self.assertEqual(response.status_code, 200, response.text[:1000])
        complaint = self._last_complaint()
        self.assertEqual(complaint.partner_name, "Reza Karimi")
        self.assertIn("Knocks after two weeks.", complaint.description)
        self.assertEqual(self._files(complaint).mapped("name"), ["drum.pdf"])
        # The tracking page too.
        response = self._post(
            "/complaint/track",
            {"code": complaint.name + "\x00", "contact": "0912\x00 555 6677"},
            csrf_url="/complaint/track",
        )
        self.assertEqual(response.status_code, 200, response.text[:1000])

    # -- 3. consent ----------------------------------------------------------------
    def test_json_consent_must_be_true(self):
        before = self._counts()
        for consent in ("yes", 1, "true", "1", 1.0, "on", [True], {"value": True}):
            response = self._send_json(self._valid(consent=consent))
            self.assertEqual(response.status_code, 400, consent)
            self.assertIn("consent", response.json()["fields"], consent)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self._send_json(self._valid()).status_code, 201)
        # The form keeps its checkbox.
        for consent in ("on", "1"):
            response = self._post("/complaint/submit", self._form(consent=consent))
            self.assertEqual(response.status_code, 200, consent)

    # -- 4. body size, with or without Content-Length ---------------------------------
    def test_bodies_over_the_limit_get_413(self):
        # No files allowed: the limit is 1 MiB.
        self._set_params(public_max_files=0)
        limit = 1024 * 1024
        before = self._counts()
        # Chunked, no Content-Length: read up to the limit only.
        payload = json.dumps(self._valid(description="x" * (limit + 100 * 1024))).encode()
        response = self._send(API, self._chunks(payload), "application/json")
        self.assertEqual(response.status_code, 413, response.text[:300])
        self.assertEqual(response.json()["error"], "too_large")
        response = self._send(
            "/complaint/submit",
            self._chunks(b"description=" + b"x" * (limit + 100 * 1024)),
            "application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 413, response.text[:300])
        # Content-Length over twice the limit: refused by werkzeug, unread.
        response = self._send(API, b" " * (2 * limit + 1024), "application/json")
        self.assertEqual(response.status_code, 413, response.text[:300])
        body, content_type = _multipart(self._form(), [("big.pdf", PDF + b"0" * 2 * limit)])
        response = self._send("/complaint/submit", body, content_type)
        self.assertEqual(response.status_code, 413, response.text[:300])
        self.assertEqual(self._counts(), before)
        # Chunked within the limit is fine.
        response = self._send(
            API, self._chunks(json.dumps(self._valid()).encode(), 16), "application/json"
        )
        self.assertEqual(response.status_code, 201, response.text[:300])

    # -- 5. throttling first ---------------------------------------------------------
    def test_throttled_before_the_body_is_read(self):
        self._set_params(submit_limit=1, submit_period=10**8)
        self.assertEqual(self._send_json(self._valid()).status_code, 201)
        response = self._send(API, b"{not json", "application/json")
        self.assertEqual(response.status_code, 429)
        response = self._send(API, b"<xml/>", "application/xml")
        self.assertEqual(response.status_code, 429)
        self._set_params(public_max_files=0)
        response = self._post("/complaint/submit", self._form(description="x" * (1024 * 1024 + 10)))
        self.assertEqual(response.status_code, 429, "not 413: the body is not looked at")

    # -- 6. CORS ---------------------------------------------------------------------
    def test_cors_only_for_listed_origins(self):
        shop = {"Origin": "https://shop.example.com"}
        preflight = dict(
            shop,
            **{
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        response = self._send(API, None, None, preflight, method="OPTIONS")
        self.assertNotIn("Access-Control-Allow-Origin", response.headers)
        response = self._send_json(self._valid(), shop)
        self.assertEqual(response.status_code, 201)
        self.assertNotIn("Access-Control-Allow-Origin", response.headers)
        param = self.env.ref("complaint_management.config_api_cors_origins")
        self.assertFalse(param.value, "no website listed by default")

        self._set_params(api_cors_origins="https://www.example.com, https://shop.example.com/")
        response = self._send(API, None, None, preflight, method="OPTIONS")
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], shop["Origin"])
        self.assertIn("Origin", response.headers["Vary"])
        self.assertEqual(response.headers["Access-Control-Allow-Methods"], "POST")
        allowed = response.headers["Access-Control-Allow-Headers"].lower()
        for header in ("content-type", "accept", "accept-language"):
            self.assertIn(header, allowed)
        for answer in (
            self._send_json(self._valid(), shop),  # 201
            self._send_json({"name": ""}, shop),  # 400
            self._send(API, b"{", "application/json", shop),  # 400
            self._send(API, b"x", "text/plain", shop),  # 415
            self.url_open("/complaint/api/v1/openapi.json", headers=shop),
        ):
            self.assertEqual(answer.headers.get("Access-Control-Allow-Origin"), shop["Origin"])
            self.assertIn("Origin", answer.headers["Vary"])
        other = {"Origin": "https://shop.example.com.evil.example"}
        for answer in (
            self._send(API, None, None, dict(preflight, **other), method="OPTIONS"),
            self._send_json(self._valid(), other),
            self._send_json(self._valid(), {"Origin": "null"}),
        ):
            self.assertNotIn("Access-Control-Allow-Origin", answer.headers)
            self.assertNotIn("Access-Control-Allow-Methods", answer.headers)

    # -- 7. reference wildcards -----------------------------------------------------
    def test_reference_wildcards_match_nothing(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [fields.Command.create({"product_id": self.product.id})],
            }
        )
        order.action_confirm()
        order._create_invoices().action_post()
        self.product.default_code = "MX_350"
        self.env["product.product"].create({"name": "Other", "default_code": "MXA350"})
        Public = self.env["complaint.public.intake"].sudo()
        for reference in ("%", "_%", "%%", "S%", "MX%", "M_A350", "\\%"):
            self.assertEqual(
                Public._match_public_reference(reference), {"values": {}, "hints": []}, reference
            )
        self.assertEqual(
            Public._match_public_reference("mx_350")["values"], {"product_id": self.product.id}
        )
        self.assertEqual(len(Public._match_public_reference(order.name.lower())["hints"]), 1)
        # What the staff are told, from the form.
        response = self._post("/complaint/submit", self._form(reference="%"))
        self.assertEqual(response.status_code, 200)
        complaint = self._last_complaint()
        self.assertFalse(complaint.product_id)
        self.assertFalse(complaint.message_ids.filtered(lambda m: order.name in (m.body or "")))

    # -- 8. rate limit counters ----------------------------------------------------
    def test_rate_limit_clients_are_keyed_hashes(self):
        RateLimit = self.env["complaint.rate.limit"].sudo()

        def clients(*addresses):
            for address in addresses:
                # One window of 30 years: no new window within the test.
                RateLimit._hit("probe", address, 100, 10**9)
            RateLimit.invalidate_model()  # _hit counts in SQL
            counters = RateLimit.search([("scope", "=", "probe")])
            return {counter.client: counter.hits for counter in counters}

        counted = clients("203.0.113.7")
        plain = hashlib.sha256(b"probe:203.0.113.7").hexdigest()[:32]
        self.assertNotIn(plain, counted, "not a plain hash, which anyone can reverse")
        # IPv4 per address (mapped in IPv6 too), IPv6 per /64, anything else as is.
        counted = clients(
            "203.0.113.8",
            "::ffff:203.0.113.7",
            "2001:db8:1:2::1",
            "2001:db8:1:2:ffff:ffff:ffff:ffff",
            "2001:db8:1:3::1",
            "unknown",
        )
        self.assertEqual(sorted(counted.values()), [1, 1, 1, 2, 2])
        # Keyed with the database secret: another secret, another counter.
        self.env["ir.config_parameter"].sudo().set_param("database.secret", "another secret")
        self.assertEqual(len(clients("203.0.113.7")), 6)

    # -- 9. file names ----------------------------------------------------------------
    def test_file_names_lose_their_path(self):
        content = base64.b64encode(PDF).decode()
        names = ["../../etc/passwd.pdf", "C:\\fakepath\\lid.pdf", "..", "dir/", "x" * 200 + ".pdf"]
        response = self._send_json(
            self._valid(attachments=[{"filename": n, "content": content} for n in names])
        )
        self.assertEqual(response.status_code, 201, response.text)
        attachments = self._files(self._last_complaint())
        self.assertEqual(
            attachments.mapped("name"),
            ["passwd.pdf", "lid.pdf", "attachment", "attachment", "x" * 124 + ".pdf"],
        )
        response = self._send_form(
            self._form(),
            [("C:\\fakepath\\drum.pdf", PDF), ("../../etc/passwd.pdf", PDF), ("/", PDF)],
        )
        self.assertEqual(response.status_code, 200, response.text[:1000])
        attachments = self._files(self._last_complaint())
        self.assertEqual(attachments.mapped("name"), ["drum.pdf", "passwd.pdf", "attachment"])
        # What the file is, not what its name says.
        response = self._send_json(
            self._valid(attachments=[{"filename": "page.html", "content": content}])
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self._files(self._last_complaint()).mimetype, "application/pdf")

    # -- 10. report from an unknown model ----------------------------------------------
    def test_report_from_unknown_model(self):
        Complaint = self.Complaint.with_user(self.user_officer)
        with self.assertRaises(UserError) as unsupported:
            Complaint.action_report_from("product.product", self.product.id)
        with self.assertRaises(UserError) as unknown:
            Complaint.action_report_from("no.such.model", 1)
        self.assertEqual(unknown.exception.args, unsupported.exception.args)

    # -- 11. whatever is sent ----------------------------------------------------------
    @settings(FUZZ, max_examples=80)
    @given(
        body=json_bodies, content_type=st.sampled_from(["application/json"] * 5 + ["text/plain"])
    )
    def test_fuzz_json_endpoint(self, body, content_type):
        before = self._counts()
        response = self._send(API, body, content_type)
        self.assertTrue(
            response.headers.get("Content-Type", "").startswith("application/json"),
            response.text[:300],
        )
        self._assert_all_or_nothing(before, response, response.status_code == 201)
        if response.status_code == 201:
            self.assertEqual(response.json()["tracking_code"], self._last_complaint().name)

    @FUZZ
    @given(
        values=_mutations(VALID_FORM, FORM_CHANGES),
        files=form_files,
        raw=st.one_of(st.none(), st.none(), st.none(), st.binary(max_size=300)),
        content_type=st.sampled_from(
            ["application/x-www-form-urlencoded", f"multipart/form-data; boundary={BOUNDARY}"]
        ),
    )
    def test_fuzz_form(self, values, files, raw, content_type):
        before = self._counts()
        if raw is None:
            response = self._send_form(values, files)
        else:
            # Bytes the parsers have to make sense of, after a valid token.
            if self._csrf_token is None:
                self._csrf_token = self._csrf()
            if content_type.startswith("multipart"):
                body = _multipart({"csrf_token": self._csrf_token})[0][: -len(BOUNDARY) - 6]
            else:
                body = f"csrf_token={self._csrf_token}&".encode()
            response = self._send("/complaint/submit", body + raw, content_type)
        self._assert_all_or_nothing(before, response, response.status_code == 200)
        if response.status_code == 200:
            self.assertIn(self._last_complaint().name, response.text)

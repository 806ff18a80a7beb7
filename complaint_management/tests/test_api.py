import base64

from odoo.tests import tagged

from .common import PDF, ComplaintHttpCommon


@tagged("post_install", "-at_install")
class TestJsonEndpoint(ComplaintHttpCommon):
    def test_create(self):
        response = self._api(
            {
                "name": "Maryam Rahimi",
                "phone": "۰۹۱۲ ۳۳۳ ۴۴۵۵",
                "description": "The <b>lid</b> does not close.",
                "consent": True,
                "attachments": [{"filename": "lid.pdf", "content": base64.b64encode(PDF).decode()}],
            }
        )
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        complaint = self._last_complaint()
        self.assertEqual(data["tracking_code"], complaint.name)
        self.assertEqual(data["status"], "submitted")
        self.assertTrue(data["track_url"].endswith("/complaint/track"))
        self.assertEqual(complaint.phone, "+989123334455", "Persian digits are read")
        self.assertEqual(complaint.channel_id, self.website_channel)
        self.assertIn("&lt;b&gt;lid&lt;/b&gt;", complaint.description)

    def test_validation_errors_name_the_fields(self):
        response = self._api({"name": "", "phone": "12", "description": 42, "consent": False})
        self.assertEqual(response.status_code, 400)
        data = response.json()
        self.assertEqual(data["error"], "validation")
        self.assertEqual(set(data["fields"]), {"name", "phone", "description", "consent"})
        self.assertNotIn("Traceback", response.text)

    def test_errors_in_the_callers_language(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        response = self._api({"phone": "12"}, headers={"Accept-Language": "fa-IR,fa;q=0.9"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["fields"]["name"], "لطفاً نام خود را بنویسید.")
        response = self._api({"phone": "12", "lang": "en_US"})
        self.assertIn("Please tell us your name.", response.json()["fields"]["name"])

    def test_new_customer_gets_the_language_they_wrote_in(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        payload = {
            "name": "Hoda Alavi",
            "phone": "0936 111 0000",
            "description": "The grinder blade is blunt.",
            "consent": True,
            "lang": "fa_IR",
        }
        self.assertEqual(self._api(payload).status_code, 201)
        # The manager reads the job's notes in English: the contact keeps Persian.
        self._run_intake_job()
        self.assertEqual(self._last_complaint().partner_id.lang, "fa_IR")

    def test_bad_requests(self):
        self.assertEqual(self._api(b"{not json").status_code, 400)
        self.assertEqual(self._api(b"[1, 2]").status_code, 400)
        response = self.url_open(
            "/complaint/api/v1/complaints", data={"name": "x"}, headers={"Accept": "*/*"}
        )
        self.assertEqual(response.status_code, 415)
        self._set_params(public_max_files=1, public_max_file_mb=1)
        big = {"description": "x" * (3 * 1024 * 1024)}
        self.assertEqual(self._api(big).status_code, 413)
        response = self._api(
            {
                "name": "A",
                "phone": "09121112233",
                "description": "Something is wrong.",
                "consent": True,
                "attachments": [{"filename": "a.pdf", "content": "@@not base64@@"}],
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("attachments", response.json()["fields"])

    def test_throttled(self):
        self._set_params(submit_limit=1, submit_period=600)
        payload = {
            "name": "Ali",
            "phone": "09121112233",
            "description": "Something is wrong.",
            "consent": True,
        }
        self.assertEqual(self._api(payload).status_code, 201)
        response = self._api(payload)
        self.assertEqual(response.status_code, 429)
        self.assertGreater(int(response.headers["Retry-After"]), 0)

    def test_openapi_document(self):
        response = self.url_open("/complaint/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))
        operation = document["paths"]["/complaint/api/v1/complaints"]["post"]
        self.assertEqual(set(operation["responses"]), {"201", "400", "413", "415", "429"})
        schema = document["components"]["schemas"]["ComplaintIn"]
        self.assertEqual(set(schema["required"]), {"name", "phone", "description", "consent"})
